import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../common/backend/index.ts';
import { isFedfuseError, type ErrorCode } from '../common/errors/index.ts';
import { batchOf, disposeNetworkTensors, forwardProbabilities, initNetwork, mlpSpec, toNetworkTensors, type Network } from '../common/model/index.ts';
import { SeededRandom } from '../common/random/index.ts';
import { evaluateNetwork, trainNetwork, type LabeledSamples, type TrainingOptions } from '../common/training/index.ts';

const FEATURES = 8;
const CLASSES = 3;
const spec = mlpSpec(FEATURES, [16], CLASSES);

/** Gaussian blobs around well-separated random centres: a problem a small MLP solves almost perfectly. */
function blobs(count: number, seed: number): LabeledSamples {
  const centres = new SeededRandom(1234);
  const centre = Array.from({ length: CLASSES }, () => Array.from({ length: FEATURES }, () => centres.next() * 4 - 2));
  const rng = new SeededRandom(seed);
  const images = new Float32Array(count * FEATURES);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const y = rng.int(CLASSES);
    labels[i] = y;
    for (let f = 0; f < FEATURES; f++) images[i * FEATURES + f] = centre[y]![f]! + 0.4 * rng.normal();
  }
  return { images, labels, count };
}

function distance(a: Network, b: Network): number {
  let sum = 0;
  a.layers.forEach((layer, l) => {
    const other = b.layers[l]!;
    layer.kernel.forEach((v, i) => (sum += (v - other.kernel[i]!) ** 2));
    layer.bias?.forEach((v, i) => (sum += (v - other.bias![i]!) ** 2));
  });
  return Math.sqrt(sum);
}

function maxAbsDifference(a: Network, b: Network): number {
  let max = 0;
  a.layers.forEach((layer, l) => {
    layer.kernel.forEach((v, i) => (max = Math.max(max, Math.abs(v - b.layers[l]!.kernel[i]!))));
    layer.bias?.forEach((v, i) => (max = Math.max(max, Math.abs(v - b.layers[l]!.bias![i]!))));
  });
  return max;
}

function expectError(code: ErrorCode, pattern: RegExp): (e: unknown) => boolean {
  return (e) => isFedfuseError(e, code) && pattern.test(e.message);
}

const base: TrainingOptions = { epochs: 8, batchSize: 32, learningRate: 0.01, optimizer: 'adam', seed: 1 };

describe('trainNetwork', () => {
  const train = blobs(300, 1);
  const heldOut = blobs(200, 2);

  before(async () => {
    await initBackend();
  });

  test('decreases the loss epoch by epoch and learns a separable problem', async () => {
    const losses: number[] = [];
    const start = initNetwork(spec, 3);
    const before = await evaluateNetwork(start, heldOut.images, heldOut.labels, heldOut.count);
    const { network, metrics } = await trainNetwork(start, train, { ...base, onEpochEnd: (_, m) => void losses.push(m.loss) });
    assert.equal(losses.length, base.epochs);
    assert.ok(losses[losses.length - 1]! < 0.5 * losses[0]!, `losses ${losses.join(', ')}`);
    assert.equal(metrics.loss, losses[losses.length - 1]);
    assert.ok(metrics.accuracy > 0.95, `training accuracy ${metrics.accuracy}`);
    assert.ok(metrics.seconds > 0);
    const after = await evaluateNetwork(network, heldOut.images, heldOut.labels, heldOut.count);
    assert.ok(after.accuracy > 0.95 && after.accuracy > before.accuracy, `held-out accuracy ${before.accuracy} -> ${after.accuracy}`);
    assert.ok(after.loss < before.loss);
    assert.notEqual(network.layers[0]!.kernel, start.layers[0]!.kernel, 'the input network is left untouched');
  });

  test('plain SGD learns too', async () => {
    const { network } = await trainNetwork(initNetwork(spec, 4), train, { ...base, optimizer: 'sgd', learningRate: 0.1 });
    const { accuracy } = await evaluateNetwork(network, heldOut.images, heldOut.labels, heldOut.count);
    assert.ok(accuracy > 0.9, `accuracy ${accuracy}`);
  });

  test('the same seed gives the same weights; another seed (another batch order) does not', async () => {
    const start = initNetwork(spec, 5);
    const options = { ...base, epochs: 2, optimizer: 'sgd' as const, learningRate: 0.05 };
    const a = await trainNetwork(start, train, options);
    const b = await trainNetwork(start, train, options);
    const c = await trainNetwork(start, train, { ...options, seed: 2 });
    assert.deepEqual(a.network.layers, b.network.layers);
    assert.ok(maxAbsDifference(a.network, c.network) > 1e-4);
  });

  test('a huge proximal mu keeps the weights near the start', async () => {
    const start = initNetwork(spec, 6);
    const free = await trainNetwork(start, train, base);
    const held = await trainNetwork(start, train, { ...base, proximalMu: 1000 });
    const freeDrift = distance(free.network, start);
    const heldDrift = distance(held.network, start);
    assert.ok(heldDrift < 0.05 * freeDrift, `drift with mu=1000 ${heldDrift}, without ${freeDrift}`);
  });

  test('the proximal gradient is mu * (w - w_start): one full-batch SGD step matches the formula', async () => {
    // Full batch, so the order does not matter. Step 1 from w0: the proximal gradient is zero there.
    // Step 2 from w1: w2 = w1 - lr * (grad CE(w1) + mu * (w1 - w0)), and w1 - lr * grad CE(w1) is
    // what one plain step from w1 gives.
    const lr = 0.1;
    const mu = 0.7;
    const full = { ...base, batchSize: train.count, optimizer: 'sgd' as const, learningRate: lr };
    const w0 = initNetwork(spec, 7);
    const w1 = (await trainNetwork(w0, train, { ...full, epochs: 1 })).network;
    const plainFromW1 = (await trainNetwork(w1, train, { ...full, epochs: 1 })).network;
    const w2 = (await trainNetwork(w0, train, { ...full, epochs: 2, proximalMu: mu })).network;
    const expected: Network = {
      spec,
      layers: plainFromW1.layers.map((layer, l) => ({
        kernel: layer.kernel.map((v, i) => v - lr * mu * (w1.layers[l]!.kernel[i]! - w0.layers[l]!.kernel[i]!)),
        kernelShape: layer.kernelShape,
        bias: layer.bias!.map((v, i) => v - lr * mu * (w1.layers[l]!.bias![i]! - w0.layers[l]!.bias![i]!)),
      })),
    };
    assert.ok(maxAbsDifference(w2, expected) < 1e-5, `max difference ${maxAbsDifference(w2, expected)}`);
    assert.ok(maxAbsDifference(w2, plainFromW1) > 1e-4, 'the proximal term must change the step');
  });

  test('leaks no tensors (adam, proximal term, evaluation)', async () => {
    const before = tf.memory().numTensors;
    const { network } = await trainNetwork(initNetwork(spec, 8), train, { ...base, epochs: 1, proximalMu: 0.1 });
    await evaluateNetwork(network, heldOut.images, heldOut.labels, heldOut.count, { batchSize: 64 });
    assert.equal(tf.memory().numTensors, before);
  });

  test('rejects bad options and data with typed errors', async () => {
    const net = initNetwork(spec, 9);
    await assert.rejects(trainNetwork(net, train, { ...base, epochs: 0 }), expectError('invalid_argument', /epochs/));
    await assert.rejects(trainNetwork(net, train, { ...base, learningRate: -1 }), expectError('invalid_argument', /learningRate/));
    await assert.rejects(trainNetwork(net, train, { ...base, proximalMu: NaN }), expectError('invalid_argument', /proximalMu/));
    const badLabel = { ...train, labels: train.labels.map((y, i) => (i === 5 ? CLASSES : y)) };
    await assert.rejects(trainNetwork(net, badLabel, base), expectError('invalid_argument', /label 5/));
    const short = { ...train, images: train.images.subarray(1) };
    await assert.rejects(trainNetwork(net, short, base), expectError('shape_mismatch', /image values/));
  });

  test('a diverging run is reported, not returned', async () => {
    await assert.rejects(
      trainNetwork(initNetwork(spec, 10), train, { ...base, optimizer: 'sgd', learningRate: 1e30 }),
      expectError('non_finite', /diverged/),
    );
  });
});

describe('evaluateNetwork', () => {
  before(async () => {
    await initBackend();
  });

  test('matches accuracy and cross-entropy computed sample by sample, whatever the batch size', async () => {
    const data = blobs(53, 11);
    const net = initNetwork(spec, 12);
    const weights = toNetworkTensors(net);
    const probabilitiesT = tf.tidy(() => forwardProbabilities(weights, batchOf(spec, data.images, data.count)));
    const p = await probabilitiesT.data();
    probabilitiesT.dispose();
    disposeNetworkTensors(weights);
    let loss = 0;
    let correct = 0;
    for (let i = 0; i < data.count; i++) {
      const row = Array.from(p.subarray(i * CLASSES, (i + 1) * CLASSES));
      loss -= Math.log(row[data.labels[i]!]!);
      if (row.indexOf(Math.max(...row)) === data.labels[i]) correct++;
    }
    for (const batchSize of [1, 7, 512]) {
      const m = await evaluateNetwork(net, data.images, data.labels, data.count, { batchSize });
      assert.equal(m.accuracy, correct / data.count, `batch ${batchSize}`);
      assert.ok(Math.abs(m.loss - loss / data.count) < 1e-5, `batch ${batchSize}: loss ${m.loss} vs ${loss / data.count}`);
    }
  });

  test('accepts Uint8Array labels', async () => {
    const data = blobs(20, 13);
    const net = initNetwork(spec, 14);
    const asInt = await evaluateNetwork(net, data.images, data.labels, data.count);
    const asBytes = await evaluateNetwork(net, data.images, Uint8Array.from(data.labels), data.count);
    assert.deepEqual(asBytes, asInt);
  });
});
