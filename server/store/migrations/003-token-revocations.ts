import type { Migration } from './migration.ts';

/**
 * Token revocations (issue 16): one row revokes one client token (token_id)
 * or, with token_id NULL, every token of the client issued at or before
 * revoked_at. Not tied to a run: tokens outlive runs. Read whole at start-up
 * (a handful of rows), in rowid order (PostgreSQL: seq), so only the client id is indexed.
 */
export const migration003TokenRevocations: Migration = {
  version: 3,
  name: 'token revocations',
  up: `
    CREATE TABLE token_revocations (
      client_id  TEXT    NOT NULL CHECK (length(client_id) BETWEEN 1 AND 64),
      token_id   TEXT    CHECK (token_id IS NULL OR length(token_id) BETWEEN 16 AND 64),
      revoked_at INTEGER NOT NULL CHECK (revoked_at >= 0)
    ) STRICT;
    CREATE INDEX token_revocations_by_client ON token_revocations (client_id);
  `,
};
