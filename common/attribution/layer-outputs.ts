import * as tf from '@tensorflow/tfjs';
import { applyLayers, runGraph, type NetworkTensors } from '../model/forward.ts';
import { downstreamLayers, isChain, weightedLayerIndices, type ModelSpec } from '../model/spec.ts';

/**
 * The network seen as a chain of blocks split at the output of every weighted
 * layer. "A neuron's value" in every attribution method is the layer's OUTPUT,
 * after its activation (post-ReLU for hidden layers; the logit itself for the
 * last layer, whose activation is linear), per unit for Dense and per channel
 * and position for Conv2D. The post-activation value is what the next layer
 * reads, so zeroing it is exactly "removing the neuron", and the gradient with
 * respect to it is what flows out of the neuron; attributing the pre-activation
 * instead would credit a dead ReLU with the change of a value nobody reads.
 *
 * The target is the logit of each sample's true class: F = sum(logits * mask)
 * per row, where mask is the one-hot of the labels.
 *
 * In a layer graph (residual additions) the same holds with the layer's own
 * output as the neuron's value; everything downstream of it is "the head",
 * and the branches that do not depend on it are run from the input.
 */

/** Output (after activation) of every weighted layer for inputs `x`, in order. */
export function forwardLayerOutputs(net: NetworkTensors, x: tf.Tensor): tf.Tensor[] {
  return tf.tidy(() => runGraph(net, x, { outputs: weightedLayerIndices(net.spec) }).map((t) => (t === x ? x.clone() : t)));
}

/** Index in spec.layers where the block after weighted layer `layer` ends (exclusive): the next weighted layer's end, or the model's end. */
function blockEnd(spec: ModelSpec, layer: number): number {
  const cuts = weightedLayerIndices(spec);
  const next = cuts[layer + 1];
  return next === undefined ? spec.layers.length : next + 1;
}

/** Index in spec.layers of weighted layer `layer`. */
export function specIndexOfWeightedLayer(spec: ModelSpec, layer: number): number {
  const index = weightedLayerIndices(spec)[layer];
  if (index === undefined) throw new RangeError(`weighted layer ${layer} does not exist`);
  return index;
}

/**
 * The rest of the network after weighted layer `layer`, applied to that
 * layer's output `h`: the logits. In a graph, the branches that do not depend
 * on the layer read `x`, the inputs row-aligned with h (a chain never needs it).
 */
export function applyHead(net: NetworkTensors, layer: number, h: tf.Tensor, x: tf.Tensor | null = null): tf.Tensor2D {
  const index = specIndexOfWeightedLayer(net.spec, layer);
  if (isChain(net.spec)) return applyLayers(net, h, index + 1, net.spec.layers.length) as tf.Tensor2D;
  return tf.tidy(() => runGraph(net, x, { given: new Map([[index, h]]) })[0]!.clone() as tf.Tensor2D);
}

/** The target output F per row: the logit of the true class. */
export function targetOutput(logits: tf.Tensor2D, targetMask: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => tf.sum(tf.mul(logits, targetMask), 1) as tf.Tensor1D);
}

/**
 * dF/dh for the outputs h of weighted layers `firstLayer` .. last. For a
 * chain, block by block: each block (the plain layers after a weighted layer
 * plus the next weighted layer) is re-run under tf.grad with the downstream
 * gradient as dy, and the layers before `firstLayer` are not re-run at all.
 * For a graph, one forward pass from `x` with a zero probe added to each
 * layer's output and one backward pass: the gradient with respect to a probe
 * is the total gradient with respect to that output, through every path.
 * Only gradients with respect to activations are taken (never with respect to
 * weights), so no filter-gradient kernel is needed.
 * Returns one tensor per layer from `firstLayer` on (index 0 = firstLayer).
 */
export function layerOutputGradients(net: NetworkTensors, x: tf.Tensor, outputs: readonly tf.Tensor[], targetMask: tf.Tensor2D, firstLayer = 0): tf.Tensor[] {
  if (!isChain(net.spec)) return probeGradients(net, x, outputs, targetMask, firstLayer);
  return tf.tidy(() => {
    const last = outputs.length - 1;
    const grads: tf.Tensor[] = new Array<tf.Tensor>(outputs.length - firstLayer);
    let downstream: tf.Tensor = targetMask;
    for (let layer = last; layer >= firstLayer; layer--) {
      const from = specIndexOfWeightedLayer(net.spec, layer) + 1;
      const to = blockEnd(net.spec, layer);
      const h = outputs[layer]!;
      // The last weighted layer usually ends the model: its output is the logits and dF/dh is the mask itself.
      const g = from === to ? downstream.clone() : tf.grad((input: tf.Tensor) => applyLayers(net, input, from, to))(h, downstream);
      grads[layer - firstLayer] = g;
      downstream = g;
    }
    return grads;
  });
}

function probeGradients(net: NetworkTensors, x: tf.Tensor, outputs: readonly tf.Tensor[], targetMask: tf.Tensor2D, firstLayer: number): tf.Tensor[] {
  return tf.tidy(() => {
    const cuts = weightedLayerIndices(net.spec).slice(firstLayer);
    const probes = cuts.map((_, k) => tf.zerosLike(outputs[firstLayer + k]!));
    const f = (...p: tf.Tensor[]): tf.Scalar => {
      const [logits] = runGraph(net, x, { probes: new Map(cuts.map((cut, k) => [cut, p[k]!])) });
      return tf.sum(tf.mul(logits!, targetMask));
    };
    return tf.grads(f)(probes);
  });
}

/**
 * True when everything after weighted layer `layer` is linear in that layer's
 * output (only flatten and linear-activation weighted layers follow). Then the
 * change of F when a neuron is zeroed is exactly -(gradient x value), summed
 * over the channel's positions: ablation has a closed form.
 */
export function headIsLinear(spec: ModelSpec, layer: number): boolean {
  // Affine in inference: weighted layers without relu, reshapes, averages, BatchNorm (moving statistics), dropout, additions.
  const affine = new Set(['flatten', 'reshape', 'avgPool2d', 'globalAvgPool2d', 'batchNorm', 'dropout', 'add']);
  return [...downstreamLayers(spec, specIndexOfWeightedLayer(spec, layer))].every((i) => {
    const l = spec.layers[i]!;
    if (l.kind === 'dense' || l.kind === 'conv2d' || l.kind === 'depthwiseConv2d' || l.kind === 'activation') return l.activation === 'linear';
    return affine.has(l.kind);
  });
}

/** [n, ...] -> [n, width]: a Dense output unchanged; a Conv2D output [n, h, w, c] summed (signed) over positions. */
export function sumOverPositions(t: tf.Tensor): tf.Tensor2D {
  return tf.tidy(() => (t.rank === 2 ? t.clone() : tf.sum(t, [1, 2])) as tf.Tensor2D);
}
