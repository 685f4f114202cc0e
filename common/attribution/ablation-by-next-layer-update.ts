import * as tf from '@tensorflow/tfjs';
import { activate, applyLayers, preActivation, type NetworkTensors } from '../model/forward.ts';
import { isChain, weightedParameterIndices, type DenseLayerSpec, type ModelSpec } from '../model/spec.ts';
import { specIndexOfWeightedLayer, targetOutput } from './layer-outputs.ts';
import { changesByNeuronBlocks } from './neuron-blocks.ts';
import { CHUNK_VALUE_BUDGET, headValuesPerRow } from './neuron-attributor.ts';

/**
 * True when weighted layer `layer` is followed by a Dense layer, directly or
 * through a single flatten: then zeroing neuron j only subtracts j's
 * contribution from the Dense's pre-activation.
 */
export function nextLayerUpdateApplies(spec: ModelSpec, layer: number): boolean {
  if (!isChain(spec)) return false;
  const from = specIndexOfWeightedLayer(spec, layer) + 1;
  const between = spec.layers.slice(from).findIndex((l) => l.kind === 'dense' || l.kind === 'conv2d');
  if (between === -1) return false;
  const next = spec.layers[from + between]!;
  return next.kind === 'dense' && spec.layers.slice(from, from + between).every((l) => l.kind === 'flatten');
}

/**
 * Ablation where the next weighted layer is a Dense: with the layer's output h
 * seen as [n, P, C] (P positions, 1 for a Dense layer; C channels, flatten order
 * puts the channel fastest) and the next kernel as [P, C, out], zeroing channel
 * j turns the next pre-activation z into
 *
 *   z − h[:, :, j] · K[:, j, :]      (a rank-one update for P = 1)
 *
 * computed for a block of m channels by one batched matMul [m, n, P]·[m, P, out].
 * Only the layers after the next one are then re-run, on [m·n] rows. Exact up to
 * float rounding; C times less work than masking for that first head layer.
 * Returns [n, width]: F(x) − F(x with neuron j zeroed).
 */
export function ablationByNextLayerUpdate(net: NetworkTensors, layer: number, h: tf.Tensor, targetMask: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const spec = net.spec;
    const nextIndex = specIndexOfWeightedLayer(spec, layer + 1);
    // nextLayerUpdateApplies guarantees a Dense here.
    const nextSpec = spec.layers[nextIndex] as DenseLayerSpec;
    const nextWeights = net.layers[weightedParameterIndices(spec)[layer + 1]!]!;
    const n = h.shape[0]!;
    const width = h.shape[h.shape.length - 1]!;
    const positions = h.size / (n * width);
    const units = nextSpec.units;
    const rest = (z: tf.Tensor): tf.Tensor2D => applyLayers(net, activate(nextSpec, z), nextIndex + 1, spec.layers.length) as tf.Tensor2D;

    const z = preActivation(nextSpec, nextWeights, tf.reshape(h, [n, positions * width]));
    const reference = targetOutput(rest(z), targetMask);
    const hByChannel = tf.reshape(h, [n, positions, width]);
    const kernelByChannel = tf.reshape(nextWeights.kernel, [positions, width, units]);
    const neuronsPerBlock = CHUNK_VALUE_BUDGET / (n * (positions + headValuesPerRow(spec, layer + 1)));
    return changesByNeuronBlocks(width, neuronsPerBlock, reference, (first, m) => {
      const hBlock = tf.transpose(tf.slice(hByChannel, [0, 0, first], [n, positions, m]), [2, 0, 1]);
      const kernelBlock = tf.transpose(tf.slice(kernelByChannel, [0, first, 0], [positions, m, units]), [1, 0, 2]);
      const contribution = tf.matMul(hBlock as tf.Tensor3D, kernelBlock as tf.Tensor3D);
      const ablated = tf.reshape(tf.sub(tf.expandDims(z, 0), contribution), [m * n, units]);
      return targetOutput(rest(ablated), tf.tile(targetMask, [m, 1]) as tf.Tensor2D);
    });
  });
}
