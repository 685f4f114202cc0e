import type { PostgresMigration } from './postgres-migration.ts';

/**
 * The PostgreSQL twin of ../../migrations/002-round-records.ts: a round's
 * training model and strategy state beside its served model, and the records
 * a client returned beside its update; all nullable BYTEA, out of line
 * without compression like the other blobs.
 */
export const postgresMigration002RoundRecords: PostgresMigration = {
  version: 2,
  name: 'round records: global_models.training_model and strategy_state, updates.records',
  up: `
    ALTER TABLE global_models ADD COLUMN training_model BYTEA CHECK (training_model IS NULL OR length(training_model) > 0);
    ALTER TABLE global_models ADD COLUMN strategy_state BYTEA CHECK (strategy_state IS NULL OR length(strategy_state) > 0);
    ALTER TABLE global_models ALTER COLUMN training_model SET STORAGE EXTERNAL, ALTER COLUMN strategy_state SET STORAGE EXTERNAL;
    ALTER TABLE updates ADD COLUMN records BYTEA CHECK (records IS NULL OR length(records) > 0);
    ALTER TABLE updates ALTER COLUMN records SET STORAGE EXTERNAL;
  `,
};
