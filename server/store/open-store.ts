import type { AsyncRoundStore } from './async-round-store.ts';
import type { GroupCommitOptions } from './group-commit.ts';
import { openRoundStore, type RoundStoreOptions } from './open-round-store.ts';
import { isPostgresUrl, openPostgresRoundStore, type PostgresStoreOptions } from './postgres/index.ts';
import { SqliteAsyncRoundStore } from './sqlite-async-round-store.ts';

export interface StoreOptions {
  readonly sqlite?: Partial<RoundStoreOptions>;
  /** SQLite only: PostgreSQL groups concurrent commits itself. */
  readonly groupCommit?: Partial<GroupCommitOptions>;
  readonly postgres?: Partial<PostgresStoreOptions>;
}

/**
 * The store `--db` names: a postgres:// (or postgresql://) URL is PostgreSQL,
 * anything else a SQLite file (':memory:' a private in-memory database).
 * SQLite needs no service and stays the default for one machine.
 */
export async function openStore(location: string, options: StoreOptions = {}): Promise<AsyncRoundStore> {
  if (isPostgresUrl(location)) return openPostgresRoundStore(location, options.postgres);
  return new SqliteAsyncRoundStore(openRoundStore(location, options.sqlite), options.groupCommit);
}
