import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../common/backend/index.ts';
import { installWasmKernelFixes, FIXED_WASM_KERNELS } from '../common/backend/wasm-kernel-fixes.ts';
import { isReplacedWasmKernel, registeredWasmKernel } from '../common/backend/wasm-kernel-registry.ts';

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

function sized(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Runs `compute` on the named backend, returns its outputs' data, and switches back to wasm. */
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

function assertClose(actual: Float32Array, expected: Float32Array, what: string, rtol = 1e-4, atol = 1e-5): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i] ?? NaN;
    const e = expected[i] ?? NaN;
    assert.ok(Math.abs(a - e) <= atol + rtol * Math.abs(e), `${what}: element ${i} is ${a} on wasm, ${e} on cpu`);
  }
}

interface MatMulCase {
  /** Shapes of a and b as multiplied, before any transposition. */
  a: number[];
  b: number[];
}

const CASES: MatMulCase[] = [
  { a: [5, 7], b: [7, 3] },
  { a: [1, 9], b: [9, 4] },
  { a: [6, 1], b: [1, 5] },
  { a: [2, 5, 7], b: [2, 7, 3] },
  { a: [3, 4, 6], b: [1, 6, 5] },
  { a: [2, 3, 4, 6], b: [2, 3, 6, 2] },
];

function swapLast(shape: number[]): number[] {
  const s = [...shape];
  const r = s.length;
  [s[r - 2], s[r - 1]] = [s[r - 1] ?? 0, s[r - 2] ?? 0];
  return s;
}

/** The operand stored so that matMul with the flag gives the same product: stored transposed. */
function operand(shape: number[], transposed: boolean, seed: number): tf.Tensor {
  const plain = tf.tensor(values(sized(shape), seed), shape);
  if (!transposed) return plain;
  const perm = shape.map((_, i) => i);
  return tf.transpose(plain, swapLast(perm));
}

describe('wasm matMul with transpose flags equals cpu', () => {
  before(async () => {
    assert.equal(await initBackend(), 'wasm');
  });

  test('the fixes are registered for wasm', () => {
    for (const name of FIXED_WASM_KERNELS) assert.ok(isReplacedWasmKernel(name), `${name} replaced`);
  });

  test('installing again changes nothing', () => {
    const before = FIXED_WASM_KERNELS.map((name) => registeredWasmKernel(name)?.kernelFunc);
    installWasmKernelFixes();
    const after = FIXED_WASM_KERNELS.map((name) => registeredWasmKernel(name)?.kernelFunc);
    assert.deepEqual(after, before);
  });

  for (const c of CASES) {
    for (const transposeA of [false, true]) {
      for (const transposeB of [false, true]) {
        test(`matMul ${JSON.stringify(c.a)} x ${JSON.stringify(c.b)} transposeA=${transposeA} transposeB=${transposeB}`, async () => {
          const compute = () => {
            const a = operand(c.a, transposeA, 11);
            const b = operand(c.b, transposeB, 23);
            return [tf.matMul(a, b, transposeA, transposeB)];
          };
          const [cpu] = await computeOn('cpu', compute);
          const [wasm] = await computeOn('wasm', compute);
          assert.ok(cpu !== undefined && wasm !== undefined);
          // The expected product, independent of both backends' matMul, for the unbatched case.
          if (c.a.length === 2) {
            const [m = 0, k = 0] = c.a;
            const n = c.b[1] ?? 0;
            const av = values(m * k, 11);
            const bv = values(k * n, 23);
            const direct = new Float32Array(m * n);
            for (let i = 0; i < m; i++)
              for (let j = 0; j < n; j++) {
                let s = 0;
                for (let l = 0; l < k; l++) s += (av[i * k + l] ?? 0) * (bv[l * n + j] ?? 0);
                direct[i * n + j] = s;
              }
            assertClose(wasm, direct, 'wasm vs direct');
          }
          assertClose(wasm, cpu, 'wasm vs cpu');
        });
      }
    }
  }

  // The shipped wasm _FusedMatMul mis-adds the bias on batched operands; the
  // batch pairs cover one shared b (stacked path) and per-matrix products.
  for (const [batchA, batchB] of [[1, 1], [3, 1], [1, 3], [3, 3]] as const) {
    test(`fused matMul (bias + relu) batch ${batchA} x ${batchB} with every transpose flag equals cpu`, async () => {
      for (const transposeA of [false, true]) {
        for (const transposeB of [false, true]) {
          const compute = () => {
            const a = operand([batchA, 5, 8], transposeA, 5);
            const b = operand([batchB, 8, 4], transposeB, 6);
            const bias = tf.tensor1d(values(4, 7));
            return [tf.fused.matMul({ a, b, transposeA, transposeB, bias, activation: 'relu' })];
          };
          const [cpu] = await computeOn('cpu', compute);
          const [wasm] = await computeOn('wasm', compute);
          assert.ok(cpu !== undefined && wasm !== undefined);
          assert.ok(cpu.some((v) => v > 0) && cpu.some((v) => v === 0), 'relu is active on some outputs and not others');
          assertClose(wasm, cpu, `fused transposeA=${transposeA} transposeB=${transposeB}`);
        }
      }
    });
  }

  test('Dense-layer gradients (matMul with transpose flags in backprop) equal cpu', async () => {
    const compute = () => {
      const x = tf.tensor2d(values(6 * 10, 1), [6, 10]);
      const w = tf.tensor2d(values(10 * 4, 2), [10, 4]);
      const target = tf.tensor2d(values(6 * 4, 3), [6, 4]);
      return tf.grads((xx: tf.Tensor, ww: tf.Tensor) => tf.losses.meanSquaredError(target, tf.relu(tf.matMul(xx, ww))))([x, w]);
    };
    const cpu = await computeOn('cpu', compute);
    const wasm = await computeOn('wasm', compute);
    assert.equal(wasm.length, 2);
    wasm.forEach((g, i) => assertClose(g, cpu[i] ?? new Float32Array(), `gradient ${i}`));
  });

  test('no tensor or wasm buffer leaks', () => {
    const tensorsBefore = tf.memory().numTensors;
    const buffersBefore = tf.backend().numDataIds();
    for (const transposeA of [false, true]) {
      for (const transposeB of [false, true]) {
        tf.tidy(() => {
          const a = operand([2, 5, 7], transposeA, 1);
          const b = operand([2, 7, 3], transposeB, 2);
          tf.matMul(a, b, transposeA, transposeB);
          tf.fused.matMul({ a, b, transposeA, transposeB, bias: tf.ones([3]), activation: 'relu' });
        });
      }
    }
    assert.equal(tf.memory().numTensors, tensorsBefore);
    // Intermediates inside our kernels are invisible to tf.memory(); the backend counts them.
    assert.equal(tf.backend().numDataIds(), buffersBefore);
  });
});
