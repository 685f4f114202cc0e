import * as tf from '@tensorflow/tfjs';
import { FedfuseError } from '../errors/index.ts';
import { batchOf, disposeNetworkTensors, forwardLogits, toNetworkTensors } from '../model/forward.ts';
import { validateNetwork, type Network } from '../model/network.ts';
import { layerWidths } from '../model/spec.ts';
import { sampleSize, validateLabeledSamples } from './labeled-samples.ts';

export interface EvaluationMetrics {
  /** Fraction of samples whose largest logit is the label. */
  readonly accuracy: number;
  /** Mean softmax cross-entropy. */
  readonly loss: number;
}

export interface EvaluationOptions {
  /** Samples per forward pass; bounds the memory used. Default 512. */
  readonly batchSize: number;
}

/**
 * Accuracy and mean cross-entropy of a network on labelled samples, on the
 * active backend, one batch at a time so that memory stays bounded whatever
 * the number of samples.
 */
export async function evaluateNetwork(
  net: Network,
  images: Float32Array,
  labels: Int32Array | Uint8Array,
  count: number,
  options: Partial<EvaluationOptions> = {},
): Promise<EvaluationMetrics> {
  const batchSize = options.batchSize ?? 512;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new FedfuseError('invalid_argument', `batchSize must be a positive integer, got ${batchSize}`);
  validateNetwork(net, 'model to evaluate');
  validateLabeledSamples(net.spec, { images, labels, count }, 'evaluation data');
  const classes = layerWidths(net.spec).at(-1)!;
  const rowSize = sampleSize(net.spec);
  const weights = toNetworkTensors(net);
  let lossSum = 0;
  let correct = 0;
  try {
    for (let start = 0; start < count; start += batchSize) {
      const n = Math.min(batchSize, count - start);
      const [lossT, correctT] = tf.tidy(() => {
        const x = batchOf(net.spec, images.subarray(start * rowSize, (start + n) * rowSize), n);
        const y = tf.tensor1d(Int32Array.from(labels.subarray(start, start + n)), 'int32');
        const logits = forwardLogits(weights, x);
        const loss = tf.losses.softmaxCrossEntropy(tf.oneHot(y, classes), logits, undefined, undefined, tf.Reduction.SUM);
        const ok = tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), y), 'int32'));
        return [loss, ok];
      });
      const [l, c] = await Promise.all([lossT.data(), correctT.data()]);
      tf.dispose([lossT, correctT]);
      lossSum += l[0]!;
      correct += c[0]!;
    }
  } finally {
    disposeNetworkTensors(weights);
  }
  return { accuracy: correct / count, loss: lossSum / count };
}
