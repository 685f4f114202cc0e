import * as tf from '@tensorflow/tfjs';
import { batchOf, disposeNetworkTensors, forwardLogits, toNetworkTensors } from './forward.ts';
import type { Network } from './network.ts';

/** Samples per forward pass: bounds the activations held at once for large sets or conv models. */
const FORWARD_BATCH = 256;

/**
 * The network's logits on `count` row-major samples of `inputs`, read out
 * as one row-major count x classes array. Runs in batches, each in tf.tidy,
 * so memory stays bounded and no tensor outlives the call.
 */
export async function networkLogits(network: Network, inputs: Float32Array, count: number): Promise<Float32Array> {
  const tensors = toNetworkTensors(network);
  const rowSize = inputs.length / count;
  let out: Float32Array | null = null;
  try {
    for (let start = 0; start < count; start += FORWARD_BATCH) {
      const n = Math.min(FORWARD_BATCH, count - start);
      const logits = tf.tidy(() => forwardLogits(tensors, batchOf(network.spec, inputs.subarray(start * rowSize, (start + n) * rowSize), n)));
      try {
        const values = (await logits.data()) as Float32Array;
        // The first batch tells the number of classes; every batch lands in place.
        out ??= new Float32Array(count * (values.length / n));
        out.set(values, start * (values.length / n));
      } finally {
        logits.dispose();
      }
    }
  } finally {
    disposeNetworkTensors(tensors);
  }
  return out ?? new Float32Array(0);
}
