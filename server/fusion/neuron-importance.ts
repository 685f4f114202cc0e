import * as tf from '@tensorflow/tfjs';
import { uniformSummary, type AttributionSummary } from '../../common/attribution/summary.ts';
import { activate, applyPlainLayer, batchOf, disposeNetworkTensors, preActivation, toNetworkTensors } from '../../common/model/forward.ts';
import type { Network } from '../../common/model/network.ts';
import { isWeightedLayer } from '../../common/model/spec.ts';
import type { ServerImportance } from './fusion-options.ts';

/** Added to every normalised score, as in the paper, so that no neuron has zero weight. */
export const IMPORTANCE_EPSILON = 1e-8;

/**
 * Server-side 'activation' importance: the mean |pre-activation| of each
 * neuron over the calibration samples (and over positions for a conv channel).
 * Needs no labels. `calibration` holds `samples` validated input rows.
 */
export async function activationImportance(net: Network, calibration: Float32Array, samples: number): Promise<AttributionSummary> {
  const tensors = toNetworkTensors(net);
  const means: tf.Tensor[] = [];
  try {
    let h = batchOf(net.spec, calibration, samples);
    let weighted = 0;
    for (const layer of net.spec.layers) {
      const next = tf.tidy(() => {
        if (!isWeightedLayer(layer)) return applyPlainLayer(layer, h);
        const z = preActivation(layer, tensors.layers[weighted++]!, h);
        const width = z.shape[z.shape.length - 1]!;
        means.push(tf.keep(tf.mean(tf.abs(tf.reshape(z, [-1, width])), 0)));
        return activate(layer, z);
      });
      h.dispose();
      h = next;
    }
    h.dispose();
    const layers = await Promise.all(means.map(async (m) => Float32Array.from(await m.data())));
    return { method: 'activation', samplesUsed: samples, layers };
  } finally {
    tf.dispose(means);
    disposeNetworkTensors(tensors);
  }
}

/** The importances a neuron-level fusion uses: the clients' (validated) or the server's own. */
export async function resolveImportances(
  parents: readonly Network[],
  provided: readonly AttributionSummary[] | null,
  source: ServerImportance | 'provided',
  calibration: Float32Array,
  samples: number,
): Promise<AttributionSummary[]> {
  if (provided !== null) return [...provided];
  if (source === 'activation') {
    const out: AttributionSummary[] = [];
    for (const net of parents) out.push(await activationImportance(net, calibration, samples));
    return out;
  }
  return parents.map((net) => uniformSummary(net.spec));
}

/**
 * Clustering weights of one layer: every parent's scores divided by their sum
 * (so each parent has the same total say, whatever its width or the scale of
 * its attribution method), then + IMPORTANCE_EPSILON. Normalising before
 * adding the epsilon keeps tiny-but-nonzero score scales meaningful. A layer
 * whose scores are all zero (possible only for server-computed scores of a
 * dead layer) counts as uniform. Concatenated over parents, in parent order.
 */
export function layerClusteringWeights(importances: readonly AttributionSummary[], layer: number): Float64Array {
  const total = importances.reduce((n, s) => n + s.layers[layer]!.length, 0);
  const out = new Float64Array(total);
  let offset = 0;
  for (const summary of importances) {
    const scores = summary.layers[layer]!;
    let sum = 0;
    for (let i = 0; i < scores.length; i++) sum += scores[i]!;
    for (let i = 0; i < scores.length; i++) {
      out[offset + i] = (sum > 0 ? scores[i]! / sum : 1 / scores.length) + IMPORTANCE_EPSILON;
    }
    offset += scores.length;
  }
  return out;
}
