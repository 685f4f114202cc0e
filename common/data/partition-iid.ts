import type { SeededRandom } from '../random/index.ts';
import { apportion } from './apportion.ts';

/** IID: the pool shuffled and cut into equal parts (sizes differ by at most one). */
export function partitionIid(pool: readonly number[], numClients: number, rng: SeededRandom): number[][] {
  return dealBySizes(pool, apportion(pool.length, new Array<number>(numClients).fill(1)), rng);
}

/** The pool shuffled and cut into consecutive parts of the given sizes (which sum to its length). */
export function dealBySizes(pool: readonly number[], sizes: readonly number[], rng: SeededRandom): number[][] {
  const shuffled = rng.shuffle([...pool]);
  let at = 0;
  return sizes.map((n) => shuffled.slice(at, (at += n)));
}
