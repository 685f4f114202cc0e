import * as tf from '@tensorflow/tfjs';
import { batchOf, disposeNetworkTensors, runGraph, toNetworkTensors } from '../../../common/model/forward.ts';
import type { ChannelSpaces } from '../../../common/model/channel-spaces.ts';
import type { Network } from '../../../common/model/network.ts';
import { SeededRandom } from '../../../common/random/index.ts';
import type { SpaceTouch } from './permute-channels.ts';

/**
 * One feature vector per channel of a space ([width × dims], row-major,
 * Float64), so that matching channels of two models is a linear assignment
 * on the distances or inner products of their features.
 */
export interface ChannelFeatures {
  readonly width: number;
  readonly dims: number;
  readonly values: Float64Array;
}

/**
 * Weight matching's features (Ainsworth et al., Git Re-Basin): every
 * parameter attached to the channel, in every layer touching the space: its
 * output column and bias in a producer, its input rows (one per position) in
 * a reader, its per-channel values in a BatchNorm or depthwise conv. The
 * inner product of two channels' features is what the permutation gains in
 * Σ⟨W_ref, P·W⟩ over the space's layers, with every other space as it is.
 */
export function weightFeatures(net: Network, width: number, touches: readonly SpaceTouch[]): ChannelFeatures {
  const parts: Array<(c: number, out: Float64Array, at: number) => number> = [];
  let dims = 0;
  for (const { parameter, role } of touches) {
    const { kernel, kernelShape, bias } = net.layers[parameter]!;
    if (role === 'per-channel' || role === 'produces') {
      const stride = role === 'per-channel' ? width : kernelShape[kernelShape.length - 1]!;
      const rows = kernel.length / stride;
      dims += rows + (bias === null ? 0 : 1);
      parts.push((c, out, at) => {
        for (let r = 0; r < rows; r++) out[at++] = kernel[r * stride + c]!;
        if (bias !== null) out[at++] = bias[c]!;
        return at;
      });
    } else {
      const outWidth = kernelShape[kernelShape.length - 1]!;
      const positions = kernel.length / outWidth / width;
      dims += positions * outWidth;
      parts.push((c, out, at) => {
        for (let q = 0; q < positions; q++) {
          const row = (q * width + c) * outWidth;
          for (let o = 0; o < outWidth; o++) out[at++] = kernel[row + o]!;
        }
        return at;
      });
    }
  }
  const values = new Float64Array(width * dims);
  for (let c = 0; c < width; c++) {
    let at = c * dims;
    for (const part of parts) at = part(c, values, at);
  }
  return { width, dims, values };
}

/**
 * OT fusion's features (Singh & Jaggi, activation-based): the pre-activations
 * of the space's weighted layers on the calibration inputs, one value per (sample,
 * position) row, at most `rowBudget` rows per layer chosen from `seed` (the
 * same rows for every model, since they see the same inputs).
 */
export async function activationFeatures(net: Network, calibration: Float32Array, samples: number, spaces: ChannelSpaces, space: number, rowBudget: number, seed: number): Promise<ChannelFeatures> {
  const members = spaces.spaces[space]!.members;
  const width = spaces.spaces[space]!.width;
  // Pre-activations, as a PyTorch nn.Linear / nn.Conv2d hook sees them in the reference code: a ReLU's output ties every channel it silences.
  const outputs = members.map((m) => {
    const layers = net.spec.layers.map((l, i) => (i === m && (l.kind === 'dense' || l.kind === 'conv2d') ? { ...l, activation: 'linear' as const } : l));
    const weights = toNetworkTensors({ spec: { ...net.spec, layers }, layers: net.layers });
    const out = tf.tidy(() => tf.reshape(runGraph(weights, batchOf(net.spec, calibration, samples), { outputs: [m] })[0]!, [-1, width]) as tf.Tensor2D);
    disposeNetworkTensors(weights);
    return out;
  });
  const blocks: { rows: Int32Array; values: Float32Array }[] = [];
  try {
    for (const [m, t] of outputs.entries()) {
      const total = t.shape[0];
      const rows = chooseRows(total, Math.max(1, Math.floor(rowBudget / members.length)), seed + m);
      blocks.push({ rows, values: (await t.data()) as Float32Array });
    }
  } finally {
    tf.dispose(outputs);
  }
  const dims = blocks.reduce((n, b) => n + b.rows.length, 0);
  const values = new Float64Array(width * dims);
  for (let c = 0; c < width; c++) {
    let at = c * dims;
    for (const { rows, values: v } of blocks) for (const r of rows) values[at++] = v[r * width + c]!;
  }
  return { width, dims, values };
}

/** Every row when they fit the budget, else a sorted seeded sample of `budget` of them. */
function chooseRows(total: number, budget: number, seed: number): Int32Array {
  if (total <= budget) return Int32Array.from({ length: total }, (_, i) => i);
  const picked = new SeededRandom(seed).permutation(total).slice(0, budget);
  return Int32Array.from(picked.sort((a, b) => a - b));
}

/** Inner products ⟨a_i, b_j⟩ ([width × width], row-major). */
export function featureInnerProducts(a: ChannelFeatures, b: ChannelFeatures): Float64Array {
  const { width, dims } = a;
  const out = new Float64Array(width * width);
  for (let i = 0; i < width; i++) {
    for (let j = 0; j < width; j++) {
      let s = 0;
      for (let d = 0; d < dims; d++) s += a.values[i * dims + d]! * b.values[j * dims + d]!;
      out[i * width + j] = s;
    }
  }
  return out;
}

/** Squared distances ‖a_i − b_j‖² ([width × width], row-major). */
export function featureSquaredDistances(a: ChannelFeatures, b: ChannelFeatures): Float64Array {
  const { width, dims } = a;
  const out = new Float64Array(width * width);
  for (let i = 0; i < width; i++) {
    for (let j = 0; j < width; j++) {
      let s = 0;
      for (let d = 0; d < dims; d++) {
        const e = a.values[i * dims + d]! - b.values[j * dims + d]!;
        s += e * e;
      }
      out[i * width + j] = s;
    }
  }
  return out;
}
