import { migration001Initial } from './001-initial.ts';
import { migration002RoundRecords } from './002-round-records.ts';
import type { Migration } from './migration.ts';

export type { Migration } from './migration.ts';
export { applyMigrations, readSchemaVersion, refuseNewerSchema } from './apply-migrations.ts';

/** The schema's whole history, oldest first. Append; never edit or reorder. */
export const MIGRATIONS: readonly Migration[] = [migration001Initial, migration002RoundRecords];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.length;
