import type { SeededRandom } from '../random/index.ts';
import { apportion } from './apportion.ts';
import { dealBySizes } from './partition-iid.ts';

/**
 * Quantity skew: client sizes proportional to one Dirichlet(alpha, ..., alpha)
 * draw, samples dealt at random (so each client's label mix is iid).
 * Rule against empty clients: every client first gets one sample, and the
 * other n - numClients are shared by the drawn proportions; no redraws, so
 * the sizes stay a plain function of the draw.
 */
export function partitionQuantitySkew(pool: readonly number[], numClients: number, alpha: number, rng: SeededRandom): number[][] {
  const proportions = rng.dirichlet(new Array<number>(numClients).fill(alpha));
  const sizes = apportion(pool.length - numClients, proportions).map((n) => n + 1);
  return dealBySizes(pool, sizes, rng);
}
