import * as tf from '@tensorflow/tfjs';
import type { NetworkTensors } from '../model/forward.ts';
import { forwardLayerOutputs, sumOverPositions } from './layer-outputs.ts';
import { batchSizeForBudget, type NeuronAttributor } from './neuron-attributor.ts';
import type { SampleChunk } from './samples.ts';

/**
 * The neuron's own output (after activation; a Conv2D channel summed over its
 * positions), ignoring the label: a cheap, label-free importance, scored as
 * mean |.| like the others. It is not one of the paper's methods; it is here
 * because the summary format lists it.
 */
export function activationAttributor(net: NetworkTensors): NeuronAttributor {
  return {
    defaultBatchSize: batchSizeForBudget(net.spec, 1),
    needsLabels: false,
    attribute: (chunk: SampleChunk) => tf.tidy(() => forwardLayerOutputs(net, chunk.inputs).map((h) => sumOverPositions(h))),
    dispose: () => {},
  };
}
