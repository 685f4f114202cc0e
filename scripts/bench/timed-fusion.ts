import type { Network } from '../../common/model/index.ts';
import { fuse, type FusionOptions, type FusionResult } from '../../server/fusion/index.ts';
import { median } from './stats.ts';

export interface TimedFusion {
  /** The result of the run whose time was the median. */
  readonly result: FusionResult;
  readonly seconds: number[];
  readonly median: number;
  readonly min: number;
  /** The process's CPU seconds (user + system) of each run: what the run cost whatever else the shared machine did. */
  readonly cpuSeconds: number[];
}

/**
 * Runs the same fusion `reps` times (it is deterministic, so only the time
 * varies: the CPU is shared) and keeps every wall and CPU time.
 */
export async function timedFusion(parents: readonly Network[], calibration: Float32Array, options: FusionOptions, reps: number): Promise<TimedFusion> {
  const runs: { result: FusionResult; seconds: number; cpu: number }[] = [];
  for (let r = 0; r < reps; r++) {
    const started = performance.now();
    const cpu = process.cpuUsage();
    const result = await fuse(parents, calibration, options);
    const used = process.cpuUsage(cpu);
    runs.push({ result, seconds: (performance.now() - started) / 1000, cpu: (used.user + used.system) / 1e6 });
  }
  const seconds = runs.map((r) => r.seconds);
  const m = median(seconds);
  const closest = runs.reduce((best, r) => (Math.abs(r.seconds - m) < Math.abs(best.seconds - m) ? r : best));
  return { result: closest.result, seconds, median: m, min: Math.min(...seconds), cpuSeconds: runs.map((r) => r.cpu) };
}
