import { FedfuseError } from '../../common/errors/index.ts';
import type { Network } from '../../common/model/network.ts';
import { networkLogits } from '../../common/model/network-logits.ts';
import { meanSoftmax } from './mean-softmax.ts';

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
export async function matchOutputPrior(
  net: Network,
  calibration: Float32Array,
  samples: number,
  targetPrior: readonly number[],
): Promise<{ network: Network; report: PriorMatchingReport | null }> {
  const last = net.layers[net.layers.length - 1]!;
  if (last.bias === null) return { network: net, report: null };
  checkPrior(targetPrior, last.bias.length);
  return withBiasShift(net, priorMatchingShift(await networkLogits(net, calibration, samples), samples, targetPrior));
}

function checkPrior(targetPrior: readonly number[], classes: number): void {
  if (targetPrior.length !== classes || targetPrior.some((p) => !(p > 0) || !Number.isFinite(p))) {
    throw new FedfuseError('invalid_argument', `target class prior must have ${classes} positive entries`);
  }
}

/** The network with `report.biasShift` added to its output biases (which it must have). */
export function withBiasShift(net: Network, report: PriorMatchingReport): { network: Network; report: PriorMatchingReport } {
  const last = net.layers[net.layers.length - 1]!;
  const bias = Float32Array.from(last.bias!, (b, c) => b + report.biasShift[c]!);
  return { network: { spec: net.spec, layers: [...net.layers.slice(0, -1), { ...last, bias }] }, report };
}

/**
 * The bias shift that makes the mean softmax of `logits` (samples x classes,
 * the model's logits on the calibration set) equal `targetPrior`: the EM
 * fixed point above, from the logits alone (a bias shift moves every row's
 * logits by the same vector, so the model is never run again).
 */
export function priorMatchingShift(logits: Float32Array, samples: number, targetPrior: readonly number[]): PriorMatchingReport {
  const classes = targetPrior.length;
  checkPrior(targetPrior, classes);
  const priorSum = targetPrior.reduce((a, b) => a + b, 0);
  const prior = targetPrior.map((p) => p / priorSum);
  const shift = new Float64Array(classes);
  let mean = meanSoftmax(logits, samples, classes, 0, classes, shift);
  const gap = (): number => Math.max(...Array.from(mean, (m, c) => Math.abs(m - prior[c]!)));
  const gapBefore = gap();
  let iterations = 0;
  while (iterations < MAX_ITERATIONS && gap() > TOLERANCE) {
    for (let c = 0; c < classes; c++) shift[c]! += Math.log(prior[c]!) - Math.log(Math.max(mean[c]!, 1e-300));
    // Softmax ignores a common shift: keep the biases centred where they were.
    const centre = shift.reduce((a, b) => a + b, 0) / classes;
    for (let c = 0; c < classes; c++) shift[c]! -= centre;
    mean = meanSoftmax(logits, samples, classes, 0, classes, shift);
    iterations++;
  }
  return { biasShift: Array.from(shift), iterations, gapBefore, gapAfter: gap() };
}
