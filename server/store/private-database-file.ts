import { chmodSync, closeSync, existsSync, openSync, statSync } from 'node:fs';

/**
 * The database holds every client's raw model and label histogram: only its
 * owner may read it. A new file is created with mode 0600 before SQLite opens
 * it (SQLite gives the -wal and -shm files the database file's mode), and an
 * existing file, WAL or SHM that others can read is narrowed to 0600 (never
 * widened). Nothing for ':memory:' or a read-only open.
 */
export function makeDatabaseFilePrivate(path: string): void {
  if (path === ':memory:' || path === '' || path.startsWith('file:')) return;
  if (!existsSync(path)) {
    // 'wx' fails when another process created it meanwhile; then it is narrowed below like any existing file.
    try {
      closeSync(openSync(path, 'wx', 0o600));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') return; // a missing directory: SQLite's open reports it
    }
  }
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    try {
      const mode = statSync(file).mode & 0o777;
      if ((mode & 0o077) !== 0) chmodSync(file, mode & 0o700);
    } catch {
      // absent, or not ours to change: SQLite's open will say what matters
    }
  }
}
