import * as tf from '@tensorflow/tfjs';

/**
 * Runs `evaluate(first, m)` for consecutive blocks of at most `neuronsPerBlock`
 * of a layer's `width` neurons; each call returns F for all n samples with each
 * of the block's neurons removed in turn, as [m·n] (neuron-major). Returns the
 * changes reference − F as [n, width]. Each block is its own tidy, so only one
 * block's temporaries are alive at a time.
 */
export function changesByNeuronBlocks(
  width: number,
  neuronsPerBlock: number,
  reference: tf.Tensor1D,
  evaluate: (first: number, m: number) => tf.Tensor1D,
): tf.Tensor2D {
  return tf.tidy(() => {
    const n = reference.shape[0];
    const step = Math.max(1, Math.min(width, Math.floor(neuronsPerBlock)));
    const blocks: tf.Tensor2D[] = [];
    for (let first = 0; first < width; first += step) {
      const m = Math.min(step, width - first);
      blocks.push(
        tf.tidy(() => {
          const ablated = tf.reshape(evaluate(first, m), [m, n]);
          // [m, n] -> [n, m]: column b is the change for the block's neuron b.
          return tf.transpose(tf.sub(tf.expandDims(reference, 0), ablated)) as tf.Tensor2D;
        }),
      );
    }
    return (blocks.length === 1 ? blocks[0]!.clone() : tf.concat(blocks, 1)) as tf.Tensor2D;
  });
}
