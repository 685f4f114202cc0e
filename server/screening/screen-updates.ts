import { FedfuseError } from '../../common/errors/index.ts';
import type { Network } from '../../common/model/network.ts';
import { calibrationPredictions, spreadSample, type CalibrationPredictions } from './calibration-predictions.ts';
import { leaveOneOutAgreement } from './ensemble-agreement.ts';
import { median, robustZScores } from './robust-statistics.ts';
import type { ScreeningOptions } from './screening-options.ts';
import type { ScreeningRejection, ScreeningReport, UpdateScreening } from './screening-report.ts';
import { parameterNorm, updateDistance } from './update-distance.ts';

/**
 * Screens a round's updates before fusion: which are clearly harmful, and
 * why. Measures each update's parameter distance from the global model it
 * started from (absolute, against the global model's norm, and relative to
 * the round's median, with a robust z-score) and runs it on evenly spread
 * calibration samples (non-finite logits; agreement with the other updates'
 * ensemble). Decides with the thresholds in `options`; deciding what to do
 * with the verdicts is the caller's business. Calibration inputs are the
 * server's unlabelled set, row-major.
 */
export async function screenUpdates(updates: readonly Network[], global: Network, calibration: Float32Array, options: ScreeningOptions): Promise<ScreeningReport> {
  const started = performance.now();
  if (updates.length === 0) throw new FedfuseError('invalid_argument', 'screening needs at least one update');
  const rowSize = global.spec.inputShape.reduce((a, b) => a * b, 1);
  const { rows, count } = spreadSample(calibration, rowSize, options.samples);

  const globalNorm = parameterNorm(global);
  const distances = updates.map((u) => updateDistance(u, global));
  const medianDistance = median(distances);
  // MAD floor: a round of near-identical honest updates must not make a tiny excess look like many deviations.
  const z = robustZScores(distances, Math.max(medianDistance * 1e-3, 1e-12));
  const predictions: CalibrationPredictions[] = [];
  for (const u of updates) predictions.push(await calibrationPredictions(u, rows, count));
  const agreement = leaveOneOutAgreement(predictions);
  const relativeRulesApplied = updates.length >= options.minUpdatesForRelative;

  const screened = updates.map((_, k): UpdateScreening => {
    const measured = {
      finiteOutputs: predictions[k]!.finite,
      distance: distances[k]!,
      distanceToGlobalNorm: globalNorm > 0 ? distances[k]! / globalNorm : Number.NaN,
      distanceRatio: medianDistance > 0 ? distances[k]! / medianDistance : Number.NaN,
      distanceZ: z[k]!,
      agreement: agreement[k]!,
    };
    return { ...measured, rejection: verdict(measured, relativeRulesApplied, options) };
  });
  return { samples: count, globalNorm, medianDistance, relativeRulesApplied, updates: screened, seconds: (performance.now() - started) / 1000 };
}

/** The first rule an update breaks, in order of certainty; null when it breaks none. */
function verdict(m: Omit<UpdateScreening, 'rejection'>, relative: boolean, o: ScreeningOptions): ScreeningRejection | null {
  if (!m.finiteOutputs || !Number.isFinite(m.distance)) {
    return { rule: 'non_finite_outputs', reason: 'screening: NaN or infinite outputs on the calibration samples' };
  }
  if (m.distanceToGlobalNorm > o.maxDistanceToGlobalNorm) {
    return {
      rule: 'far_from_global',
      reason: `screening: moved ${fmt(m.distanceToGlobalNorm)} x the global model's norm away from it (limit ${o.maxDistanceToGlobalNorm})`,
    };
  }
  if (relative && m.distanceRatio > o.maxDistanceRatio && m.distanceZ > o.maxDistanceZ) {
    return {
      rule: 'distance_outlier',
      reason: `screening: moved the model ${fmt(m.distanceRatio)} x the round's median distance (robust z ${fmt(m.distanceZ)}; limits ${o.maxDistanceRatio} x and z ${o.maxDistanceZ})`,
    };
  }
  if (relative && o.minAgreement > 0 && m.agreement < o.minAgreement) {
    return {
      rule: 'disagrees_with_others',
      reason: `screening: agrees with the other updates' ensemble on ${fmt(m.agreement * 100)}% of the calibration samples (minimum ${o.minAgreement * 100}%)`,
    };
  }
  return null;
}

function fmt(v: number): string {
  return Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(3);
}
