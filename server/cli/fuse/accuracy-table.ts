import type { Dataset } from '../../../common/data/index.ts';
import type { Network } from '../../../common/model/index.ts';
import { evaluateNetwork } from '../../../common/training/index.ts';
import { ensembleCorrectCount } from './ensemble-accuracy.ts';
import type { ParentModel } from './load-parent-models.ts';

export interface AccuracyRow {
  readonly model: string;
  readonly correct: number;
  readonly count: number;
}

/** Every parent, the fused model and the ensemble of the parents, on one labelled set. */
export async function accuracyRows(parents: readonly ParentModel[], fused: Network, fusedLabel: string, ds: Dataset): Promise<AccuracyRow[]> {
  const correctOf = async (net: Network): Promise<number> => {
    const { accuracy } = await evaluateNetwork(net, ds.images, ds.labels, ds.count);
    // evaluateNetwork returns correct / count; rounding undoes the division exactly.
    return Math.round(accuracy * ds.count);
  };
  const rows: AccuracyRow[] = [];
  for (const [k, p] of parents.entries()) rows.push({ model: `parent ${k}  ${p.label}`, correct: await correctOf(p.network), count: ds.count });
  rows.push({ model: fusedLabel, correct: await correctOf(fused), count: ds.count });
  const ensemble = await ensembleCorrectCount(parents.map((p) => p.network), ds.images, ds.labels, ds.count);
  rows.push({ model: `ensemble of the ${parents.length} parents`, correct: ensemble, count: ds.count });
  return rows;
}

export function formatPercent(correct: number, count: number): string {
  return `${((100 * correct) / count).toFixed(2)}%`;
}

/** A plain-text table: model, correct / samples, accuracy. */
export function formatAccuracyTable(rows: readonly AccuracyRow[]): string {
  const width = Math.max('model'.length, ...rows.map((r) => r.model.length));
  const counts = rows.map((r) => `${r.correct}/${r.count}`);
  const countWidth = Math.max('correct'.length, ...counts.map((c) => c.length));
  const lines = [`  ${'model'.padEnd(width)}  ${'correct'.padStart(countWidth)}  accuracy`];
  rows.forEach((r, i) => lines.push(`  ${r.model.padEnd(width)}  ${counts[i]!.padStart(countWidth)}  ${formatPercent(r.correct, r.count).padStart(8)}`));
  return lines.join('\n');
}
