import * as tf from '@tensorflow/tfjs';
import { batchOf, disposeNetworkTensors, forwardLogits, toNetworkTensors } from '../../common/model/forward.ts';
import type { Network } from '../../common/model/network.ts';
import { FedfuseError } from '../../common/errors/index.ts';

/** What prior matching did: the bias shift per class and how far the predicted class shares were from the target before and after. */
export interface PriorMatchingReport {
  readonly biasShift: number[];
  readonly iterations: number;
  /** Largest |mean predicted probability − target| over classes, before and after. */
  readonly gapBefore: number;
  readonly gapAfter: number;
}

const MAX_ITERATIONS = 500;
const TOLERANCE = 1e-6;

/**
 * Shifts the output layer's biases so that the model's mean predicted class
 * probabilities over the (unlabelled) calibration samples equal `targetPrior`
 * (Saerens, Latinne & Decaestecker 2002: the label-shift EM fixed point,
 * b_c ← b_c + log π_c − log mean_x p(c|x), which converges to the bias shift
 * whose predictions match the prior).
 *
 * Why: a model fused from label-skewed parents is biased toward the classes
 * its parents saw most, and so is FedAvg's average. When the calibration set
 * is drawn like the population the model serves (class-balanced by default),
 * its predicted class shares should match that population's; matching them
 * removes the bias with one bias vector and no labels. Measured on
 * Fashion-MNIST Dirichlet 0.1 fusions: +1 to +13 points (docs/benchmarks.md).
 * Needs an output layer with a bias; returns the network unchanged otherwise.
 */
export function matchOutputPrior(
  net: Network,
  calibration: Float32Array,
  samples: number,
  targetPrior: readonly number[],
): { network: Network; report: PriorMatchingReport | null } {
  const last = net.layers[net.layers.length - 1]!;
  if (last.bias === null) return { network: net, report: null };
  const classes = last.bias.length;
  if (targetPrior.length !== classes || targetPrior.some((p) => !(p > 0) || !Number.isFinite(p))) {
    throw new FedfuseError('invalid_argument', `target class prior must have ${classes} positive entries`);
  }
  const priorSum = targetPrior.reduce((a, b) => a + b, 0);
  const logPrior = targetPrior.map((p) => Math.log(p / priorSum));
  const tensors = toNetworkTensors(net);
  let logits: Float32Array;
  try {
    logits = tf.tidy(() => forwardLogits(tensors, batchOf(net.spec, calibration, samples)).dataSync() as Float32Array);
  } finally {
    disposeNetworkTensors(tensors);
  }
  const shift = new Float64Array(classes);
  const mean = new Float64Array(classes);
  const meanProbabilities = (): void => {
    mean.fill(0);
    for (let i = 0; i < samples; i++) {
      let max = -Infinity;
      for (let c = 0; c < classes; c++) max = Math.max(max, logits[i * classes + c]! + shift[c]!);
      let sum = 0;
      for (let c = 0; c < classes; c++) sum += Math.exp(logits[i * classes + c]! + shift[c]! - max);
      for (let c = 0; c < classes; c++) mean[c]! += Math.exp(logits[i * classes + c]! + shift[c]! - max) / sum / samples;
    }
  };
  const gap = (): number => Math.max(...Array.from(mean, (m, c) => Math.abs(m - Math.exp(logPrior[c]!))));
  meanProbabilities();
  const gapBefore = gap();
  let iterations = 0;
  while (iterations < MAX_ITERATIONS && gap() > TOLERANCE) {
    for (let c = 0; c < classes; c++) shift[c]! += logPrior[c]! - Math.log(Math.max(mean[c]!, 1e-300));
    // Softmax ignores a common shift: keep the biases centred where they were.
    const centre = shift.reduce((a, b) => a + b, 0) / classes;
    for (let c = 0; c < classes; c++) shift[c]! -= centre;
    meanProbabilities();
    iterations++;
  }
  const bias = Float32Array.from(last.bias, (b, c) => b + shift[c]!);
  return {
    network: { spec: net.spec, layers: [...net.layers.slice(0, -1), { ...last, bias }] },
    report: { biasShift: Array.from(shift), iterations, gapBefore, gapAfter: gap() },
  };
}
