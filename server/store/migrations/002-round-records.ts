import type { Migration } from './migration.ts';

/**
 * Round records (issue 11): a round carries named records, not one model.
 * - global_models.training_model: the model the next round's clients start
 *   from when it is not the served one (`model`); NULL = the same as `model`.
 * - global_models.strategy_state: the strategy's named tensors kept across
 *   rounds (an encoded RecordDict, e.g. SCAFFOLD's server control variate),
 *   stored with the round's models in the same transaction; NULL = none.
 * - updates.records: the records a client returned with its update (an
 *   encoded RecordDict, e.g. its new SCAFFOLD control variate); NULL = none.
 * All nullable, so every existing row means what it meant. The new blobs come
 * after the existing ones in their rows, so listings that do not select them
 * still never read their overflow pages; byte_size keeps counting only
 * model + attribution (its CHECK predates the records and cannot change
 * without rebuilding the tables).
 */
export const migration002RoundRecords: Migration = {
  version: 2,
  name: 'round records: global_models.training_model and strategy_state, updates.records',
  up: `
    ALTER TABLE global_models ADD COLUMN training_model BLOB CHECK (training_model IS NULL OR length(training_model) > 0);
    ALTER TABLE global_models ADD COLUMN strategy_state BLOB CHECK (strategy_state IS NULL OR length(strategy_state) > 0);
    ALTER TABLE updates ADD COLUMN records BLOB CHECK (records IS NULL OR length(records) > 0);
  `,
};
