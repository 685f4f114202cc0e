/**
 * Persistence of the round server: runs, clients, rounds, client updates,
 * global models and evaluations in SQLite. Models and attribution summaries
 * are opaque blobs (encoded protobuf); the store knows nothing of tensors.
 */
export type { RoundStore, NewRun, ClientSighting, NewRound, NewUpdate, NewEvaluation, RoundEvaluation, RoundOutcome } from './round-store.ts';
export * from './records.ts';
export type { JsonValue } from './json-column.ts';
export { openRoundStore, DEFAULT_ROUND_STORE_OPTIONS, type RoundStoreOptions } from './open-round-store.ts';
export { SqliteRoundStore } from './sqlite-round-store.ts';
export { MIGRATIONS, LATEST_SCHEMA_VERSION, applyMigrations, readSchemaVersion, type Migration } from './migrations/index.ts';
export type { AsyncRoundStore, StoreBackend } from './async-round-store.ts';
export { SqliteAsyncRoundStore } from './sqlite-async-round-store.ts';
export { GroupCommitQueue, DEFAULT_GROUP_COMMIT_OPTIONS, type GroupCommitOptions, type GroupCommitStats, type ItemOutcome } from './group-commit.ts';
export { openStore, type StoreOptions } from './open-store.ts';
export { PostgresRoundStore, openPostgresRoundStore, isPostgresUrl, describePostgresUrl, POSTGRES_MIGRATIONS, type PostgresStoreOptions } from './postgres/index.ts';
