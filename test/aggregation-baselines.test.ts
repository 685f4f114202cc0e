import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../common/backend/index.ts';
import { initNetwork, mlpSpec, networkLogits, type Network } from '../common/model/index.ts';
import { SeededRandom } from '../common/random/index.ts';
import { EMPTY_RECORDS, networkArrays, recordDict, SCAFFOLD_CLIENT_VARIATE, SCAFFOLD_SERVER_VARIATE, type RecordDict } from '../common/records/index.ts';
import {
  createFusionStrategy,
  createInProcessFusionExecutor,
  fedNovaAverage,
  updateServerVariate,
  type AggregatorName,
  type FusionStrategyOptions,
  type ServerDataSets,
} from '../server/aggregation/index.ts';
import { initialGlobalState, type FitResult, type GlobalState } from '../server/rounds/index.ts';

/**
 * Each baseline's update rule on a small case whose answer is computed by
 * hand here (two clients, a tiny model), through the same strategy and
 * executor the server runs.
 */
const SPEC = mlpSpec(6, [5], 3);
const SAMPLES = 200;
const rng = new SeededRandom(3);
const calibration = Float32Array.from({ length: SAMPLES * 6 }, () => rng.next() * 2 - 1);
const data: ServerDataSets = { calibration, test: null };

/** A client model: the global model moved, and its output biased toward one class (label skew). */
function client(seed: number, favoured: number): Network {
  const net = initNetwork(SPEC, seed);
  const last = net.layers.at(-1)!;
  return { spec: SPEC, layers: [...net.layers.slice(0, -1), { ...last, bias: last.bias!.map((b, c) => b + (c === favoured ? 2 : 0)) }] };
}

function fit(clientId: string, network: Network, numExamples: number, extra: Partial<FitResult> = {}): FitResult {
  return { clientId, network, attribution: null, numExamples, labelHistogram: null, metrics: {}, records: EMPTY_RECORDS, taskRecords: EMPTY_RECORDS, localSteps: 10, ...extra };
}

function strategy(aggregator: AggregatorName, extra: Partial<FusionStrategyOptions> = {}) {
  return createFusionStrategy(
    {
      aggregator,
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

/** Σ c_k · net_k by hand, in Float64, as a flat list of every parameter. */
function byHand(nets: readonly Network[], coefficients: readonly number[]): number[] {
  const flat = (n: Network): number[] => n.layers.flatMap((l) => [...l.kernel, ...(l.bias ?? [])]);
  const flats = nets.map(flat);
  return flats[0]!.map((_, i) => flats.reduce((s, f, k) => s + coefficients[k]! * f[i]!, 0));
}

function assertParameters(net: Network, expected: readonly number[], tolerance: number, what: string): void {
  const got = net.layers.flatMap((l) => [...l.kernel, ...(l.bias ?? [])]);
  assert.equal(got.length, expected.length);
  let worst = 0;
  got.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - expected[i]!))));
  assert.ok(worst <= tolerance, `${what}: largest difference ${worst}`);
}

/** Mean softmax of a model on the calibration set, per class. */
async function meanPrediction(net: Network): Promise<number[]> {
  const logits = await networkLogits(net, calibration, SAMPLES);
  const classes = logits.length / SAMPLES;
  const mean = new Array<number>(classes).fill(0);
  for (let r = 0; r < SAMPLES; r++) {
    const row = Array.from(logits.subarray(r * classes, (r + 1) * classes));
    const m = Math.max(...row);
    const e = row.map((v) => Math.exp(v - m));
    const z = e.reduce((a, b) => a + b, 0);
    e.forEach((v, c) => (mean[c]! += v / z / SAMPLES));
  }
  return mean;
}

before(async () => {
  await initBackend();
});

const a = client(1, 0);
const b = client(2, 1);
const state: GlobalState = initialGlobalState(initNetwork(SPEC, 9));

describe('fedavg-prior', () => {
  test('serves the FedAvg average with the class-prior correction; clients train from the uncorrected average', async () => {
    const outcome = await strategy('fedavg-prior').aggregateFit(1, state, [fit('a', a, 30), fit('b', b, 10)], []);
    const average = byHand([a, b], [0.75, 0.25]);
    assertParameters(outcome.training!, average, 1e-6, 'training model = the example-weighted average');
    // The served model: mean predictions on the calibration set match the uniform prior...
    const served = await meanPrediction(outcome.served!);
    for (const p of served) assert.ok(Math.abs(p - 1 / 3) < 1e-4, `served mean prediction ${served.join(', ')}`);
    // ... which the average's do not (the test can tell), and only the output biases moved.
    const uncorrected = await meanPrediction(outcome.training!);
    assert.ok(Math.max(...uncorrected.map((p) => Math.abs(p - 1 / 3))) > 0.05, `the average is skewed: ${uncorrected.join(', ')}`);
    assert.deepStrictEqual(outcome.served!.layers.slice(0, -1), outcome.training!.layers.slice(0, -1));
    assert.deepStrictEqual(outcome.served!.layers.at(-1)!.kernel, outcome.training!.layers.at(-1)!.kernel);
    assert.equal(outcome.aggregator, 'fedavg-prior');
  });
});

describe('--train-from for kf-linear', () => {
  test('average: the served model is the fused one, clients train from the FedAvg average; served: no separate training model', async () => {
    const results = [fit('a', a, 30), fit('b', b, 10)];
    const fromAverage = await strategy('kf-linear', { trainFrom: 'average' }).aggregateFit(1, state, results, []);
    const fromServed = await strategy('kf-linear', { trainFrom: 'served' }).aggregateFit(1, state, results, []);
    assertParameters(fromAverage.training!, byHand([a, b], [0.75, 0.25]), 1e-6, 'training model');
    assert.deepStrictEqual(fromAverage.served, fromServed.served, 'the served model does not depend on where clients train from');
    assert.equal(fromServed.training, null);
    assert.equal((fromAverage.metrics as { trainFrom: string }).trainFrom, 'average');
  });

  test('fedavg ignores it: its served model is the average', async () => {
    const outcome = await strategy('fedavg', { trainFrom: 'average' }).aggregateFit(1, state, [fit('a', a, 30), fit('b', b, 10)], []);
    assert.equal(outcome.training, null);
    assertParameters(outcome.served!, byHand([a, b], [0.75, 0.25]), 1e-6, 'served');
  });
});

describe('scaffold', () => {
  const tiny = mlpSpec(2, [], 2);
  const net = (values: number[]): Network => ({ spec: tiny, layers: [{ kernel: Float32Array.from(values.slice(0, 4)), kernelShape: [2, 2], bias: Float32Array.from(values.slice(4)) }] });
  const flat = (n: Network): number[] => [...n.layers[0]!.kernel, ...n.layers[0]!.bias!];

  test('c <- c + (1/N) sum (c_i+ - c_i), N counting clients as they first take part: two rounds by hand', () => {
    const zero = net([0, 0, 0, 0, 0, 0]);
    const ca1 = net([1, 2, 3, 4, 5, 6]);
    const cb1 = net([3, 2, 1, 0, -1, -2]);
    // Round 1: both new (c_i = 0), N = 2: c = (ca1 + cb1) / 2.
    const r1 = updateServerVariate(zero, 0, [{ previous: null, next: ca1 }, { previous: null, next: cb1 }]);
    assert.equal(r1.clientsSeen, 2);
    assert.deepEqual(flat(r1.c), [2, 2, 2, 2, 2, 2]);
    // Round 2: a again (c_a = ca1 -> ca2) and a new client c (0 -> cc2), N = 3.
    const ca2 = net([4, 2, 3, 4, 5, 9]);
    const cc2 = net([0, 3, 0, 3, 0, 3]);
    const r2 = updateServerVariate(r1.c, r1.clientsSeen, [{ previous: ca1, next: ca2 }, { previous: null, next: cc2 }]);
    assert.equal(r2.clientsSeen, 3);
    // c = 2 + ((ca2 - ca1) + cc2) / 3 = 2 + ([3,0,0,0,0,3] + [0,3,0,3,0,3]) / 3
    assert.deepEqual(flat(r2.c).map((v) => Math.round(v * 1e6) / 1e6), [3, 3, 2, 3, 2, 4]);
  });

  test('the strategy: tasks carry c (and c_i once known); the model is FedAvg; the state keeps c and N; an update without c_i+ is left out', async () => {
    const s = strategy('scaffold');
    const start = initialGlobalState(net([0.1, 0.2, 0.3, 0.4, 0, 0]));
    const first = s.clientRecords!(1, start, { clientId: 'a', lastFused: null });
    assert.deepEqual(flat(networkOf(first, SCAFFOLD_SERVER_VARIATE)), [0, 0, 0, 0, 0, 0]);
    assert.equal(first.arrays.has(SCAFFOLD_CLIENT_VARIATE), false);

    const ya = net([1, 1, 1, 1, 1, 1]);
    const yb = net([3, 3, 3, 3, 3, 3]);
    const ca = net([1, 2, 3, 4, 5, 6]);
    const cb = net([3, 2, 1, 0, -1, -2]);
    const returned = (c: Network): RecordDict => recordDict({ [SCAFFOLD_CLIENT_VARIATE]: networkArrays(c) });
    const outcome = await s.aggregateFit(
      1,
      start,
      [fit('a', ya, 10, { records: returned(ca), taskRecords: first }), fit('b', yb, 30, { records: returned(cb), taskRecords: first }), fit('x', yb, 30, { taskRecords: first })],
      [],
    );
    assert.deepEqual(outcome.excluded!.map((e) => e.clientId), ['x'], 'x sent no control variate');
    assert.deepEqual(flat(outcome.served!), [2.5, 2.5, 2.5, 2.5, 2.5, 2.5], 'x = 0.25 ya + 0.75 yb');
    const next: GlobalState = { round: 1, served: outcome.served!, training: outcome.served!, strategyState: outcome.strategyState! };
    assert.deepEqual(flat(networkOf(next.strategyState, SCAFFOLD_SERVER_VARIATE)), [2, 2, 2, 2, 2, 2]);
    assert.equal(next.strategyState.configs.get('scaffold')!.get('clients'), 2);
    // Round 2's task for a: the new c and a's own c_i from its fused update.
    const second = s.clientRecords!(2, next, { clientId: 'a', lastFused: { round: 1, records: returned(ca) } });
    assert.deepEqual(flat(networkOf(second, SCAFFOLD_SERVER_VARIATE)), [2, 2, 2, 2, 2, 2]);
    assert.deepEqual(flat(networkOf(second, SCAFFOLD_CLIENT_VARIATE)), flat(ca));
  });
});

function networkOf(records: RecordDict, name: string): Network {
  const t = records.arrays.get(name)!;
  return { spec: mlpSpec(2, [], 2), layers: [{ kernel: Float32Array.from(t.get('layer0/kernel')!.values), kernelShape: [2, 2], bias: Float32Array.from(t.get('layer0/bias')!.values) }] };
}

describe('fednova', () => {
  test('x + tau_eff * sum p_i (y_i - x) / tau_i: two clients with 1 and 3 local steps, by hand', async () => {
    const tiny = mlpSpec(1, [], 1);
    const scalar = (v: number): Network => ({ spec: tiny, layers: [{ kernel: Float32Array.of(v), kernelShape: [1, 1], bias: Float32Array.of(v) }] });
    // p = (0.5, 0.5), tau = (1, 3), tau_eff = 2: x = 0 + 2 * (0.5 * 2 / 1 + 0.5 * 3 / 3) = 3 (FedAvg would give 2.5).
    const x = fedNovaAverage(scalar(0), [scalar(2), scalar(3)], [50, 50], [1, 3]);
    assert.ok(Math.abs(x.layers[0]!.kernel[0]! - 3) < 1e-6);
    // Equal step counts: FedAvg.
    const equal = fedNovaAverage(scalar(1), [scalar(2), scalar(4)], [25, 75], [4, 4]);
    assert.ok(Math.abs(equal.layers[0]!.bias![0]! - 3.5) < 1e-6);
    // Through the strategy, from the clients' step counts; an update without one is left out.
    const outcome = await strategy('fednova').aggregateFit(
      1,
      initialGlobalState(scalarNet(0)),
      [fit('a', scalarNet(2), 50, { localSteps: 1 }), fit('b', scalarNet(3), 50, { localSteps: 3 }), fit('c', scalarNet(9), 50, { localSteps: 0 })],
      [],
    );
    assert.ok(Math.abs(outcome.served!.layers[0]!.kernel[0]! - 3) < 1e-6);
    assert.deepEqual(outcome.excluded!.map((e) => e.clientId), ['c']);
  });
});

function scalarNet(v: number): Network {
  return { spec: mlpSpec(1, [], 1), layers: [{ kernel: Float32Array.of(v), kernelShape: [1, 1], bias: Float32Array.of(v) }] };
}

describe('feddf', () => {
  /** Mean KL(ensemble || model) on the calibration set, the ensemble being the clients' averaged logits (FedDF's AVGLOGITS). */
  async function klToEnsemble(model: Network, teachers: readonly Network[]): Promise<number> {
    const logits = await Promise.all([model, ...teachers].map((n) => networkLogits(n, calibration, SAMPLES)));
    return tf.tidy(() => {
      const classes = logits[0]!.length / SAMPLES;
      const m = tf.tensor2d(logits[0]!, [SAMPLES, classes]);
      const t = tf.addN(logits.slice(1).map((l) => tf.tensor2d(l, [SAMPLES, classes]))).div(teachers.length);
      const p = tf.softmax(t);
      const kl = tf.sum(tf.mul(p, tf.sub(tf.logSoftmax(t), tf.logSoftmax(m))), 1);
      return tf.mean(kl).dataSync()[0]!;
    });
  }

  test('the clients\' ensemble distilled into their average: the served model is closer to the ensemble than the average', async () => {
    const before = tf.memory().numTensors;
    const outcome = await strategy('feddf', { distillation: { maxSteps: 150 } }).aggregateFit(1, state, [fit('a', a, 30), fit('b', b, 10)], []);
    const avg = (await strategy('fedavg').aggregateFit(1, state, [fit('a', a, 30), fit('b', b, 10)], [])).served!;
    const klAverage = await klToEnsemble(avg, [a, b]);
    const klServed = await klToEnsemble(outcome.served!, [a, b]);
    assert.ok(klServed < klAverage * 0.9, `KL to the ensemble: average ${klAverage}, distilled ${klServed}`);
    assert.equal(outcome.training, null, 'FedDF trains from the distilled model by default');
    assert.ok((outcome.metrics as { distillation?: { steps: number } }).distillation!.steps > 0);
    assert.equal(tf.memory().numTensors, before, 'no tensor leaked');
  });
});
