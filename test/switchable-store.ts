import type { SqliteRoundStore } from '../server/store/index.ts';

/**
 * A SQLite connection (SqliteRoundStore) whose connection can be swapped under a running server, to
 * make the database fail at an exact moment with SQLite's own errors: swap in
 * a second connection to the same file opened with `maxSizeBytes` (the disk
 * is full) or `readonly` (the file became read-only), and swap the original
 * back (space was freed, the mount is writable again).
 */
export interface SwitchableStore {
  /** What the server is given; every call goes to the connection in use at that moment. */
  readonly store: SqliteRoundStore;
  use(connection: SqliteRoundStore): void;
  /** Runs `action` just before the first call of `method` from now on, e.g. to swap connections at that instant. */
  beforeFirstCall(method: keyof SqliteRoundStore, action: () => void): void;
}

export function switchableStore(initial: SqliteRoundStore): SwitchableStore {
  let current = initial;
  const tripwires = new Map<PropertyKey, () => void>();
  const store = new Proxy(initial, {
    get(_target, prop) {
      const trip = tripwires.get(prop);
      if (trip !== undefined) {
        tripwires.delete(prop);
        trip();
      }
      const value: unknown = Reflect.get(current, prop, current);
      return typeof value === 'function' ? value.bind(current) : value;
    },
  });
  return {
    store,
    use(connection) {
      current = connection;
    },
    beforeFirstCall(method, action) {
      tripwires.set(method, action);
    },
  };
}
