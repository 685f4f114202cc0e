import type { PostgresMigration } from './postgres-migration.ts';

/** The PostgreSQL twin of ../../migrations/003-token-revocations.ts. */
export const postgresMigration003TokenRevocations: PostgresMigration = {
  version: 3,
  name: 'token revocations',
  up: `
    CREATE TABLE token_revocations (
      seq        BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      client_id  TEXT    NOT NULL CHECK (length(client_id) BETWEEN 1 AND 64),
      token_id   TEXT    CHECK (token_id IS NULL OR length(token_id) BETWEEN 16 AND 64),
      revoked_at BIGINT  NOT NULL CHECK (revoked_at >= 0)
    );
    CREATE INDEX token_revocations_by_client ON token_revocations (client_id);
  `,
};
