import { carveHoldout, subset, type Dataset } from '../../common/data/index.ts';
import { mlpSpec } from '../../common/model/index.ts';
import type { FusionReport } from '../../server/fusion/index.ts';
import { markdownTable, pct, secs } from './markdown-table.ts';
import { accuracy, ensembleAccuracy } from './model-accuracy.ts';
import { mnistProtocol, splitByK } from './mnist-protocol.ts';
import { trainParents, type TrainingSettings } from './parent-training.ts';
import { MLP_HIDDEN } from './protocol-runs.ts';
import { mean } from './stats.ts';
import { timedFusion } from './timed-fusion.ts';

/**
 * KF-linear's cost as the number of parents and the calibration set grow.
 * The parents are trained MLPs 784-256-10 (independent initialisations,
 * split-by-K of the clients' pool): k-means behaves differently on trained
 * neurons than on random ones, so timing random models would flatter or
 * punish it for the wrong reason.
 */
export interface PhaseSeconds {
  readonly forward: number;
  readonly factorisation: number;
  readonly grouping: number;
  readonly solve: number;
  readonly kmeansIterations: number;
}

export interface ScalingPoint {
  readonly parents: number;
  readonly calibrationSamples: number;
  readonly secondsMedian: number;
  readonly secondsMin: number;
  readonly seconds: number[];
  /** Phases of the hidden level (where nearly all the time goes), from the median run. */
  readonly hiddenLevel: PhaseSeconds;
  readonly accuracy: number;
  readonly ensemble: number;
  readonly parentMean: number;
}

function hiddenLevel(report: FusionReport): PhaseSeconds {
  const l = report.levels[0]!;
  return { ...l.seconds, kmeansIterations: l.kmeans?.iterations ?? 0 };
}

export async function scalingInK(ks: readonly number[], seed: number, training: TrainingSettings, reps: number, log: (l: string) => void): Promise<ScalingPoint[]> {
  const data = mnistProtocol(seed);
  const spec = mlpSpec(784, [MLP_HIDDEN], 10);
  const points: ScalingPoint[] = [];
  for (const k of ks) {
    const clients = splitByK(data, k);
    const { parents, trainSeconds } = await trainParents(spec, clients, 'independent', seed, training);
    const t = await timedFusion(parents, data.calibration.images, { method: 'kf-linear', seed }, reps);
    const parentAccuracies: number[] = [];
    for (const p of parents) parentAccuracies.push(await accuracy(p, data.test));
    const point: ScalingPoint = {
      parents: k,
      calibrationSamples: data.calibration.count,
      secondsMedian: t.median,
      secondsMin: t.min,
      seconds: t.seconds,
      hiddenLevel: hiddenLevel(t.result.report),
      accuracy: await accuracy(t.result.network, data.test),
      ensemble: await ensembleAccuracy(parents, data.test),
      parentMean: mean(parentAccuracies),
    };
    log(`  K = ${k} (trained in ${trainSeconds.toFixed(1)} s): kf-linear median ${t.median.toFixed(2)} s [${t.seconds.map((s) => s.toFixed(2)).join(', ')}], accuracy ${pct(point.accuracy)}`);
    points.push(point);
  }
  return points;
}

/** A class-balanced draw of `size` samples from the calibration pool. */
function balancedSubset(pool: Dataset, size: number, seed: number): Dataset {
  const { calibration } = carveHoldout(pool.labels, { testSize: 0, calibrationSize: size, seed });
  return subset(pool, calibration, `${pool.name}:${size}`);
}

/**
 * K = 8 parents fused with calibration sets of several sizes. This needs a
 * 2,000-sample calibration pool held out of the clients' data, so it uses its
 * own carve (test 2,000, calibration pool 2,000, clients 6,000) and its own
 * parents; accuracies are comparable among its rows, not with the 7,600-sample
 * paper-protocol rows.
 */
export async function scalingInCalibration(sizes: readonly number[], k: number, seed: number, training: TrainingSettings, reps: number, log: (l: string) => void): Promise<ScalingPoint[]> {
  const largest = Math.max(...sizes);
  const data = mnistProtocol(seed, { testSize: 2000, calibrationSize: largest });
  const spec = mlpSpec(784, [MLP_HIDDEN], 10);
  const clients = splitByK(data, k);
  const { parents } = await trainParents(spec, clients, 'independent', seed, training);
  const parentAccuracies: number[] = [];
  for (const p of parents) parentAccuracies.push(await accuracy(p, data.test));
  const ensemble = await ensembleAccuracy(parents, data.test);
  const points: ScalingPoint[] = [];
  for (const size of sizes) {
    const calibration = size === largest ? data.calibration : balancedSubset(data.calibration, size, seed);
    const t = await timedFusion(parents, calibration.images, { method: 'kf-linear', seed }, reps);
    const point: ScalingPoint = {
      parents: k,
      calibrationSamples: calibration.count,
      secondsMedian: t.median,
      secondsMin: t.min,
      seconds: t.seconds,
      hiddenLevel: hiddenLevel(t.result.report),
      accuracy: await accuracy(t.result.network, data.test),
      ensemble,
      parentMean: mean(parentAccuracies),
    };
    log(`  N = ${size}: kf-linear median ${t.median.toFixed(2)} s, accuracy ${pct(point.accuracy)}`);
    points.push(point);
  }
  return points;
}

/** Least-squares slope of log(time) against log(K): 1 means linear growth. */
export function growthExponent(points: readonly ScalingPoint[]): number {
  const xs = points.map((p) => Math.log(p.parents));
  const ys = points.map((p) => Math.log(p.secondsMedian));
  const mx = mean(xs);
  const my = mean(ys);
  const sxy = xs.reduce((s, x, i) => s + (x - mx) * (ys[i]! - my), 0);
  const sxx = xs.reduce((s, x) => s + (x - mx) ** 2, 0);
  return sxy / sxx;
}

export function scalingTable(points: readonly ScalingPoint[], by: 'parents' | 'calibration'): string {
  const header = [
    by === 'parents' ? 'parents K' : 'calibration samples',
    'median s',
    'min s',
    ...(by === 'parents' ? ['s per parent'] : []),
    'hidden level: forward / factor / group / solve s',
    'k-means iterations',
    'kf-linear %',
    'ensemble %',
    'parents mean %',
  ];
  const rows = points.map((p) => [
    String(by === 'parents' ? p.parents : p.calibrationSamples),
    secs(p.secondsMedian),
    secs(p.secondsMin),
    ...(by === 'parents' ? [secs(p.secondsMedian / p.parents)] : []),
    [p.hiddenLevel.forward, p.hiddenLevel.factorisation, p.hiddenLevel.grouping, p.hiddenLevel.solve].map(secs).join(' / '),
    String(p.hiddenLevel.kmeansIterations),
    pct(p.accuracy),
    pct(p.ensemble),
    pct(p.parentMean),
  ]);
  return markdownTable(header, rows);
}
