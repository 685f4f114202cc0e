import { migration001Initial } from './001-initial.ts';
import { migration002RoundRecords } from './002-round-records.ts';
import { migration003TokenRevocations } from './003-token-revocations.ts';
import type { Migration } from './migration.ts';

export type { Migration } from './migration.ts';
export { applyMigrations, readSchemaVersion, refuseNewerSchema } from './apply-migrations.ts';

/** The schema's whole history, oldest first. Append; never edit or reorder. */
export const MIGRATIONS: readonly Migration[] = [migration001Initial, migration002RoundRecords, migration003TokenRevocations];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.length;
