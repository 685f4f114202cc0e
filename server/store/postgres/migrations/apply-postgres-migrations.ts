import type { Pool, PoolClient } from 'pg';
import { FedfuseError } from '../../../../common/errors/index.ts';
import { toPostgresStoreError } from '../postgres-errors.ts';
import type { PostgresMigration } from './postgres-migration.ts';

/** PostgreSQL has no PRAGMA user_version: one row in this table plays its part. */
const VERSION_TABLE = 'fedfuse_schema_version';

export async function readPostgresSchemaVersion(client: Pool | PoolClient): Promise<number> {
  const exists = await client.query<{ t: string | null }>(`SELECT to_regclass($1)::text AS t`, [VERSION_TABLE]);
  if (exists.rows[0]?.t == null) return 0;
  const row = await client.query<{ version: number }>(`SELECT version FROM ${VERSION_TABLE}`);
  return row.rows[0]?.version ?? 0;
}

function checkHistory(migrations: readonly PostgresMigration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new FedfuseError('internal', `migration "${m.name}" has version ${m.version}, expected ${i + 1}: versions must be 1, 2, 3... in order`);
    }
  });
}

/**
 * Brings the schema in use (the connection's search_path) to the last of
 * `migrations`, one transaction per migration (PostgreSQL's DDL is
 * transactional: a failing step leaves the previous version). Each step holds
 * a transaction-level advisory lock keyed by the schema and re-reads the
 * version under it, so server nodes starting together apply every step once.
 * Refuses a schema written by a newer fedfuse. Returns the versions applied.
 */
export async function applyPostgresMigrations(pool: Pool, migrations: readonly PostgresMigration[]): Promise<number[]> {
  checkHistory(migrations);
  const applied: number[] = [];
  for (;;) {
    const client = await pool.connect();
    let next: PostgresMigration | undefined;
    try {
      await client.query('BEGIN');
      await client.query(`SELECT pg_advisory_xact_lock(hashtext(current_schema() || ':fedfuse-migrations'))`);
      await client.query(`CREATE TABLE IF NOT EXISTS ${VERSION_TABLE} (
        version   INTEGER NOT NULL CHECK (version >= 0),
        singleton BOOLEAN NOT NULL PRIMARY KEY DEFAULT true CHECK (singleton)
      )`);
      const found = await readPostgresSchemaVersion(client);
      if (found > migrations.length) {
        throw new FedfuseError(
          'invalid_argument',
          `schema "${await currentSchema(client)}" has schema version ${found}, newer than the ${migrations.length} this fedfuse understands; ` +
            'upgrade fedfuse or point it at another database or schema',
        );
      }
      next = migrations[found];
      if (next !== undefined) {
        if (typeof next.up === 'string') await client.query(next.up);
        else await next.up(client);
        await client.query(
          `INSERT INTO ${VERSION_TABLE} (version) VALUES ($1) ON CONFLICT (singleton) DO UPDATE SET version = EXCLUDED.version`,
          [next.version],
        );
        applied.push(next.version);
      }
      await client.query('COMMIT');
    } catch (e) {
      await client.query('ROLLBACK').catch(() => {});
      const what = next === undefined ? 'migrations' : `migration ${next.version} (${next.name}), rolled back,`;
      throw toPostgresStoreError(e, what);
    } finally {
      client.release();
    }
    if (next === undefined) return applied;
  }
}

async function currentSchema(client: PoolClient): Promise<string> {
  const r = await client.query<{ s: string }>('SELECT current_schema() AS s');
  return r.rows[0]?.s ?? '?';
}
