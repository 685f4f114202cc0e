import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../common/backend/index.ts';
import { initNetwork, smallCnnSpec } from '../common/model/index.ts';
import { SeededRandom } from '../common/random/index.ts';
import { evaluateNetwork, trainNetwork, type LabeledSamples } from '../common/training/index.ts';

const SIDE = 8;
const spec = smallCnnSpec([SIDE, SIDE, 1], [4], 2);

/** Noisy 8x8 images with a bright 3x3 patch in the top-left (class 0) or bottom-right (class 1) quadrant, at a random spot. */
function patches(count: number, seed: number): LabeledSamples {
  const rng = new SeededRandom(seed);
  const images = new Float32Array(count * SIDE * SIDE);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const y = rng.int(2);
    labels[i] = y;
    const image = images.subarray(i * SIDE * SIDE, (i + 1) * SIDE * SIDE);
    for (let p = 0; p < image.length; p++) image[p] = 0.2 * rng.next();
    const top = (y === 0 ? 0 : 4) + rng.int(2);
    const left = (y === 0 ? 0 : 4) + rng.int(2);
    for (let r = top; r < top + 3; r++) for (let c = left; c < left + 3; c++) image[r * SIDE + c] = 1;
  }
  return { images, labels, count };
}

describe('trainNetwork on a CNN (active backend)', () => {
  before(async () => {
    await initBackend();
  });

  test('learns where the patch is, and leaks nothing', async () => {
    const train = patches(160, 1);
    const heldOut = patches(100, 2);
    const tensorsBefore = tf.memory().numTensors;
    const start = initNetwork(spec, 3);
    const { network, metrics } = await trainNetwork(start, train, { epochs: 6, batchSize: 16, learningRate: 0.02, optimizer: 'adam', seed: 4 });
    const before = await evaluateNetwork(start, heldOut.images, heldOut.labels, heldOut.count);
    const after = await evaluateNetwork(network, heldOut.images, heldOut.labels, heldOut.count);
    assert.ok(after.accuracy >= 0.95, `held-out accuracy ${before.accuracy} -> ${after.accuracy} (training ${metrics.accuracy})`);
    assert.ok(after.loss < before.loss);
    assert.equal(tf.memory().numTensors, tensorsBefore);
  });
});
