import { FedfuseError } from '../../common/errors/index.ts';
import type { Network } from '../../common/model/network.ts';
import { networkLogits } from '../../common/model/network-logits.ts';

/** One model's answers on the screening samples. */
export interface CalibrationPredictions {
  /** samples x classes, row-major; all zero when `finite` is false. */
  readonly probabilities: Float32Array;
  /** The most probable class per sample; -1 when `finite` is false. */
  readonly predictedClass: Int32Array;
  /** False when any logit was NaN or infinite: the model cannot be used at all. */
  readonly finite: boolean;
}

/**
 * `count` samples of `inputs` (row-major, `rowSize` values each), evenly
 * spread over the whole set so that a class-grouped calibration set still
 * gives every class.
 */
export function spreadSample(inputs: Float32Array, rowSize: number, count: number): { rows: Float32Array; count: number } {
  const available = Math.floor(inputs.length / rowSize);
  if (available * rowSize !== inputs.length || available === 0) {
    throw new FedfuseError('invalid_argument', `screening inputs hold ${inputs.length} values, not a positive multiple of the sample size ${rowSize}`);
  }
  const n = Math.min(count, available);
  if (n === available) return { rows: inputs, count: n };
  const rows = new Float32Array(n * rowSize);
  for (let i = 0; i < n; i++) {
    const src = Math.floor((i * available) / n);
    rows.set(inputs.subarray(src * rowSize, (src + 1) * rowSize), i * rowSize);
  }
  return { rows, count: n };
}

/**
 * The model's softmax probabilities and predicted classes on `count` samples.
 * Logits are read out (networkLogits, batched) and the softmax is done in
 * float64 here, so that a model with enormous (but finite)
 * logits still yields clean probabilities and a NaN logit is caught, not
 * propagated.
 */
export async function calibrationPredictions(network: Network, inputs: Float32Array, count: number): Promise<CalibrationPredictions> {
  const logits = await networkLogits(network, inputs, count);
  const classes = logits.length / count;
  const probabilities = new Float32Array(count * classes);
  const predictedClass = new Int32Array(count).fill(-1);
  for (let row = 0; row < count; row++) {
    if (!softmaxRow(logits, row * classes, classes, probabilities, row * classes)) {
      return { probabilities: new Float32Array(count * classes), predictedClass: new Int32Array(count).fill(-1), finite: false };
    }
    predictedClass[row] = argmax(probabilities, row * classes, classes);
  }
  return { probabilities, predictedClass, finite: true };
}

/** Writes softmax(logits[from .. from+classes)) to out[at ..]; false when a logit is not finite. */
function softmaxRow(logits: Float32Array, from: number, classes: number, out: Float32Array, at: number): boolean {
  let max = Number.NEGATIVE_INFINITY;
  for (let c = 0; c < classes; c++) {
    const v = logits[from + c]!;
    if (!Number.isFinite(v)) return false;
    if (v > max) max = v;
  }
  let sum = 0;
  for (let c = 0; c < classes; c++) sum += Math.exp(logits[from + c]! - max);
  for (let c = 0; c < classes; c++) out[at + c] = Math.exp(logits[from + c]! - max) / sum;
  return true;
}

function argmax(values: Float32Array, from: number, length: number): number {
  let best = 0;
  for (let c = 1; c < length; c++) if (values[from + c]! > values[from + best]!) best = c;
  return best;
}
