import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../common/backend/index.ts';
import { SeededRandom } from '../common/random/index.ts';
import {
  choleskyInPlace,
  choleskySolveInPlace,
  gramOfColumns,
  gramOfRows,
  invertLower,
  ridgeLambda,
  RidgeSystem,
  solveRidge,
} from '../server/fusion/linalg/index.ts';
import { transposeTimes } from '../server/fusion/linalg/gram.ts';

function gaussianMatrix(rows: number, cols: number, random: SeededRandom): Float32Array {
  return Float32Array.from({ length: rows * cols }, () => random.normal());
}

/** Independent reference: Gaussian elimination with partial pivoting on (A | B), A n x n, B n x m. */
function gaussSolve(a: Float64Array, n: number, b: Float64Array, m: number): Float64Array {
  const A = Float64Array.from(a);
  const B = Float64Array.from(b);
  for (let col = 0; col < n; col++) {
    let p = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(A[r * n + col]!) > Math.abs(A[p * n + col]!)) p = r;
    for (let c = 0; c < n; c++) [A[col * n + c], A[p * n + c]] = [A[p * n + c]!, A[col * n + c]!];
    for (let c = 0; c < m; c++) [B[col * m + c], B[p * m + c]] = [B[p * m + c]!, B[col * m + c]!];
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = A[r * n + col]! / A[col * n + col]!;
      for (let c = 0; c < n; c++) A[r * n + c]! -= f * A[col * n + c]!;
      for (let c = 0; c < m; c++) B[r * m + c]! -= f * B[col * m + c]!;
    }
  }
  for (let r = 0; r < n; r++) for (let c = 0; c < m; c++) B[r * m + c]! /= A[r * n + r]!;
  return B;
}

function matMul64(a: ArrayLike<number>, n: number, k: number, b: ArrayLike<number>, m: number): Float64Array {
  const out = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let t = 0; t < k; t++) for (let j = 0; j < m; j++) out[i * m + j]! += a[i * k + t]! * b[t * m + j]!;
  return out;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
}

before(async () => {
  await initBackend();
});

describe('cholesky', () => {
  test('factors a random SPD matrix and solves with it', () => {
    const random = new SeededRandom(1);
    const n = 7;
    const x = gaussianMatrix(12, n, random);
    const a = gramOfColumns(x, 12, n);
    const l = Float64Array.from(a);
    assert.equal(choleskyInPlace(l, n), true);
    // L Lᵀ = A and L is lower triangular.
    const lt = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) lt[i * n + j] = l[j * n + i]!;
    assert.ok(maxAbsDiff(matMul64(l, n, n, lt, n), a) < 1e-10);
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) assert.equal(l[i * n + j], 0);
    const b = Float64Array.from({ length: n * 3 }, () => random.normal());
    const y = Float64Array.from(b);
    choleskySolveInPlace(l, n, y, 3);
    assert.ok(maxAbsDiff(y, gaussSolve(a, n, b, 3)) < 1e-9);
    // L⁻¹ L = I.
    const eye = matMul64(invertLower(l, n), n, n, l, n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) assert.ok(Math.abs(eye[i * n + j]! - (i === j ? 1 : 0)) < 1e-10);
  });

  test('reports a matrix that is not positive definite', () => {
    const a = Float64Array.from([1, 2, 2, 1]);
    assert.equal(choleskyInPlace(a, 2), false);
  });

  test('Float64 Grams match a naive product, with and without zero entries', () => {
    const random = new SeededRandom(2);
    const rows = 9;
    const cols = 6;
    const x = gaussianMatrix(rows, cols, random).map((v) => (v < 0 ? 0 : v));
    const xt = new Float64Array(cols * rows);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) xt[c * rows + r] = x[r * cols + c]!;
    assert.ok(maxAbsDiff(gramOfColumns(x, rows, cols), matMul64(xt, cols, rows, x, cols)) < 1e-12);
    assert.ok(maxAbsDiff(gramOfRows(x, rows, cols), matMul64(x, rows, cols, xt, rows)) < 1e-12);
  });

  // gramOfColumns works on blocks of 8 rows and pairs of columns, transposeTimes on 4 rows and pairs of columns,
  // each with paths for all-zero columns of a block: every remainder of rows and columns, and zeros that cover
  // one column of a pair, both, or none (blank pixels, dead ReLUs), against a plain triple loop.
  test('XᵀX and XᵀT by blocks equal the plain products for every row and column remainder and zero pattern', () => {
    const random = new SeededRandom(3);
    const patterns: [string, (r: number, c: number) => boolean][] = [
      ['dense', () => true],
      ['half zeros', () => random.next() < 0.5],
      ['even columns always zero', (_r, c) => c % 2 === 1],
      ['odd columns always zero', (_r, c) => c % 2 === 0],
      ['zero rows 0-7 in every other column', (r, c) => c % 2 === 0 || r >= 8],
      ['one column nonzero', (_r, c) => c === 2],
    ];
    for (const rows of [1, 3, 4, 7, 8, 9, 16, 21]) {
      for (const cols of [1, 2, 3, 6, 7]) {
        for (const [name, keep] of patterns) {
          const x = Float32Array.from({ length: rows * cols }, (_, i) => (keep(Math.floor(i / cols), i % cols) ? random.normal() : 0));
          const xt = new Float64Array(cols * rows);
          for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) xt[c * rows + r] = x[r * cols + c]!;
          const what = `${rows} x ${cols}, ${name}`;
          assert.ok(maxAbsDiff(gramOfColumns(x, rows, cols), matMul64(xt, cols, rows, x, cols)) < 1e-12, `XᵀX ${what}`);
          for (const m of [1, 3]) {
            const t = Float64Array.from({ length: rows * m }, () => random.normal());
            assert.ok(maxAbsDiff(transposeTimes(x, rows, cols, t, m), matMul64(xt, cols, rows, t, m)) < 1e-12, `XᵀT ${what}, m = ${m}`);
          }
        }
      }
    }
  });
});

describe('ridge least squares', () => {
  test('λ is the relative factor times the mean eigenvalue (trace / columns)', () => {
    assert.equal(ridgeLambda(200, 4, 1e-3), 0.05);
    assert.equal(ridgeLambda(0, 4, 1e-3), 1);
  });

  test('recovers known weights of an over-determined full-rank problem (primal form)', () => {
    const random = new SeededRandom(3);
    const rows = 40;
    const cols = 6;
    const m = 3;
    const x = gaussianMatrix(rows, cols, random);
    const w = Float64Array.from({ length: cols * m }, () => random.normal());
    const t = matMul64(x, rows, cols, w, m);
    const system = RidgeSystem.create(x, rows, cols, { relativeLambda: 1e-10 });
    assert.equal(system.form, 'primal');
    assert.ok(maxAbsDiff(system.solve(t, m), w) < 1e-6);
  });

  test('equals the closed-form ridge solution (XᵀX + λI)⁻¹XᵀT in both forms', () => {
    const random = new SeededRandom(4);
    for (const [rows, cols] of [
      [10, 4],
      [4, 10],
    ] as const) {
      const x = gaussianMatrix(rows, cols, random);
      const t = Float64Array.from({ length: rows * 2 }, () => random.normal());
      const system = RidgeSystem.create(x, rows, cols, { relativeLambda: 0.1 });
      assert.equal(system.form, rows < cols ? 'dual' : 'primal');
      const g = gramOfColumns(x, rows, cols);
      for (let i = 0; i < cols; i++) g[i * cols + i]! += system.lambda;
      const xt = new Float64Array(cols * rows);
      for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) xt[c * rows + r] = x[r * cols + c]!;
      const expected = gaussSolve(g, cols, matMul64(xt, cols, rows, t, 2), 2);
      assert.ok(maxAbsDiff(system.solve(t, 2), expected) < 1e-9, `${rows} x ${cols}`);
    }
  });

  test('rank-deficient X (zero and duplicated columns, fewer rows than columns) fits targets in its column space', () => {
    const random = new SeededRandom(5);
    const rows = 6;
    const cols = 10;
    const x = gaussianMatrix(rows, cols, random);
    for (let r = 0; r < rows; r++) {
      x[r * cols + 2] = 0; // an always-zero pixel
      x[r * cols + 7] = x[r * cols + 3]!; // a duplicated input
    }
    const wTrue = Float64Array.from({ length: cols }, () => random.normal());
    const t = matMul64(x, rows, cols, wTrue, 1);
    const w = solveRidge(x, rows, cols, t, 1, { relativeLambda: 1e-9 });
    assert.ok(maxAbsDiff(matMul64(x, rows, cols, w, 1), t) < 1e-6);
    assert.equal(w[2], 0, 'a column that is always zero gets weight 0');
    assert.ok(Math.abs(w[7]! - w[3]!) < 1e-9, 'duplicated columns share the weight');
  });

  test('fitted coordinates preserve distances between fitted activations, without leaking tensors', async () => {
    const random = new SeededRandom(6);
    for (const [rows, cols] of [
      [30, 5],
      [5, 12],
    ] as const) {
      const x = gaussianMatrix(rows, cols, random);
      const m = 4;
      const a = gaussianMatrix(rows, m, random);
      const system = RidgeSystem.create(x, rows, cols, { relativeLambda: 1e-8 });
      const before = tf.memory().numTensors;
      const aTensor = tf.tensor2d(a, [rows, m]);
      const coords = system.fittedCoordinates(aTensor);
      const values = await coords.data();
      tf.dispose([aTensor, coords]);
      assert.equal(tf.memory().numTensors, before);
      assert.deepEqual(coords.shape, [m, system.coordinateDimension]);
      const fitted = matMul64(x, rows, cols, system.solve(Float64Array.from(a), m), m);
      const dim = system.coordinateDimension;
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < m; j++) {
          let dc = 0;
          for (let d = 0; d < dim; d++) dc += (values[i * dim + d]! - values[j * dim + d]!) ** 2;
          let df = 0;
          for (let r = 0; r < rows; r++) df += (fitted[r * m + i]! - fitted[r * m + j]!) ** 2;
          assert.ok(Math.abs(Math.sqrt(dc) - Math.sqrt(df)) < 1e-4 * (1 + Math.sqrt(df)), `${rows}x${cols} pair ${i},${j}`);
        }
      }
    }
  });

  test('bad shapes and options give typed errors', () => {
    assert.throws(() => RidgeSystem.create(new Float32Array(5), 2, 3), { code: 'shape_mismatch' });
    assert.throws(() => RidgeSystem.create(new Float32Array(6), 2, 3, { relativeLambda: 0 }), { code: 'invalid_argument' });
    assert.throws(() => RidgeSystem.create(new Float32Array(6), 2, 3).solve(new Float64Array(5), 2), { code: 'shape_mismatch' });
  });
});
