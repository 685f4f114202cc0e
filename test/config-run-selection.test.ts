import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { explicitServerConfig, RUN_DEFINING_OPTIONS, selectRun } from '../server/config/index.ts';
import { openRoundStore, SqliteAsyncRoundStore, type SqliteRoundStore } from '../server/store/index.ts';
import { makeTempDir } from './store-fixtures.ts';

/**
 * Which run `fedfuse server` serves (server/config/run-selection.ts), on a real
 * SQLite file: a finished run is shown, not silently replaced by a new one; a
 * restart that contradicts a stored run's settings is refused naming each
 * difference; settings left out come from the stored run.
 */

const SECRET = 'run-selection-secret-0123';

function configOf(flags: Record<string, string>) {
  return explicitServerConfig({ flags: { secret: SECRET, ...flags }, env: {} });
}

/** `body` gets the SQLite connection (to record runs) and the async store selectRun reads, over the same file. */
async function withStore(body: (store: SqliteRoundStore, runs: SqliteAsyncRoundStore) => Promise<void>): Promise<void> {
  const { dir, cleanup } = makeTempDir('fedfuse-run-selection-');
  const store = openRoundStore(join(dir, 'f.sqlite'));
  const runs = new SqliteAsyncRoundStore(store);
  try {
    await body(store, runs);
  } finally {
    await runs.close();
    cleanup();
  }
}

/** A run recorded as `fedfuse server` records one: its resolved config without the secrets. */
function storedRun(store: SqliteRoundStore, id: string, flags: Record<string, string>, state: 'running' | 'finished' = 'running'): void {
  const { config } = configOf(flags);
  store.createRun({ id, config: JSON.parse(JSON.stringify({ ...config, secret: undefined, adminToken: undefined })), modelSpec: {}, createdAt: Date.now() });
  if (state !== 'running') store.setRunState(id, state);
}

test('an empty database starts a new run', () => {
  return withStore(async (store, runs) => {
    const s = await selectRun(runs, configOf({}));
    assert.equal(s.kind, 'new');
    assert.match(s.runId, /^[0-9a-f-]{36}$/);
  });
});

test('a finished run is shown with its own settings, not replaced by a new run', () => {
  return withStore(async (store, runs) => {
    storedRun(store, 'done-run', { rounds: '5', lr: '0.01' }, 'finished');
    const s = await selectRun(runs, configOf({ port: '9999' })); // a per-process option may change
    assert.deepEqual([s.kind, s.runId], ['ended', 'done-run']);
    assert.equal(s.config.rounds, 5, 'the stored rounds, not the default 10');
    assert.equal(s.config.lr, 0.01);
    assert.equal(s.config.port, 9999);
  });
});

test('a running run is resumed before the newest ended one', () => {
  return withStore(async (store, runs) => {
    storedRun(store, 'old-running', { rounds: '3' });
    storedRun(store, 'newer-finished', {}, 'finished');
    const s = await selectRun(runs, configOf({}));
    assert.deepEqual([s.kind, s.runId, s.config.rounds], ['resume', 'old-running', 3]);
  });
});

test('flags that contradict the stored run are one error naming each difference', () => {
  return withStore(async (store, runs) => {
    storedRun(store, 'r1', { rounds: '5', aggregator: 'fedavg' });
    await assert.rejects(
      () => selectRun(runs, configOf({ rounds: '10', aggregator: 'fedavg', testSize: '0' })),
      (e: Error) => {
        assert.equal(
          e.message,
          'run r1 (running, round 0) was started with other settings: --test-size is 0, the run has 1000; --rounds is 10, the run has 5. ' +
            'Leave these out (the run keeps its own) or start another run with --new-run on',
        );
        return true;
      },
    );
    // The same values again are no contradiction.
    assert.equal((await selectRun(runs, configOf({ rounds: '5', aggregator: 'fedavg' }))).runId, 'r1');
  });
});

test('--new-run on starts another run; --run-id picks one; both at once is an error', () => {
  return withStore(async (store, runs) => {
    storedRun(store, 'r1', { rounds: '5' }, 'finished');
    storedRun(store, 'r2', { rounds: '4' });
    const fresh = await selectRun(runs, configOf({ newRun: 'on', rounds: '7' }));
    assert.equal(fresh.kind, 'new');
    assert.ok(!['r1', 'r2'].includes(fresh.runId));
    assert.equal(fresh.config.rounds, 7);
    const picked = await selectRun(runs, configOf({ runId: 'r1' }));
    assert.deepEqual([picked.kind, picked.runId, picked.config.rounds], ['ended', 'r1', 5]);
    assert.equal((await selectRun(runs, configOf({ runId: 'brand-new' }))).kind, 'new');
    await assert.rejects(() => selectRun(runs, configOf({ runId: 'r1', newRun: 'on' })), /give one of them/);
  });
});

test('what defines a run: data, model, rounds, aggregation, client training; not where to listen or timeouts', () => {
  for (const key of ['dataset', 'calibrationSize', 'testSize', 'splitSeed', 'model', 'rounds', 'aggregator', 'lr', 'seed', 'screening'] as const) {
    assert.ok(RUN_DEFINING_OPTIONS.includes(key), key);
  }
  for (const key of ['port', 'host', 'db', 'secret', 'adminToken', 'runId', 'newRun', 'logLevel', 'roundTimeout'] as const) {
    assert.ok(!RUN_DEFINING_OPTIONS.includes(key), key);
  }
});
