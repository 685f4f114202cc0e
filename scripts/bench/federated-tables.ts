import type { RawSimulationOptions, RunResult, SimulationResults } from '../../server/simulation/index.ts';
import { markdownTable } from './markdown-table.ts';

/** One simulation of scripts/bench-federated.ts. */
export interface BenchExperiment {
  readonly id: string;
  readonly group: 'mlp' | 'cnn' | 'one-shot' | 'design';
  readonly title: string;
  readonly partition: string;
  readonly model: string;
  readonly options: RawSimulationOptions;
}

/** The arm under test; every other arm is a baseline. */
const OURS = 'kf-linear (uniform)';
/** kf-linear trains from the FedAvg average: its training model is FedAvg's global model (same updates). */
const FEDAVG_FROM_TRAINING = 'fedavg (= kf-linear\'s training model)';
const THRESHOLDS = [0.75, 0.8, 0.85];
const SHOWN_ROUNDS = [1, 2, 5, 10, 20, 30];

export type Series = { readonly label: string; readonly accuracy: readonly (number | null)[]; readonly run: RunResult | null };

const pct = (x: number | null | undefined): string => (x === null || x === undefined || !Number.isFinite(x) ? '–' : (100 * x).toFixed(1));
const points = (x: number): string => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(1)}`;

/** Each arm's accuracy per round (index r-1), plus FedAvg from kf-linear's training model when no fedavg arm ran. */
function seriesOf(results: SimulationResults): Series[] {
  const out: Series[] = results.runs.map((r) => ({ label: r.label, accuracy: r.rounds.map((x) => x.accuracy), run: r }));
  const ours = results.runs.find((r) => r.label === OURS);
  if (ours !== undefined && ours.rounds.every((x) => x.trainingModelAccuracy !== null)) {
    out.push({ label: FEDAVG_FROM_TRAINING, accuracy: ours.rounds.map((x) => x.trainingModelAccuracy), run: null });
  }
  return out;
}

function roundsTo(accuracy: readonly (number | null)[], threshold: number): number | null {
  const i = accuracy.findIndex((a) => a !== null && a >= threshold);
  return i < 0 ? null : i + 1;
}

function curveTable(series: readonly Series[], rounds: number): string {
  const shown = SHOWN_ROUNDS.filter((r) => r <= rounds);
  const header = ['aggregator', ...shown.map((r) => `R=${r}`), 'best (round)', ...THRESHOLDS.map((t) => `rounds to ${Math.round(t * 100)} %`), 'fusion s / round', 'round s'];
  const rows = series.map((s) => {
    const values = s.accuracy.map((a) => a ?? -1);
    const best = Math.max(...values);
    const fusion = s.run === null ? null : s.run.rounds.reduce((a, x) => a + x.fusionSeconds, 0) / s.run.rounds.length;
    const round = s.run === null ? null : s.run.rounds.reduce((a, x) => a + x.roundSeconds, 0) / s.run.rounds.length;
    return [
      s.label,
      ...shown.map((r) => pct(s.accuracy[r - 1])),
      `${pct(best)} (${values.indexOf(best) + 1})`,
      ...THRESHOLDS.map((t) => String(roundsTo(s.accuracy, t) ?? `>${rounds}`)),
      fusion === null ? '–' : fusion.toFixed(2),
      round === null ? '–' : round.toFixed(1),
    ];
  });
  return markdownTable(header, rows);
}

/** The issue's targets for one partition's curves: every round, the final round, rounds to 80 %, the fusion's share of a round. */
function curveTargets(series: readonly Series[], rounds: number): string[] {
  const ours = series.find((s) => s.label === OURS);
  const baselines = series.filter((s) => s.label !== OURS);
  if (ours === undefined || baselines.length === 0) return [];
  const bestAt = (r: number): { label: string; accuracy: number } => {
    let best = { label: '', accuracy: -1 };
    for (const b of baselines) if ((b.accuracy[r] ?? -1) > best.accuracy) best = { label: b.label, accuracy: b.accuracy[r]! };
    return best;
  };
  const gaps = Array.from({ length: rounds }, (_, r) => (ours.accuracy[r] ?? 0) - bestAt(r).accuracy);
  const behind = gaps.flatMap((g, r) => (g < -0.005 ? [r + 1] : []));
  const worst = Math.min(...gaps);
  const final = bestAt(rounds - 1);
  const to80 = roundsTo(ours.accuracy, 0.8);
  const baselineTo80 = baselines.map((b) => roundsTo(b.accuracy, 0.8)).filter((x): x is number => x !== null);
  const bestTo80 = baselineTo80.length === 0 ? null : Math.min(...baselineTo80);
  const run = ours.run!;
  const share = run.rounds.reduce((a, x) => a + x.fusionSeconds, 0) / run.rounds.reduce((a, x) => a + x.roundSeconds, 0);
  return [
    `- every round ≥ best baseline − 0.5: ${behind.length === 0 ? 'met' : `missed in ${behind.length} of ${rounds} rounds (${behind.slice(0, 12).join(', ')}${behind.length > 12 ? ', …' : ''})`}; ` +
      `worst gap ${points(worst)} points (round ${gaps.indexOf(worst) + 1}); mean gap over the rounds ${points(gaps.reduce((a, b) => a + b, 0) / rounds)}`,
    `- after ${rounds} rounds: ${pct(ours.accuracy[rounds - 1])} vs best baseline ${final.label} ${pct(final.accuracy)} (${points((ours.accuracy[rounds - 1] ?? 0) - final.accuracy)} points)`,
    `- rounds to 80 %: ${to80 ?? `>${rounds}`} vs best baseline ${bestTo80 ?? `>${rounds}`}`,
    `- fusion's share of the round's wall time (kf-linear): ${(100 * share).toFixed(1)} %`,
  ];
}

function oneShotTable(results: SimulationResults): { table: string; target: string } {
  const rows = results.arms.map((a) => {
    const r1 = a.rounds.find((x) => x.round === 1);
    return { label: a.label, mean: r1?.accuracy.mean ?? null, std: r1?.accuracy.std ?? null, ensemble: r1?.ensembleAccuracy.mean ?? null, perSeed: results.runs.filter((r) => r.label === a.label).map((r) => r.rounds[0]?.accuracy ?? null) };
  });
  const table = markdownTable(
    ['aggregator', 'one-shot (mean ± std)', ...results.seeds.map((s) => `seed ${s}`), "clients' ensemble"],
    rows.map((r) => [r.label, r.mean === null ? '–' : `${pct(r.mean)} ± ${pct(r.std ?? 0)}`, ...r.perSeed.map(pct), pct(r.ensemble)]),
  );
  const ours = rows.find((r) => r.label === OURS);
  const baselines = rows.filter((r) => r.label !== OURS && r.mean !== null);
  const best = baselines.reduce((a, b) => ((b.mean ?? -1) > (a?.mean ?? -1) ? b : a), baselines[0]);
  const target = ours === undefined || best === undefined ? '' : `- one-shot: ${pct(ours.mean)} vs best baseline ${best.label} ${pct(best.mean)} (${points((ours.mean ?? 0) - (best.mean ?? 0))} points, mean over seeds ${results.seeds.join(', ')})`;
  return { table, target };
}

/** Largest |fedavg arm − kf-linear's training model| over the rounds: the check that both are FedAvg's trajectory. */
function trajectoryCheck(results: SimulationResults): string | null {
  const fedavg = results.runs.find((r) => r.label === 'fedavg');
  const ours = results.runs.find((r) => r.label === OURS);
  if (fedavg === undefined || ours === undefined) return null;
  let worst = 0;
  ours.rounds.forEach((x, i) => {
    const a = fedavg.rounds[i]?.accuracy;
    if (a !== null && a !== undefined && x.trainingModelAccuracy !== null) worst = Math.max(worst, Math.abs(a - x.trainingModelAccuracy));
  });
  return `- the fedavg arm and kf-linear's training model (both FedAvg's trajectory): largest accuracy difference over ${ours.rounds.length} rounds ${(100 * worst).toFixed(2)} points`;
}

type Run = { readonly experiment: BenchExperiment; readonly results: SimulationResults; readonly seconds: number };

/**
 * Per partition, kf-linear's default round design beside the designs it was
 * chosen over (the design group), with FedAvg for scale: the same seed,
 * partitions and initial model in every row.
 */
function designTables(runs: readonly Run[]): string[] {
  const out: string[] = [];
  for (const figure of curveFigures(runs).filter((f) => f.group === 'design')) {
    out.push(`#### ${figure.title}`, '', curveTable(figure.series, Math.max(...figure.series.map((x) => x.accuracy.length))), '');
    for (const d of runs.filter((x) => x.experiment.group === 'design' && x.experiment.partition === figure.partition)) {
      out.push(`- ${(d.seconds / 60).toFixed(1)} min; reproduce: \`${d.results.command.join(' ')}\``);
    }
    out.push('');
  }
  return out;
}

/** Short names of the design group's designs (scripts/bench-federated.ts DESIGNS), for table rows and plot legends. */
const DESIGN_LABELS: Record<string, string> = {
  served: 'train from served (before 2026-12)',
  'average-no-parent': 'train from average, no start parent',
};

/** One figure of curves: an mlp/cnn experiment's arms, or a partition's round designs. */
export interface CurveFigure {
  readonly name: string;
  readonly title: string;
  readonly group: BenchExperiment['group'];
  readonly partition: string;
  /** Round 0: the initial model's accuracy (the same for every series of a figure). */
  readonly initialAccuracy: number | null;
  readonly series: readonly Series[];
}

/** The curves of the mlp and cnn experiments, and per partition the round designs beside kf-linear's default and FedAvg. */
export function curveFigures(runs: readonly Run[]): CurveFigure[] {
  const figures: CurveFigure[] = runs
    .filter((x) => x.experiment.group === 'mlp' || x.experiment.group === 'cnn')
    .map((x) => ({ name: x.experiment.id, title: x.experiment.title, group: x.experiment.group, partition: x.experiment.partition, initialAccuracy: x.results.runs[0]?.initialAccuracy ?? null, series: seriesOf(x.results) }));
  const designs = runs.filter((x) => x.experiment.group === 'design');
  for (const partition of [...new Set(designs.map((x) => x.experiment.partition))]) {
    const mlp = runs.find((x) => x.experiment.group === 'mlp' && x.experiment.partition === partition);
    const series: Series[] = [];
    const defaultRun = mlp?.results.runs.find((r) => r.label === OURS);
    if (defaultRun !== undefined) series.push({ label: 'kf-linear, default (train from average, start parent)', accuracy: defaultRun.rounds.map((x) => x.accuracy), run: defaultRun });
    for (const d of designs.filter((x) => x.experiment.partition === partition)) {
      const run = d.results.runs.find((r) => r.label.startsWith('kf-linear'));
      if (run !== undefined) series.push({ label: `kf-linear, ${DESIGN_LABELS[d.experiment.id.replace(/^design-/, '').replace(/-mlp-.*$/, '')] ?? d.experiment.id}`, accuracy: run.rounds.map((x) => x.accuracy), run });
    }
    const fedavg = mlp === undefined ? undefined : seriesOf(mlp.results).find((x) => x.label === 'fedavg' || x.label === FEDAVG_FROM_TRAINING);
    if (fedavg !== undefined) series.push(fedavg);
    const first = designs.find((x) => x.experiment.partition === partition)!;
    figures.push({ name: `design-mlp-${partition.replace(':', '-')}`, title: `Round design, MLP, ${partition}, seed 0`, group: 'design', partition, initialAccuracy: first.results.runs[0]?.initialAccuracy ?? null, series });
  }
  return figures;
}

/** The markdown for docs/benchmarks.md. */
export function federatedTables(
  experiments: readonly { readonly experiment: BenchExperiment; readonly results: SimulationResults; readonly seconds: number }[],
  meta: { readonly date: string; readonly machine: string; readonly command: string; readonly totalSeconds: number; readonly loadAverages: readonly number[] },
): string {
  const out: string[] = [
    `${meta.date.slice(0, 10)}, \`${meta.command}\`, ${meta.machine}; ${(meta.totalSeconds / 60).toFixed(0)} min in all; ` +
      `1-minute load average at each simulation's start ${meta.loadAverages.map((l) => l.toFixed(1)).join(', ') || '–'}.`,
    '',
  ];
  for (const { experiment: e, results, seconds } of experiments.filter((x) => x.experiment.group !== 'design')) {
    out.push(`#### ${e.title}`, '');
    if (e.group === 'one-shot') {
      const { table, target } = oneShotTable(results);
      out.push(table, '', target);
    } else {
      const rounds = Math.max(...results.runs.map((r) => r.rounds.length));
      const series = seriesOf(results);
      out.push(curveTable(series, rounds), '', ...curveTargets(series, rounds));
      const check = trajectoryCheck(results);
      if (check !== null) out.push(check);
    }
    out.push(`- ${(seconds / 60).toFixed(1)} min; reproduce: \`${results.command.join(' ')}\``, '');
  }
  out.push(...designTables(experiments));
  return out.join('\n');
}
