import * as tf from '@tensorflow/tfjs';
import { batchOf, forwardLogits, toNetworkTensors, disposeNetworkTensors, type NetworkTensors } from '../model/forward.ts';
import { validateNetwork, type LayerWeights, type Network } from '../model/network.ts';
import { layerWidths } from '../model/spec.ts';
import { sampleSize, validateLabeledSamples, type LabeledSamples } from './labeled-samples.ts';

/** Samples per forward/backward pass of meanGradient: bounds memory, not the result. */
export const MEAN_GRADIENT_BATCH = 256;

/**
 * The gradient of the mean softmax cross-entropy over all of `data` at the
 * weights of `net`, shaped like `net` (one kernel and bias gradient per
 * weighted layer): the full-batch gradient, summed over batches in Float64
 * and divided by the sample count, so the batch size does not change it
 * beyond float32 rounding. SCAFFOLD's option I control variate,
 * c_i+ = ∇f_i(x), is this at the model the client received: one extra pass
 * over the client's data.
 */
export async function meanGradient(net: Network, data: LabeledSamples, batchSize = MEAN_GRADIENT_BATCH): Promise<Network> {
  validateNetwork(net, 'model');
  validateLabeledSamples(net.spec, data, 'gradient data');
  const classes = layerWidths(net.spec).at(-1)!;
  const rowSize = sampleSize(net.spec);
  const weights = toNetworkTensors(net);
  const flat = weights.layers.flatMap((l) => (l.bias === null ? [l.kernel] : [l.kernel, l.bias]));
  const sums = flat.map((t) => new Float64Array(t.size));
  try {
    for (let start = 0; start < data.count; start += batchSize) {
      const n = Math.min(batchSize, data.count - start);
      const gradients = tf.tidy(() => {
        const x = batchOf(net.spec, data.images.subarray(start * rowSize, (start + n) * rowSize), n);
        const onehot = tf.oneHot(tf.tensor1d(Int32Array.from(data.labels.subarray(start, start + n)), 'int32'), classes);
        const summedLoss = (...ws: tf.Tensor[]): tf.Scalar =>
          tf.losses.softmaxCrossEntropy(onehot, forwardLogits(rebuild(weights, ws), x), undefined, undefined, tf.Reduction.SUM) as tf.Scalar;
        return tf.grads(summedLoss)(flat);
      });
      const values = await Promise.all(gradients.map((g) => g.data()));
      tf.dispose(gradients);
      values.forEach((v, k) => {
        const sum = sums[k]!;
        for (let i = 0; i < sum.length; i++) sum[i]! += v[i]!;
      });
    }
  } finally {
    disposeNetworkTensors(weights);
  }
  let k = 0;
  const mean = (): Float32Array => Float32Array.from(sums[k++]!, (s) => s / data.count);
  const layers: LayerWeights[] = net.layers.map((lw) => ({ kernel: mean(), kernelShape: [...lw.kernelShape], bias: lw.bias === null ? null : mean() }));
  return { spec: net.spec, layers };
}

/** NetworkTensors whose kernels and biases are `flat` (in kernel, bias order per layer), for tf.grads. */
function rebuild(like: NetworkTensors, flat: readonly tf.Tensor[]): NetworkTensors {
  let k = 0;
  return { spec: like.spec, layers: like.layers.map((l) => ({ kernel: flat[k++]!, bias: l.bias === null ? null : flat[k++]! })) };
}
