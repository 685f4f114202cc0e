import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../common/backend/index.ts';

/**
 * A small CNN trains with model.fit on wasm (which needs our Conv2DBackpropFilter
 * and MaxPoolGrad) and one training step there gives the cpu backend's weights.
 */

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Images with a bright square in the quadrant named by the class, on noise: learnable by a CNN in a few epochs. */
function quadrantImages(count: number, side: number, seed: number): { x: Float32Array; labels: Int32Array } {
  const rand = lcg(seed);
  const x = new Float32Array(count * side * side);
  const labels = new Int32Array(count);
  const half = side / 2;
  const square = Math.max(2, Math.floor(side / 4));
  for (let n = 0; n < count; n++) {
    const label = n % 4;
    labels[n] = label;
    const top = (label >> 1) * half + Math.floor(rand() * (half - square));
    const left = (label & 1) * half + Math.floor(rand() * (half - square));
    for (let i = 0; i < side * side; i++) x[n * side * side + i] = 0.3 * rand();
    for (let r = top; r < top + square; r++)
      for (let c = left; c < left + square; c++) x[n * side * side + r * side + c] = 1;
  }
  return { x, labels };
}

function smallCnn(side: number, seed: number, activation: 'relu' | 'linear' = 'relu'): tf.Sequential {
  const init = (s: number) => tf.initializers.glorotUniform({ seed: seed + s });
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ inputShape: [side, side, 1], filters: 4, kernelSize: 3, padding: 'same', activation, kernelInitializer: init(1) }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.conv2d({ filters: 6, kernelSize: 3, padding: 'valid', activation, kernelInitializer: init(2) }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 4, activation: 'softmax', kernelInitializer: init(3) }));
  return model;
}

function dataset(count: number, side: number, seed: number): { xs: tf.Tensor4D; ys: tf.Tensor2D } {
  const { x, labels } = quadrantImages(count, side, seed);
  return tf.tidy(() => ({ xs: tf.tensor4d(x, [count, side, side, 1]), ys: tf.oneHot(tf.tensor1d(labels, 'int32'), 4).toFloat() as tf.Tensor2D }));
}

describe('CNN training on wasm', () => {
  before(async () => {
    assert.equal(await initBackend(), 'wasm');
  });

  test('the spec CNN (28x28x1, conv-pool-conv-pool-dense) loss decreases over a few epochs of model.fit', async () => {
    const model = smallCnn(28, 100);
    model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const { xs, ys } = dataset(128, 28, 1);
    const history = await model.fit(xs, ys, { epochs: 4, batchSize: 32, shuffle: false, verbose: 0 });
    const loss = history.history['loss']?.map(Number) ?? [];
    assert.equal(loss.length, 4);
    const first = loss[0] ?? NaN;
    const last = loss.at(-1) ?? NaN;
    assert.ok(Number.isFinite(last), `finite loss, got ${loss}`);
    assert.ok(last < 0.7 * first, `loss fell by at least 30%: ${loss.map((l) => l.toFixed(3)).join(' -> ')}`);

    // Leak check: a further fit (optimizer state exists by now) adds no tensors or wasm buffers.
    const tensorsBefore = tf.memory().numTensors;
    const buffersBefore = tf.backend().numDataIds();
    await model.fit(xs, ys, { epochs: 1, batchSize: 32, shuffle: false, verbose: 0 });
    assert.equal(tf.memory().numTensors, tensorsBefore);
    assert.equal(tf.backend().numDataIds(), buffersBefore);
    tf.dispose([xs, ys]);
    model.dispose();
  });

  for (const activation of ['relu', 'linear'] as const) {
    test(`one SGD step of model.fit (${activation} convolutions) gives the cpu backend's weights`, async () => {
      const side = 12;
      const train = async (backend: 'cpu' | 'wasm', initial: Float32Array[] | null) => {
        assert.equal(await tf.setBackend(backend), true);
        try {
          const model = smallCnn(side, 7, activation);
          if (initial !== null) model.setWeights(initial.map((v, i) => tf.tensor(v, model.getWeights()[i]?.shape)));
          const start = await Promise.all(model.getWeights().map((w) => w.data<'float32'>()));
          model.compile({ optimizer: tf.train.sgd(0.5), loss: 'categoricalCrossentropy' });
          const { xs, ys } = dataset(16, side, 3);
          await model.fit(xs, ys, { epochs: 1, batchSize: 16, shuffle: false, verbose: 0 });
          const end = await Promise.all(model.getWeights().map((w) => w.data<'float32'>()));
          tf.dispose([xs, ys]);
          model.dispose();
          return { start, end };
        } finally {
          await tf.setBackend('wasm');
        }
      };
      const wasm = await train('wasm', null);
      const cpu = await train('cpu', wasm.start);
      assert.equal(cpu.end.length, wasm.end.length);
      cpu.end.forEach((expected, i) => {
        const actual = wasm.end[i] ?? new Float32Array();
        const start = wasm.start[i] ?? new Float32Array();
        const moved = expected.reduce((m, v, j) => Math.max(m, Math.abs(v - (start[j] ?? 0))), 0);
        assert.ok(moved > 0, `weight ${i} changed in the step`);
        expected.forEach((e, j) => {
          const a = actual[j] ?? NaN;
          assert.ok(Math.abs(a - e) <= 1e-4 * moved + 1e-6, `weight ${i}[${j}]: wasm ${a}, cpu ${e} (step size ${moved})`);
        });
      });
    });
  }
});
