import * as tf from '@tensorflow/tfjs';
import { uniformSummary, type AttributionSummary } from '../../common/attribution/summary.ts';
import { batchOf, disposeNetworkTensors, parameterIndexOfLayer, preActivation, runGraph, toNetworkTensors } from '../../common/model/forward.ts';
import type { Network } from '../../common/model/network.ts';
import { layerInputs, MODEL_INPUT, weightedLayerIndices, type WeightedLayerSpec } from '../../common/model/spec.ts';
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
  const parameterIndex = parameterIndexOfLayer(net.spec);
  const weighted = weightedLayerIndices(net.spec);
  try {
    const means = tf.tidy(() => {
      const x = batchOf(net.spec, calibration, samples);
      // The input of every weighted layer, then its pre-activation.
      const sources = weighted.map((i) => layerInputs(net.spec, i)[0]!);
      const fromLayers = sources.filter((s) => s !== MODEL_INPUT);
      const values = runGraph(tensors, x, { outputs: fromLayers });
      return weighted.map((i, k) => {
        const source = sources[k]!;
        const input = source === MODEL_INPUT ? x : values[fromLayers.indexOf(source)]!;
        const z = preActivation(net.spec.layers[i] as WeightedLayerSpec, tensors.layers[parameterIndex[i]!]!, input);
        const width = z.shape[z.shape.length - 1]!;
        return tf.mean(tf.abs(tf.reshape(z, [-1, width])), 0);
      });
    });
    try {
      const layers = await Promise.all(means.map(async (m) => Float32Array.from(await m.data())));
      return { method: 'activation', samplesUsed: samples, layers };
    } finally {
      tf.dispose(means);
    }
  } finally {
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
