import * as tf from '@tensorflow/tfjs';
import type { NetworkTensors } from '../model/forward.ts';
import { applyHead, forwardLayerOutputs, headIsLinear, layerOutputGradients, sumOverPositions, targetOutput } from './layer-outputs.ts';
import { batchSizeForBudget, CHUNK_VALUE_BUDGET, headValuesPerRow, type NeuronAttributor } from './neuron-attributor.ts';
import type { SampleChunk } from './samples.ts';

export interface AblationOptions {
  /**
   * Where the rest of the network is linear in a layer (the last layer, and a
   * layer feeding only linear layers, e.g. the hidden layer of a one-hidden-layer
   * MLP), the change from zeroing neuron j is exactly its gradient × value
   * (summed over a channel's positions): use that instead of re-running the
   * head once per neuron. Default true; false forces masking everywhere (to
   * check one against the other, or to time the general path).
   */
  readonly closedFormWhenLinear?: boolean;
}

/**
 * Feature ablation of neurons: F(x) − F(x with neuron j's output set to 0), for
 * every neuron j of every weighted layer (a Conv2D channel is zeroed at all its
 * positions). The score is the mean |change| over samples.
 *
 * Not one forward pass per neuron per sample: for a layer of width W and a chunk
 * of n samples, the head (everything after the layer) is evaluated on blocks of
 * [m·n] rows, block b holding all n samples with neuron j_b zeroed, m chosen so
 * a block holds about CHUNK_VALUE_BUDGET activation values.
 */
export function ablationAttributor(net: NetworkTensors, options: AblationOptions = {}): NeuronAttributor {
  const closedForm = options.closedFormWhenLinear ?? true;
  const layerCount = net.layers.length;
  const linear = Array.from({ length: layerCount }, (_, layer) => closedForm && headIsLinear(net.spec, layer));
  // Linear heads are a suffix of the network (a nonlinear layer makes every earlier head nonlinear).
  const firstLinear = linear.indexOf(true);
  return {
    defaultBatchSize: batchSizeForBudget(net.spec, 1),
    attribute: (chunk: SampleChunk) =>
      tf.tidy(() => {
        const outputs = forwardLayerOutputs(net, chunk.inputs);
        const grads = firstLinear === -1 ? [] : layerOutputGradients(net, outputs, chunk.targetMask, firstLinear);
        return outputs.map((h, layer) =>
          linear[layer] ? sumOverPositions(tf.mul(grads[layer - firstLinear]!, h)) : ablationByMasking(net, layer, h, chunk.targetMask),
        );
      }),
    dispose: () => {},
  };
}

/** [n, width] signed change of F when each neuron of `layer` (output h, [n, ...]) is zeroed in turn. */
function ablationByMasking(net: NetworkTensors, layer: number, h: tf.Tensor, targetMask: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const n = h.shape[0]!;
    const width = h.shape[h.shape.length - 1]!;
    // h as [1, rows, width]: every position of every sample is a row, so one [m, 1, width] mask broadcasts over all of them.
    const flat = tf.reshape(h, [1, h.size / width, width]);
    const neuronsPerBlock = Math.max(1, Math.min(width, Math.floor(CHUNK_VALUE_BUDGET / (n * headValuesPerRow(net.spec, layer)))));
    const reference = targetOutput(applyHead(net, layer, h), targetMask);
    const blocks: tf.Tensor2D[] = [];
    for (let first = 0; first < width; first += neuronsPerBlock) {
      const m = Math.min(neuronsPerBlock, width - first);
      blocks.push(
        tf.tidy(() => {
          const keep = tf.sub(1, tf.oneHot(tf.range(first, first + m, 1, 'int32'), width)).reshape([m, 1, width]);
          const ablated = tf.reshape(tf.mul(flat, keep), [m * n, ...h.shape.slice(1)]);
          const out = targetOutput(applyHead(net, layer, ablated), tf.tile(targetMask, [m, 1]) as tf.Tensor2D);
          // [m, n] -> [n, m]: change for sample i when neuron first + b is zeroed.
          return tf.transpose(tf.sub(tf.expandDims(reference, 0), tf.reshape(out, [m, n]))) as tf.Tensor2D;
        }),
      );
    }
    return (blocks.length === 1 ? blocks[0]!.clone() : tf.concat(blocks, 1)) as tf.Tensor2D;
  });
}
