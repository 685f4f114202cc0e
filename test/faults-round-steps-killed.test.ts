import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { networkArrays, recordDict, SCAFFOLD_CLIENT_VARIATE, SCAFFOLD_SERVER_VARIATE } from '../common/records/index.ts';
import type { RoundTask } from '../common/wire/index.ts';
import { mintClientToken } from '../server/auth/index.ts';
import { committedRoundFromRecord, decodeModelBlob, decodeRecordsBlob } from '../server/rounds/index.ts';
import { openStore } from '../server/store/index.ts';
import { CHILD_SECRET, isEvent, smallServerArgs } from './faults-fixtures.ts';
import { perturbed, replyCode, updateFor } from './hostile-fixtures.ts';
import { connectRaw, hello, type RawPeer } from './raw-protocol-client.ts';
import { freePort, startServerProcess, type ServerProcess } from './server-process.ts';
import { testDatabase, type TestBackend } from './service-fixtures.ts';

/**
 * SIGKILL of a real server process at each step that closes a round
 * (aggregating: updates collected, the models being computed; evaluating:
 * the served model computed, in memory only; committing: just before the
 * one transaction that stores models, state and metrics), held there by the
 * server's fault-injection pause (FEDFUSE_PAUSE_AFTER_ENTERING), then a
 * restart on the same database (SQLite file; PostgreSQL for one step). The round is aggregated once, with every
 * acknowledged update; the next round's tasks carry the training model and
 * the per-client records the store says they must. SCAFFOLD's control
 * variates are the per-client records and strategy state; kf-linear with
 * --train-from average keeps a training model apart from the served one.
 */
const CLIENTS = ['k0', 'k1'];
const RUN_ID = 'steps-run';

type Phase = 'aggregating' | 'evaluating' | 'committing';

async function joinAll(url: string): Promise<RawPeer[]> {
  const peers = await Promise.all(CLIENTS.map((id) => connectRaw(url, mintClientToken(CHILD_SECRET, id))));
  for (const [k, p] of peers.entries()) assert.equal((await p.send(hello(CLIENTS[k]!))).type, 'welcome');
  return peers;
}

/** A client's update: its model moved a little and, for SCAFFOLD, a control variate of the model's shape. */
function answer(task: RoundTask, k: number, scaffold: boolean) {
  const seed = task.round * 10 + k + 1;
  return updateFor(task, CLIENTS[k]!, {
    model: perturbed(task.model, seed),
    ...(scaffold ? { records: recordDict({ [SCAFFOLD_CLIENT_VARIATE]: networkArrays(perturbed(task.model, seed + 100)) }) } : {}),
  });
}

async function scenario(aggregator: 'scaffold' | 'kf-linear', phase: Phase, backend: TestBackend = 'sqlite'): Promise<void> {
  const scaffold = aggregator === 'scaffold';
  const dir = mkdtempSync(join(tmpdir(), `fedfuse-steps-${phase}-`));
  const database = await testDatabase(backend, dir, `steps_${phase}`);
  const db = database.location;
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const args = smallServerArgs(port, db, [
    '--rounds', '3', '--min-clients', '2', '--reconnect-grace', '60', '--run-id', RUN_ID, '--aggregator', aggregator,
    '--importance', 'uniform', ...(scaffold ? [] : ['--train-from', 'average']),
  ]);
  let server: ServerProcess = startServerProcess(args, { FEDFUSE_PAUSE_AFTER_ENTERING: `${phase}@2:30000` });
  let peers: RawPeer[] = [];
  try {
    await server.waitForLine(isEvent('listening'));
    peers = await joinAll(url);
    for (const round of [1, 2]) {
      const tasks = await Promise.all(peers.map((p) => p.nextTask()));
      for (const [k, p] of peers.entries()) assert.equal(replyCode(await p.send(answer(tasks[k]!, k, scaffold))), 'ack', `round ${round} update of ${CLIENTS[k]}`);
    }
    // Held at the step; the kill lands there.
    await server.waitForLine(isEvent('phase', (j) => j['round'] === 2 && j['phase'] === phase));
    await server.kill('SIGKILL');
    for (const p of peers) p.close();

    let store = await openStore(db);
    try {
      assert.equal(await store.integrityCheck(), 'ok');
      assert.equal((await store.getRun(RUN_ID))!.currentRound, 1, 'nothing of round 2 was committed');
      assert.equal((await store.getRound(RUN_ID, 2))!.state, 'aggregating');
      assert.equal(await store.getGlobalModel(RUN_ID, 2), undefined);
      assert.deepEqual((await store.listUpdates(RUN_ID, 2)).map((u) => u.clientId).sort(), CLIENTS, 'both acknowledged updates survived');
    } finally {
      await store.close();
    }

    server = startServerProcess(args);
    await server.waitForLine(isEvent('runStarted', (j) => j['resumed'] === true && j['currentRound'] === 1));
    // Both updates are stored: the reopened round closes at once, and is committed by this life only.
    await server.waitForLine(isEvent('roundCompleted', (j) => j['round'] === 2));
    peers = await joinAll(url);
    const round3 = await Promise.all(peers.map((p) => p.nextTask()));

    store = await openStore(db);
    try {
      const committed2 = committedRoundFromRecord((await store.getGlobalModel(RUN_ID, 2))!);
      const round2 = (await store.getRound(RUN_ID, 2))!;
      assert.deepEqual(round2.metrics !== null && (round2.metrics as { participants: string[] }).participants.sort(), CLIENTS);
      for (const [k, task] of round3.entries()) {
        assert.equal(task.round, 3);
        assert.deepStrictEqual(task.model, committed2.training, `${CLIENTS[k]} starts round 3 from round 2's training model`);
        if (scaffold) {
          assert.deepStrictEqual(task.records.arrays.get(SCAFFOLD_SERVER_VARIATE), committed2.strategyState.arrays.get(SCAFFOLD_SERVER_VARIATE), 'c from the stored state');
          const u = (await store.getUpdate(RUN_ID, 2, CLIENTS[k]!))!;
          const returned = decodeRecordsBlob(u.records, decodeModelBlob(u.model));
          assert.deepStrictEqual(task.records.arrays.get(SCAFFOLD_CLIENT_VARIATE), returned.arrays.get(SCAFFOLD_CLIENT_VARIATE), 'c_i = the c_i+ of its round-2 update');
        } else {
          assert.equal(committed2.separateTrainingModel, true);
          assert.notDeepEqual(committed2.training.layers[0]!.kernel, committed2.served.layers[0]!.kernel, 'served = fused, training = the average');
        }
      }
    } finally {
      await store.close();
    }
    for (const [k, p] of peers.entries()) assert.equal(replyCode(await p.send(answer(round3[k]!, k, scaffold))), 'ack');
    await server.waitForLine(isEvent('runFinished', (j) => j['state'] === 'finished'));
    const completions = server.lines.filter((l) => l.includes('"event":"roundCompleted"') && l.includes('"round":2,'));
    assert.equal(completions.length, 1, 'round 2 was committed once');
    await server.kill('SIGTERM');

    store = await openStore(db);
    try {
      assert.deepEqual((await store.listRounds(RUN_ID)).map((r) => [r.round, r.state]), [[1, 'done'], [2, 'done'], [3, 'done']]);
      assert.deepEqual(await store.listRoundFailures(RUN_ID), [], 'no round had to be retried');
      for (const r of [1, 2, 3]) assert.equal(await store.countUpdates(RUN_ID, r), 2);
    } finally {
      await store.close();
    }
  } finally {
    for (const p of peers) p.close();
    await server.kill('SIGKILL');
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

// Each scenario took 65-100 s under load average 14-21 on the shared 2-core machine (two server start-ups, a 30 s pause).
describe('SIGKILL at each step that closes a round, and a restart on the same database', { timeout: 480_000 }, () => {
  test('scaffold, killed while aggregating', () => scenario('scaffold', 'aggregating'));
  test('kf-linear --train-from average, killed after the served model was computed (evaluating)', () => scenario('kf-linear', 'evaluating'));
  test('scaffold, killed just before the commit', () => scenario('scaffold', 'committing'));
  test('PostgreSQL: scaffold, killed just before the commit', () => scenario('scaffold', 'committing', 'postgres'));
});
