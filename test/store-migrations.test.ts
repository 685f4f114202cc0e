import assert from 'node:assert/strict';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import {
  LATEST_SCHEMA_VERSION,
  MIGRATIONS,
  applyMigrations,
  openRoundStore,
  readSchemaVersion,
  type Migration,
} from '../server/store/index.ts';
import { assertThrowsCode, makeTempDir } from './store-fixtures.ts';

const temp = makeTempDir('store-migrations');
after(temp.cleanup);
let fileCount = 0;
const freshPath = (): string => path.join(temp.dir, `db-${++fileCount}.sqlite`);

interface TableListRow {
  name: string;
  type: string;
  strict: number;
}

function userTables(db: Database.Database): TableListRow[] {
  return (db.prepare(`PRAGMA table_list`).all() as TableListRow[])
    .filter((t) => t.type === 'table' && !t.name.startsWith('sqlite_'))
    .sort((a, b) => a.name.localeCompare(b.name));
}

function columns(db: Database.Database, table: string): string[] {
  return (db.prepare(`SELECT name FROM pragma_table_info(?) ORDER BY cid`).all(table) as { name: string }[]).map((c) => c.name);
}

/** What each migration must leave behind, checked on an empty file brought up to exactly that version. */
const EXPECTED_AFTER: Record<number, (db: Database.Database) => void> = {
  1: (db) => {
    const tables = userTables(db);
    assert.deepEqual(
      tables.map((t) => t.name),
      ['clients', 'evaluations', 'global_models', 'round_failures', 'rounds', 'runs', 'updates'],
    );
    for (const t of tables) assert.equal(t.strict, 1, `table ${t.name} must be STRICT`);
    assert.deepEqual(columns(db, 'runs'), ['id', 'created_at', 'config', 'model_spec', 'state', 'current_round', 'ended_at', 'failure_reason']);
    // Blobs last, so the light listing of updates never touches their overflow pages.
    assert.deepEqual(columns(db, 'updates').slice(-2), ['model', 'attribution']);
    assert.deepEqual(columns(db, 'global_models').slice(-1), ['model']);
    const fks = db.prepare(`SELECT "table" FROM pragma_foreign_key_list('updates')`).all() as { table: string }[];
    assert.deepEqual(fks.map((f) => f.table).sort(), ['clients', 'rounds', 'rounds']);
    // STRICT really refuses a value of the wrong type.
    assert.throws(
      () => db.prepare(`INSERT INTO runs (id, created_at, config, model_spec, state) VALUES ('r', 'yesterday', '{}', '{}', 'running')`).run(),
      /cannot store TEXT value in INTEGER column/,
    );
  },
  2: (db) => {
    // The round records come after the blobs that were there, so listings that skip blobs still skip them.
    assert.deepEqual(columns(db, 'updates').slice(-3), ['model', 'attribution', 'records']);
    assert.deepEqual(columns(db, 'global_models').slice(-3), ['model', 'training_model', 'strategy_state']);
    for (const t of userTables(db)) assert.equal(t.strict, 1, `table ${t.name} must stay STRICT`);
    // An empty blob is refused (NULL means "none").
    db.exec(`INSERT INTO runs (id, created_at, config, model_spec, state) VALUES ('r', 1, '{}', '{}', 'running')`);
    assert.throws(() => db.prepare(`INSERT INTO global_models (run_id, round, created_at, byte_size, model, strategy_state) VALUES ('r', 0, 1, 1, x'01', x'')`).run(), /CHECK constraint failed/);
    assert.throws(() => db.prepare(`INSERT INTO global_models (run_id, round, created_at, byte_size, model, training_model) VALUES ('r', 0, 1, 1, x'01', x'')`).run(), /CHECK constraint failed/);
  },
};

EXPECTED_AFTER[3] = (db) => {
  assert.deepEqual(columns(db, 'token_revocations'), ['client_id', 'token_id', 'revoked_at']);
  for (const t of userTables(db)) assert.equal(t.strict, 1, `table ${t.name} must stay STRICT`);
  db.exec(`INSERT INTO token_revocations (client_id, token_id, revoked_at) VALUES ('c', NULL, 1)`);
  assert.throws(() => db.exec(`INSERT INTO token_revocations (client_id, token_id, revoked_at) VALUES ('c', 'short', 1)`), /CHECK constraint failed/);
  assert.throws(() => db.exec(`INSERT INTO token_revocations (client_id, token_id, revoked_at) VALUES ('', NULL, 1)`), /CHECK constraint failed/);
};

describe('store migrations', () => {
  test('every migration has a test of what it leaves behind', () => {
    assert.deepEqual(
      Object.keys(EXPECTED_AFTER).map(Number),
      MIGRATIONS.map((m) => m.version),
    );
  });

  for (const migration of MIGRATIONS) {
    test(`migration ${String(migration.version).padStart(3, '0')} (${migration.name}) on an empty file`, () => {
      const db = new Database(freshPath());
      try {
        assert.equal(readSchemaVersion(db), 0);
        const applied = applyMigrations(db, MIGRATIONS.slice(0, migration.version));
        assert.deepEqual(applied, MIGRATIONS.slice(0, migration.version).map((m) => m.version));
        assert.equal(readSchemaVersion(db), migration.version);
        EXPECTED_AFTER[migration.version]?.(db);
        assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
      } finally {
        db.close();
      }
    });
  }

  test('openRoundStore brings an empty file to the latest version in WAL mode with 64 KiB pages, and reopening applies nothing', () => {
    const file = freshPath();
    openRoundStore(file).close();
    const db = new Database(file);
    try {
      assert.equal(readSchemaVersion(db), LATEST_SCHEMA_VERSION);
      assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
      assert.equal(db.pragma('page_size', { simple: true }), 65536);
      assert.deepEqual(applyMigrations(db, MIGRATIONS), []);
    } finally {
      db.close();
    }
  });

  test('a database from a newer fedfuse is refused and left untouched', () => {
    const file = freshPath();
    openRoundStore(file).close();
    const raw = new Database(file);
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    raw.close();

    assertThrowsCode(() => openRoundStore(file), 'invalid_argument', new RegExp(`schema version ${LATEST_SCHEMA_VERSION + 1}, newer than`));
    assertThrowsCode(() => openRoundStore(file, { readonly: true }), 'invalid_argument', /newer than/);

    const check = new Database(file, { readonly: true });
    assert.equal(readSchemaVersion(check), LATEST_SCHEMA_VERSION + 1);
    check.close();
  });

  test('a failing migration is rolled back whole: no half-made table, version unchanged', () => {
    const db = new Database(':memory:');
    const broken: Migration = {
      version: 2,
      name: 'adds a table, then fails',
      up: (d) => {
        d.exec('CREATE TABLE half_made (x INTEGER) STRICT');
        d.exec('INSERT INTO no_such_table VALUES (1)');
      },
    };
    try {
      assertThrowsCode(() => applyMigrations(db, [...MIGRATIONS.slice(0, 1), broken]), 'internal', /migration 2 \(adds a table, then fails\), rolled back/);
      assert.equal(readSchemaVersion(db), 1);
      assert.equal(userTables(db).some((t) => t.name === 'half_made'), false);
      assert.equal(userTables(db).some((t) => t.name === 'runs'), true, 'migration 1 stays applied');
    } finally {
      db.close();
    }
  });

  test('migration 002 applies on top of data written at version 1: every row kept, the new columns NULL', () => {
    const file = freshPath();
    const db = new Database(file);
    try {
      applyMigrations(db, MIGRATIONS.slice(0, 1));
      db.exec(`
        INSERT INTO runs (id, created_at, config, model_spec, state, current_round) VALUES ('r1', 1, '{"a":1}', '{}', 'running', 1);
        INSERT INTO clients (id, first_seen, last_seen, num_examples) VALUES ('c1', 1, 1, 5);
        INSERT INTO global_models (run_id, round, created_at, byte_size, model) VALUES ('r1', 0, 1, 2, x'0102'), ('r1', 1, 2, 1, x'03');
        INSERT INTO rounds (run_id, round, attempt, state, sampled_clients, deadline, opened_at) VALUES ('r1', 2, 1, 'open', '["c1"]', 9, 3);
        INSERT INTO updates (run_id, round, client_id, received_at, num_examples, byte_size, model) VALUES ('r1', 2, 'c1', 4, 5, 1, x'04');
      `);
      assert.deepEqual(applyMigrations(db, MIGRATIONS), MIGRATIONS.slice(1).map((m) => m.version));
      assert.deepEqual(db.prepare(`SELECT round, model, training_model, strategy_state FROM global_models ORDER BY round`).all(), [
        { round: 0, model: Buffer.from([1, 2]), training_model: null, strategy_state: null },
        { round: 1, model: Buffer.from([3]), training_model: null, strategy_state: null },
      ]);
      assert.deepEqual(db.prepare(`SELECT client_id, model, records FROM updates`).all(), [{ client_id: 'c1', model: Buffer.from([4]), records: null }]);
      assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
    } finally {
      db.close();
    }
    // And the store reads the old rows as "served = training, no state, no records".
    const store = openRoundStore(file);
    try {
      const latest = store.latestGlobalModel('r1')!;
      assert.equal(latest.round, 1);
      assert.equal(latest.trainingModel, null);
      assert.equal(latest.strategyState, null);
      assert.equal(store.getUpdate('r1', 2, 'c1')!.records, null);
    } finally {
      store.close();
    }
  });

  test('a history with gaps or out of order is refused before anything runs', () => {
    const db = new Database(':memory:');
    try {
      const skip: Migration = { version: 3, name: 'skips 2', up: 'CREATE TABLE t (x INTEGER) STRICT' };
      assertThrowsCode(() => applyMigrations(db, [...MIGRATIONS.slice(0, 1), skip]), 'internal', /expected 2/);
      assert.equal(readSchemaVersion(db), 0);
    } finally {
      db.close();
    }
  });

  test('a read-only open of a database that still needs migrating is unavailable', () => {
    const file = freshPath();
    new Database(file).close(); // an empty database at version 0
    assertThrowsCode(() => openRoundStore(file, { readonly: true }), 'unavailable', /opened read-only so it cannot be migrated/);
  });
});
