import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../common/backend/index.ts';
import { initNetwork, mlpSpec, networkLogits, type Network } from '../common/model/index.ts';
import { EMPTY_RECORDS } from '../common/records/index.ts';
import { SeededRandom } from '../common/random/index.ts';
import { createFusionStrategy, createInProcessFusionExecutor, type FusionStrategyOptions, type ServerDataSets } from '../server/aggregation/index.ts';
import { initialGlobalState, type FitResult, type GlobalState } from '../server/rounds/index.ts';

/**
 * The round design's served model (docs/federated-fusion.md): kf-linear
 * fuses the round's updates and, from round 2, the model the clients started
 * from as one more parent; the clients' next start is the FedAvg average of
 * the updates alone.
 */
const SPEC = mlpSpec(6, [5], 3);
const SAMPLES = 150;
const rng = new SeededRandom(5);
const calibration = Float32Array.from({ length: SAMPLES * 6 }, () => rng.next() * 2 - 1);
const data: ServerDataSets = { calibration, test: null };
const start: GlobalState = { ...initialGlobalState(initNetwork(SPEC, 9)) };

function client(seed: number, favoured: number): Network {
  const net = initNetwork(SPEC, seed);
  const last = net.layers.at(-1)!;
  return { spec: SPEC, layers: [...net.layers.slice(0, -1), { ...last, bias: last.bias!.map((b, c) => b + (c === favoured ? 2 : 0)) }] };
}

function fit(clientId: string, network: Network, numExamples: number): FitResult {
  return { clientId, network, attribution: null, numExamples, labelHistogram: null, metrics: {}, records: EMPTY_RECORDS, taskRecords: EMPTY_RECORDS, localSteps: 10 };
}

function strategy(extra: Partial<FusionStrategyOptions> = {}) {
  return createFusionStrategy(
    {
      aggregator: 'kf-linear',
      importance: 'uniform',
      training: { epochs: 1, batchSize: 8, learningRate: 0.01, optimizer: 'sgd', proximalMu: 0, attributionMethod: 'uniform', attributionSamples: 0 },
      sampling: { fractionFit: 1, minFitClients: 1 },
      seed: 0,
      screening: { enabled: false },
      ...extra,
    },
    createInProcessFusionExecutor(data),
  );
}

const flat = (n: Network): number[] => n.layers.flatMap((l) => [...l.kernel, ...(l.bias ?? [])]);

async function maxLogitDifference(x: Network, y: Network): Promise<number> {
  const [a, b] = await Promise.all([networkLogits(x, calibration, SAMPLES), networkLogits(y, calibration, SAMPLES)]);
  let worst = 0;
  a.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - b[i]!))));
  return worst;
}

before(async () => {
  await initBackend();
});

describe('kf-linear with the start model as a parent', () => {
  const results = [fit('a', client(1, 0), 30), fit('b', client(2, 1), 10)];

  test('from round 2 the start model changes the served model, never the training model (the FedAvg average of the updates alone)', async () => {
    const withStart = await strategy().aggregateFit(2, start, results, []);
    const without = await strategy({ startModelParent: false }).aggregateFit(2, start, results, []);
    assert.equal((withStart.metrics as { startModelParent: boolean }).startModelParent, true);
    assert.equal((without.metrics as { startModelParent: boolean }).startModelParent, false);
    assert.ok((await maxLogitDifference(withStart.served!, without.served!)) > 1e-3, 'the start parent took part');
    const average = flat(results[0]!.network).map((v, i) => 0.75 * v + 0.25 * flat(results[1]!.network)[i]!);
    for (const outcome of [withStart, without]) {
      const got = flat(outcome.training!);
      assert.ok(got.every((v, i) => Math.abs(v - average[i]!) < 1e-6), 'training model = FedAvg of the updates');
    }
  });

  test('round 1 starts from an untrained model: it is not fused', async () => {
    const withStart = await strategy().aggregateFit(1, start, results, []);
    const without = await strategy({ startModelParent: false }).aggregateFit(1, start, results, []);
    assert.equal((withStart.metrics as { startModelParent: boolean }).startModelParent, false);
    assert.deepStrictEqual(flat(withStart.served!), flat(without.served!));
  });

  test('a start model equal to every update changes nothing: fusing one more copy gives the same function', async () => {
    const same = client(3, 2);
    const copies = [fit('a', same, 20), fit('b', same, 20)];
    const state: GlobalState = { ...start, training: same, served: same };
    const withStart = await strategy().aggregateFit(2, state, copies, []);
    const without = await strategy({ startModelParent: false }).aggregateFit(2, state, copies, []);
    assert.ok((await maxLogitDifference(withStart.served!, without.served!)) < 1e-3);
  });

  test('the published method (--neuron-fusion paper) fuses the updates only', async () => {
    const paper = await strategy({ neuronFusion: 'paper' }).aggregateFit(2, start, results, []);
    assert.equal((paper.metrics as { startModelParent: boolean }).startModelParent, false);
  });
});
