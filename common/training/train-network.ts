import type { OptimizerName } from '../wire/messages.ts';
import * as tf from '@tensorflow/tfjs';
import { FedfuseError } from '../errors/index.ts';
import { batchOf, disposeNetworkTensors, parameterIndexOfLayer, runGraph, toNetworkTensors, type NetworkTensors } from '../model/forward.ts';
import { parameterLayers, validateNetwork, type Network } from '../model/network.ts';
import { layerWidths, type BatchNormLayerSpec } from '../model/spec.ts';
import { SeededRandom } from '../random/index.ts';
import { linearCorrectionTerm } from './gradient-correction.ts';
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
 * The forward pass runs in training mode: BatchNorm normalises by each
 * batch's statistics and then moves its moving mean and variance toward them
 * (Keras's momentum), dropout is active with a mask seeded per batch.
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
  /** Added to every step's gradient (SCAFFOLD's c − c_i), same spec as the model; absent = none. */
  readonly gradientCorrection?: Network;
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
  if (options.gradientCorrection !== undefined) checkSameShape(options.gradientCorrection, net, 'gradient correction');
  const started = performance.now();
  const classes = layerWidths(net.spec).at(-1)!;
  const mu = options.proximalMu ?? 0;
  const rng = new SeededRandom(options.seed);
  // Dropout masks from their own stream, drawn only when there are dropout layers: models without keep the batch order they always had.
  const dropoutRng = net.spec.layers.some((l) => l.kind === 'dropout') ? new SeededRandom(options.seed).fork(1) : null;

  const { params, variables } = toTrainableTensors(net);
  const anchor = mu > 0 ? toNetworkTensors(net) : null;
  const correction = options.gradientCorrection === undefined ? null : toNetworkTensors(options.gradientCorrection);
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
        const statistics: BatchStatistics[] = [];
        const dropoutSeed = dropoutRng?.int(2_147_483_647) ?? 0;
        const total = optimizer.minimize(
          () => {
            const [logits] = runGraph(params, x, {
              mode: { training: true, dropoutSeed },
              onBatchStatistics: (layer, mean, variance) => statistics.push({ layer, mean: tf.keep(mean), variance: tf.keep(variance) }),
            }) as [tf.Tensor2D];
            const crossEntropy = tf.losses.softmaxCrossEntropy(tf.oneHot(labels, classes), logits) as tf.Scalar;
            kept.crossEntropy = tf.keep(crossEntropy);
            kept.correct = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'int32')));
            const loss = anchor === null ? crossEntropy : (tf.add(crossEntropy, proximalTerm(params, anchor, mu, net.spec)) as tf.Scalar);
            return correction === null ? loss : (tf.add(loss, linearCorrectionTerm(params, correction)) as tf.Scalar);
          },
          true,
          variables,
        );
        // Reading each batch's numbers costs a sync, negligible on the cpu/wasm/node backends we run on.
        const [ce, ok] = await Promise.all([kept.crossEntropy!.data(), kept.correct!.data()]);
        tf.dispose([x, labels, kept.crossEntropy!, kept.correct!]);
        total?.dispose();
        updateMovingStatistics(net, params, statistics);
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
    if (correction !== null) disposeNetworkTensors(correction);
    optimizer.dispose();
  }
}

interface BatchStatistics {
  readonly layer: number;
  readonly mean: tf.Tensor1D;
  readonly variance: tf.Tensor1D;
}

/**
 * Keras's moving averages after a training step: moving ← momentum·moving +
 * (1 − momentum)·batch, for the mean (row 2) and variance (row 3) of each
 * BatchNorm kernel. Those rows get no gradient (training mode never reads
 * them), so the optimizer leaves them alone; this is their only update.
 */
function updateMovingStatistics(net: Network, params: NetworkTensors, statistics: readonly BatchStatistics[]): void {
  const parameterIndex = parameterIndexOfLayer(net.spec);
  for (const { layer, mean, variance } of statistics) {
    const momentum = (net.spec.layers[layer] as BatchNormLayerSpec).momentum;
    const kernel = params.layers[parameterIndex[layer]!]!.kernel as tf.Variable;
    tf.tidy(() => {
      const [gamma, beta, movingMean, movingVariance] = tf.unstack(kernel, 0);
      const blend = (moving: tf.Tensor, batch: tf.Tensor): tf.Tensor => tf.add(tf.mul(moving, momentum), tf.mul(batch, 1 - momentum));
      kernel.assign(tf.stack([gamma!, beta!, blend(movingMean!, mean), blend(movingVariance!, variance)]));
    });
    tf.dispose([mean, variance]);
  }
}

/** (mu/2)·Σ ||w − w_start||² over every trained parameter (not BatchNorm's moving statistics). */
function proximalTerm(params: NetworkTensors, anchor: NetworkTensors, mu: number, spec: Network['spec']): tf.Scalar {
  const kinds = parameterLayers(spec).map((l) => l.kind);
  return tf.tidy(() => {
    const squares = params.layers.flatMap((l, i) => {
      const a = anchor.layers[i]!;
      const trained = (t: tf.Tensor): tf.Tensor => (kinds[i] === 'batchNorm' ? tf.slice(t, [0, 0], [2, -1]) : t);
      const k = tf.sum(tf.squaredDifference(trained(l.kernel), trained(a.kernel)));
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

function checkSameShape(other: Network, net: Network, what: string): void {
  validateNetwork(other, what);
  if (JSON.stringify(other.spec) !== JSON.stringify(net.spec)) throw new FedfuseError('shape_mismatch', `${what} has another architecture than the model`);
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
