import * as tf from '@tensorflow/tfjs';
import type { NetworkTensors } from '../model/forward.ts';
import { isChain } from '../model/spec.ts';
import { applyHead, targetOutput } from './layer-outputs.ts';
import { changesByNeuronBlocks } from './neuron-blocks.ts';
import { CHUNK_VALUE_BUDGET, headValuesPerRow } from './neuron-attributor.ts';

/**
 * Ablation by its definition: the layer's output with neuron j zeroed is run
 * through the whole rest of the network (in a graph, the branches that do not
 * depend on the layer run from `inputs`). For a layer of width W and n samples,
 * blocks of m neurons are evaluated as one batch of [m·n] rows (row b·n + i =
 * sample i with neuron first + b zeroed), m chosen so a block's head pass holds
 * about CHUNK_VALUE_BUDGET activation values.
 * Returns [n, width]: F(x) − F(x with neuron j zeroed).
 */
export function ablationByMasking(net: NetworkTensors, layer: number, h: tf.Tensor, targetMask: tf.Tensor2D, inputs: tf.Tensor): tf.Tensor2D {
  return tf.tidy(() => {
    const n = h.shape[0]!;
    const width = h.shape[h.shape.length - 1]!;
    // h as [1, rows, width] (a row per position of every sample), so one [m, 1, width] mask broadcasts over all of them.
    const flat = tf.reshape(h, [1, h.size / width, width]);
    const reference = targetOutput(applyHead(net, layer, h, inputs), targetMask);
    const neuronsPerBlock = CHUNK_VALUE_BUDGET / (n * headValuesPerRow(net.spec, layer));
    return changesByNeuronBlocks(width, neuronsPerBlock, reference, (first, m) => {
      const keep = tf.reshape(tf.sub(1, tf.oneHot(tf.range(first, first + m, 1, 'int32'), width)), [m, 1, width]);
      const ablated = tf.reshape(tf.mul(flat, keep), [m * n, ...h.shape.slice(1)]);
      // The branches that do not depend on the layer read the inputs, one copy per neuron of the block.
      const tiledInputs = isChain(net.spec) ? null : tf.tile(inputs, [m, ...inputs.shape.slice(1).map(() => 1)]);
      return targetOutput(applyHead(net, layer, ablated, tiledInputs), tf.tile(targetMask, [m, 1]) as tf.Tensor2D);
    });
  });
}
