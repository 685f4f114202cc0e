import { FedfuseError } from '../../common/errors/index.ts';
import type { CalibrationPredictions } from './calibration-predictions.ts';

/**
 * For each model, the fraction of samples on which its predicted class is
 * the class the ensemble of the *other* models (their mean probabilities,
 * the model itself left out) predicts. A model that is garbage (random or
 * corrupted weights) agrees with the others about as often as chance; an
 * honest client trained on skewed data still agrees on the classes it saw.
 * Models with non-finite outputs get NaN and are left out of the others'
 * ensembles. Fewer than two usable models: NaN for all (nobody to agree with).
 */
export function leaveOneOutAgreement(predictions: readonly CalibrationPredictions[]): number[] {
  const usable = predictions.filter((p) => p.finite);
  if (usable.length < 2) return predictions.map(() => Number.NaN);
  const samples = usable[0]!.predictedClass.length;
  const classes = usable[0]!.probabilities.length / samples;
  const total = new Float64Array(samples * classes);
  for (const p of usable) {
    if (p.probabilities.length !== total.length) throw new FedfuseError('shape_mismatch', 'models were screened on different numbers of samples or classes');
    for (let i = 0; i < total.length; i++) total[i]! += p.probabilities[i]!;
  }
  return predictions.map((p) => {
    if (!p.finite) return Number.NaN;
    let agreed = 0;
    for (let s = 0; s < samples; s++) {
      // argmax over classes of (total - own); the 1/(K-1) scale does not change it.
      let best = 0;
      let bestValue = Number.NEGATIVE_INFINITY;
      for (let c = 0; c < classes; c++) {
        const v = total[s * classes + c]! - p.probabilities[s * classes + c]!;
        if (v > bestValue) {
          bestValue = v;
          best = c;
        }
      }
      if (best === p.predictedClass[s]) agreed++;
    }
    return agreed / samples;
  });
}

/** Fraction of samples on which two models predict the same class. */
export function pairwiseAgreement(a: CalibrationPredictions, b: CalibrationPredictions): number {
  if (!a.finite || !b.finite) return Number.NaN;
  let agreed = 0;
  for (let s = 0; s < a.predictedClass.length; s++) if (a.predictedClass[s] === b.predictedClass[s]) agreed++;
  return agreed / a.predictedClass.length;
}
