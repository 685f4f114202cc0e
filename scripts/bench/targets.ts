import type { AttributionSpeed } from './section-attribution-speed.ts';
import { growthExponent, type ScalingPoint } from './section-scaling.ts';
import { markdownTable, points, secs } from './markdown-table.ts';
import type { ProtocolRun } from './protocol-runs.ts';
import { UNIFORM_LABEL } from './protocol-tables.ts';
import { mean, median } from './stats.ts';

/** The targets of the fusion issue, checked against what was measured. */
export interface TargetCheck {
  readonly target: string;
  readonly measured: string;
  /** null when the part of the benchmark that measures it did not run. */
  readonly met: boolean | null;
}

function accuracyOf(run: ProtocolRun, label: string): number | undefined {
  return run.methods.find((m) => m.label === label)?.accuracy;
}

function gapCheck(runs: readonly ProtocolRun[], k: number, target: string, gap: (r: ProtocolRun, kf: number) => number | undefined, ok: (meanGap: number) => boolean): TargetCheck {
  const gaps = runs
    .filter((r) => r.k === k)
    .flatMap((r) => {
      const kf = accuracyOf(r, UNIFORM_LABEL);
      const g = kf === undefined ? undefined : gap(r, kf);
      return g === undefined ? [] : [g];
    });
  if (gaps.length === 0) return { target, measured: 'not run', met: null };
  const m = mean(gaps);
  return { target, measured: `${points(m)} points (per seed ${gaps.map(points).join(' / ')})`, met: ok(m) };
}

export function checkTargets(independent: readonly ProtocolRun[], scalingK: readonly ScalingPoint[], speed: readonly AttributionSpeed[]): TargetCheck[] {
  const checks: TargetCheck[] = [];
  for (const k of [4, 8]) {
    checks.push(
      gapCheck(independent, k, `split-by-${k}, independent inits: kf-linear − average ≥ +15 points`, (r, kf) => {
        const avg = accuracyOf(r, 'average');
        return avg === undefined ? undefined : kf - avg;
      }, (g) => g >= 0.15),
    );
    checks.push(gapCheck(independent, k, `split-by-${k}, independent inits: kf-linear within 3 points of the ensemble`, (r, kf) => kf - r.ensemble, (g) => g >= -0.03));
  }
  const k8 = scalingK.find((p) => p.parents === 8);
  const k8protocol = independent.filter((r) => r.k === 8).flatMap((r) => r.methods.filter((m) => m.label === UNIFORM_LABEL).map((m) => m.fusionSeconds));
  if (k8 !== undefined) {
    checks.push({ target: 'kf-linear of 8 MLPs 784-256-10, 400 calibration samples ≤ 5 s', measured: `median ${secs(k8.secondsMedian)} s, min ${secs(k8.secondsMin)} s (scaling runs)`, met: k8.secondsMedian <= 5 });
  } else if (k8protocol.length > 0) {
    checks.push({ target: 'kf-linear of 8 MLPs 784-256-10, 400 calibration samples ≤ 5 s', measured: `median ${secs(median(k8protocol))} s over seeds`, met: median(k8protocol) <= 5 });
  } else {
    checks.push({ target: 'kf-linear of 8 MLPs 784-256-10, 400 calibration samples ≤ 5 s', measured: 'not run', met: null });
  }
  if (scalingK.length >= 2) {
    const e = growthExponent(scalingK);
    const first = scalingK[0]!;
    const last = scalingK[scalingK.length - 1]!;
    checks.push({
      target: 'fusion cost grows no worse than linearly in K',
      measured: `time ∝ K^${e.toFixed(2)} (log-log fit); K ${first.parents} → ${last.parents}: ×${(last.secondsMedian / first.secondsMedian).toFixed(1)} time for ×${last.parents / first.parents} parents`,
      met: e <= 1.05,
    });
  } else {
    checks.push({ target: 'fusion cost grows no worse than linearly in K', measured: 'not run', met: null });
  }
  for (const s of speed.filter((x) => x.target !== null)) {
    checks.push({ target: `${s.method} attribution of 784-256-10 over ${s.samples} samples ≤ ${secs(s.target!)} s`, measured: `median ${secs(s.median)} s, min ${secs(s.min)} s`, met: s.median <= s.target! });
  }
  return checks;
}

export function targetsTable(checks: readonly TargetCheck[]): string {
  return markdownTable(['target', 'measured', 'met'], checks.map((c) => [c.target, c.measured, c.met === null ? '–' : c.met ? 'yes' : 'NO']));
}
