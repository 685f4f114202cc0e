import type { SeededRandom } from '../random/index.ts';
import type { LabelGroup } from './label-groups.ts';
import { appendRange } from './append-range.ts';

/**
 * counts[c][j] = how many samples of class group c client j gets. The label
 * skew partitioners decide this matrix first (cheap to redraw) and only then
 * deal out actual indices.
 */
export type ClassClientCounts = number[][];

export function clientTotals(counts: ClassClientCounts, numClients: number): number[] {
  const totals = new Array<number>(numClients).fill(0);
  for (const row of counts) row.forEach((n, j) => (totals[j]! += n));
  return totals;
}

/**
 * Makes every client non-empty by moving single samples: each empty client
 * (in client order) takes one sample from the client that currently holds
 * the most (lowest index on ties), from that donor's largest class (lowest
 * class on ties). The donor keeps most of what it had, so the skew of the
 * draw is disturbed as little as possible. Needs at least as many samples as
 * clients; then a donor with two or more samples always exists.
 */
export function repairEmptyClients(counts: ClassClientCounts, numClients: number): void {
  const totals = clientTotals(counts, numClients);
  for (let empty = 0; empty < numClients; empty++) {
    if (totals[empty]! > 0) continue;
    let donor = 0;
    totals.forEach((t, j) => {
      if (t > totals[donor]!) donor = j;
    });
    let cls = 0;
    counts.forEach((row, c) => {
      if (row[donor]! > counts[cls]![donor]!) cls = c;
    });
    counts[cls]![donor]!--;
    counts[cls]![empty]!++;
    totals[donor]!--;
    totals[empty]!++;
  }
}

/** Deals each class's indices (shuffled) to clients in the numbers `counts` says. */
export function dealByCounts(groups: readonly LabelGroup[], counts: ClassClientCounts, numClients: number, rng: SeededRandom): number[][] {
  const clients: number[][] = Array.from({ length: numClients }, () => []);
  groups.forEach((group, c) => {
    const shuffled = rng.shuffle([...group.indices]);
    let at = 0;
    counts[c]!.forEach((n, j) => {
      appendRange(clients[j]!, shuffled, at, at + n);
      at += n;
    });
  });
  return clients;
}
