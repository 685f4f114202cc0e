import * as tf from '@tensorflow/tfjs';
import type { SeededRandom } from '../../../common/random/index.ts';
import type { WeightedPoints } from './weighted-points.ts';
import { pointProducts } from './point-products.ts';

/** The outcome of one farthest-point initialisation: each point's nearest seed (cluster id = seed order) and its squared distance. */
export interface FarthestPointSeeding {
  readonly seeds: Int32Array;
  readonly assignment: Int32Array;
  readonly distances: Float64Array;
}

/**
 * Farthest-point initialisation, as in the reference code: the first seed is
 * a random point among the first `firstSeedPool` points (parent 0's neurons),
 * then repeatedly the point farthest from its nearest seed. All restarts run
 * in lock-step so that each step is one matrix product against `restarts`
 * new seeds at once (k products in total instead of k per restart).
 * Ties go to the lowest index, so the result depends only on the seed draws.
 * Requires count >= k (validated by the caller).
 */
export async function farthestPointSeedings(
  points: WeightedPoints,
  pointsTensor: tf.Tensor2D,
  norms: Float64Array,
  k: number,
  restarts: number,
  firstSeedPool: number,
  random: SeededRandom,
): Promise<FarthestPointSeeding[]> {
  const { values, count, dimension } = points;
  const runs = Array.from({ length: restarts }, () => ({
    seeds: new Int32Array(k),
    assignment: new Int32Array(count),
    distances: new Float64Array(count).fill(Infinity),
    isSeed: new Uint8Array(count),
  }));
  for (const run of runs) run.seeds[0] = random.int(Math.min(firstSeedPool, count));
  const newSeeds = new Float32Array(restarts * dimension);
  for (let step = 0; step < k; step++) {
    runs.forEach((run, r) => newSeeds.set(values.subarray(run.seeds[step]! * dimension, (run.seeds[step]! + 1) * dimension), r * dimension));
    const dots = await pointProducts(pointsTensor, newSeeds, restarts);
    runs.forEach((run, r) => {
      const s = run.seeds[step]!;
      const ns = norms[s]!;
      for (let i = 0; i < count; i++) {
        const d = Math.max(0, norms[i]! + ns - 2 * dots[i * restarts + r]!);
        if (d < run.distances[i]!) {
          run.distances[i] = d;
          run.assignment[i] = step;
        }
      }
      // The seed itself is at distance 0 exactly, whatever the float32 rounding says.
      run.distances[s] = 0;
      run.assignment[s] = step;
      run.isSeed[s] = 1;
      if (step + 1 < k) {
        // Never the same point twice: when only duplicates remain (all at distance 0),
        // a duplicate becomes the next seed and gets its own cluster.
        let far = -1;
        for (let i = 0; i < count; i++) {
          if (run.isSeed[i] === 0 && (far < 0 || run.distances[i]! > run.distances[far]!)) far = i;
        }
        run.seeds[step + 1] = far;
      }
    });
  }
  return runs.map(({ seeds, assignment, distances }) => ({ seeds, assignment, distances }));
}
