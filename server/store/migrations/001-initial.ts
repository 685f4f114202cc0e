import type { Migration } from './migration.ts';

/**
 * The first schema. Conventions for every table:
 * - STRICT, so a value of the wrong type is an error instead of being coerced.
 * - Times are unix milliseconds (INTEGER); JSON columns are TEXT checked by json_valid.
 * - Model and attribution blobs are the encoded protobuf, opaque to the store.
 *   They are the last columns of their rows, so a listing that does not select
 *   them never reads their overflow pages.
 * - Each state column has the CHECKs that keep the other columns consistent
 *   with it, so a half-written row cannot exist even through a bug.
 */
export const migration001Initial: Migration = {
  version: 1,
  name: 'initial schema: runs, clients, rounds, round failures, updates, global models, evaluations',
  up: `
    CREATE TABLE runs (
      id             TEXT    NOT NULL PRIMARY KEY CHECK (length(id) > 0),
      created_at     INTEGER NOT NULL,
      config         TEXT    NOT NULL CHECK (json_valid(config)),
      model_spec     TEXT    NOT NULL CHECK (json_valid(model_spec)),
      state          TEXT    NOT NULL CHECK (state IN ('running', 'finished', 'failed')),
      -- The last round whose global model is stored; 0 = only the initial model.
      current_round  INTEGER NOT NULL DEFAULT 0 CHECK (current_round >= 0),
      ended_at       INTEGER,
      failure_reason TEXT,
      CHECK ((state = 'running') = (ended_at IS NULL)),
      CHECK ((state = 'failed') = (failure_reason IS NOT NULL))
    ) STRICT;
    CREATE INDEX runs_by_state ON runs (state, created_at);
    CREATE INDEX runs_by_created_at ON runs (created_at);

    CREATE TABLE clients (
      id                TEXT    NOT NULL PRIMARY KEY CHECK (length(id) > 0),
      first_seen        INTEGER NOT NULL,
      last_seen         INTEGER NOT NULL CHECK (last_seen >= first_seen),
      num_examples      INTEGER NOT NULL CHECK (num_examples >= 0),
      -- JSON array of per-class counts, or NULL when the client did not say.
      label_histogram   TEXT    CHECK (label_histogram IS NULL OR json_type(label_histogram) = 'array'),
      -- A hash of the client's token, never the token itself.
      token_fingerprint TEXT
    ) STRICT;

    CREATE TABLE rounds (
      run_id          TEXT    NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
      round           INTEGER NOT NULL CHECK (round >= 1),
      attempt         INTEGER NOT NULL CHECK (attempt >= 1),
      state           TEXT    NOT NULL CHECK (state IN ('open', 'aggregating', 'done', 'failed')),
      sampled_clients TEXT    NOT NULL CHECK (json_type(sampled_clients) = 'array'),
      deadline        INTEGER NOT NULL,
      opened_at       INTEGER NOT NULL,
      closed_at       INTEGER,
      failure_reason  TEXT,
      aggregator      TEXT,
      fusion_seconds  REAL    CHECK (fusion_seconds IS NULL OR fusion_seconds >= 0),
      metrics         TEXT    CHECK (metrics IS NULL OR json_valid(metrics)),
      PRIMARY KEY (run_id, round),
      CHECK ((state IN ('done', 'failed')) = (closed_at IS NOT NULL)),
      CHECK ((state = 'failed') = (failure_reason IS NOT NULL)),
      CHECK (state <> 'done' OR (aggregator IS NOT NULL AND fusion_seconds IS NOT NULL))
    ) STRICT;

    -- Every failed attempt, kept after the round is reopened for another attempt.
    CREATE TABLE round_failures (
      run_id    TEXT    NOT NULL,
      round     INTEGER NOT NULL,
      attempt   INTEGER NOT NULL,
      failed_at INTEGER NOT NULL,
      reason    TEXT    NOT NULL,
      PRIMARY KEY (run_id, round, attempt),
      FOREIGN KEY (run_id, round) REFERENCES rounds (run_id, round) ON DELETE CASCADE
    ) STRICT;

    CREATE TABLE updates (
      run_id         TEXT    NOT NULL,
      round          INTEGER NOT NULL,
      client_id      TEXT    NOT NULL REFERENCES clients (id),
      received_at    INTEGER NOT NULL,
      num_examples   INTEGER NOT NULL CHECK (num_examples >= 0),
      client_metrics TEXT    CHECK (client_metrics IS NULL OR json_valid(client_metrics)),
      byte_size      INTEGER NOT NULL,
      model          BLOB    NOT NULL CHECK (length(model) > 0),
      attribution    BLOB    CHECK (attribution IS NULL OR length(attribution) > 0),
      PRIMARY KEY (run_id, round, client_id),
      FOREIGN KEY (run_id, round) REFERENCES rounds (run_id, round) ON DELETE CASCADE,
      CHECK (byte_size = length(model) + coalesce(length(attribution), 0))
    ) STRICT;
    CREATE INDEX updates_by_client ON updates (client_id);
    -- Listing a round in arrival order straight from this index: without it SQLite sorts
    -- whole rows, blobs included, in a temporary b-tree (measured 5-10x slower).
    CREATE INDEX updates_by_arrival ON updates (run_id, round, received_at);

    -- Round r's row is the output of round r; round 0 is the initial model.
    CREATE TABLE global_models (
      run_id     TEXT    NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
      round      INTEGER NOT NULL CHECK (round >= 0),
      created_at INTEGER NOT NULL,
      byte_size  INTEGER NOT NULL,
      model      BLOB    NOT NULL CHECK (length(model) > 0),
      PRIMARY KEY (run_id, round),
      CHECK (byte_size = length(model))
    ) STRICT;

    CREATE TABLE evaluations (
      run_id     TEXT    NOT NULL,
      round      INTEGER NOT NULL,
      dataset    TEXT    NOT NULL CHECK (length(dataset) > 0),
      accuracy   REAL    NOT NULL CHECK (accuracy BETWEEN 0 AND 1),
      loss       REAL    NOT NULL,
      samples    INTEGER NOT NULL CHECK (samples >= 0),
      extra      TEXT    CHECK (extra IS NULL OR json_valid(extra)),
      created_at INTEGER NOT NULL,
      PRIMARY KEY (run_id, round, dataset),
      FOREIGN KEY (run_id, round) REFERENCES global_models (run_id, round) ON DELETE CASCADE
    ) STRICT;
  `,
};
