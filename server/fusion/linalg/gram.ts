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

/**
 * XᵀX (cols x cols) of X (rows x cols). Rows are taken eight at a time, copied
 * into a block laid out column-major (a column's eight values side by side, so
 * one cache line), and two rows of G are updated per pass over the block, so
 * each loaded column serves 16 products (measured 1.4x faster than one row of
 * G per pass over a row-major block, at 19,600 x 289). Every entry is summed
 * in the same order as one row at a time, eight rows per partial sum, so the
 * result is the same to the bit.
 */
export function gramOfColumns(x: Float32Array, rows: number, cols: number): Float64Array {
  const g = new Float64Array(cols * cols);
  const B = GRAM_BLOCK;
  const xs = new Float64Array(B * cols);
  let r = 0;
  for (; r + B <= rows; r += B) {
    for (let k = 0; k < B; k++) {
      const from = (r + k) * cols;
      for (let a = 0; a < cols; a++) xs[a * B + k] = x[from + a]!;
    }
    let a = 0;
    for (; a + 1 < cols; a += 2) {
      const p = a * B;
      const u0 = xs[p]!, u1 = xs[p + 1]!, u2 = xs[p + 2]!, u3 = xs[p + 3]!, u4 = xs[p + 4]!, u5 = xs[p + 5]!, u6 = xs[p + 6]!, u7 = xs[p + 7]!;
      const w0 = xs[p + 8]!, w1 = xs[p + 9]!, w2 = xs[p + 10]!, w3 = xs[p + 11]!, w4 = xs[p + 12]!, w5 = xs[p + 13]!, w6 = xs[p + 14]!, w7 = xs[p + 15]!;
      const ga = a * cols;
      const gb = ga + cols;
      // ReLU inputs and blank pixels make whole columns of a block zero: skip them, or fall back to one row of G.
      const zeroU = u0 === 0 && u1 === 0 && u2 === 0 && u3 === 0 && u4 === 0 && u5 === 0 && u6 === 0 && u7 === 0;
      const zeroW = w0 === 0 && w1 === 0 && w2 === 0 && w3 === 0 && w4 === 0 && w5 === 0 && w6 === 0 && w7 === 0;
      if (zeroU || zeroW) {
        if (!zeroU) blockRowUpdate(g, xs, cols, a);
        if (!zeroW) blockRowUpdate(g, xs, cols, a + 1);
        continue;
      }
      g[ga + a]! += u0 * u0 + u1 * u1 + u2 * u2 + u3 * u3 + u4 * u4 + u5 * u5 + u6 * u6 + u7 * u7;
      for (let b = a + 1, t = p + B; b < cols; b++, t += B) {
        const y0 = xs[t]!, y1 = xs[t + 1]!, y2 = xs[t + 2]!, y3 = xs[t + 3]!, y4 = xs[t + 4]!, y5 = xs[t + 5]!, y6 = xs[t + 6]!, y7 = xs[t + 7]!;
        g[ga + b]! += u0 * y0 + u1 * y1 + u2 * y2 + u3 * y3 + u4 * y4 + u5 * y5 + u6 * y6 + u7 * y7;
        g[gb + b]! += w0 * y0 + w1 * y1 + w2 * y2 + w3 * y3 + w4 * y4 + w5 * y5 + w6 * y6 + w7 * y7;
      }
    }
    if (a < cols) blockRowUpdate(g, xs, cols, a);
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

/** Row a of G (from the diagonal on) += the block's column a against every later column (column-major block of GRAM_BLOCK rows). */
function blockRowUpdate(g: Float64Array, xs: Float64Array, cols: number, a: number): void {
  const B = GRAM_BLOCK;
  const p = a * B;
  const u0 = xs[p]!, u1 = xs[p + 1]!, u2 = xs[p + 2]!, u3 = xs[p + 3]!, u4 = xs[p + 4]!, u5 = xs[p + 5]!, u6 = xs[p + 6]!, u7 = xs[p + 7]!;
  if (u0 === 0 && u1 === 0 && u2 === 0 && u3 === 0 && u4 === 0 && u5 === 0 && u6 === 0 && u7 === 0) return;
  const ga = a * cols;
  for (let b = a, t = p; b < cols; b++, t += B) {
    g[ga + b]! += u0 * xs[t]! + u1 * xs[t + 1]! + u2 * xs[t + 2]! + u3 * xs[t + 3]! + u4 * xs[t + 4]! + u5 * xs[t + 5]! + u6 * xs[t + 6]! + u7 * xs[t + 7]!;
  }
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

/**
 * Xᵀ T (cols x m) for X (rows x cols, float32) and T (rows x m, Float64), in
 * Float64. Four rows per pass over the output, two output rows (columns a,
 * a + 1 of X) per pass over T's four rows, so each loaded value of T serves
 * two products (measured about 1.5x faster than one output row per pass);
 * every entry is summed in the same order as one output row at a time, so the
 * result is the same to the bit.
 */
export function transposeTimes(x: Float32Array, rows: number, cols: number, t: Float64Array, m: number): Float64Array {
  const out = new Float64Array(cols * m);
  let r = 0;
  for (; r + 4 <= rows; r += 4) {
    const o = r * cols;
    const t0 = r * m;
    const t1 = t0 + m;
    const t2 = t1 + m;
    const t3 = t2 + m;
    let a = 0;
    for (; a + 1 < cols; a += 2) {
      const v0 = x[o + a]!;
      const v1 = x[o + cols + a]!;
      const v2 = x[o + 2 * cols + a]!;
      const v3 = x[o + 3 * cols + a]!;
      const w0 = x[o + a + 1]!;
      const w1 = x[o + cols + a + 1]!;
      const w2 = x[o + 2 * cols + a + 1]!;
      const w3 = x[o + 3 * cols + a + 1]!;
      const zeroV = v0 === 0 && v1 === 0 && v2 === 0 && v3 === 0;
      const zeroW = w0 === 0 && w1 === 0 && w2 === 0 && w3 === 0;
      const oa = a * m;
      const ob = oa + m;
      if (zeroV || zeroW) {
        if (!zeroV) for (let c = 0; c < m; c++) out[oa + c]! += v0 * t[t0 + c]! + v1 * t[t1 + c]! + v2 * t[t2 + c]! + v3 * t[t3 + c]!;
        if (!zeroW) for (let c = 0; c < m; c++) out[ob + c]! += w0 * t[t0 + c]! + w1 * t[t1 + c]! + w2 * t[t2 + c]! + w3 * t[t3 + c]!;
        continue;
      }
      for (let c = 0; c < m; c++) {
        const y0 = t[t0 + c]!;
        const y1 = t[t1 + c]!;
        const y2 = t[t2 + c]!;
        const y3 = t[t3 + c]!;
        out[oa + c]! += v0 * y0 + v1 * y1 + v2 * y2 + v3 * y3;
        out[ob + c]! += w0 * y0 + w1 * y1 + w2 * y2 + w3 * y3;
      }
    }
    if (a < cols) {
      const v0 = x[o + a]!;
      const v1 = x[o + cols + a]!;
      const v2 = x[o + 2 * cols + a]!;
      const v3 = x[o + 3 * cols + a]!;
      if (v0 === 0 && v1 === 0 && v2 === 0 && v3 === 0) continue;
      const oa = a * m;
      for (let c = 0; c < m; c++) out[oa + c]! += v0 * t[t0 + c]! + v1 * t[t1 + c]! + v2 * t[t2 + c]! + v3 * t[t3 + c]!;
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
