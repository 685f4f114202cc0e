export { PostgresRoundStore } from './postgres-round-store.ts';
export { openPostgresRoundStore, isPostgresUrl, describePostgresUrl, DEFAULT_POSTGRES_STORE_OPTIONS, type PostgresStoreOptions } from './open-postgres-store.ts';
export { POSTGRES_MIGRATIONS, applyPostgresMigrations, readPostgresSchemaVersion, type PostgresMigration } from './migrations/index.ts';
