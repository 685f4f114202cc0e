import type { SeededRandom } from '../random/index.ts';
import { apportion } from './apportion.ts';
import { dealByCounts, repairEmptyClients } from './class-client-counts.ts';
import type { LabelGroup } from './label-groups.ts';

/**
 * The non-IID protocol of "Model Fusion via Neuron Interpolation" (method.md,
 * last section), with k = numClients splits: for each class, the shares of
 * the k splits are one draw from Dirichlet(c), where c = linspace(1, 5, k)
 * (evenly spaced from 1 to 5; [1] when k = 1) shuffled anew for each class,
 * so which split is favoured changes from class to class.
 *
 * Every split sees every class: when a class has at least k samples, each
 * split first gets one of them and the rest are dealt by the drawn shares.
 * (With concentrations >= 1 and thousands of samples per class this floor
 * almost never changes a count; it matters for small sets.) Classes with
 * fewer than k samples are dealt by the shares alone, and if a split ends
 * up empty, `repairEmptyClients` gives it one sample.
 */
export function partitionSplitByK(groups: readonly LabelGroup[], numClients: number, rng: SeededRandom): number[][] {
  const base = evenlySpaced(1, 5, numClients);
  const counts = groups.map((g) => {
    const shares = rng.dirichlet(rng.shuffle([...base]));
    const n = g.indices.length;
    return n >= numClients ? apportion(n - numClients, shares).map((x) => x + 1) : apportion(n, shares);
  });
  repairEmptyClients(counts, numClients);
  return dealByCounts(groups, counts, numClients, rng);
}

/** numpy.linspace(from, to, count) */
export function evenlySpaced(from: number, to: number, count: number): number[] {
  if (count === 1) return [from];
  return Array.from({ length: count }, (_, i) => from + ((to - from) * i) / (count - 1));
}
