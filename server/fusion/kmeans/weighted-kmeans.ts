import * as tf from '@tensorflow/tfjs';
import { FedfuseError } from '../../../common/errors/index.ts';
import type { SeededRandom } from '../../../common/random/index.ts';
import { farthestPointSeedings } from './farthest-point-init.ts';
import { resolveKMeansOptions, type KMeansOptions } from './kmeans-options.ts';
import { pointProducts } from './point-products.ts';
import { repairEmptyClusters } from './repair-empty-clusters.ts';
import {
  squaredNorms,
  validateWeightedPoints,
  weightedCentroids,
  weightedCost,
  type WeightedPoints,
} from './weighted-points.ts';

export interface KMeansRun {
  /** Σ weight · ‖point − its centroid‖² at the end of the run (after the empty-cluster repair). */
  readonly cost: number;
  /** Assignment steps performed. */
  readonly iterations: number;
  /** Clusters that were empty at the end of the Lloyd iterations and received a point. */
  readonly emptyClustersRepaired: number;
}

export interface KMeansResult {
  /** Cluster of each point, in [0, k); every cluster has at least one point. */
  readonly assignment: Int32Array;
  /** Importance-weighted mean of each cluster's points (k x dimension, row-major). */
  readonly centroids: Float64Array;
  readonly cost: number;
  readonly iterations: number;
  readonly emptyClustersRepaired: number;
  /** Index (into `runs`) of the restart that was kept: the cheapest. */
  readonly bestRestart: number;
  readonly runs: readonly KMeansRun[];
}

/**
 * Importance-weighted k-means (Lloyd) with farthest-point initialisation,
 * several restarts and the reference early-stopping rule, returning no empty
 * cluster ever. Distances are squared Euclidean and computed as matrix
 * products; the cost is Σ weight · squared distance (the quantity Lloyd's
 * steps decrease, so early stopping and the choice among restarts compare like
 * with like). `firstSeedPool`: the first centroid is drawn among points
 * [0, firstSeedPool) — parent 0's neurons in KF-linear. With an
 * `initialAssignment`, one run starts from it instead (no restarts).
 */
export async function weightedKMeans(
  points: WeightedPoints,
  k: number,
  options: Partial<KMeansOptions> | undefined,
  random: SeededRandom,
  firstSeedPool: number = points.count,
  initialAssignment: Int32Array | null = null,
): Promise<KMeansResult> {
  validateWeightedPoints(points);
  const o = resolveKMeansOptions(options);
  if (!Number.isInteger(k) || k < 1 || k > points.count) {
    throw new FedfuseError('invalid_argument', `k-means needs 1 <= k <= ${points.count} points, got k = ${k}`);
  }
  const pointsTensor = tf.tensor2d(points.values, [points.count, points.dimension]);
  try {
    const norms = squaredNorms(points);
    if (initialAssignment !== null && (initialAssignment.length !== points.count || initialAssignment.some((c) => !(c >= 0 && c < k)))) {
      throw new FedfuseError('invalid_argument', `initial assignment must give each of the ${points.count} points a cluster in [0, ${k})`);
    }
    const seedings =
      initialAssignment === null
        ? await farthestPointSeedings(points, pointsTensor, norms, k, o.restarts, firstSeedPool, random)
        : [{ assignment: initialAssignment, distances: new Float64Array(points.count) }];
    let best: (KMeansRun & { assignment: Int32Array; centroids: Float64Array }) | null = null;
    let bestRestart = 0;
    const runs: KMeansRun[] = [];
    for (const [r, seeding] of seedings.entries()) {
      const run = await lloyd(points, pointsTensor, norms, k, seeding.assignment, seeding.distances, o);
      runs.push({ cost: run.cost, iterations: run.iterations, emptyClustersRepaired: run.emptyClustersRepaired });
      if (best === null || run.cost < best.cost) {
        best = run;
        bestRestart = r;
      }
    }
    if (best === null) throw new FedfuseError('internal', 'k-means ran no restart');
    return { ...best, bestRestart, runs };
  } finally {
    pointsTensor.dispose();
  }
}

async function lloyd(
  points: WeightedPoints,
  pointsTensor: tf.Tensor2D,
  norms: Float64Array,
  k: number,
  initialAssignment: Int32Array,
  initialDistances: Float64Array,
  o: KMeansOptions,
): Promise<KMeansRun & { assignment: Int32Array; centroids: Float64Array }> {
  const { count, weights } = points;
  let assignment = Int32Array.from(initialAssignment);
  let distances = Float64Array.from(initialDistances);
  let previousCost = Infinity;
  let stalled = 0;
  let iterations = 0;
  while (iterations < o.maxIterations) {
    // Keep all k centroids in play during the iterations too (the final repair below is the guarantee).
    repairEmptyClusters(assignment, distances, k);
    const centroids = weightedCentroids(points, assignment, k);
    const centroidNorms = new Float64Array(k);
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let d = 0; d < points.dimension; d++) s += centroids[c * points.dimension + d]! ** 2;
      centroidNorms[c] = s;
    }
    const dots = await pointProducts(pointsTensor, centroids, k);
    const next = new Int32Array(count);
    const nextDistances = new Float64Array(count);
    let cost = 0;
    let changed = 0;
    for (let i = 0; i < count; i++) {
      let bestC = 0;
      let bestD = Infinity;
      const row = i * k;
      for (let c = 0; c < k; c++) {
        const d = centroidNorms[c]! - 2 * dots[row + c]!;
        if (d < bestD) {
          bestD = d;
          bestC = c;
        }
      }
      const d = Math.max(0, bestD + norms[i]!);
      next[i] = bestC;
      nextDistances[i] = d;
      cost += weights[i]! * d;
      if (bestC !== assignment[i]) changed++;
    }
    iterations++;
    assignment = next;
    distances = nextDistances;
    if (changed === 0) break;
    // Early stop (reference rule): `patience` consecutive iterations improving the cost by less than the threshold.
    const improvement = previousCost === Infinity ? 1 : previousCost > 0 ? (previousCost - cost) / previousCost : 0;
    stalled = improvement < o.minRelativeImprovement ? stalled + 1 : 0;
    previousCost = cost;
    if (stalled >= o.patience) break;
  }
  // Always, whatever stopped the loop: never return an empty cluster.
  const emptyClustersRepaired = repairEmptyClusters(assignment, distances, k);
  const centroids = weightedCentroids(points, assignment, k);
  return { assignment, centroids, cost: weightedCost(points, assignment, centroids), iterations, emptyClustersRepaired };
}
