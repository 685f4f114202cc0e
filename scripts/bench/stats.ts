/** Summary statistics of benchmark measurements (over seeds, clients or repetitions). */
export interface Spread {
  readonly mean: number;
  readonly min: number;
  readonly max: number;
  /** Sample standard deviation (0 for a single value). */
  readonly std: number;
  readonly n: number;
}

export function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function spread(values: readonly number[]): Spread {
  if (values.length === 0) return { mean: NaN, min: NaN, max: NaN, std: NaN, n: 0 };
  const m = mean(values);
  const variance = values.length > 1 ? values.reduce((s, v) => s + (v - m) ** 2, 0) / (values.length - 1) : 0;
  return { mean: m, min: Math.min(...values), max: Math.max(...values), std: Math.sqrt(variance), n: values.length };
}
