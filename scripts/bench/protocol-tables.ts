import type { MethodResult } from './fusion-cases.ts';
import { markdownTable, pct, points, secs } from './markdown-table.ts';
import type { ProtocolRun } from './protocol-runs.ts';
import { mean, median, spread } from './stats.ts';

/** Tables over the seeds of the protocol runs: accuracy mean ± standard deviation over seeds, median fusion time. */

export function accuracyCell(values: readonly number[]): string {
  const s = spread(values);
  if (s.n === 0) return '–';
  return s.n === 1 ? pct(s.mean) : `${pct(s.mean)} ±${(100 * s.std).toFixed(1)}`;
}

function method(run: ProtocolRun, label: string): MethodResult | undefined {
  return run.methods.find((m) => m.label === label);
}

/** Labels of the method cases, in the order they first appear. */
export function methodLabels(runs: readonly ProtocolRun[]): string[] {
  const labels: string[] = [];
  for (const r of runs) for (const m of r.methods) if (!labels.includes(m.label)) labels.push(m.label);
  return labels;
}

export function methodAccuracies(runs: readonly ProtocolRun[], label: string): number[] {
  return runs.flatMap((r) => {
    const m = method(r, label);
    return m === undefined ? [] : [m.accuracy];
  });
}

export function protocolTable(runs: readonly ProtocolRun[], ks: readonly number[]): string {
  const byK = (k: number): ProtocolRun[] => runs.filter((r) => r.k === k);
  const header = ['', ...ks.flatMap((k) => [`k=${k} accuracy %`, `k=${k} fusion s`])];
  const rows: string[][] = [];
  rows.push([
    'parents: mean (min–max)',
    ...ks.flatMap((k) => {
      const all = byK(k).flatMap((r) => r.parentAccuracies);
      const means = byK(k).map((r) => mean(r.parentAccuracies));
      return all.length === 0 ? ['–', ''] : [`${accuracyCell(means)} (${pct(Math.min(...all))}–${pct(Math.max(...all))})`, ''];
    }),
  ]);
  rows.push(['ensemble (K forward passes)', ...ks.flatMap((k) => [accuracyCell(byK(k).map((r) => r.ensemble)), ''])]);
  for (const label of methodLabels(runs)) {
    rows.push([
      label,
      ...ks.flatMap((k) => {
        const found = byK(k).flatMap((r) => {
          const m = method(r, label);
          return m === undefined ? [] : [m];
        });
        return found.length === 0 ? ['–', '–'] : [accuracyCell(found.map((m) => m.accuracy)), secs(median(found.map((m) => m.fusionSeconds)))];
      }),
    ]);
  }
  return markdownTable(header, rows);
}

export const UNIFORM_LABEL = 'kf-linear (uniform)';

/** How much each importance source changes KF-linear's accuracy against uniform importance, paired by seed. */
export interface ImportanceComparison {
  readonly k: number;
  readonly label: string;
  readonly accuracy: number[];
  /** Accuracy minus uniform KF-linear's, per seed. */
  readonly deltas: number[];
  readonly attributionSecondsPerClient: number[];
  readonly samplesPerClient: number[];
}

export function compareImportances(runs: readonly ProtocolRun[], ks: readonly number[]): ImportanceComparison[] {
  const out: ImportanceComparison[] = [];
  const labels = methodLabels(runs).filter((l) => l.startsWith('kf-linear') && l !== UNIFORM_LABEL);
  for (const k of ks) {
    for (const label of labels) {
      const pairs = runs
        .filter((r) => r.k === k)
        .flatMap((r) => {
          const m = method(r, label);
          const u = method(r, UNIFORM_LABEL);
          return m === undefined || u === undefined ? [] : [{ m, u }];
        });
      if (pairs.length === 0) continue;
      out.push({
        k,
        label,
        accuracy: pairs.map((p) => p.m.accuracy),
        deltas: pairs.map((p) => p.m.accuracy - p.u.accuracy),
        attributionSecondsPerClient: pairs.flatMap((p) => p.m.attribution?.secondsPerClient ?? []),
        samplesPerClient: pairs.flatMap((p) => p.m.attribution?.samplesPerClient ?? []),
      });
    }
  }
  return out;
}

export function importanceTable(comparisons: readonly ImportanceComparison[], uniform: (k: number) => number[]): string {
  const header = ['k', 'importance', 'attribution s per client: mean (max)', 'samples per client', 'kf-linear accuracy %', 'uniform kf-linear %', 'Δ vs uniform, points', 'Δ per seed', 'better than uniform in'];
  const rows = comparisons.map((c) => {
    const t = spread(c.attributionSecondsPerClient);
    const better = c.deltas.filter((d) => d > 0).length;
    return [
      String(c.k),
      c.label.replace(/^kf-linear /, ''),
      t.n === 0 ? 'server, in fusion time' : `${secs(t.mean)} (${secs(t.max)})`,
      c.samplesPerClient.length === 0 ? '–' : `${Math.round(mean(c.samplesPerClient))}`,
      accuracyCell(c.accuracy),
      accuracyCell(uniform(c.k)),
      points(mean(c.deltas)),
      c.deltas.map(points).join(' / '),
      `${better} of ${c.deltas.length} seeds`,
    ];
  });
  return markdownTable(header, rows);
}
