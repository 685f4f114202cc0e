import type { Spread } from './seed-summary.ts';
import type { RunResult, SimulationResults } from './simulation-results.ts';

/**
 * The terminal summary of a simulation: accuracy per round (one column per
 * aggregator: served global model / clients' ensemble), then one line per
 * aggregator with best, rounds to target, bytes, fusion time and wall time.
 * With several seeds, every number is the mean ± the standard deviation over
 * the seeds (results.arms), and rounds to target is listed per seed.
 */
export function formatResultsTables(results: SimulationResults): string {
  if (results.seeds.length > 1) return [formatSeedsAccuracyTable(results), '', formatSeedsSummaryTable(results)].join('\n');
  return [formatAccuracyTable(results), '', formatSummaryTable(results)].join('\n');
}

/** Accuracy per round, mean ± std over seeds, / the clients' ensemble's mean. */
export function formatSeedsAccuracyTable(results: SimulationResults): string {
  const arms = results.arms;
  const maxRound = Math.max(0, ...arms.map((a) => a.rounds.length - 1));
  const header = ['round', ...arms.map((a) => a.label)];
  const rows: string[][] = [];
  for (let round = 0; round <= maxRound; round++) {
    rows.push([
      String(round),
      ...arms.map((a) => {
        const r = a.rounds.find((x) => x.round === round);
        if (r === undefined) return '-';
        return round === 0 ? spreadPercent(r.accuracy) : `${spreadPercent(r.accuracy)} / ${percent(r.ensembleAccuracy.mean)}`;
      }),
    ]);
  }
  return (
    `Test accuracy after each round over seeds ${results.seeds.join(', ')}: served global model, mean ± std / the clients' ensemble, mean ` +
    `(round 0: the initial model)\n${renderTable(header, rows)}`
  );
}

export function formatSeedsSummaryTable(results: SimulationResults): string {
  const target = results.targetAccuracy;
  const header = ['aggregator', 'final', 'best', `rounds to ${percent(target)} (per seed)`, 'ensemble (last)', 'MB moved', 'fusion s/round', 'wall s'];
  const rows = results.arms.map((a) => {
    const rounds = a.rounds.length - 1;
    return [
      a.label,
      spreadPercent(a.finalAccuracy),
      spreadPercent(a.bestAccuracy),
      a.roundsToTarget.map((r) => (r === null ? `>${rounds}` : String(r))).join(', '),
      percent(a.rounds.at(-1)?.ensembleAccuracy.mean ?? null),
      (a.megabytesMoved.mean ?? 0).toFixed(1),
      (a.fusionSecondsPerRound.mean ?? 0).toFixed(2),
      (a.wallSeconds.mean ?? 0).toFixed(1),
    ];
  });
  return `Summary over seeds ${results.seeds.join(', ')} (${results.data.dataset}, ${String(results.config['partition'])}, ${results.data.clients.length} clients, ${String(results.config['model'])})\n${renderTable(header, rows)}`;
}

/** '81.2 ± 0.4%' (the std in points), or the mean alone with one value. */
export function spreadPercent(s: Spread): string {
  if (s.mean === null) return '-';
  return s.std === null ? percent(s.mean) : `${(s.mean * 100).toFixed(1)} ± ${(s.std * 100).toFixed(1)}%`;
}

export function formatAccuracyTable(results: SimulationResults): string {
  const runs = results.runs;
  const maxRound = Math.max(0, ...runs.map((r) => r.rounds.length));
  const header = ['round', ...runs.map((r) => r.label)];
  const rows: string[][] = [['0', ...runs.map((r) => percent(r.initialAccuracy))]];
  for (let k = 0; k < maxRound; k++) {
    rows.push([String(k + 1), ...runs.map((r) => `${percent(r.rounds[k]?.accuracy ?? null)} / ${percent(r.rounds[k]?.ensembleAccuracy ?? null)}`)]);
  }
  return `Test accuracy after each round: served global model / the clients' ensemble (round 0: the initial model)\n${renderTable(header, rows)}`;
}

export function formatSummaryTable(results: SimulationResults): string {
  const target = results.targetAccuracy;
  const header = ['aggregator', 'final', 'best (round)', `rounds to ${percent(target)}`, 'ensemble (last)', 'MB moved', 'fusion s/round', 'wall s', 'overhead (excl. eval)'];
  const rows = results.runs.map((r) => summaryRow(r, r.rounds.length));
  return `Summary (${results.data.dataset}, ${String(results.config['partition'])}, ${results.data.clients.length} clients, ${String(results.config['model'])})\n${renderTable(header, rows)}`;
}

function summaryRow(r: RunResult, rounds: number): string[] {
  const fusionPerRound = rounds > 0 ? r.timing.fusionSeconds / rounds : 0;
  return [
    r.label,
    percent(r.finalAccuracy),
    r.bestAccuracy === null ? '-' : `${percent(r.bestAccuracy)} (${r.bestRound})`,
    r.roundsToTarget === null ? `>${rounds}` : String(r.roundsToTarget),
    percent(r.rounds.at(-1)?.ensembleAccuracy ?? null),
    (r.bytes.total / 1e6).toFixed(1),
    fusionPerRound.toFixed(2),
    r.timing.wallSeconds.toFixed(1),
    `${(r.timing.overheadShare * 100).toFixed(0)}% (${(r.timing.overheadExcludingEvaluationShare * 100).toFixed(0)}%)`,
  ];
}

export function percent(v: number | null): string {
  return v === null ? '-' : `${(v * 100).toFixed(1)}%`;
}

/** Columns padded to their widest cell; the first column left-aligned, the others right-aligned. */
export function renderTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
