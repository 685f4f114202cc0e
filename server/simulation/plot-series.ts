import type { AccuracySeries } from './accuracy-plot.ts';
import type { ArmSummary } from './seed-summary.ts';
import type { RunResult } from './simulation-results.ts';

/** The plot's lines: per arm, the served model's mean accuracy over seeds (from round 0, with a ± std band) and the clients' ensemble. */
export function accuracyPlotSeries(arms: readonly ArmSummary[]): AccuracySeries[] {
  return arms.flatMap((arm): AccuracySeries[] => {
    const served = arm.rounds.flatMap((r) => (r.accuracy.mean === null ? [] : [{ round: r.round, accuracy: r.accuracy.mean, ...band(r.accuracy) }]));
    const ensemble = arm.rounds.flatMap((r) => (r.ensembleAccuracy.mean === null ? [] : [{ round: r.round, accuracy: r.ensembleAccuracy.mean }]));
    return [
      { label: arm.label, kind: 'global model', points: served },
      { label: arm.label, kind: "clients' ensemble", points: ensemble },
    ];
  });
}

function band(s: ArmSummary['rounds'][number]['accuracy']): { lower?: number; upper?: number } {
  return s.std === null || s.mean === null ? {} : { lower: s.mean - s.std, upper: s.mean + s.std };
}

/** The lines of single runs (one seed each), without bands. */
export function plotSeries(runs: readonly RunResult[]): AccuracySeries[] {
  return runs.flatMap((r): AccuracySeries[] => {
    const global = [
      ...(r.initialAccuracy === null ? [] : [{ round: 0, accuracy: r.initialAccuracy }]),
      ...r.rounds.flatMap((x) => (x.accuracy === null ? [] : [{ round: x.round, accuracy: x.accuracy }])),
    ];
    const ensemble = r.rounds.flatMap((x) => (x.ensembleAccuracy === null ? [] : [{ round: x.round, accuracy: x.ensembleAccuracy }]));
    return [
      { label: r.label, kind: 'global model', points: global },
      { label: r.label, kind: "clients' ensemble", points: ensemble },
    ];
  });
}
