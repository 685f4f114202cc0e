import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { applyMigrations, MIGRATIONS, openPostgresRoundStore, openStore, POSTGRES_MIGRATIONS } from '../server/store/index.ts';
import { applyPostgresMigrations, readPostgresSchemaVersion, type PostgresMigration } from '../server/store/postgres/index.ts';
import { assertRejectsCode } from './store-fixtures.ts';
import { dropSchemas, POSTGRES_URL, postgresSchemaUrl, requirePostgres, uniqueSchemaName } from './service-fixtures.ts';

const schemas: string[] = [];
const freshSchema = (): string => {
  const s = uniqueSchemaName('migr');
  schemas.push(s);
  return s;
};

/** A pool on `schema` (created by the store or by this). */
async function poolOn(schema: string): Promise<pg.Pool> {
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  await admin.end();
  return new pg.Pool({ connectionString: POSTGRES_URL, options: `-c search_path=${schema}`, max: 2 });
}

/** Column names per table, without PostgreSQL's insertion-order `seq` (SQLite's rowid). */
async function postgresColumns(schema: string): Promise<Record<string, string[]>> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    const rows = (
      await client.query<{ table_name: string; column_name: string }>(
        `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name <> 'fedfuse_schema_version' ORDER BY table_name, ordinal_position`,
        [schema],
      )
    ).rows;
    const out: Record<string, string[]> = {};
    for (const r of rows) if (r.column_name !== 'seq') (out[r.table_name] ??= []).push(r.column_name);
    return out;
  } finally {
    await client.end();
  }
}

function sqliteColumns(): Record<string, string[]> {
  const db = new Database(':memory:');
  applyMigrations(db, MIGRATIONS);
  const tables = db.prepare<[], { name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all();
  const out: Record<string, string[]> = {};
  for (const { name } of tables) out[name] = db.prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${name}')`).all().map((c) => c.name);
  db.close();
  return out;
}

describe('PostgreSQL migrations', () => {
  before(requirePostgres);
  after(() => dropSchemas(schemas));

  test('one PostgreSQL migration per SQLite migration, same versions and names', () => {
    assert.deepEqual(
      POSTGRES_MIGRATIONS.map((m) => [m.version, m.name]),
      MIGRATIONS.map((m) => [m.version, m.name]),
      'every SQLite migration needs its PostgreSQL twin in server/store/postgres/migrations/',
    );
  });

  test('the migrated schemas have the same tables and columns on both backends', async () => {
    const schema = freshSchema();
    await (await openStore(postgresSchemaUrl(schema))).close();
    const pgColumns = await postgresColumns(schema);
    const liteColumns = sqliteColumns();
    assert.deepEqual(Object.keys(pgColumns).sort(), Object.keys(liteColumns).sort());
    for (const table of Object.keys(liteColumns)) assert.deepEqual(pgColumns[table], liteColumns[table], `columns of ${table}`);
  });

  test('a fresh schema is migrated to the latest version; reopening applies nothing', async () => {
    const schema = freshSchema();
    const pool = await poolOn(schema);
    try {
      assert.equal(await readPostgresSchemaVersion(pool), 0);
      assert.deepEqual(await applyPostgresMigrations(pool, POSTGRES_MIGRATIONS), POSTGRES_MIGRATIONS.map((m) => m.version));
      assert.equal(await readPostgresSchemaVersion(pool), POSTGRES_MIGRATIONS.length);
      assert.deepEqual(await applyPostgresMigrations(pool, POSTGRES_MIGRATIONS), []);
    } finally {
      await pool.end();
    }
  });

  test('nodes starting together on one fresh schema apply each migration once', async () => {
    const schema = freshSchema();
    const url = postgresSchemaUrl(schema);
    const stores = await Promise.all([openStore(url), openStore(url), openStore(url)]);
    await Promise.all(stores.map((s) => s.close()));
    const pool = await poolOn(schema);
    try {
      assert.equal(await readPostgresSchemaVersion(pool), POSTGRES_MIGRATIONS.length);
    } finally {
      await pool.end();
    }
  });

  test('a failing migration rolls back whole and is internal; a newer schema is refused', async () => {
    const schema = freshSchema();
    const pool = await poolOn(schema);
    try {
      const broken: PostgresMigration = { version: POSTGRES_MIGRATIONS.length + 1, name: 'add a table, then fail', up: 'CREATE TABLE half_done (x INTEGER); SELECT no_such_function();' };
      await assertRejectsCode(() => applyPostgresMigrations(pool, [...POSTGRES_MIGRATIONS, broken]), 'internal', /add a table, then fail\), rolled back/);
      assert.equal(await readPostgresSchemaVersion(pool), POSTGRES_MIGRATIONS.length);
      assert.equal((await pool.query(`SELECT to_regclass('half_done') AS t`)).rows[0].t, null);
      await pool.query('UPDATE fedfuse_schema_version SET version = version + 5');
    } finally {
      await pool.end();
    }
    await assertRejectsCode(() => openStore(postgresSchemaUrl(schema)), 'invalid_argument', /newer than/);
  });

  test('bad URLs and schema names are invalid_argument; an unreachable server is unavailable, without the password', async () => {
    await assertRejectsCode(() => openPostgresRoundStore('postgres://x:y@127.0.0.1:5432/test', { schema: 'bad-name; DROP' }), 'invalid_argument', /schema/);
    await assertRejectsCode(() => openStore('postgres://[::1'), 'invalid_argument', /not a valid/);
    const err = await openStore('postgres://fedfuse:hunter2@127.0.0.1:1/test', { postgres: { connectTimeoutMs: 2000 } }).then(
      () => assert.fail('connected to port 1'),
      (e: unknown) => e as Error,
    );
    assert.match(err.message, /unavailable|cannot/i);
    assert.doesNotMatch(err.message, /hunter2/);
    assert.equal((err as { code?: string }).code, 'unavailable');
  });
});
