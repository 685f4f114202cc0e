import * as tf from '@tensorflow/tfjs';
import type { NetworkTensors } from '../model/forward.ts';
import { forwardLayerOutputs, layerOutputGradients, sumOverPositions } from './layer-outputs.ts';
import { batchSizeForBudget, type NeuronAttributor } from './neuron-attributor.ts';
import type { SampleChunk } from './samples.ts';

/**
 * Gradient × activation: ∂F/∂h_j · h_j at the sample itself, one forward and
 * one backward pass. It is the first-order estimate of what zeroing the neuron
 * would change, and equals it exactly when the rest of the network is linear in
 * the layer. For a Conv2D channel the products are summed (signed) over
 * positions, for the same reason as conductance: the channel is one neuron.
 */
export function gradientTimesActivationAttributor(net: NetworkTensors): NeuronAttributor {
  return {
    defaultBatchSize: batchSizeForBudget(net.spec, 1),
    needsLabels: true,
    attribute: (chunk: SampleChunk) =>
      tf.tidy(() => {
        const outputs = forwardLayerOutputs(net, chunk.inputs);
        const grads = layerOutputGradients(net, chunk.inputs, outputs, chunk.targetMask);
        return outputs.map((h, layer) => sumOverPositions(tf.mul(grads[layer]!, h)));
      }),
    dispose: () => {},
  };
}
