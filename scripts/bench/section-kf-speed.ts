import { initNetwork, type ModelSpec } from '../../common/model/index.ts';
import { markdownTable, secs } from './markdown-table.ts';
import { median } from './stats.ts';
import { timedFusion } from './timed-fusion.ts';

/**
 * The speed target: KF-linear of K ResNets (random initialisations:
 * the time does not depend on training) on `calibration` samples, `reps`
 * timed runs after an untimed one. Wall time depends on what else the shared
 * machine runs; the process's CPU time does not (the wasm backend is
 * single-threaded in Node, so on an idle machine wall ≈ CPU).
 */
export interface KfSpeed {
  readonly model: string;
  readonly parents: number;
  readonly calibrationSamples: number;
  readonly wallSeconds: number[];
  readonly cpuSeconds: number[];
  readonly medianWall: number;
  readonly medianCpu: number;
  /** Per level (conv/dense layer index): median seconds of the median run, by phase. */
  readonly levels: { layerIndex: number; grouping: string; rows: number; columns: number; total: number; factorisation: number; grouping_s: number; solve: number }[];
}

export async function kfLinearSpeed(model: string, spec: ModelSpec, k: number, calibration: Float32Array, samples: number, reps: number): Promise<KfSpeed> {
  const parents = Array.from({ length: k }, (_, i) => initNetwork(spec, 100 + i));
  const input = calibration.subarray(0, samples * spec.inputShape.reduce((a, b) => a * b, 1));
  await timedFusion(parents, input, { method: 'kf-linear' }, 1);
  const t = await timedFusion(parents, input, { method: 'kf-linear' }, reps);
  return {
    model,
    parents: k,
    calibrationSamples: samples,
    wallSeconds: t.seconds,
    cpuSeconds: t.cpuSeconds,
    medianWall: t.median,
    medianCpu: median(t.cpuSeconds),
    levels: t.result.report.levels.map((l) => ({
      layerIndex: l.layerIndex,
      grouping: l.grouping,
      rows: l.rows,
      columns: l.columns,
      total: l.seconds.total,
      factorisation: l.seconds.factorisation,
      grouping_s: l.seconds.grouping,
      solve: l.seconds.solve,
    })),
  };
}

export function kfSpeedTable(rows: readonly KfSpeed[]): string {
  return markdownTable(
    ['model', 'parents', 'calibration samples', 'wall s: median (runs)', 'CPU s: median (runs)', 'target'],
    rows.map((r) => [r.model, String(r.parents), String(r.calibrationSamples), `${secs(r.medianWall)} (${r.wallSeconds.map(secs).join(', ')})`, `${secs(r.medianCpu)} (${r.cpuSeconds.map(secs).join(', ')})`, '≤ 10 s']),
  );
}
