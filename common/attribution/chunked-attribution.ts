import * as tf from '@tensorflow/tfjs';
import { FedfuseError } from '../errors/index.ts';
import { disposeNetworkTensors, toNetworkTensors, type NetworkTensors } from '../model/forward.ts';
import { validateNetwork, type Network } from '../model/network.ts';
import type { NeuronAttributor } from './neuron-attributor.ts';
import { sampleChunk, validateLabelledSamples, type LabelledSamples } from './samples.ts';

/**
 * Runs an attributor over all samples in chunks of `batchSize` (default: the
 * attributor's memory-bounded size), handing each chunk's per-sample, per-neuron
 * values to `consume` as plain arrays (row-major [n, width] per layer). Memory
 * stays bounded by the chunk whatever the number of samples; every tensor made
 * here is freed here, also when something throws.
 */
export async function forEachAttributedChunk(
  net: Network,
  samples: LabelledSamples,
  makeAttributor: (tensors: NetworkTensors) => NeuronAttributor,
  batchSize: number | undefined,
  consume: (layers: readonly Float32Array[], start: number, n: number) => void,
): Promise<void> {
  validateNetwork(net);
  if (batchSize !== undefined && (!Number.isInteger(batchSize) || batchSize < 1)) {
    throw new FedfuseError('invalid_argument', `batchSize must be a positive integer, got ${batchSize}`);
  }
  const tensors = toNetworkTensors(net);
  let attributor: NeuronAttributor | null = null;
  try {
    attributor = makeAttributor(tensors);
    validateLabelledSamples(samples, net.spec, attributor.needsLabels);
    const chunkSize = batchSize ?? attributor.defaultBatchSize;
    for (let start = 0; start < samples.count; start += chunkSize) {
      const n = Math.min(chunkSize, samples.count - start);
      const chunk = sampleChunk(samples, net.spec, start, n);
      let perLayer: tf.Tensor2D[] = [];
      try {
        perLayer = attributor.attribute(chunk);
        const values = await Promise.all(perLayer.map((t) => t.data<'float32'>()));
        consume(values, start, n);
      } finally {
        tf.dispose(perLayer);
        tf.dispose([chunk.inputs, chunk.targetMask]);
      }
    }
  } finally {
    attributor?.dispose();
    disposeNetworkTensors(tensors);
  }
}
