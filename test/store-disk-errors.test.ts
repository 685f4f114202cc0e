import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { FedfuseError } from '../common/errors/index.ts';
import { openRoundStore } from '../server/store/index.ts';
import { toStoreError } from '../server/store/sqlite-errors.ts';
import { assertSameBytes, assertThrowsCode, makeTempDir, patternBytes, seedOpenRound } from './store-fixtures.ts';

const temp = makeTempDir('store-disk-errors');
after(temp.cleanup);
let fileCount = 0;
const freshPath = (): string => path.join(temp.dir, `db-${++fileCount}.sqlite`);
const RUNNING_AS_ROOT = process.getuid?.() === 0;

/** A closed database file holding a run whose round 1 is open with one update from c1. */
function seededFile(): string {
  const file = freshPath();
  const store = openRoundStore(file);
  const { runId } = seedOpenRound(store);
  store.recordUpdate({ runId, round: 1, clientId: 'c1', numExamples: 5, model: patternBytes(5000, 1) });
  store.close();
  return file;
}

describe('store disk errors surface as FedfuseError("unavailable")', () => {
  test('a read-only database: reads work, every write is unavailable, nothing changes', () => {
    const file = seededFile();
    fs.chmodSync(file, 0o444);
    // As root, chmod 0444 does not stop writes (root bypasses file permissions), so the
    // store is opened with better-sqlite3's { readonly: true } (SQLITE_OPEN_READONLY),
    // which SQLite itself enforces for every user.
    const store = openRoundStore(file, { readonly: true });
    try {
      assert.equal(store.getRun('run-1')?.currentRound, 0);
      assert.equal(store.countUpdates('run-1', 1), 1);
      assertThrowsCode(
        () => store.recordUpdate({ runId: 'run-1', round: 1, clientId: 'c2', numExamples: 5, model: patternBytes(5000, 2) }),
        'unavailable',
        /recordUpdate failed: database is read-only \(SQLITE_READONLY/,
      );
      assertThrowsCode(() => store.createRun({ id: 'run-2', config: {}, modelSpec: {} }), 'unavailable', /read-only/);
      assertThrowsCode(() => store.upsertClient({ id: 'c9', numExamples: 1 }), 'unavailable', /read-only/);
      assertThrowsCode(
        () => store.completeRound('run-1', 1, { globalModel: patternBytes(10), aggregator: 'mean', fusionSeconds: 0, metrics: {} }),
        'unavailable',
        /read-only/,
      );
      assert.equal(store.integrityCheck(), 'ok');
    } finally {
      store.close();
    }
    fs.chmodSync(file, 0o644);
    const check = openRoundStore(file);
    try {
      assert.equal(check.countUpdates('run-1', 1), 1);
      assert.equal(check.getRun('run-2'), undefined);
      assert.equal(check.getRound('run-1', 1)?.state, 'open');
    } finally {
      check.close();
    }
  });

  test(`a chmod 0444 file opened read-write ${RUNNING_AS_ROOT ? 'is still writable by root (why the test above uses readonly)' : 'refuses writes'}`, () => {
    const file = seededFile();
    fs.chmodSync(file, 0o444);
    const store = openRoundStore(file);
    const write = (): unknown => store.recordUpdate({ runId: 'run-1', round: 1, clientId: 'c2', numExamples: 5, model: patternBytes(10) });
    try {
      if (RUNNING_AS_ROOT) {
        write();
        assert.equal(store.countUpdates('run-1', 1), 2);
      } else {
        assertThrowsCode(write, 'unavailable', /read-only/);
      }
    } finally {
      store.close();
    }
  });

  for (const where of ['file', ':memory:'] as const) {
    test(`a full database (${where}, maxSizeBytes): writes are unavailable and roll back; the store stays usable`, () => {
      const store = openRoundStore(where === 'file' ? freshPath() : ':memory:', { maxSizeBytes: 3_500_000 });
      try {
        const { runId } = seedOpenRound(store);
        store.recordUpdate({ runId, round: 1, clientId: 'c1', numExamples: 1, model: patternBytes(1_300_000, 1) });
        assertThrowsCode(
          () => store.recordUpdate({ runId, round: 1, clientId: 'c2', numExamples: 1, model: patternBytes(1_300_000, 2) }),
          'unavailable',
          /recordUpdate failed: disk or database size limit full \(SQLITE_FULL/,
        );
        assert.equal(store.countUpdates(runId, 1), 1);
        assert.equal(store.hasUpdate(runId, 1, 'c2'), false);

        // completeRound under a full disk: nothing of it is stored.
        const roundBefore = store.getRound(runId, 1);
        assertThrowsCode(
          () =>
            store.completeRound(runId, 1, {
              globalModel: patternBytes(1_300_000, 3),
              aggregator: 'mean',
              fusionSeconds: 1,
              metrics: {},
              evaluations: [{ dataset: 'test', accuracy: 0.5, loss: 1, samples: 1 }],
            }),
          'unavailable',
          /completeRound failed: disk or database size limit full/,
        );
        assert.deepEqual(store.getRound(runId, 1), roundBefore);
        assert.equal(store.getRun(runId)?.currentRound, 0);
        assert.equal(store.getGlobalModel(runId, 1), undefined);
        assert.deepEqual(store.listEvaluations(runId), []);

        // Small writes still fit: the round server can fail the round and carry on.
        store.recordUpdate({ runId, round: 1, clientId: 'c3', numExamples: 1, model: patternBytes(1000, 4) });
        store.completeRound(runId, 1, { globalModel: patternBytes(1000, 5), aggregator: 'mean', fusionSeconds: 1, metrics: {} });
        assertSameBytes(store.getGlobalModel(runId, 1)?.model, patternBytes(1000, 5));
        assert.equal(store.integrityCheck(), 'ok');
      } finally {
        store.close();
      }
    });
  }

  test('a database locked by another connection past busyTimeoutMs is unavailable, then works once released', () => {
    const file = seededFile();
    const store = openRoundStore(file, { busyTimeoutMs: 100 });
    const locker = new Database(file);
    try {
      locker.exec('BEGIN IMMEDIATE');
      const started = Date.now();
      const update = { runId: 'run-1', round: 1, clientId: 'c2', numExamples: 1, model: patternBytes(100) };
      assertThrowsCode(() => store.recordUpdate(update), 'unavailable', /locked by another connection.*SQLITE_BUSY/);
      assert.ok(Date.now() - started >= 90, 'the store should have waited for the lock');
      locker.exec('COMMIT');
      store.recordUpdate(update);
      assert.equal(store.countUpdates('run-1', 1), 2);
    } finally {
      locker.close();
      store.close();
    }
  });

  test('a path that cannot be opened is unavailable; a file that is not a database is internal', () => {
    assertThrowsCode(() => openRoundStore(path.join(temp.dir, 'no-such-dir', 'x.db')), 'unavailable', /open of .*cannot open database file/);
    const garbage = freshPath();
    fs.writeFileSync(garbage, Buffer.from(patternBytes(8192, 9)));
    assertThrowsCode(() => openRoundStore(garbage), 'internal', /not a database/);
  });

  test('toStoreError maps SQLite result codes by their primary code', () => {
    const sqlite = (code: string): Error => new Database.SqliteError(`simulated ${code}`, code);
    const cases: [string, string, RegExp][] = [
      ['SQLITE_IOERR_FSYNC', 'unavailable', /disk I\/O error \(SQLITE_IOERR_FSYNC: simulated/],
      ['SQLITE_IOERR', 'unavailable', /disk I\/O error/],
      ['SQLITE_FULL', 'unavailable', /full/],
      ['SQLITE_READONLY_DBMOVED', 'unavailable', /read-only/],
      ['SQLITE_BUSY_SNAPSHOT', 'unavailable', /locked/],
      ['SQLITE_CORRUPT', 'internal', /SQLITE_CORRUPT/],
      ['SQLITE_CONSTRAINT_CHECK', 'internal', /SQLITE_CONSTRAINT_CHECK/],
    ];
    for (const [code, expected, message] of cases) {
      const mapped = toStoreError(sqlite(code), 'recordUpdate');
      assert.equal(mapped.code, expected, code);
      assert.match(mapped.message, /^store recordUpdate failed: /);
      assert.match(mapped.message, message);
    }
    const typed = new FedfuseError('duplicate', 'x');
    assert.equal(toStoreError(typed, 'op'), typed);
    assert.equal(toStoreError(new TypeError('boom'), 'op').code, 'internal');
  });
});
