import type { RunResult, SimulationResults } from './simulation-results.ts';

/**
 * One tidy row per arm x seed x round (round 0 = the initial model), for
 * pandas, R or a spreadsheet: the same numbers as results.json. Empty cells
 * are values that do not exist (no ensemble before round 1, no separate
 * training model). RFC 4180 quoting: labels contain commas.
 */
export const CSV_COLUMNS = [
  'arm',
  'aggregator',
  'seed',
  'round',
  'accuracy',
  'loss',
  'ensemble_accuracy',
  'training_model_accuracy',
  'participants',
  'examples',
  'fusion_seconds',
  'round_seconds',
  'training_critical_seconds',
] as const;

export function resultsCsv(results: Pick<SimulationResults, 'runs'>): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of results.runs) for (const row of runRows(r)) lines.push(row.map(cell).join(','));
  return `${lines.join('\n')}\n`;
}

function runRows(r: RunResult): (string | number | null)[][] {
  const initial = [r.label, r.aggregator, r.seed, 0, r.initialAccuracy, null, null, null, null, null, null, null, null];
  return [
    initial,
    ...r.rounds.map((x) => [
      r.label,
      r.aggregator,
      r.seed,
      x.round,
      x.accuracy,
      x.loss,
      x.ensembleAccuracy,
      x.trainingModelAccuracy,
      x.participants,
      x.clients.reduce((s, c) => s + c.examples, 0),
      x.fusionSeconds,
      x.roundSeconds,
      x.trainingCriticalSeconds,
    ]),
  ];
}

function cell(v: string | number | null): string {
  if (v === null) return '';
  if (typeof v === 'number') return String(v);
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}
