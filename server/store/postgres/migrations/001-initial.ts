import type { PostgresMigration } from './postgres-migration.ts';

/**
 * The first schema, the PostgreSQL twin of ../../migrations/001-initial.ts:
 * the same tables, columns, keys and CHECKs, so that both backends refuse
 * the same rows. Where the engines differ:
 * - times are BIGINT (unix ms overflow INTEGER), JSON columns `json` (kept
 *   verbatim, validated on input: SQLite's json_valid), blobs BYTEA;
 * - `seq` (an identity column) stands in for SQLite's rowid where listings
 *   break ties by insertion order;
 * - blobs are stored out of line without compression (STORAGE EXTERNAL):
 *   float32 weights do not compress, and pglz on 1 MB per update is CPU spent
 *   for nothing.
 */
export const postgresMigration001Initial: PostgresMigration = {
  version: 1,
  name: 'initial schema: runs, clients, rounds, round failures, updates, global models, evaluations',
  up: `
    CREATE TABLE runs (
      id             TEXT    NOT NULL PRIMARY KEY CHECK (length(id) > 0),
      seq            BIGINT  GENERATED ALWAYS AS IDENTITY,
      created_at     BIGINT  NOT NULL,
      config         JSON    NOT NULL,
      model_spec     JSON    NOT NULL,
      state          TEXT    NOT NULL CHECK (state IN ('running', 'finished', 'failed')),
      current_round  INTEGER NOT NULL DEFAULT 0 CHECK (current_round >= 0),
      ended_at       BIGINT,
      failure_reason TEXT,
      CHECK ((state = 'running') = (ended_at IS NULL)),
      CHECK ((state = 'failed') = (failure_reason IS NOT NULL))
    );
    CREATE INDEX runs_by_state ON runs (state, created_at);
    CREATE INDEX runs_by_created_at ON runs (created_at);

    CREATE TABLE clients (
      id                TEXT    NOT NULL PRIMARY KEY CHECK (length(id) > 0),
      first_seen        BIGINT  NOT NULL,
      last_seen         BIGINT  NOT NULL CHECK (last_seen >= first_seen),
      num_examples      INTEGER NOT NULL CHECK (num_examples >= 0),
      label_histogram   JSON    CHECK (label_histogram IS NULL OR json_typeof(label_histogram) = 'array'),
      token_fingerprint TEXT
    );

    CREATE TABLE rounds (
      run_id          TEXT    NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
      round           INTEGER NOT NULL CHECK (round >= 1),
      attempt         INTEGER NOT NULL CHECK (attempt >= 1),
      state           TEXT    NOT NULL CHECK (state IN ('open', 'aggregating', 'done', 'failed')),
      sampled_clients JSON    NOT NULL CHECK (json_typeof(sampled_clients) = 'array'),
      deadline        BIGINT  NOT NULL,
      opened_at       BIGINT  NOT NULL,
      closed_at       BIGINT,
      failure_reason  TEXT,
      aggregator      TEXT,
      fusion_seconds  DOUBLE PRECISION CHECK (fusion_seconds IS NULL OR fusion_seconds >= 0),
      metrics         JSON,
      PRIMARY KEY (run_id, round),
      CHECK ((state IN ('done', 'failed')) = (closed_at IS NOT NULL)),
      CHECK ((state = 'failed') = (failure_reason IS NOT NULL)),
      CHECK (state <> 'done' OR (aggregator IS NOT NULL AND fusion_seconds IS NOT NULL))
    );

    CREATE TABLE round_failures (
      run_id    TEXT    NOT NULL,
      round     INTEGER NOT NULL,
      attempt   INTEGER NOT NULL,
      failed_at BIGINT  NOT NULL,
      reason    TEXT    NOT NULL,
      PRIMARY KEY (run_id, round, attempt),
      FOREIGN KEY (run_id, round) REFERENCES rounds (run_id, round) ON DELETE CASCADE
    );

    CREATE TABLE updates (
      run_id         TEXT    NOT NULL,
      round          INTEGER NOT NULL,
      client_id      TEXT    NOT NULL REFERENCES clients (id),
      seq            BIGINT  GENERATED ALWAYS AS IDENTITY,
      received_at    BIGINT  NOT NULL,
      num_examples   INTEGER NOT NULL CHECK (num_examples >= 0),
      client_metrics JSON,
      byte_size      INTEGER NOT NULL,
      model          BYTEA   NOT NULL CHECK (length(model) > 0),
      attribution    BYTEA   CHECK (attribution IS NULL OR length(attribution) > 0),
      PRIMARY KEY (run_id, round, client_id),
      FOREIGN KEY (run_id, round) REFERENCES rounds (run_id, round) ON DELETE CASCADE,
      CHECK (byte_size = length(model) + coalesce(length(attribution), 0))
    );
    ALTER TABLE updates ALTER COLUMN model SET STORAGE EXTERNAL, ALTER COLUMN attribution SET STORAGE EXTERNAL;
    CREATE INDEX updates_by_client ON updates (client_id);
    CREATE INDEX updates_by_arrival ON updates (run_id, round, received_at, seq);

    CREATE TABLE global_models (
      run_id     TEXT    NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
      round      INTEGER NOT NULL CHECK (round >= 0),
      created_at BIGINT  NOT NULL,
      byte_size  INTEGER NOT NULL,
      model      BYTEA   NOT NULL CHECK (length(model) > 0),
      PRIMARY KEY (run_id, round),
      CHECK (byte_size = length(model))
    );
    ALTER TABLE global_models ALTER COLUMN model SET STORAGE EXTERNAL;

    CREATE TABLE evaluations (
      run_id     TEXT    NOT NULL,
      round      INTEGER NOT NULL,
      dataset    TEXT    NOT NULL CHECK (length(dataset) > 0),
      accuracy   DOUBLE PRECISION NOT NULL CHECK (accuracy BETWEEN 0 AND 1),
      loss       DOUBLE PRECISION NOT NULL,
      samples    INTEGER NOT NULL CHECK (samples >= 0),
      extra      JSON,
      created_at BIGINT  NOT NULL,
      PRIMARY KEY (run_id, round, dataset),
      FOREIGN KEY (run_id, round) REFERENCES global_models (run_id, round) ON DELETE CASCADE
    );
  `,
};
