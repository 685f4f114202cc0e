/**
 * Dense Cholesky factorisation and triangular solves on row-major Float64Arrays.
 *
 * Fusion solves ridge least-squares problems whose Gram matrices are badly
 * conditioned (always-zero MNIST pixels, fewer samples than inputs); Float32
 * would lose the small eigen-directions entirely, so everything here is Float64.
 * Loops are ordered so that the innermost one walks contiguous memory.
 */

/**
 * Overwrites the lower triangle of the symmetric n x n matrix `a` with L such
 * that a = L Lᵀ (Cholesky–Banachiewicz, row by row). The strict upper triangle
 * is zeroed so that L can be used as a full matrix. Returns false (leaving `a`
 * partly overwritten) when `a` is not numerically positive definite.
 */
export function choleskyInPlace(a: Float64Array, n: number): boolean {
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j <= i; j++) {
      const rj = j * n;
      let s = a[ri + j]!;
      for (let k = 0; k < j; k++) s -= a[ri + k]! * a[rj + k]!;
      if (j === i) {
        if (!(s > 0)) return false;
        a[ri + i] = Math.sqrt(s);
      } else {
        a[ri + j] = s / a[rj + j]!;
      }
    }
    for (let j = i + 1; j < n; j++) a[ri + j] = 0;
  }
  return true;
}

/** Solves L Y = B in place (B is n x m, row-major): forward substitution. */
export function solveLowerInPlace(l: Float64Array, n: number, b: Float64Array, m: number): void {
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    const bi = i * m;
    for (let k = 0; k < i; k++) {
      const lik = l[ri + k]!;
      if (lik === 0) continue;
      const bk = k * m;
      for (let c = 0; c < m; c++) b[bi + c]! -= lik * b[bk + c]!;
    }
    const inv = 1 / l[ri + i]!;
    for (let c = 0; c < m; c++) b[bi + c]! *= inv;
  }
}

/** Solves Lᵀ Y = B in place (B is n x m, row-major): back substitution with the transpose. */
export function solveLowerTransposedInPlace(l: Float64Array, n: number, b: Float64Array, m: number): void {
  for (let i = n - 1; i >= 0; i--) {
    const bi = i * m;
    const inv = 1 / l[i * n + i]!;
    for (let c = 0; c < m; c++) b[bi + c]! *= inv;
    // Row i of Y is final: remove its contribution from the rows above (column i of Lᵀ = row i of L).
    const ri = i * n;
    for (let k = 0; k < i; k++) {
      const lik = l[ri + k]!;
      if (lik === 0) continue;
      const bk = k * m;
      for (let c = 0; c < m; c++) b[bk + c]! -= lik * b[bi + c]!;
    }
  }
}

/** Solves (L Lᵀ) Y = B in place. */
export function choleskySolveInPlace(l: Float64Array, n: number, b: Float64Array, m: number): void {
  solveLowerInPlace(l, n, b, m);
  solveLowerTransposedInPlace(l, n, b, m);
}

/** L⁻¹ of a lower-triangular L (itself lower triangular), as a new array. */
export function invertLower(l: Float64Array, n: number): Float64Array {
  const inv = new Float64Array(n * n);
  // Forward substitution on the identity, skipping the zeros above the diagonal:
  // row k of L⁻¹ is zero beyond column k, a third of the work of a general solve.
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let k = 0; k < i; k++) {
      const lik = l[ri + k]!;
      if (lik === 0) continue;
      const rk = k * n;
      for (let c = 0; c <= k; c++) inv[ri + c]! -= lik * inv[rk + c]!;
    }
    inv[ri + i]! += 1;
    const scale = 1 / l[ri + i]!;
    for (let c = 0; c <= i; c++) inv[ri + c]! *= scale;
  }
  return inv;
}

/** (L Lᵀ)⁻¹ = L⁻ᵀ L⁻¹ from the inverse factor, as a new symmetric array. */
export function inverseFromInverseFactor(linv: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n * n);
  // out[i][j] = sum_k linv[k][i] * linv[k][j]; linv[k][*] is zero beyond column k.
  for (let k = 0; k < n; k++) {
    const rk = k * n;
    for (let i = 0; i <= k; i++) {
      const v = linv[rk + i]!;
      if (v === 0) continue;
      const ri = i * n;
      for (let j = 0; j <= i; j++) out[ri + j]! += v * linv[rk + j]!;
    }
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) out[j * n + i] = out[i * n + j]!;
  return out;
}
