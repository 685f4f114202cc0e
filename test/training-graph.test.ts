import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../common/backend/index.ts';
import { batchOf, disposeNetworkTensors, networkToLayersModel, runGraph, toNetworkTensors, type ModelSpec, type Network } from '../common/model/index.ts';
import { trainNetwork, evaluateNetwork } from '../common/training/index.ts';
import { SeededRandom } from '../common/random/index.ts';
import { randomGraphNetwork, randomInputs, residualBatchNormSpec } from './graph-model-fixtures.ts';

/** Training through a layer graph: BatchNorm in training mode with its moving statistics, dropout seeded per batch. */

/** 32 images of 8x8: class 0 bright on the left half, class 1 on the right, class 2 at the top; noise elsewhere. */
function toyImages(seed: number): { images: Float32Array; labels: Int32Array; count: number } {
  const rng = new SeededRandom(seed);
  const count = 32;
  const images = new Float32Array(count * 64);
  const labels = new Int32Array(count);
  for (let n = 0; n < count; n++) {
    const label = n % 3;
    labels[n] = label;
    for (let y = 0; y < 8; y++) {
      for (let x = 0; x < 8; x++) {
        const lit = label === 0 ? x < 4 : label === 1 ? x >= 4 : y < 4;
        images[n * 64 + y * 8 + x] = (lit ? 0.8 : 0.1) + 0.2 * rng.next();
      }
    }
  }
  return { images, labels, count };
}

const withoutDropout = (spec: ModelSpec): ModelSpec => ({ ...spec, layers: spec.layers.map((l) => (l.kind === 'dropout' ? { ...l, rate: 0 } : l)) });

describe('training a layer graph', () => {
  before(async () => {
    await initBackend();
  });

  test('the training-mode forward pass (batch statistics) equals TF.js with training: true', async () => {
    const net = randomGraphNetwork(withoutDropout(residualBatchNormSpec()), 1);
    const x = randomInputs(net.spec, 6, 2);
    const tensors = toNetworkTensors(net);
    const ours = tf.tidy(() => runGraph(tensors, batchOf(net.spec, x, 6), { mode: { training: true } })[0]!);
    const model = networkToLayersModel(net);
    // The layer before the final softmax: the logits.
    const logitsModel = tf.model({ inputs: model.inputs, outputs: model.layers[model.layers.length - 2]!.output as tf.SymbolicTensor });
    const theirs = tf.tidy(() => logitsModel.apply(batchOf(net.spec, x, 6), { training: true }) as tf.Tensor);
    const [a, b] = await Promise.all([ours.data(), theirs.data()]);
    for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i]! - b[i]!) < 1e-4, `logit ${i}: ${a[i]} vs ${b[i]}`);
    tf.dispose([ours, theirs]);
    disposeNetworkTensors(tensors);
    model.dispose();
  });

  test('one full-batch step moves each moving mean by (1 - momentum) toward the batch mean', async () => {
    const spec = withoutDropout(residualBatchNormSpec());
    const net = randomGraphNetwork(spec, 3);
    const data = toyImages(4);
    // The statistics are taken in the forward pass, before the step: the first conv's output on the whole batch.
    const tensors = toNetworkTensors(net);
    const batchMean = tf.tidy(() => tf.mean(runGraph(tensors, batchOf(spec, data.images, data.count), { outputs: [0] })[0]!, [0, 1, 2]));
    const expectedMean = (await batchMean.data()) as Float32Array;
    tf.dispose(batchMean);
    disposeNetworkTensors(tensors);
    const before = net.layers[1]!.kernel;
    const { network } = await trainNetwork(net, data, { epochs: 1, batchSize: data.count, learningRate: 0.01, optimizer: 'sgd', seed: 1 });
    const after = network.layers[1]!.kernel;
    const c = 3;
    for (let j = 0; j < c; j++) {
      const want = 0.9 * before[2 * c + j]! + 0.1 * expectedMean[j]!;
      assert.ok(Math.abs(after[2 * c + j]! - want) < 1e-5, `moving mean ${j}: ${after[2 * c + j]} vs ${want}`);
    }
    assert.notEqual(after[0], before[0], 'gamma is trained');
  });

  test('a residual BatchNorm model with dropout learns a toy task; same seed, same weights; another seed, other masks', async () => {
    const spec = residualBatchNormSpec();
    const net = randomGraphNetwork(spec, 5);
    const data = toyImages(6);
    const options = { epochs: 6, batchSize: 8, learningRate: 0.02, optimizer: 'adam' as const, seed: 7 };
    const start = await evaluateNetwork(net, data.images, data.labels, data.count);
    const a = await trainNetwork(net, data, options);
    const end = await evaluateNetwork(a.network, data.images, data.labels, data.count);
    assert.ok(end.loss < start.loss * 0.7, `loss ${start.loss} -> ${end.loss}`);
    const again = await trainNetwork(net, data, options);
    assert.deepEqual(again.network, a.network);
    const other = await trainNetwork(net, data, { ...options, seed: 8 });
    assert.notDeepEqual(other.network.layers[0]!.kernel, a.network.layers[0]!.kernel);
  });

  test('FedProx on a BatchNorm model trains without leaking tensors', async () => {
    const net: Network = randomGraphNetwork(residualBatchNormSpec(), 9);
    const data = toyImages(10);
    const before = tf.memory().numTensors;
    const trained = await trainNetwork(net, data, { epochs: 1, batchSize: 16, learningRate: 0.01, optimizer: 'adam', seed: 1, proximalMu: 0.5 });
    assert.equal(tf.memory().numTensors, before);
    assert.ok(trained.network.layers.every((l) => l.kernel.every(Number.isFinite)));
  });
});
