import { postgresMigration001Initial } from './001-initial.ts';
import { postgresMigration002RoundRecords } from './002-round-records.ts';
import { postgresMigration003TokenRevocations } from './003-token-revocations.ts';
import type { PostgresMigration } from './postgres-migration.ts';

export type { PostgresMigration } from './postgres-migration.ts';
export { applyPostgresMigrations, readPostgresSchemaVersion } from './apply-postgres-migrations.ts';

/** The schema's whole history, oldest first; one per SQLite migration (test/store-migrations-postgres.test.ts checks the pairing). */
export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [postgresMigration001Initial, postgresMigration002RoundRecords, postgresMigration003TokenRevocations];
