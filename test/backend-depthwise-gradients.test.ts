import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../common/backend/index.ts';

/**
 * The depthwise-convolution gradients added to the wasm backend
 * (wasm-depthwise-backprop.ts) against the cpu backend's, through tf.grads of
 * a weighted sum (so every output position gets its own dy), for both
 * paddings, both strides, depth multipliers 1 and 2, odd and even sizes.
 */
function values(count: number, seed: number): Float32Array {
  const out = new Float32Array(count);
  let s = seed >>> 0;
  for (let i = 0; i < count; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

const random = (shape: number[], seed: number): tf.Tensor => tf.tensor(values(shape.reduce((a, b) => a * b, 1), seed), shape);

interface Case {
  x: [number, number, number, number];
  filter: [number, number, number, number];
  strides: 1 | 2;
  pad: 'valid' | 'same';
}

const CASES: Case[] = [];
for (const pad of ['valid', 'same'] as const) {
  for (const strides of [1, 2] as const) {
    CASES.push({ x: [2, 7, 8, 3], filter: [3, 3, 3, 1], strides, pad });
    CASES.push({ x: [1, 6, 5, 2], filter: [2, 3, 2, 2], strides, pad });
  }
}

async function gradientsOn(backend: 'cpu' | 'wasm', c: Case): Promise<Float32Array[]> {
  assert.equal(await tf.setBackend(backend), true);
  try {
    const outs = tf.tidy(() => {
      const x = random(c.x, 1);
      const filter = random(c.filter, 2);
      const probe = tf.depthwiseConv2d(x as tf.Tensor4D, filter as tf.Tensor4D, c.strides, c.pad);
      const weights = random(probe.shape, 3);
      const loss = (xx: tf.Tensor, ff: tf.Tensor) => tf.sum(tf.mul(tf.depthwiseConv2d(xx as tf.Tensor4D, ff as tf.Tensor4D, c.strides, c.pad), weights));
      return tf.grads(loss)([x, filter]);
    });
    const data = await Promise.all(outs.map((t) => t.data<'float32'>()));
    tf.dispose(outs);
    return data;
  } finally {
    await tf.setBackend('wasm');
  }
}

describe('wasm depthwise convolution gradients', () => {
  before(async () => {
    await initBackend();
  });

  for (const c of CASES) {
    test(`x [${c.x}], filter [${c.filter}], stride ${c.strides}, ${c.pad}: dx and dW equal the cpu backend's`, async () => {
      const wasm = await gradientsOn('wasm', c);
      const cpu = await gradientsOn('cpu', c);
      for (const [k, what] of ['dx', 'dW'].entries()) {
        const e = cpu[k]!;
        const a = wasm[k]!;
        const scale = e.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
        assert.ok(scale > 0, `${what} not all zero`);
        for (let i = 0; i < e.length; i++) assert.ok(Math.abs(a[i]! - e[i]!) <= 1e-5 * scale, `${what} element ${i}: ${a[i]} vs ${e[i]}`);
      }
    });
  }
});
