import * as tf from '@tensorflow/tfjs';
import { SeededRandom } from '../../common/random/index.ts';

/**
 * KF-gradient's level fit (method.md): the fused level's weights trained by
 * gradient descent toward its group targets, on the level's design rows (the
 * im2col rows of a conv, so a conv level trains as a matrix product, no
 * convolution gradient needed), with 80/20 split by calibration sample and
 * early stopping on the held-out part.
 *
 * - A hidden level with a relu: the targets are the mixes of the parents'
 *   outputs AFTER the relu (what the next level reads), fitted through the
 *   fused relu, with each fused neuron's squared error weighted by its
 *   cluster's importance mass. (A linear level has nothing a gradient could
 *   add to least squares: same loss, same optimum.)
 * - The output level: distilled toward the softened class probabilities of
 *   the parents' combined logits (knowledge distillation, T² · KL at
 *   temperature T): their importance-weighted average with the paper's
 *   class-to-class head, the class consensus with the federated settings.
 *
 * Training starts from the level's least-squares solution (KF-linear's), and
 * the held-out loss of that start is the bar: an epoch's weights are kept
 * only when they beat the best held-out loss so far, so on held-out samples
 * the result is never worse than the start. Full batch Adam on the training
 * rows.
 */
export interface GradientOptions {
  /** Most epochs (full-batch steps) per level. Default 150. */
  readonly epochs: number;
  /** Adam's learning rate, relative to the RMS of the starting weights. Default 0.01. */
  readonly learningRate: number;
  /** Fraction of calibration samples held out for early stopping. Default 0.2. */
  readonly heldOutFraction: number;
  /** Stop after this many epochs without a better held-out loss. Default 15. */
  readonly patience: number;
  /** Distillation temperature of the output level. Default 2. */
  readonly temperature: number;
}

export const DEFAULT_GRADIENT_OPTIONS: GradientOptions = { epochs: 150, learningRate: 0.01, heldOutFraction: 0.2, patience: 15, temperature: 2 };

export type GradientObjective =
  | { readonly kind: 'relu'; readonly targets: Float64Array; readonly neuronWeights: Float64Array }
  | { readonly kind: 'distill'; readonly teacherProbabilities: Float32Array };

export interface GradientLevelInput {
  /** Design matrix rows x columns (float32, row-major). */
  readonly design: Float32Array;
  readonly rows: number;
  readonly columns: number;
  /** Calibration sample of each design row (the split is by sample). */
  readonly rowSamples: Int32Array;
  readonly samples: number;
  /** Least-squares start, columns x width (Float64). */
  readonly start: Float64Array;
  readonly width: number;
  readonly objective: GradientObjective;
  readonly options: GradientOptions;
  readonly random: SeededRandom;
}

export interface GradientLevelResult {
  readonly solution: Float64Array;
  /** Epochs run, the held-out loss of the least-squares start and of the kept weights. */
  readonly report: { readonly epochs: number; readonly startHeldOutLoss: number; readonly heldOutLoss: number };
}

export async function trainLevelByGradient(c: GradientLevelInput): Promise<GradientLevelResult> {
  const heldOut = new Uint8Array(c.samples);
  const order = c.random.permutation(c.samples);
  const holdCount = c.samples >= 5 ? Math.max(1, Math.round(c.options.heldOutFraction * c.samples)) : 0;
  for (let k = 0; k < holdCount; k++) heldOut[order[k]!] = 1;
  const trainRows: number[] = [];
  const testRows: number[] = [];
  for (let r = 0; r < c.rows; r++) (heldOut[c.rowSamples[r]!] === 1 ? testRows : trainRows).push(r);
  if (testRows.length === 0 || trainRows.length === 0) {
    return { solution: c.start, report: { epochs: 0, startHeldOutLoss: NaN, heldOutLoss: NaN } };
  }
  const rms = Math.sqrt(c.start.reduce((s, v) => s + v * v, 0) / Math.max(c.start.length, 1)) || 1;
  const x = tf.tensor2d(c.design, [c.rows, c.columns]);
  const trainIndex = tf.tensor1d(Int32Array.from(trainRows), 'int32');
  const testIndex = tf.tensor1d(Int32Array.from(testRows), 'int32');
  const initial = tf.tensor2d(Float32Array.from(c.start), [c.columns, c.width]);
  const weights = tf.variable(initial);
  // The variable shares the initial tensor's data (reference counted): dropping the tensor leaves it intact.
  initial.dispose();
  const optimizer = tf.train.adam(c.options.learningRate * rms);
  const target =
    c.objective.kind === 'relu'
      ? tf.tensor2d(Float32Array.from(c.objective.targets), [c.rows, c.width])
      : tf.tensor2d(c.objective.teacherProbabilities, [c.rows, c.width]);
  const neuronWeights = c.objective.kind === 'relu' ? tf.tensor1d(Float32Array.from(c.objective.neuronWeights)) : null;
  const xTrain = tf.gather(x, trainIndex);
  const xTest = tf.gather(x, testIndex);
  const tTrain = tf.gather(target, trainIndex);
  const tTest = tf.gather(target, testIndex);
  const temperature = c.options.temperature;
  const loss = (xs: tf.Tensor2D, ts: tf.Tensor2D): tf.Scalar =>
    tf.tidy(() => {
      const z = tf.matMul(xs, weights);
      if (neuronWeights !== null) return tf.mean(tf.sum(tf.mul(tf.square(tf.sub(tf.relu(z), ts)), neuronWeights), 1));
      const logProbabilities = tf.logSoftmax(tf.div(z, temperature));
      // T² · KL(teacher || student): the teacher's entropy is a constant and left out.
      return tf.mul(tf.neg(tf.mean(tf.sum(tf.mul(ts, logProbabilities), 1))), temperature * temperature);
    });
  const heldOutLoss = async (): Promise<number> => {
    const l = loss(xTest as tf.Tensor2D, tTest as tf.Tensor2D);
    const v = (await l.data())[0]!;
    l.dispose();
    return v;
  };
  try {
    const startLoss = await heldOutLoss();
    let best = startLoss;
    let bestWeights = Float64Array.from(c.start);
    let sinceBest = 0;
    let epoch = 0;
    while (epoch < c.options.epochs && sinceBest < c.options.patience) {
      epoch++;
      const cost = optimizer.minimize(() => loss(xTrain as tf.Tensor2D, tTrain as tf.Tensor2D), true, [weights]);
      cost?.dispose();
      const current = await heldOutLoss();
      if (current < best) {
        best = current;
        bestWeights = Float64Array.from((await weights.data()) as Float32Array);
        sinceBest = 0;
      } else sinceBest++;
    }
    return { solution: bestWeights, report: { epochs: epoch, startHeldOutLoss: startLoss, heldOutLoss: best } };
  } finally {
    tf.dispose([x, trainIndex, testIndex, weights, target, xTrain, xTest, tTrain, tTest, ...(neuronWeights === null ? [] : [neuronWeights])]);
    optimizer.dispose();
  }
}

/** Row-major softmax(z / T) of rows x classes logits (the distillation teacher). */
export function softenedProbabilities(logits: ArrayLike<number>, classes: number, temperature: number): Float32Array {
  const out = new Float32Array(logits.length);
  for (let r = 0; r < logits.length / classes; r++) {
    let max = -Infinity;
    for (let j = 0; j < classes; j++) max = Math.max(max, logits[r * classes + j]! / temperature);
    let sum = 0;
    for (let j = 0; j < classes; j++) sum += Math.exp(logits[r * classes + j]! / temperature - max);
    for (let j = 0; j < classes; j++) out[r * classes + j] = Math.exp(logits[r * classes + j]! / temperature - max) / sum;
  }
  return out;
}

/** Reproducible per-level stream for the split. */
export function splitRandom(seed: number, level: number): SeededRandom {
  return new SeededRandom(seed).fork(2_000_003 + level);
}
