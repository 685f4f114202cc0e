import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Network } from '../common/model/network.ts';
import { networkFromArrays, SCAFFOLD_CLIENT_VARIATE, SCAFFOLD_SERVER_VARIATE } from '../common/records/index.ts';
import { meanGradient, trainNetwork } from '../common/training/index.ts';
import { weightedSum } from '../client/network-arithmetic.ts';
import { committedRoundFromRecord, decodeModelBlob, decodeRecordsBlob } from '../server/rounds/index.ts';
import { until } from './hostile-fixtures.ts';
import { smallMnistSplit, startClient, startTestServer } from './rounds-fixtures.ts';

/**
 * SCAFFOLD over a real server with three SDK clients for two rounds: the
 * control variates cross the wire in the tasks' and updates' records, are
 * stored (updates.records, global_models.strategy_state), and every number
 * can be recomputed here from the stored models and the clients' data.
 */
const flat = (n: Network): number[] => n.layers.flatMap((l) => [...l.kernel, ...(l.bias ?? [])]);
function assertClose(actual: Network, expected: Network, tolerance: number, what: string): void {
  const e = flat(expected);
  const worst = Math.max(...flat(actual).map((v, i) => Math.abs(v - e[i]!)));
  assert.ok(worst <= tolerance, `${what}: largest difference ${worst}`);
}

test('SCAFFOLD: control variates cross the wire, are stored, and follow the paper\'s updates', { timeout: 120_000 }, async () => {
  const training = { epochs: 1, batchSize: 32, learningRate: 0.05, optimizer: 'sgd' as const, proximalMu: 0, attributionMethod: 'uniform' as const, attributionSamples: 0 };
  const t = await startTestServer({ rounds: 2, minClients: 3 }, {
    strategy: { aggregator: 'scaffold', importance: 'uniform', training, sampling: { fractionFit: 1, minFitClients: 1 }, seed: 0, screening: { enabled: false } },
  });
  const clients = await Promise.all([0, 1, 2].map((i) => startClient(t.url, i)));
  try {
    await t.waitFor((e) => e.type === 'runFinished', 90_000);
    for (const c of clients) await until('the final model arrived', () => c.client.latestGlobalModel()?.final === true);
    const runId = (await t.store.listRuns())[0]!.id;
    const split = smallMnistSplit();
    const ids = [0, 1, 2].map((i) => `client-${i}`);
    const data = (i: number) => ({ images: split.clients[i]!.images, labels: split.clients[i]!.labels, count: split.clients[i]!.count });
    const load = async (round: number, i: number) => {
      const u = (await t.store.getUpdate(runId, round, ids[i]!))!;
      const model = decodeModelBlob(u.model);
      return { model, ci: networkFromArrays(decodeRecordsBlob(u.records, model).arrays.get(SCAFFOLD_CLIENT_VARIATE)!, model.spec) };
    };
    const updates = new Map<string, Awaited<ReturnType<typeof load>>>();
    for (const round of [1, 2]) for (const i of [0, 1, 2]) updates.set(`${round}/${i}`, await load(round, i));
    const stored = (round: number, i: number) => updates.get(`${round}/${i}`)!;
    const state = async (round: number) => committedRoundFromRecord((await t.store.getGlobalModel(runId, round))!);
    const x0 = (await state(0)).training;
    const x1 = await state(1);
    const x2 = await state(2);

    for (const [round, start] of [[1, x0], [2, x1.training]] as const) {
      for (const i of [0, 1, 2]) {
        // c_i+ is the mean gradient at the model the task carried (option I).
        assertClose(stored(round, i).ci, await meanGradient(start, data(i)), 1e-5, `c_i+ of client ${i} in round ${round}`);
      }
    }
    // Round 1: c = (1/3) sum c_i+ (all new, N = 3); the model is FedAvg of the client models.
    const c1 = networkFromArrays(x1.strategyState.arrays.get(SCAFFOLD_SERVER_VARIATE)!, x0.spec);
    assertClose(c1, weightedSum([0, 1, 2].map((i) => stored(1, i).ci), [1 / 3, 1 / 3, 1 / 3]), 1e-6, 'c after round 1');
    assert.equal(x1.strategyState.configs.get('scaffold')!.get('clients'), 3);
    const n = [0, 1, 2].map((i) => split.clients[i]!.count);
    const total = n.reduce((a, b) => a + b, 0);
    assertClose(x1.served, weightedSum([0, 1, 2].map((i) => stored(1, i).model), n.map((k) => k / total)), 1e-5, 'x after round 1');
    // Round 2: c <- c + (1/3) sum (c_i+ - c_i).
    const c2 = networkFromArrays(x2.strategyState.arrays.get(SCAFFOLD_SERVER_VARIATE)!, x0.spec);
    const expected = weightedSum([c1, ...[0, 1, 2].map((i) => stored(2, i).ci), ...[0, 1, 2].map((i) => stored(1, i).ci)], [1, 1 / 3, 1 / 3, 1 / 3, -1 / 3, -1 / 3, -1 / 3]);
    assertClose(c2, expected, 1e-6, 'c after round 2');
    // Round 2's local training used the correction c - c_i from the task: rerunning it here gives the stored model.
    for (const i of [0, 1, 2]) {
      const correction = weightedSum([c1, stored(1, i).ci], [1, -1]);
      const rerun = await trainNetwork(x1.training, data(i), { ...training, seed: i * 1_000_003 + 2, gradientCorrection: correction });
      assertClose(stored(2, i).model, rerun.network, 1e-6, `client ${i}'s round-2 model`);
      const plain = flat((await trainNetwork(x1.training, data(i), { ...training, seed: i * 1_000_003 + 2 })).network);
      const got = flat(stored(2, i).model);
      assert.ok(Math.max(...plain.map((v, k) => Math.abs(v - got[k]!))) > 1e-4, 'the correction changed the training');
    }
  } finally {
    for (const c of clients) c.client.close();
    await t.close();
  }
});
