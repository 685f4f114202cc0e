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
