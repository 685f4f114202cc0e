import type { OptimizerName } from '../wire/messages.ts';
import * as tf from '@tensorflow/tfjs';
import { FedfuseError } from '../errors/index.ts';
import { batchOf, disposeNetworkTensors, forwardLogits, toNetworkTensors, type NetworkTensors } from '../model/forward.ts';
import { validateNetwork, type Network } from '../model/network.ts';
import { layerWidths } from '../model/spec.ts';
import { SeededRandom } from '../random/index.ts';
import { gatherBatch, validateLabeledSamples, type LabeledSamples } from './labeled-samples.ts';

/**
 * Local training of a Network on the active TF.js backend: mini-batch SGD or
 * Adam on the softmax cross-entropy of the logits, optionally with FedProx's
 * proximal term (mu/2)·||w − w_start||², which keeps a client's model near
 * the global model it started from.
 *
 * A hand-written loop (optimizer.minimize over the functional forward pass of
 * model/forward.ts) rather than LayersModel.fit: fit cannot add a term that
 * depends on the starting weights, and the loop makes the batch order a pure
 * function of the seed. Same seed, same data, same backend: same weights.
 */
/** The optimizers a task can name: one list, the wire protocol's. */
export type { OptimizerName };

export interface EpochMetrics {
  /** Mean cross-entropy over the epoch's batches, as they were trained (without the proximal term). */
  readonly loss: number;
  /** Fraction of the epoch's samples classified right, as they were trained. */
  readonly accuracy: number;
}

export interface TrainingOptions {
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly optimizer: OptimizerName;
  /** FedProx's mu; 0 or absent trains plain. */
  readonly proximalMu?: number;
  /** Seeds the batch order. */
  readonly seed: number;
  /** Called after each epoch (0-based); training waits for a returned promise. */
  readonly onEpochEnd?: (epoch: number, metrics: EpochMetrics) => void | Promise<void>;
}

export interface TrainingResult {
  readonly network: Network;
  /** The last epoch's metrics, and the wall time of the whole training. */
  readonly metrics: EpochMetrics & { readonly seconds: number };
}

export async function trainNetwork(net: Network, data: LabeledSamples, options: TrainingOptions): Promise<TrainingResult> {
  validateNetwork(net, 'model to train');
  validateTrainingOptions(options);
  validateLabeledSamples(net.spec, data, 'training data');
  const started = performance.now();
  const classes = layerWidths(net.spec).at(-1)!;
  const mu = options.proximalMu ?? 0;
  const rng = new SeededRandom(options.seed);

  const { params, variables } = toTrainableTensors(net);
  const anchor = mu > 0 ? toNetworkTensors(net) : null;
  const optimizer = options.optimizer === 'adam' ? tf.train.adam(options.learningRate) : tf.train.sgd(options.learningRate);
  try {
    let metrics: EpochMetrics = { loss: NaN, accuracy: NaN };
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      const order = rng.permutation(data.count);
      let lossSum = 0;
      let correct = 0;
      for (let start = 0; start < data.count; start += options.batchSize) {
        const batch = gatherBatch(net.spec, data, order.slice(start, start + options.batchSize));
        const n = batch.labels.length;
        const x = batchOf(net.spec, batch.images, n);
        const labels = tf.tensor1d(batch.labels, 'int32');
        // Tensors computed inside minimize's closure that we want to read after it: kept, then disposed below.
        const kept: { crossEntropy?: tf.Tensor; correct?: tf.Tensor } = {};
        const total = optimizer.minimize(
          () => {
            const logits = forwardLogits(params, x);
            const crossEntropy = tf.losses.softmaxCrossEntropy(tf.oneHot(labels, classes), logits) as tf.Scalar;
            kept.crossEntropy = tf.keep(crossEntropy);
            kept.correct = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'int32')));
            return anchor === null ? crossEntropy : tf.add(crossEntropy, proximalTerm(params, anchor, mu));
          },
          true,
          variables,
        );
        // Reading each batch's numbers costs a sync, negligible on the cpu/wasm/node backends we run on.
        const [ce, ok] = await Promise.all([kept.crossEntropy!.data(), kept.correct!.data()]);
        tf.dispose([x, labels, kept.crossEntropy!, kept.correct!]);
        total?.dispose();
        lossSum += ce[0]! * n;
        correct += ok[0]!;
      }
      metrics = { loss: lossSum / data.count, accuracy: correct / data.count };
      if (!Number.isFinite(metrics.loss)) {
        throw new FedfuseError('non_finite', `training diverged in epoch ${epoch} (loss ${metrics.loss}); lower the learning rate`);
      }
      await options.onEpochEnd?.(epoch, metrics);
    }
    const network = await readNetwork(net, params);
    return { network, metrics: { ...metrics, seconds: (performance.now() - started) / 1000 } };
  } finally {
    tf.dispose(variables);
    if (anchor !== null) disposeNetworkTensors(anchor);
    optimizer.dispose();
  }
}

/** (mu/2)·Σ ||w − w_start||² over every kernel and bias. */
function proximalTerm(params: NetworkTensors, anchor: NetworkTensors, mu: number): tf.Scalar {
  return tf.tidy(() => {
    const squares = params.layers.flatMap((l, i) => {
      const a = anchor.layers[i]!;
      const k = tf.sum(tf.squaredDifference(l.kernel, a.kernel));
      return l.bias === null || a.bias === null ? [k] : [k, tf.sum(tf.squaredDifference(l.bias, a.bias))];
    });
    return tf.mul(tf.addN(squares), mu / 2) as tf.Scalar;
  });
}

/** The network's weights as trainable variables, shaped like NetworkTensors so the forward pass takes them. */
function toTrainableTensors(net: Network): { params: NetworkTensors; variables: tf.Variable[] } {
  const initial = toNetworkTensors(net);
  const variables: tf.Variable[] = [];
  const track = (v: tf.Variable): tf.Variable => {
    variables.push(v);
    return v;
  };
  const layers = initial.layers.map((l) => ({ kernel: track(tf.variable(l.kernel)), bias: l.bias === null ? null : track(tf.variable(l.bias)) }));
  // tf.variable shares the initial tensors' data (reference counted): dropping them leaves the variables intact.
  disposeNetworkTensors(initial);
  return { params: { spec: net.spec, layers }, variables };
}

async function readNetwork(net: Network, params: NetworkTensors): Promise<Network> {
  const layers = [];
  for (const [l, p] of params.layers.entries()) {
    layers.push({
      // Copies: a backend may hand back its own storage.
      kernel: new Float32Array(await p.kernel.data()),
      kernelShape: net.layers[l]!.kernelShape,
      bias: p.bias === null ? null : new Float32Array(await p.bias.data()),
    });
  }
  return { spec: net.spec, layers };
}

export function validateTrainingOptions(o: TrainingOptions): void {
  const fail = (message: string): never => {
    throw new FedfuseError('invalid_argument', `training options: ${message}`);
  };
  if (!Number.isInteger(o.epochs) || o.epochs < 1) fail(`epochs must be a positive integer, got ${o.epochs}`);
  if (!Number.isInteger(o.batchSize) || o.batchSize < 1) fail(`batchSize must be a positive integer, got ${o.batchSize}`);
  if (!(Number.isFinite(o.learningRate) && o.learningRate > 0)) fail(`learningRate must be a positive number, got ${o.learningRate}`);
  if (o.optimizer !== 'sgd' && o.optimizer !== 'adam') fail(`optimizer must be sgd or adam, got ${String(o.optimizer)}`);
  const mu = o.proximalMu ?? 0;
  if (!(Number.isFinite(mu) && mu >= 0)) fail(`proximalMu must be a non-negative number, got ${mu}`);
  if (!Number.isInteger(o.seed)) fail(`seed must be an integer, got ${o.seed}`);
}
