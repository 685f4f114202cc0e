import type { SeededRandom } from '../../common/random/index.ts';
import type { AvailableClient } from './strategy.ts';

export interface SamplingOptions {
  /** Fraction of the available clients asked to train each round. */
  readonly fractionFit: number;
  /** At least this many are asked (when available). */
  readonly minFitClients: number;
}

/**
 * Picks the clients of a round: ceil(fraction × available), at least
 * minFitClients, at most all. Sorted by id before shuffling so the choice
 * depends only on the seed and the set of clients, not on connection order.
 */
export function sampleClients(available: readonly AvailableClient[], options: SamplingOptions, rng: SeededRandom): string[] {
  const ids = available.map((c) => c.clientId).sort();
  const wanted = Math.min(ids.length, Math.max(options.minFitClients, Math.ceil(options.fractionFit * ids.length)));
  return rng.shuffle(ids).slice(0, wanted).sort();
}
