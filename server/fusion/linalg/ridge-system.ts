import * as tf from '@tensorflow/tfjs';
import { FedfuseError } from '../../../common/errors/index.ts';
import { choleskyInPlace, choleskySolveInPlace, inverseFromInverseFactor, invertLower } from './cholesky.ts';
import { gramOfColumns, gramOfRows, trace, transposeTimes } from './gram.ts';

export interface RidgeOptions {
  /**
   * λ as a fraction of the mean eigenvalue of XᵀX (trace / columns). Default 1e-6.
   * See `ridgeLambda` for why the ridge is relative and why this size.
   */
  readonly relativeLambda: number;
}

export const DEFAULT_RIDGE_OPTIONS: RidgeOptions = { relativeLambda: 1e-6 };

/**
 * Which normal equations are factored: 'primal' XᵀX + λI (columns x columns)
 * when there are at least as many rows as columns, 'dual' XXᵀ + λI (rows x rows)
 * otherwise (e.g. 400 MNIST calibration samples for 785 inputs). Both give the
 * same ridge solution W = (XᵀX + λI)⁻¹XᵀT = Xᵀ(XXᵀ + λI)⁻¹T; the dual one is
 * cheaper when rows < columns.
 */
export type RidgeForm = 'primal' | 'dual';

/**
 * λ = relativeLambda · trace(XᵀX) / columns.
 *
 * Why relative to the trace: the Gram's scale changes with the data (pixels in
 * [0,1], ReLU activations of any size, conv patches summed over many cells), so
 * an absolute λ would be negligible for one layer and dominant for the next.
 * trace/columns is the mean eigenvalue, so λ acts like a relative cut-off:
 * directions of X whose eigenvalue is far below λ (always-zero pixels, the null
 * space when rows < columns, near-collinear columns) are damped instead of
 * being fitted with huge, noise-amplifying weights, and the system is always
 * positive definite, so rank-deficient X needs no special case.
 *
 * Why 1e-6: the fitted activations lose at most about sqrt(relativeLambda)/2 of
 * their size in the worst eigen-direction (shrinkage λ/(μ+λ) times sqrt(μ)),
 * while storing the weights in float32 costs about eps32 · sqrt(columns /
 * relativeLambda) in the worst case; the two bounds balance near 1e-6 for the
 * layer widths we fuse. Measured on MNIST KF-linear fusions (K = 2, 4, 8 MLPs,
 * 400 calibration samples): fused test accuracy is the same for 1e-10 ... 1e-4
 * (within 0.2 points), and at 1e-6 the first layer reproduces its targets to
 * 2–3e-6 relative, so 1e-6 costs nothing measurable and keeps the Cholesky
 * well away from the limits of Float64.
 */
export function ridgeLambda(gramTrace: number, columns: number, relativeLambda: number): number {
  const meanEigenvalue = gramTrace / Math.max(columns, 1);
  // An all-zero X has a zero Gram: any positive λ gives the (zero) minimum-norm answer.
  return meanEigenvalue > 0 ? relativeLambda * meanEigenvalue : 1;
}

/**
 * The ridge least-squares problem min ‖XW − T‖² + λ‖W‖² for one design matrix X
 * and any number of target columns, factored once (Float64 Gram and Cholesky).
 */
export class RidgeSystem {
  private coordinateMatrix: Float32Array | null = null;

  private constructor(
    /** Row-major rows x columns design matrix (float32, as the activations come). */
    readonly x: Float32Array,
    readonly rows: number,
    readonly columns: number,
    readonly form: RidgeForm,
    /** The λ actually used (it grows by 100x per retry if a factorisation fails). */
    readonly lambda: number,
    /** Cholesky factor of XᵀX + λI (primal) or XXᵀ + λI (dual). */
    private readonly factor: Float64Array,
  ) {}

  static create(x: Float32Array, rows: number, columns: number, options: RidgeOptions = DEFAULT_RIDGE_OPTIONS): RidgeSystem {
    if (!(rows >= 1 && columns >= 1) || x.length !== rows * columns) {
      throw new FedfuseError('shape_mismatch', `design matrix has ${x.length} values, expected ${rows} x ${columns}`);
    }
    if (!(options.relativeLambda > 0) || !Number.isFinite(options.relativeLambda)) {
      throw new FedfuseError('invalid_argument', `ridge relativeLambda must be a positive number, got ${options.relativeLambda}`);
    }
    const form: RidgeForm = rows < columns ? 'dual' : 'primal';
    const n = form === 'primal' ? columns : rows;
    const gram = form === 'primal' ? gramOfColumns(x, rows, columns) : gramOfRows(x, rows, columns);
    let lambda = ridgeLambda(trace(gram, n), columns, options.relativeLambda);
    // Float64 rounding can still break positive definiteness when λ is tiny next to
    // the largest eigenvalue; a larger ridge is the honest fallback.
    for (let attempt = 0; attempt < 8; attempt++) {
      const factor = Float64Array.from(gram);
      for (let i = 0; i < n; i++) factor[i * n + i]! += lambda;
      if (choleskyInPlace(factor, n)) return new RidgeSystem(x, rows, columns, form, lambda, factor);
      lambda *= 100;
    }
    throw new FedfuseError('internal', 'ridge system is not positive definite even with a large ridge (non-finite activations?)');
  }

  /**
   * Ridge weights for targets T (rows x m, row-major): columns x m, Float64.
   * With a prior W0 (columns x m), the ridge pulls toward it instead of toward
   * zero: argmin ‖XW − T‖² + λ‖W − W0‖² = W0 + ridge(T − X·W0).
   */
  solve(targets: Float64Array, m: number, prior: Float64Array | null = null): Float64Array {
    if (targets.length !== this.rows * m) {
      throw new FedfuseError('shape_mismatch', `targets have ${targets.length} values, expected ${this.rows} x ${m}`);
    }
    if (prior !== null) {
      if (prior.length !== this.columns * m) throw new FedfuseError('shape_mismatch', `prior has ${prior.length} values, expected ${this.columns} x ${m}`);
      const residual = Float64Array.from(targets);
      for (let r = 0; r < this.rows; r++) {
        const out = r * m;
        for (let j = 0; j < this.columns; j++) {
          const x = this.x[r * this.columns + j]!;
          if (x === 0) continue;
          const from = j * m;
          for (let c = 0; c < m; c++) residual[out + c]! -= x * prior[from + c]!;
        }
      }
      const delta = this.solve(residual, m);
      for (let i = 0; i < delta.length; i++) delta[i]! += prior[i]!;
      return delta;
    }
    if (this.form === 'primal') {
      const b = transposeTimes(this.x, this.rows, this.columns, targets, m);
      choleskySolveInPlace(this.factor, this.columns, b, m);
      return b;
    }
    const alpha = Float64Array.from(targets);
    choleskySolveInPlace(this.factor, this.rows, alpha, m);
    return transposeTimes(this.x, this.rows, this.columns, alpha, m);
  }

  /** Length of the coordinate vectors returned by `fittedCoordinates`. */
  get coordinateDimension(): number {
    return this.form === 'primal' ? this.columns : this.rows;
  }

  /**
   * Coordinates (one row per column of `a`) of the fitted activations X·W(a),
   * W(a) the ridge weights of target a: Euclidean distances between coordinate
   * rows equal distances between fitted activations (up to the ridge shrinkage),
   * and they are linear in a, so weighted means of coordinates are coordinates
   * of weighted means. Primal: Lᵀ W = L⁻¹XᵀA (columns-dimensional); dual: the
   * fitted activations H·A themselves, H = XXᵀ(XXᵀ + λI)⁻¹ (rows-dimensional).
   * Computed in float32 with the wasm matMul (precision enough for clustering;
   * final weights always come from `solve`). `a` is rows x M; returns M x dim.
   */
  fittedCoordinates(a: tf.Tensor2D): tf.Tensor2D {
    if (a.shape[0] !== this.rows) throw new FedfuseError('shape_mismatch', `targets have ${a.shape[0]} rows, expected ${this.rows}`);
    const matrix = this.coordinateMatrixValues();
    const dim = this.coordinateDimension;
    return tf.tidy(() => {
      // Transposes are explicit: the wasm matMul with transpose flags is ~10x slower (facts.md).
      const at = tf.transpose(a);
      const right = tf.tensor2d(matrix, [this.form === 'primal' ? this.columns : this.rows, dim]);
      if (this.form === 'dual') return tf.matMul(at, right);
      const xt = tf.tensor2d(this.x, [this.rows, this.columns]);
      return tf.matMul(tf.matMul(at, xt), right);
    });
  }

  /** Primal: L⁻ᵀ (so that AᵀX L⁻ᵀ = (L⁻¹XᵀA)ᵀ); dual: the symmetric hat matrix H = I − λ(XXᵀ + λI)⁻¹. */
  private coordinateMatrixValues(): Float32Array {
    if (this.coordinateMatrix !== null) return this.coordinateMatrix;
    const n = this.form === 'primal' ? this.columns : this.rows;
    const linv = invertLower(this.factor, n);
    const out = new Float32Array(n * n);
    if (this.form === 'primal') {
      for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) out[j * n + i] = linv[i * n + j]!;
    } else {
      const inv = inverseFromInverseFactor(linv, n);
      for (let i = 0; i < n * n; i++) out[i] = -this.lambda * inv[i]!;
      for (let i = 0; i < n; i++) out[i * n + i]! += 1;
    }
    this.coordinateMatrix = out;
    return out;
  }
}

/** One-shot ridge least squares: W (columns x m, Float64) minimising ‖XW − T‖² + λ‖W‖². */
export function solveRidge(
  x: Float32Array,
  rows: number,
  columns: number,
  targets: Float64Array,
  m: number,
  options: RidgeOptions = DEFAULT_RIDGE_OPTIONS,
): Float64Array {
  return RidgeSystem.create(x, rows, columns, options).solve(targets, m);
}
