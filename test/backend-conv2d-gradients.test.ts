import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../common/backend/index.ts';
import { isFedfuseError } from '../common/errors/index.ts';
import { makeConv2DBackpropFilter } from '../common/backend/wasm-conv2d-backprop-filter.ts';
import { makeConv2DBackpropInput } from '../common/backend/wasm-conv2d-backprop-input.ts';
import { shippedWasmKernel } from '../common/backend/wasm-kernel-registry.ts';

/** Deterministic values in [-1, 1) so both backends see the same inputs. */
function values(count: number, seed: number): Float32Array {
  const out = new Float32Array(count);
  let s = seed >>> 0;
  for (let i = 0; i < count; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

function random(shape: number[], seed: number): tf.Tensor {
  return tf.tensor(values(shape.reduce((a, b) => a * b, 1), seed), shape);
}

async function computeOn(backend: 'cpu' | 'wasm', compute: () => tf.Tensor[]): Promise<Float32Array[]> {
  assert.equal(await tf.setBackend(backend), true);
  try {
    const outs = tf.tidy(compute);
    const data = await Promise.all(outs.map((t) => t.data<'float32'>()));
    tf.dispose(outs);
    return data;
  } finally {
    await tf.setBackend('wasm');
  }
}

/** Tolerance relative to the largest magnitude: gradients are sums of many float32 products. */
function assertClose(actual: Float32Array | undefined, expected: Float32Array | undefined, what: string): void {
  assert.ok(actual !== undefined && expected !== undefined, `${what}: computed`);
  assert.equal(actual.length, expected.length, `${what}: length`);
  const scale = expected.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  assert.ok(scale > 0, `${what}: not all zero`);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i] ?? NaN;
    const e = expected[i] ?? NaN;
    assert.ok(Math.abs(a - e) <= 1e-5 * scale + 1e-4 * Math.abs(e), `${what}: element ${i} is ${a} on wasm, ${e} on cpu`);
  }
}

type Pad = 'valid' | 'same' | [[number, number], [number, number], [number, number], [number, number]];

interface ConvCase {
  x: [number, number, number, number];
  filter: [number, number, number, number];
  strides: number | [number, number];
  pad: Pad;
}

/** Odd and even sizes, odd and even filters (even filters with 'same' pad unevenly), both strides. */
const CASES: ConvCase[] = [];
for (const pad of ['valid', 'same'] as const) {
  for (const strides of [1, 2] as const) {
    CASES.push({ x: [2, 7, 9, 3], filter: [3, 3, 3, 4], strides, pad });
    CASES.push({ x: [3, 8, 5, 2], filter: [2, 3, 2, 5], strides, pad });
  }
}
CASES.push({ x: [2, 9, 7, 1], filter: [3, 3, 1, 2], strides: [2, 1], pad: 'same' });
CASES.push({ x: [1, 6, 6, 2], filter: [1, 1, 2, 3], strides: 2, pad: 'valid' });
CASES.push({ x: [2, 5, 6, 2], filter: [3, 2, 2, 3], strides: 1, pad: [[0, 0], [1, 2], [0, 1], [0, 0]] });

/** Gradients of a weighted sum of conv2d(x, filter), so every output position gets its own dy. */
function convGradients(c: ConvCase): () => tf.Tensor[] {
  return () => {
    const x = random(c.x, 3);
    const filter = random(c.filter, 5);
    const y = tf.conv2d(x as tf.Tensor4D, filter as tf.Tensor4D, c.strides, c.pad);
    const weights = random(y.shape, 7);
    const loss = (xx: tf.Tensor, ff: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(xx as tf.Tensor4D, ff as tf.Tensor4D, c.strides, c.pad), weights));
    const [dx, dFilter] = tf.grads(loss)([x, filter]);
    if (dx === undefined || dFilter === undefined) throw new Error('missing gradient');
    return [y, dx, dFilter];
  };
}

describe('conv2d forward and gradients on wasm equal cpu', () => {
  before(async () => {
    assert.equal(await initBackend(), 'wasm');
  });

  for (const c of CASES) {
    test(`x ${JSON.stringify(c.x)} filter ${JSON.stringify(c.filter)} strides ${JSON.stringify(c.strides)} pad ${JSON.stringify(c.pad)}`, async () => {
      const [cpuY, cpuDx, cpuDf] = await computeOn('cpu', convGradients(c));
      const [wasmY, wasmDx, wasmDf] = await computeOn('wasm', convGradients(c));
      assertClose(wasmY, cpuY, 'conv2d output');
      assertClose(wasmDx, cpuDx, 'gradient w.r.t. input (Conv2DBackpropInput)');
      assertClose(wasmDf, cpuDf, 'gradient w.r.t. filter (Conv2DBackpropFilter)');
    });
  }

  test('the filter gradient of a 1x1 convolution is xᵀ·dy, computed directly', async () => {
    // Independent of both backends' kernels: dW[c, o] = Σ over positions of x[·, c] · dy[·, o].
    const [n, h, w, cin, cout] = [2, 3, 4, 3, 2];
    const xv = values(n * h * w * cin, 9);
    const dyv = values(n * h * w * cout, 10);
    const expected = new Float32Array(cin * cout);
    for (let p = 0; p < n * h * w; p++)
      for (let c = 0; c < cin; c++)
        for (let o = 0; o < cout; o++) expected[c * cout + o] = (expected[c * cout + o] ?? 0) + (xv[p * cin + c] ?? 0) * (dyv[p * cout + o] ?? 0);
    const out = tf.tidy(() =>
      tf.engine().runKernel<tf.Tensor>(tf.Conv2DBackpropFilter, { x: tf.tensor(xv, [n, h, w, cin]), dy: tf.tensor(dyv, [n, h, w, cout]) }, {
        strides: 1,
        pad: 'valid',
        dataFormat: 'NHWC',
        filterShape: [1, 1, cin, cout],
      }),
    );
    assert.deepEqual(out.shape, [1, 1, cin, cout]);
    assertClose(await out.data<'float32'>(), expected, '1x1 filter gradient');
    out.dispose();
  });

  test('a batch larger than the patch budget is split into chunks with the same gradients', async () => {
    const batchMatMul = shippedWasmKernel(tf.BatchMatMul)?.kernelFunc;
    assert.ok(batchMatMul !== undefined);
    // 3x3x2 cells x 3x3 positions (stride 2, same) = 162 floats per sample: a budget of 400 gives chunks of 2 samples.
    const budget = 400;
    const x = random([5, 6, 5, 2], 1);
    const filter = random([3, 3, 2, 4], 2);
    const dy = random([5, 3, 3, 4], 3);
    const common = { strides: 2, pad: 'same', dataFormat: 'NHWC' };
    const backend = tf.backend();
    const run = (info: tf.TensorInfo | tf.TensorInfo[]) => {
      assert.ok(!Array.isArray(info));
      return tf.engine().makeTensorFromTensorInfo(info);
    };
    const dwWhole = tf.engine().runKernel<tf.Tensor>(tf.Conv2DBackpropFilter, { x, dy }, { ...common, filterShape: [3, 3, 2, 4] });
    const dwSplit = run(makeConv2DBackpropFilter(batchMatMul, budget)({ inputs: { x, dy }, backend, attrs: { ...common, filterShape: [3, 3, 2, 4] } }));
    const dxWhole = tf.engine().runKernel<tf.Tensor>(tf.Conv2DBackpropInput, { dy, filter }, { ...common, inputShape: [5, 6, 5, 2] });
    const dxSplit = run(makeConv2DBackpropInput(batchMatMul, budget)({ inputs: { dy, filter }, backend, attrs: { ...common, inputShape: [5, 6, 5, 2] } }));
    assertClose(await dwSplit.data<'float32'>(), await dwWhole.data<'float32'>(), 'chunked vs whole filter gradient');
    assertClose(await dxSplit.data<'float32'>(), await dxWhole.data<'float32'>(), 'chunked vs whole input gradient');
    tf.dispose([x, filter, dy, dwWhole, dwSplit, dxWhole, dxSplit]);
  });

  test('NCHW, dilations other than 1 and mismatched shapes are rejected with typed errors', () => {
    const x = random([1, 4, 4, 1], 1);
    const dy = random([1, 4, 4, 1], 2);
    const attrs = { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 1, 1] };
    assert.throws(() => tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy }, { ...attrs, dataFormat: 'NCHW' }), (e) => isFedfuseError(e, 'invalid_argument') && /NHWC/.test(e.message));
    assert.throws(() => tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy }, { ...attrs, dilations: 2 }), (e) => isFedfuseError(e, 'invalid_argument') && /dilation/.test(e.message));
    assert.throws(
      () => tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy: random([1, 2, 2, 1], 3) }, attrs),
      (e) => isFedfuseError(e, 'shape_mismatch'),
    );
    const filter = random([3, 3, 1, 1], 4);
    const inputAttrs = { strides: 1, pad: 'same', dataFormat: 'NHWC', inputShape: [1, 4, 4, 1] };
    assert.throws(() => tf.engine().runKernel(tf.Conv2DBackpropInput, { dy, filter }, { ...inputAttrs, dataFormat: 'NCHW' }), (e) => isFedfuseError(e, 'invalid_argument') && /NHWC/.test(e.message));
    assert.throws(() => tf.engine().runKernel(tf.Conv2DBackpropInput, { dy, filter }, { ...inputAttrs, dilations: [1, 2] }), (e) => isFedfuseError(e, 'invalid_argument') && /dilation/.test(e.message));
    assert.throws(() => tf.engine().runKernel(tf.Conv2DBackpropInput, { dy, filter }, { ...inputAttrs, inputShape: [1, 6, 6, 1] }), (e) => isFedfuseError(e, 'shape_mismatch'));
    tf.dispose([x, dy, filter]);
  });

  for (const pad of ['valid', 'same'] as const) {
    test(`maxPool 2x2 gradient (pad ${pad}, odd size) equals cpu`, async () => {
      const compute = () => {
        // Values in [-1, 1): some windows are all negative, which the shipped wasm MaxPoolGrad gets wrong.
        const x = random([2, 7, 5, 3], 4);
        const y = tf.maxPool(x as tf.Tensor4D, 2, 2, pad);
        const weights = random(y.shape, 8);
        const g = tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(xx as tf.Tensor4D, 2, 2, pad), weights)))(x);
        const r = tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(tf.relu(xx), x)))(x);
        return [y, g, r];
      };
      const [cpuY, cpuPool, cpuRelu] = await computeOn('cpu', compute);
      const [wasmY, wasmPool, wasmRelu] = await computeOn('wasm', compute);
      assertClose(wasmY, cpuY, 'maxPool output');
      assertClose(wasmPool, cpuPool, 'maxPool gradient');
      assertClose(wasmRelu, cpuRelu, 'relu gradient');
    });
  }

  test('maxPool gradient of all-negative or tied windows goes to their first maximum', async () => {
    // Written out by hand: one 2x2 window per channel, maxima at different cells.
    const x = tf.tensor4d([-4, -1, -3, -2, -2, -3, -1, -4], [1, 2, 2, 2]);
    const dx = tf.grad((xx: tf.Tensor) => tf.sum(tf.maxPool(xx as tf.Tensor4D, 2, 2, 'valid')))(x);
    assert.deepEqual(Array.from(await dx.data()), [0, 1, 0, 0, 0, 0, 1, 0]);
    // Ties (common after a ReLU: all zeros) go to the first maximum, as on cpu.
    const tied = tf.tensor4d([3, 1, 0, 0, 3, 2, 0, 0], [1, 2, 4, 1]);
    const dTied = tf.grad((xx: tf.Tensor) => tf.sum(tf.maxPool(xx as tf.Tensor4D, 2, 2, 'valid')))(tied);
    assert.deepEqual(Array.from(await dTied.data()), [1, 0, 1, 0, 0, 0, 0, 0]);
    tf.dispose([x, dx, tied, dTied]);
  });

  test('no tensor or wasm buffer leaks', () => {
    const c = CASES[0];
    assert.ok(c !== undefined);
    tf.dispose(tf.tidy(convGradients(c))); // warm-up: first calls may cache
    const tensorsBefore = tf.memory().numTensors;
    const buffersBefore = tf.backend().numDataIds();
    for (const k of CASES) tf.dispose(tf.tidy(convGradients(k)));
    tf.dispose(tf.tidy(() => tf.grad((x: tf.Tensor) => tf.sum(tf.maxPool(x as tf.Tensor4D, 2, 2, 'same')))(random([2, 5, 5, 2], 1))));
    assert.equal(tf.memory().numTensors, tensorsBefore);
    assert.equal(tf.backend().numDataIds(), buffersBefore);
  });
});
