import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { openRoundStore, type RoundStore } from '../server/store/index.ts';
import { assertSameBytes, assertThrowsCode, makeTempDir, patternBytes, seedOpenRound } from './store-fixtures.ts';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const STORE_URL = pathToFileURL(path.join(REPO_ROOT, 'server/store/index.ts')).href;
const FIXTURES_URL = pathToFileURL(path.join(REPO_ROOT, 'test/store-fixtures.ts')).href;

const temp = makeTempDir('store-durability');
after(temp.cleanup);
let fileCount = 0;
const freshPath = (): string => path.join(temp.dir, `db-${++fileCount}.sqlite`);

/** The size of a small MLP's encoded weights (784-400-10 float32 is about 1.3 MB). */
const MODEL_BYTES = 1_300_000;

/**
 * Runs `body` (plain JavaScript, an ES module with `openRoundStore` and
 * `patternBytes` in scope) in a child `node --import tsx` against `dbPath`.
 * Each stdout line goes to `onLine`, which may return true to have the child
 * SIGKILLed right then. Resolves with the signal that ended it.
 */
function runChild(dbPath: string, body: string, onLine: (line: string, kill: () => void) => void): Promise<NodeJS.Signals | null> {
  const source = `
    const { openRoundStore } = await import(${JSON.stringify(STORE_URL)});
    const { patternBytes } = await import(${JSON.stringify(FIXTURES_URL)});
    const dbPath = process.env.FEDFUSE_TEST_DB;
    ${body}
  `;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', source], {
      cwd: REPO_ROOT,
      env: { ...process.env, FEDFUSE_TEST_DB: dbPath },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let pending = '';
    const kill = (): void => {
      child.kill('SIGKILL');
    };
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      let newline: number;
      while ((newline = pending.indexOf('\n')) >= 0) {
        onLine(pending.slice(0, newline), kill);
        pending = pending.slice(newline + 1);
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === null && code !== 0) reject(new Error(`child exited with ${code}: ${stderr}`));
      else resolve(signal);
    });
  });
}

/** Everything a store holds about one run, blobs included, for before/after comparisons. */
function snapshotRun(store: RoundStore, runId: string): unknown {
  const rounds = store.listRounds(runId);
  return {
    run: store.getRun(runId),
    rounds,
    failures: store.listRoundFailures(runId),
    updates: rounds.map((r) => store.listUpdatesWithBlobs(runId, r.round)),
    models: [0, ...rounds.map((r) => r.round)].map((round) => store.getGlobalModel(runId, round)),
    evaluations: store.listEvaluations(runId),
    clients: store.listClients(),
  };
}

describe('store durability', () => {
  test('everything survives close and reopen of the file', () => {
    const file = freshPath();
    const store = openRoundStore(file);
    const { runId, clientIds } = seedOpenRound(store, { clients: 3 });
    store.upsertClient({ id: 'c1', numExamples: 7, labelHistogram: [3, 4], tokenFingerprint: 'abc' });
    store.recordUpdate({ runId, round: 1, clientId: 'c1', numExamples: 7, model: patternBytes(MODEL_BYTES, 1), attribution: patternBytes(333, 2) });
    store.failRound(runId, 1, 'deadline passed');
    store.openRound({ runId, round: 1, sampledClientIds: clientIds, deadline: 5, attempt: 2 });
    store.recordUpdate({ runId, round: 1, clientId: 'c2', numExamples: 9, model: patternBytes(MODEL_BYTES, 3), clientMetrics: { loss: 0.5 } });
    store.completeRound(runId, 1, {
      globalModel: patternBytes(MODEL_BYTES, 4),
      aggregator: 'kf-linear',
      fusionSeconds: 2.5,
      metrics: { participants: 1 },
      evaluations: [{ dataset: 'test', accuracy: 0.8, loss: 0.6, samples: 100 }],
    });
    store.openRound({ runId, round: 2, sampledClientIds: ['c3'], deadline: 6, attempt: 1 });
    store.recordUpdate({ runId, round: 2, clientId: 'c3', numExamples: 1, model: patternBytes(10, 5) });
    const before = snapshotRun(store, runId);
    store.close();

    const reopened = openRoundStore(file);
    try {
      assert.deepEqual(snapshotRun(reopened, runId), before);
      assertSameBytes(reopened.getGlobalModel(runId, 1)?.model, patternBytes(MODEL_BYTES, 4));
      assert.equal(reopened.integrityCheck(), 'ok');
    } finally {
      reopened.close();
    }
  });

  test('a second connection sees a write as soon as it returns (WAL readers)', () => {
    const file = freshPath();
    const writer = openRoundStore(file);
    const reader = openRoundStore(file, { readonly: true });
    try {
      const { runId } = seedOpenRound(writer);
      writer.recordUpdate({ runId, round: 1, clientId: 'c1', numExamples: 1, model: patternBytes(1000) });
      assert.equal(reader.countUpdates(runId, 1), 1);
      assertSameBytes(reader.getUpdate(runId, 1, 'c1')?.model, patternBytes(1000));
    } finally {
      reader.close();
      writer.close();
    }
  });

  test('an update acknowledged by a process then SIGKILLed is there after reopen, and the file is intact', async () => {
    const file = freshPath();
    const signal = await runChild(
      file,
      `
      const store = openRoundStore(dbPath);
      store.createRun({ id: 'run-1', config: {}, modelSpec: {}, initialModel: patternBytes(100, 1) });
      store.upsertClient({ id: 'c1', numExamples: 600 });
      store.openRound({ runId: 'run-1', round: 1, sampledClientIds: ['c1'], deadline: Date.now() + 60000, attempt: 1 });
      store.recordUpdate({ runId: 'run-1', round: 1, clientId: 'c1', numExamples: 600, model: patternBytes(${MODEL_BYTES}, 42), attribution: patternBytes(4000, 43) });
      process.stdout.write('ACK\\n');
      setInterval(() => {}, 1000); // stay alive, store open, until killed
      `,
      (line, kill) => {
        if (line === 'ACK') kill();
      },
    );
    assert.equal(signal, 'SIGKILL');
    // The process died with the connection open: the update lives only in the WAL, not yet checkpointed.
    assert.ok(fs.statSync(`${file}-wal`).size > MODEL_BYTES, 'the update should still be in the WAL file');

    const store = openRoundStore(file);
    try {
      assert.equal(store.integrityCheck(), 'ok');
      const update = store.getUpdate('run-1', 1, 'c1');
      assert.ok(update, 'the acknowledged update must survive');
      assertSameBytes(update.model, patternBytes(MODEL_BYTES, 42), 'model');
      assertSameBytes(update.attribution, patternBytes(4000, 43), 'attribution');
      assert.equal(update.byteSize, MODEL_BYTES + 4000);
    } finally {
      store.close();
    }
  });

  // Kill a process that creates runs and completes their first round in a loop,
  // at three different moments; every round found must be all-or-nothing.
  for (const killAfterMs of [150, 400, 900]) {
    test(`SIGKILL ${killAfterMs} ms into a completeRound loop: every round is fully done or not at all`, async (t) => {
      const file = freshPath();
      const acked = new Set<number>();
      let killTimer: NodeJS.Timeout | undefined;
      const signal = await runChild(
        file,
        `
        const store = openRoundStore(dbPath);
        store.upsertClient({ id: 'c1', numExamples: 10 });
        process.stdout.write('READY\\n');
        for (let i = 0; ; i++) {
          const runId = 'run-' + i;
          store.createRun({ id: runId, config: { i }, modelSpec: {}, initialModel: patternBytes(1000, i + 1) });
          store.openRound({ runId, round: 1, sampledClientIds: ['c1'], deadline: 0, attempt: 1 });
          store.recordUpdate({ runId, round: 1, clientId: 'c1', numExamples: 10, model: patternBytes(200000, i + 2) });
          store.setRoundState(runId, 1, 'aggregating');
          store.completeRound(runId, 1, {
            globalModel: patternBytes(300000, i + 3), aggregator: 'mean', fusionSeconds: 0.01, metrics: { i },
            evaluations: [{ dataset: 'test', accuracy: 0.5, loss: 1, samples: 10 }],
          });
          process.stdout.write('DONE ' + i + '\\n');
        }
        `,
        (line, kill) => {
          if (line === 'READY') killTimer = setTimeout(kill, killAfterMs);
          const done = /^DONE (\d+)$/.exec(line);
          if (done) acked.add(Number(done[1]));
        },
      );
      clearTimeout(killTimer);
      assert.equal(signal, 'SIGKILL');
      assert.ok(acked.size >= 1, 'the child should have completed at least one round before the kill');

      const store = openRoundStore(file);
      try {
        assert.equal(store.integrityCheck(), 'ok');
        let done = 0;
        for (const run of store.listRuns()) {
          const i = Number(run.id.slice('run-'.length));
          const round = store.getRound(run.id, 1);
          const model = store.getGlobalModel(run.id, 1);
          const evaluations = store.listEvaluations(run.id);
          assertSameBytes(store.getGlobalModel(run.id, 0)?.model, patternBytes(1000, i + 1), `${run.id} initial model`);
          if (round?.state === 'done') {
            done++;
            assert.equal(run.currentRound, 1, `${run.id}: done round but run not advanced`);
            assertSameBytes(model?.model, patternBytes(300000, i + 3), `${run.id} global model 1`);
            assert.deepEqual(round.metrics, { i });
            assert.equal(evaluations.length, 1, `${run.id}: done round without its evaluation`);
          } else {
            assert.equal(run.currentRound, 0, `${run.id}: run advanced but round ${round?.state ?? 'missing'}`);
            assert.equal(model, undefined, `${run.id}: global model 1 stored but round not done`);
            assert.deepEqual(evaluations, [], `${run.id}: evaluation stored but round not done`);
            assert.ok(!acked.has(i), `${run.id}: acknowledged as done but not done after the crash`);
          }
        }
        for (const i of acked) assert.equal(store.getRound(`run-${i}`, 1)?.state, 'done', `run-${i} acknowledged`);
        // A commit can land between the last DONE the parent read and the kill, never more than one.
        assert.ok(done === acked.size || done === acked.size + 1, `${done} done rounds, ${acked.size} acknowledged`);
        t.diagnostic(`${store.listRuns().length} runs created, ${done} rounds done, ${acked.size} acknowledged before the kill`);
      } finally {
        store.close();
      }
    });
  }

  test('completeRound is atomic when its global-model insert hits a constraint (a row planted by another connection)', () => {
    const file = freshPath();
    const store = openRoundStore(file);
    try {
      const { runId } = seedOpenRound(store);
      const roundBefore = store.getRound(runId, 1);
      // Break the invariant "global model r exists only if round r is done" from outside the store.
      const saboteur = new Database(file);
      saboteur
        .prepare(`INSERT INTO global_models (run_id, round, created_at, byte_size, model) VALUES (?, 1, 0, 3, ?)`)
        .run(runId, new Uint8Array([1, 2, 3]));
      saboteur.close();

      assertThrowsCode(
        () =>
          store.completeRound(runId, 1, {
            globalModel: patternBytes(500),
            aggregator: 'mean',
            fusionSeconds: 1,
            metrics: {},
            evaluations: [{ dataset: 'test', accuracy: 0.5, loss: 1, samples: 1 }],
          }),
        'duplicate',
        /global model for round 1/,
      );
      assert.deepEqual(store.getRound(runId, 1), roundBefore);
      assert.equal(store.getRun(runId)?.currentRound, 0);
      assertSameBytes(store.getGlobalModel(runId, 1)?.model, new Uint8Array([1, 2, 3]), 'the planted row, not ours');
      assert.deepEqual(store.listEvaluations(runId), []);
    } finally {
      store.close();
    }
  });
});
