import type { SeededRandom } from '../random/index.ts';
import { apportion } from './apportion.ts';
import { clientTotals, dealByCounts, repairEmptyClients, type ClassClientCounts } from './class-client-counts.ts';
import type { LabelGroup } from './label-groups.ts';

/** Draws of the whole class-by-client matrix before falling back to repairing it. */
const MAX_DRAWS = 20;

/**
 * Dirichlet label skew (Hsu et al. 2019; the usual FL benchmark protocol):
 * for each class, proportions over clients ~ Dirichlet(alpha, ..., alpha),
 * and the class's samples are dealt in those proportions (largest remainder).
 *
 * Rule against empty clients: the whole matrix is redrawn (up to 20 times)
 * until every client has at least one sample; if the last draw still leaves
 * some empty (likely with tiny alpha and many clients), `repairEmptyClients`
 * moves one sample to each empty client from the largest one.
 */
export function partitionDirichlet(groups: readonly LabelGroup[], numClients: number, alpha: number, rng: SeededRandom): number[][] {
  const concentrations = new Array<number>(numClients).fill(alpha);
  let counts: ClassClientCounts = [];
  for (let draw = 0; draw < MAX_DRAWS; draw++) {
    counts = groups.map((g) => apportion(g.indices.length, rng.dirichlet(concentrations)));
    if (clientTotals(counts, numClients).every((t) => t > 0)) break;
  }
  repairEmptyClients(counts, numClients);
  return dealByCounts(groups, counts, numClients, rng);
}
