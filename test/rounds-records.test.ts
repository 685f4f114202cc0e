import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Network } from '../common/model/network.ts';
import { EMPTY_RECORDS, recordDict, type RecordDict } from '../common/records/index.ts';
import type { GlobalModel, RoundTask, WireMessage } from '../common/wire/index.ts';
import { mintClientToken } from '../server/auth/index.ts';
import { committedRoundFromRecord, decodeRecordsBlob, decodeModelBlob, sampleClients, type FitResult, type GlobalState, type Strategy } from '../server/rounds/index.ts';
import { perturbed, until, updateFor } from './hostile-fixtures.ts';
import { connectRaw, hello, type RawPeer } from './raw-protocol-client.ts';
import { SECRET, startTestServer, tinyMlp, type TestServer } from './rounds-fixtures.ts';

/**
 * The round-records mechanism with a strategy of the test's own, over a
 * real server, real sockets and a real SQLite file: the served and the
 * training model go their own ways, the strategy's state and each client's
 * records cross the wire, are stored, are handed back next round, and are
 * the same after a restart on the same database.
 */

/** Every weight + `delta`: a training model that differs from the served one in a way the test can see. */
function shifted(net: Network, delta: number): Network {
  return { spec: net.spec, layers: net.layers.map((l) => ({ ...l, kernel: l.kernel.map((v) => v + delta), bias: l.bias === null ? null : l.bias.map((v) => v + delta) })) };
}

function mean(nets: readonly Network[]): Network {
  return {
    spec: nets[0]!.spec,
    layers: nets[0]!.layers.map((l, i) => ({
      kernel: l.kernel.map((_, k) => nets.reduce((s, n) => s + n.layers[i]!.kernel[k]!, 0) / nets.length),
      kernelShape: l.kernelShape,
      bias: l.bias === null ? null : l.bias.map((_, k) => nets.reduce((s, n) => s + n.layers[i]!.bias![k]!, 0) / nets.length),
    })),
  };
}

const scalar = (v: number) => new Map([['v', { shape: [1], values: Float32Array.of(v) }]]);
const valueOf = (records: RecordDict, name: string): number | undefined => records.arrays.get(name)?.get('v')?.values[0];

/** What the strategy saw, per round, to check against what was sent and stored. */
interface Seen {
  readonly state: GlobalState;
  readonly results: readonly FitResult[];
}

/**
 * Serves the clients' mean, trains from mean + 1, counts rounds in its state
 * and sums what the clients returned; each task carries the client's id and
 * what it returned in its last fused round.
 */
function recordsStrategy(seen: Map<number, Seen>): Strategy {
  return {
    name: 'records-test',
    configureFit: (_round, available, rng) => ({ clientIds: sampleClients(available, { fractionFit: 1, minFitClients: 1 }, rng) }),
    trainingConfig: () => ({ epochs: 1, batchSize: 8, learningRate: 0.01, optimizer: 'sgd', proximalMu: 0, attributionMethod: 'uniform', attributionSamples: 0 }),
    clientRecords: (round, state, client) =>
      recordDict(
        { last: scalar(client.lastFused === null ? -1 : valueOf(client.lastFused.records, 'back')!), rounds: scalar(Number(state.strategyState.configs.get('count')?.get('rounds') ?? 0)) },
        { task: { client: client.clientId, round, lastFusedRound: client.lastFused?.round ?? 0 } },
      ),
    async aggregateFit(round, state, results) {
      seen.set(round, { state, results });
      const served = mean(results.map((r) => r.network));
      const previousSum = valueOf(state.strategyState, 'sum') ?? 0;
      return {
        served,
        training: shifted(served, 1),
        strategyState: recordDict(
          { sum: scalar(previousSum + results.reduce((s, r) => s + valueOf(r.records, 'back')!, 0)) },
          { count: { rounds: Number(state.strategyState.configs.get('count')?.get('rounds') ?? 0) + 1 } },
        ),
        aggregator: 'records-test',
        fusionSeconds: 0,
        metrics: {},
      };
    },
    evaluate: async () => ({ evaluations: [], metrics: {} }),
  };
}

const CLIENTS = ['client-a', 'client-b'];
/** What client k returns in round r. */
const returnedValue = (k: number, round: number): number => 100 * round + k;

async function playRound(t: TestServer, peers: RawPeer[], round: number): Promise<RoundTask[]> {
  const tasks = await Promise.all(peers.map((p) => p.nextTask()));
  for (const [k, p] of peers.entries()) {
    assert.equal(tasks[k]!.round, round);
    const reply = await p.send(updateFor(tasks[k]!, CLIENTS[k]!, { model: perturbed(tasks[k]!.model, round * 10 + k), records: recordDict({ back: scalar(returnedValue(k, round)) }) }));
    assert.equal(reply.type, 'ack');
  }
  await t.waitFor((e) => e.type === 'roundCompleted' && e.round === round);
  return tasks;
}

test('served and training models, strategy state and per-client records flow through rounds, the store and a restart', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fedfuse-records-'));
  const seen = new Map<number, Seen>();
  const initial = tinyMlp(5);
  const run = { rounds: 3, minClients: 2, roundTimeoutMs: 30_000, runId: 'records-run' };
  let t = await startTestServer(run, {}, dir, { strategy: recordsStrategy(seen), initialModel: initial });
  let peers: RawPeer[] = [];
  try {
    const connect = async (): Promise<RawPeer[]> => {
      const ps = await Promise.all(CLIENTS.map((id) => connectRaw(t.url, mintClientToken(SECRET, id))));
      for (const [k, p] of ps.entries()) assert.equal((await p.send(hello(CLIENTS[k]!))).type, 'welcome');
      return ps;
    };
    peers = await connect();
    const round1 = await playRound(t, peers, 1);
    // Round 1 starts from the initial model, with no state and no history.
    for (const [k, task] of round1.entries()) {
      assert.deepStrictEqual(task.model, initial);
      assert.equal(valueOf(task.records, 'last'), -1);
      assert.equal(valueOf(task.records, 'rounds'), 0);
      assert.deepEqual(Object.fromEntries(task.records.configs.get('task')!), { client: CLIENTS[k], round: 1, lastFusedRound: 0 });
    }
    // The strategy got each client's returned records and the records its task carried.
    const seen1 = seen.get(1)!;
    for (const r of seen1.results) {
      const k = CLIENTS.indexOf(r.clientId);
      assert.equal(valueOf(r.records, 'back'), returnedValue(k, 1));
      assert.deepStrictEqual(r.taskRecords, round1[k]!.records);
    }
    // Stored: the served model, a separate training model, the state; the clients' records with their updates.
    const stored1 = (await t.store.getGlobalModel('records-run', 1))!;
    const committed1 = committedRoundFromRecord(stored1);
    assert.equal(committed1.separateTrainingModel, true);
    assert.deepStrictEqual(committed1.training, shifted(committed1.served, 1));
    assert.equal(valueOf(committed1.strategyState, 'sum'), returnedValue(0, 1) + returnedValue(1, 1));
    const u = (await t.store.getUpdate('records-run', 1, 'client-b'))!;
    assert.equal(valueOf(decodeRecordsBlob(u.records, decodeModelBlob(u.model)), 'back'), returnedValue(1, 1));
    // The broadcast serves the served model and says the next round trains from another.
    const isBroadcast1 = (m: WireMessage): m is GlobalModel => m.type === 'globalModel' && m.round === 1;
    await until('client-a got round 1\'s global model', () => peers[0]!.received.some(isBroadcast1));
    const broadcast = peers[0]!.received.find(isBroadcast1)!;
    assert.deepStrictEqual(broadcast.model, committed1.served);
    assert.equal(broadcast.separateTrainingModel, true);

    const round2 = await playRound(t, peers, 2);
    for (const [k, task] of round2.entries()) {
      assert.deepStrictEqual(task.model, committed1.training, 'round 2 trains from round 1\'s training model, not its served one');
      assert.equal(valueOf(task.records, 'last'), returnedValue(k, 1), 'the client\'s last fused records came back');
      assert.equal(valueOf(task.records, 'rounds'), 1);
    }
    assert.deepStrictEqual(seen.get(2)!.state.strategyState, committed1.strategyState, 'the strategy got its state back');
    assert.deepStrictEqual(seen.get(2)!.state.training, committed1.training);

    // A restart on the same database: round 3's tasks come from the store alone.
    for (const p of peers) p.close();
    await t.close();
    seen.clear();
    t = await startTestServer(run, {}, dir, { strategy: recordsStrategy(seen), initialModel: tinyMlp(99) });
    peers = await connect();
    const committed2 = committedRoundFromRecord((await t.store.getGlobalModel('records-run', 2))!);
    const round3 = await playRound(t, peers, 3);
    for (const [k, task] of round3.entries()) {
      assert.deepStrictEqual(task.model, committed2.training);
      assert.equal(valueOf(task.records, 'last'), returnedValue(k, 2));
      assert.equal(valueOf(task.records, 'rounds'), 2);
      assert.equal(task.records.configs.get('task')!.get('lastFusedRound'), 2);
    }
    assert.deepStrictEqual(seen.get(3)!.state.strategyState, committed2.strategyState);
    assert.equal(valueOf(committedRoundFromRecord((await t.store.getGlobalModel('records-run', 3))!).strategyState, 'sum'), [1, 2, 3].reduce((s, r) => s + returnedValue(0, r) + returnedValue(1, r), 0));

    // Over HTTP: the served and the training model of round 2.
    const served = new Uint8Array(await (await fetch(`${t.url}/api/rounds/2/model/weights.bin`)).arrayBuffer());
    const training = new Uint8Array(await (await fetch(`${t.url}/api/rounds/2/training-model/weights.bin`)).arrayBuffer());
    assert.notDeepEqual(served, training);
    assert.equal(Math.abs(new Float32Array(training.buffer)[0]! - new Float32Array(served.buffer)[0]! - 1) < 1e-5, true);
  } finally {
    for (const p of peers) p.close();
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an aggregator that keeps no records sends none and stores none: training = served', { timeout: 60_000 }, async () => {
  const t = await startTestServer({ rounds: 1, minClients: 2 }, { strategy: { ...baseFedavg(), aggregator: 'fedavg', importance: 'uniform' } });
  const peers = await Promise.all(CLIENTS.map((id) => connectRaw(t.url, mintClientToken(SECRET, id))));
  try {
    for (const [k, p] of peers.entries()) assert.equal((await p.send(hello(CLIENTS[k]!))).type, 'welcome');
    const tasks = await Promise.all(peers.map((p) => p.nextTask()));
    for (const task of tasks) assert.deepStrictEqual(task.records, EMPTY_RECORDS);
    for (const [k, p] of peers.entries()) assert.equal((await p.send(updateFor(tasks[k]!, CLIENTS[k]!, { model: perturbed(tasks[k]!.model, k + 1) }))).type, 'ack');
    await t.waitFor((e) => e.type === 'runFinished');
    const runId = tasks[0]!.runId;
    const stored = (await t.store.getGlobalModel(runId, 1))!;
    assert.deepEqual([stored.trainingModel, stored.strategyState], [null, null]);
    assert.equal((await t.store.getUpdate(runId, 1, 'client-a'))!.records, null);
    const completed = t.events.find((e) => e.type === 'roundCompleted');
    assert.equal(completed?.type === 'roundCompleted' && completed.separateTrainingModel, false);
  } finally {
    for (const p of peers) p.close();
    await t.close();
  }
});

function baseFedavg() {
  return {
    training: { epochs: 1, batchSize: 32, learningRate: 0.01, optimizer: 'adam' as const, proximalMu: 0, attributionMethod: 'uniform' as const, attributionSamples: 0 },
    sampling: { fractionFit: 1, minFitClients: 1 },
    seed: 0,
    screening: { enabled: false },
  };
}
