import * as tf from '@tensorflow/tfjs';
import { FedfuseError } from '../errors/index.ts';
import type { NetworkTensors } from '../model/forward.ts';
import { forwardLayerOutputs, layerOutputGradients, sumOverPositions } from './layer-outputs.ts';
import { batchSizeForBudget, type NeuronAttributor } from './neuron-attributor.ts';
import type { SampleChunk } from './samples.ts';

/** Riemann steps along the path from the baseline, as in the paper. */
export const DEFAULT_CONDUCTANCE_STEPS = 10;

/**
 * Layer conductance (integrated gradients through a neuron) from the all-zero
 * baseline input. With x_k = (k/steps)·x for k = 0..steps and h the layer's
 * output (after activation, see layer-outputs.ts), the conductance of neuron j
 * for one sample is
 *
 *   C_j = Σ_{k=1..steps} ∂F/∂h_j(x_k) · (h_j(x_k) − h_j(x_{k−1}))
 *
 * a right Riemann sum of ∫ ∂F/∂h_j dh_j along the path. Summed over a layer's
 * neurons it telescopes to F(x) − F(0) up to the step error (exactly when the
 * rest of the network is linear in h). For a Conv2D channel, C_j is the SIGNED
 * sum over its positions: a channel is one neuron for fusion, and conductance
 * is additive over neurons, so the channel's conductance is the sum of its
 * positions' conductances and completeness holds over channels as it does over
 * (channel, position) pairs. The score is then |C_j| averaged over samples.
 *
 * All steps of a chunk go through ONE batched forward pass over [steps·n] rows
 * (row = k·n + i, step-major) and one backward pass per block; the baseline's
 * outputs are computed once and reused for every chunk.
 */
export function conductanceAttributor(net: NetworkTensors, steps: number = DEFAULT_CONDUCTANCE_STEPS): NeuronAttributor {
  if (!Number.isInteger(steps) || steps < 1) {
    throw new FedfuseError('invalid_argument', `conductance steps must be a positive integer, got ${steps}`);
  }
  const baseline = tf.tidy(() => forwardLayerOutputs(net, tf.zeros([1, ...net.spec.inputShape])));
  const alphas = new Float32Array(steps).map((_, k) => (k + 1) / steps);
  return {
    defaultBatchSize: batchSizeForBudget(net.spec, steps),
    needsLabels: true,
    attribute: (chunk: SampleChunk) => tf.tidy(() => conductanceOfChunk(net, chunk, steps, alphas, baseline)),
    dispose: () => tf.dispose(baseline),
  };
}

function conductanceOfChunk(net: NetworkTensors, chunk: SampleChunk, steps: number, alphas: Float32Array, baseline: readonly tf.Tensor[]): tf.Tensor2D[] {
  const n = chunk.count;
  const inputShape = net.spec.inputShape;
  // [steps, 1, ...1] * [1, n, ...inputShape] -> [steps·n, ...inputShape]
  const scale = tf.tensor(alphas, [steps, 1, ...inputShape.map(() => 1)]);
  const rows = tf.reshape(tf.mul(scale, tf.expandDims(chunk.inputs, 0)), [steps * n, ...inputShape]);
  const outputs = forwardLayerOutputs(net, rows);
  const grads = layerOutputGradients(net, rows, outputs, tf.tile(chunk.targetMask, [steps, 1]) as tf.Tensor2D);
  return outputs.map((h, layer) => {
    // h(x_{k-1}) for every row: the baseline for k = 1, else the row n places earlier.
    const base = tf.tile(baseline[layer]!, [n, ...h.shape.slice(1).map(() => 1)]);
    const previous = steps === 1 ? base : tf.concat([base, tf.slice(h, 0, (steps - 1) * n)], 0);
    const perRow = sumOverPositions(tf.mul(grads[layer]!, tf.sub(h, previous)));
    const width = perRow.shape[1];
    return tf.sum(tf.reshape(perRow, [steps, n, width]), 0) as tf.Tensor2D;
  });
}
