/**
 * Gram matrices of a row-major Float32 design matrix, accumulated in Float64.
 *
 * Why not the wasm float32 matMul (which is 2-4x faster): the ridge term is a
 * small fraction of the Gram's trace (see ridge-system.ts), and float32
 * accumulation over thousands of rows perturbs the Gram by more than that,
 * which can make Gram + λI indefinite or bend the small eigen-directions.
 * Products of two float32 values are exact in Float64, so only the Float64
 * summation rounds.
 */

/** Rows per block in gramOfColumns: G is read and written once per block (8 measured ~30% faster than 4). */
const GRAM_BLOCK = 8;

/** XᵀX (cols x cols) of X (rows x cols). Rows are processed eight at a time to cut memory traffic on G. */
export function gramOfColumns(x: Float32Array, rows: number, cols: number): Float64Array {
  const g = new Float64Array(cols * cols);
  const xs = new Float64Array(GRAM_BLOCK * cols);
  const c1 = cols;
  const c2 = 2 * cols;
  const c3 = 3 * cols;
  const c4 = 4 * cols;
  const c5 = 5 * cols;
  const c6 = 6 * cols;
  const c7 = 7 * cols;
  let r = 0;
  for (; r + GRAM_BLOCK <= rows; r += GRAM_BLOCK) {
    for (let i = 0; i < GRAM_BLOCK * cols; i++) xs[i] = x[r * cols + i]!;
    for (let a = 0; a < cols; a++) {
      const v0 = xs[a]!;
      const v1 = xs[c1 + a]!;
      const v2 = xs[c2 + a]!;
      const v3 = xs[c3 + a]!;
      const v4 = xs[c4 + a]!;
      const v5 = xs[c5 + a]!;
      const v6 = xs[c6 + a]!;
      const v7 = xs[c7 + a]!;
      // ReLU inputs and blank pixels make whole columns of a block zero.
      if (v0 === 0 && v1 === 0 && v2 === 0 && v3 === 0 && v4 === 0 && v5 === 0 && v6 === 0 && v7 === 0) continue;
      const ga = a * cols;
      for (let b = a; b < cols; b++) {
        g[ga + b]! +=
          v0 * xs[b]! + v1 * xs[c1 + b]! + v2 * xs[c2 + b]! + v3 * xs[c3 + b]! + v4 * xs[c4 + b]! + v5 * xs[c5 + b]! + v6 * xs[c6 + b]! + v7 * xs[c7 + b]!;
      }
    }
  }
  for (; r < rows; r++) {
    const o = r * cols;
    for (let a = 0; a < cols; a++) {
      const v = x[o + a]!;
      if (v === 0) continue;
      const ga = a * cols;
      for (let b = a; b < cols; b++) g[ga + b]! += v * x[o + b]!;
    }
  }
  for (let a = 0; a < cols; a++) for (let b = 0; b < a; b++) g[a * cols + b] = g[b * cols + a]!;
  return g;
}

/** XXᵀ (rows x rows) of X (rows x cols): the kernel matrix of the dual ridge problem. */
export function gramOfRows(x: Float32Array, rows: number, cols: number): Float64Array {
  const k = new Float64Array(rows * rows);
  const xi = new Float64Array(cols);
  const idx = new Int32Array(cols);
  for (let i = 0; i < rows; i++) {
    const oi = i * cols;
    // Sparse view of row i: blank pixels and dead ReLUs are skipped in every dot product with it.
    let nnz = 0;
    for (let d = 0; d < cols; d++) {
      const v = x[oi + d]!;
      if (v !== 0) {
        idx[nnz] = d;
        xi[nnz++] = v;
      }
    }
    for (let j = 0; j <= i; j++) {
      const oj = j * cols;
      let s = 0;
      for (let t = 0; t < nnz; t++) s += xi[t]! * x[oj + idx[t]!]!;
      k[i * rows + j] = s;
      k[j * rows + i] = s;
    }
  }
  return k;
}

/** Xᵀ T (cols x m) for X (rows x cols, float32) and T (rows x m, Float64), in Float64; four rows per pass over the output. */
export function transposeTimes(x: Float32Array, rows: number, cols: number, t: Float64Array, m: number): Float64Array {
  const out = new Float64Array(cols * m);
  let r = 0;
  for (; r + 4 <= rows; r += 4) {
    const o = r * cols;
    const t0 = r * m;
    for (let a = 0; a < cols; a++) {
      const v0 = x[o + a]!;
      const v1 = x[o + cols + a]!;
      const v2 = x[o + 2 * cols + a]!;
      const v3 = x[o + 3 * cols + a]!;
      if (v0 === 0 && v1 === 0 && v2 === 0 && v3 === 0) continue;
      const oa = a * m;
      for (let c = 0; c < m; c++) {
        out[oa + c]! += v0 * t[t0 + c]! + v1 * t[t0 + m + c]! + v2 * t[t0 + 2 * m + c]! + v3 * t[t0 + 3 * m + c]!;
      }
    }
  }
  for (; r < rows; r++) {
    const o = r * cols;
    const tr = r * m;
    for (let a = 0; a < cols; a++) {
      const v = x[o + a]!;
      if (v === 0) continue;
      const oa = a * m;
      for (let c = 0; c < m; c++) out[oa + c]! += v * t[tr + c]!;
    }
  }
  return out;
}

/** Trace of a square row-major matrix. */
export function trace(a: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i * n + i]!;
  return s;
}
