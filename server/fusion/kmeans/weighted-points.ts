import { FedfuseError } from '../../../common/errors/index.ts';

/** Points to cluster: `count` rows of `dimension` values (row-major) with a positive weight each. */
export interface WeightedPoints {
  readonly values: Float32Array;
  readonly count: number;
  readonly dimension: number;
  readonly weights: Float64Array;
}

export function validateWeightedPoints(points: WeightedPoints): void {
  const { values, count, dimension, weights } = points;
  if (!Number.isInteger(count) || count < 1 || !Number.isInteger(dimension) || dimension < 1) {
    throw new FedfuseError('invalid_argument', `k-means needs at least one point of dimension >= 1, got ${count} x ${dimension}`);
  }
  if (values.length !== count * dimension) {
    throw new FedfuseError('shape_mismatch', `k-means points have ${values.length} values, expected ${count} x ${dimension}`);
  }
  if (weights.length !== count) {
    throw new FedfuseError('shape_mismatch', `k-means has ${weights.length} weights for ${count} points`);
  }
  for (let i = 0; i < count; i++) {
    const w = weights[i]!;
    if (!Number.isFinite(w)) throw new FedfuseError('non_finite', `k-means weight ${i} is ${w}`);
    if (!(w > 0)) throw new FedfuseError('invalid_argument', `k-means weight ${i} must be > 0, got ${w}`);
  }
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]!)) throw new FedfuseError('non_finite', `k-means point ${Math.floor(i / dimension)} is not finite`);
  }
}

/** ‖p‖² of every point, in Float64. */
export function squaredNorms(points: WeightedPoints): Float64Array {
  const { values, count, dimension } = points;
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    let s = 0;
    const o = i * dimension;
    for (let d = 0; d < dimension; d++) s += values[o + d]! * values[o + d]!;
    out[i] = s;
  }
  return out;
}

/** Importance-weighted means of the points in each cluster (k x dimension); empty clusters give zero rows. */
export function weightedCentroids(points: WeightedPoints, assignment: Int32Array, k: number): Float64Array {
  const { values, count, dimension, weights } = points;
  const sums = new Float64Array(k * dimension);
  const mass = new Float64Array(k);
  for (let i = 0; i < count; i++) {
    const c = assignment[i]!;
    const w = weights[i]!;
    mass[c]! += w;
    const o = i * dimension;
    const oc = c * dimension;
    for (let d = 0; d < dimension; d++) sums[oc + d]! += w * values[o + d]!;
  }
  for (let c = 0; c < k; c++) {
    if (mass[c]! === 0) continue;
    const inv = 1 / mass[c]!;
    const oc = c * dimension;
    for (let d = 0; d < dimension; d++) sums[oc + d]! *= inv;
  }
  return sums;
}

/** Σ weight · ‖p − centroid(p)‖², computed directly (no cancellation). */
export function weightedCost(points: WeightedPoints, assignment: Int32Array, centroids: Float64Array): number {
  const { values, count, dimension, weights } = points;
  let cost = 0;
  for (let i = 0; i < count; i++) {
    const o = i * dimension;
    const oc = assignment[i]! * dimension;
    let s = 0;
    for (let d = 0; d < dimension; d++) {
      const diff = values[o + d]! - centroids[oc + d]!;
      s += diff * diff;
    }
    cost += weights[i]! * s;
  }
  return cost;
}
