import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { writeAccuracyPlot } from '../../server/simulation/index.ts';
import type { CurveFigure } from './federated-tables.ts';

/**
 * One accuracy plot per figure of curves (served models only: with six arms
 * the clients' ensembles would double the lines), with round 0 the initial
 * model, under dir/<name>.svg and .png. docs/benchmarks.md embeds the SVGs.
 */
export async function writeCurvePlots(figures: readonly CurveFigure[], dir: string, target: number): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const f of figures) {
    const series = f.series.map((s) => ({
      label: s.label,
      kind: 'global model' as const,
      points: [
        ...(f.initialAccuracy === null ? [] : [{ round: 0, accuracy: f.initialAccuracy }]),
        ...s.accuracy.flatMap((a, i) => (a === null ? [] : [{ round: i + 1, accuracy: a }])),
      ],
    }));
    const { svg } = await writeAccuracyPlot({ title: `Fashion-MNIST, ${f.title}`, subtitle: 'the served global model after each round (round 0: the initial model)', series, target }, path.join(dir, f.name));
    written.push(svg);
  }
  return written;
}
