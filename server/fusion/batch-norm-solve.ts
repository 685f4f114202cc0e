import type { BatchNormLayerSpec } from '../../common/model/spec.ts';

/**
 * BatchNorm parameters re-estimated for a fused level. Fusion fits each fused
 * channel as an affine map of its input, y = a·x + b (a BatchNorm folded into
 * the layer before it is part of that map, a = 1). In inference a BatchNorm
 * computes y = gamma·(x − mean)/sqrt(variance + eps) + beta, so many
 * parameter sets give the same map; we pick the one whose moving statistics
 * are the fused input's own mean m and variance v on the calibration set.
 * Then the fused model also behaves in training mode (clients normalise by
 * batch statistics close to m and v) as it does in inference, instead of
 * starting the next round from statistics of some other model.
 * Without `scale` (gamma fixed to 1) the variance must carry the slope; without
 * `center` (beta fixed to 0) the mean must carry the offset.
 */
export interface BatchNormChannel {
  readonly gamma: number;
  readonly beta: number;
  readonly mean: number;
  readonly variance: number;
}

/** Smallest slope a BatchNorm without `scale` can represent here (its variance is 1/a² − eps). */
const MIN_SLOPE = 1e-6;

export function batchNormForAffine(layer: Pick<BatchNormLayerSpec, 'epsilon' | 'center' | 'scale'>, a: number, b: number, m: number, v: number): BatchNormChannel {
  let variance: number;
  let gamma: number;
  if (layer.scale) {
    variance = Math.max(v, 0);
    gamma = a * Math.sqrt(variance + layer.epsilon);
  } else {
    const slope = Math.max(a, MIN_SLOPE);
    variance = Math.max(1 / (slope * slope) - layer.epsilon, 0);
    gamma = 1;
  }
  const slope = gamma / Math.sqrt(variance + layer.epsilon);
  if (layer.center) return { gamma, beta: b + slope * m, mean: m, variance };
  // y = slope·(x − mean): the offset b lives in the mean.
  return { gamma, beta: 0, mean: slope === 0 ? m : -b / slope, variance };
}

/** Writes the channels into a [4, C] BatchNorm kernel (gamma, beta, mean, variance rows). */
export function batchNormKernel(channels: readonly BatchNormChannel[]): Float32Array {
  const c = channels.length;
  const kernel = new Float32Array(4 * c);
  channels.forEach((ch, j) => {
    kernel[j] = ch.gamma;
    kernel[c + j] = ch.beta;
    kernel[2 * c + j] = ch.mean;
    kernel[3 * c + j] = ch.variance;
  });
  return kernel;
}

/** Per-channel mean and (biased) variance of row-major values [rows, channels]. */
export function channelMoments(values: Float32Array, channels: number): { mean: Float64Array; variance: Float64Array } {
  const rows = values.length / channels;
  const mean = new Float64Array(channels);
  const variance = new Float64Array(channels);
  for (let r = 0; r < rows; r++) for (let c = 0; c < channels; c++) mean[c]! += values[r * channels + c]!;
  for (let c = 0; c < channels; c++) mean[c]! /= Math.max(rows, 1);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < channels; c++) {
      const d = values[r * channels + c]! - mean[c]!;
      variance[c]! += d * d;
    }
  }
  for (let c = 0; c < channels; c++) variance[c]! /= Math.max(rows, 1);
  return { mean, variance };
}
