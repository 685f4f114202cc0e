/**
 * Location and spread that a minority of outliers cannot drag: the median
 * and the median absolute deviation (MAD). Plain numbers in, plain numbers out.
 */

/** Scales the MAD to estimate a standard deviation under a normal distribution (1 / Φ⁻¹(3/4)). */
export const MAD_TO_STD = 1.4826;

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Median of |v - median(v)|. */
export function medianAbsoluteDeviation(values: readonly number[]): number {
  const m = median(values);
  return median(values.map((v) => Math.abs(v - m)));
}

/**
 * (v - median) / (MAD_TO_STD x MAD) for each value: how many robust standard
 * deviations each value lies from the middle. When more than half the values
 * are equal the MAD is 0; the spread then falls back to `minSpread`, so that
 * identical honest values do not turn a tiny difference into an infinite score.
 */
export function robustZScores(values: readonly number[], minSpread: number): number[] {
  const m = median(values);
  const spread = Math.max(MAD_TO_STD * medianAbsoluteDeviation(values), minSpread);
  return values.map((v) => (v - m) / spread);
}
