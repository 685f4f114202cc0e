/**
 * Splits the integer `total` into non-negative integers proportional to
 * `weights`, summing exactly to `total` (largest-remainder method: everyone
 * gets the floor of their exact share, the leftover units go to the largest
 * fractional parts, ties to the lower index so the result is deterministic).
 * All-zero weights are read as equal weights.
 */
export function apportion(total: number, weights: readonly number[]): number[] {
  if (weights.length === 0) return [];
  const sum = weights.reduce((a, b) => a + b, 0);
  const shares = sum > 0 ? weights.map((w) => (total * w) / sum) : weights.map(() => total / weights.length);
  const counts = shares.map((s) => Math.floor(s));
  let left = total - counts.reduce((a, b) => a + b, 0);
  const byRemainder = shares.map((s, i) => ({ i, r: s - Math.floor(s) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (let k = 0; left > 0; k = (k + 1) % byRemainder.length, left--) counts[byRemainder[k]!.i]!++;
  return counts;
}
