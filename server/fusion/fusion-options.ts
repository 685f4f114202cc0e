import type { AttributionSummary } from '../../common/attribution/summary.ts';
import type { KMeansOptions } from './kmeans/index.ts';
import type { RidgeOptions } from './linalg/index.ts';
import type { GradientOptions } from './gradient-level.ts';

export const FUSION_METHODS = ['kf-linear', 'kf-gradient', 'hf', 'fedavg', 'average', 'ot-fusion', 'weight-matching'] as const;
/**
 * - 'kf-linear': k-means neuron fusion with least-squares weights, any number of parents (method.md).
 * - 'kf-gradient': the same grouping, each relu level then trained toward its groups' post-relu
 *   targets and the head distilled toward the parents' combined softened logits (gradient-level.ts).
 * - 'hf': Hungarian (pairwise) neuron fusion, exactly 2 parents of equal widths.
 * - 'fedavg': parameter mean weighted by `numExamples` (equal widths).
 * - 'average': plain parameter mean (equal widths).
 * - 'ot-fusion': baseline, OT fusion (Singh & Jaggi 2020): each parent's channels transported onto parent 0's
 *   by their activations on the calibration set, then averaged (equal widths; alignment/ot-fusion.ts).
 * - 'weight-matching': baseline, Git Re-Basin's weight matching (Ainsworth et al. 2023): each parent permuted
 *   onto parent 0 by its weights, then averaged; needs no data (equal widths; alignment/weight-matching.ts).
 */
export type FusionMethod = (typeof FUSION_METHODS)[number];

/** The neuron-level methods: they group neurons on a calibration set and take importances and the federated settings. */
export const NEURON_FUSION_METHODS = ['kf-linear', 'kf-gradient', 'hf'] as const;
export type NeuronFusionMethod = (typeof NEURON_FUSION_METHODS)[number];

export function isNeuronFusionMethod(method: string): method is NeuronFusionMethod {
  return (NEURON_FUSION_METHODS as readonly string[]).includes(method);
}

export const SERVER_IMPORTANCES = ['uniform', 'activation'] as const;
/**
 * Importance the server can compute itself when clients sent none:
 * 'uniform' (all ones) or 'activation' (mean |pre-activation| of each neuron
 * over the calibration set, and over positions for a conv channel).
 */
export type ServerImportance = (typeof SERVER_IMPORTANCES)[number];

export interface FusionOptions {
  readonly method: FusionMethod;
  /** One summary per parent, as sent by the clients (kf-linear, hf). When given, `importance` is ignored. */
  readonly importances?: readonly AttributionSummary[];
  /** Server-side importance when `importances` is absent. Default 'uniform'. */
  readonly importance?: ServerImportance;
  /**
   * Widths of the fused model's hidden weighted layers (kf-linear: smaller than
   * the parents' compresses, larger grows, up to the parents' total neuron
   * count at that layer). Default: the first parent's hidden widths.
   */
  readonly targetHiddenWidths?: readonly number[];
  /** Seed of every random choice (k-means first centroids, conv row sampling). Default 0. */
  readonly seed?: number;
  /** Default DEFAULT_KMEANS_OPTIONS (3 restarts, at most 100 iterations, stop after 3 iterations improving < 5%). */
  readonly kmeans?: Partial<KMeansOptions>;
  /** Default DEFAULT_RIDGE_OPTIONS (λ = 1e-6 · trace(XᵀX) / columns). */
  readonly ridge?: Partial<RidgeOptions>;
  /** kf-gradient's training (epochs, learning rate, held-out split, patience, temperature); default DEFAULT_GRADIENT_OPTIONS. */
  readonly gradient?: Partial<GradientOptions>;
  /**
   * Most rows (sample, output position) of a conv layer's least-squares problem;
   * above it, rows are subsampled deterministically from the seed. Dense layers
   * always use every calibration sample. Default DEFAULT_CONV_ROW_BUDGET.
   */
  readonly convRowBudget?: number;
  /** Training examples behind each parent: the FedAvg weights. Required by 'fedavg'. */
  readonly numExamples?: readonly number[];
  /**
   * How the output layer combines the parents' output units (kf-linear, hf).
   * 'class-mean' (default, the paper): fused unit c is the importance-weighted
   * mean of the parents' units c. 'class-consensus': per sample, the class
   * scores that agree best with each parent's logit differences between the
   * classes it knows (class-consensus.ts); for label-skewed parents.
   */
  readonly outputCombination?: OutputCombination;
  /**
   * Per parent, per class: the evidence the parent has for class c (its label
   * histogram, or any non-negative score of how much it saw of c), used by
   * 'class-consensus'. Default: the output layer's importances when the
   * parents sent them, else each parent's mean predicted probability of c on
   * the calibration set times its numExamples (label-free).
   */
  readonly classEvidence?: readonly (readonly number[])[];
  /**
   * What each level's ridge least squares is pulled toward where the
   * calibration data leave the weights undetermined: 'zero' (default, plain
   * ridge) or 'aligned', the parents' own weights mapped through the grouping
   * (aligned-prior.ts).
   */
  readonly ridgePrior?: RidgePrior;
  /**
   * How k-means of a hidden level starts: 'farthest-point' (default, the
   * reference code, restarts) or 'index' (neuron i of every parent in group i,
   * one run; for parents trained from one shared model, as in federated
   * rounds: fused neurons keep their identity from round to round). 'index'
   * needs every parent's width equal to the target width, and falls back to
   * farthest-point otherwise.
   */
  readonly groupingStart?: GroupingStart;
  /**
   * Rescale the fused output layer (kernel and bias) so that its logits on
   * the calibration set spread as much as those of the parents' FedAvg
   * average: 'fedavg', or 'fitted' (default: as the least squares gave them).
   * Why: a consensus of label-skewed parents keeps every parent's confidence
   * in full, and over rounds the output layer's norm grew 1.5x per round;
   * FedAvg's spread is stable. Needs equal widths (else ignored) and numExamples.
   */
  readonly outputScale?: OutputScale;
  /**
   * Class prior the fused model's mean predicted probabilities on the
   * calibration set are matched to, by shifting the output biases
   * (output-prior-matching.ts): 'uniform', explicit shares, or 'none' (default).
   */
  readonly outputPrior?: 'uniform' | 'none' | readonly number[];
}

export const OUTPUT_COMBINATIONS = ['class-mean', 'class-consensus'] as const;
export type OutputCombination = (typeof OUTPUT_COMBINATIONS)[number];
export const GROUPING_STARTS = ['farthest-point', 'index'] as const;
export type GroupingStart = (typeof GROUPING_STARTS)[number];
export const RIDGE_PRIORS = ['zero', 'aligned'] as const;
export type RidgePrior = (typeof RIDGE_PRIORS)[number];
export const OUTPUT_SCALES = ['fitted', 'fedavg'] as const;
export type OutputScale = (typeof OUTPUT_SCALES)[number];

/**
 * The settings fedfuse's rounds use for kf-linear and hf (FusionStrategy):
 * every parent starts from the same global model and holds label-skewed
 * data. Measured on Fashion-MNIST Dirichlet 0.1 (docs/benchmarks.md,
 * "Federated"): one-shot 54 % with the paper's settings, 80 % with these.
 * λ = 1e-3 (relative): with the aligned prior, 1e-3 and 1e-2 tie and 1e-6
 * overfits the 400-sample output layer (68 vs 75 %).
 */
export const FEDERATED_FUSION_SETTINGS = {
  outputCombination: 'class-consensus',
  ridgePrior: 'aligned',
  groupingStart: 'index',
  outputScale: 'fedavg',
  outputPrior: 'uniform',
  ridge: { relativeLambda: 1e-3 },
} as const satisfies Partial<FusionOptions>;


/** Default conv row budget: see the report of scripts/bench-fusion-quick.ts for the time it buys. */
export const DEFAULT_CONV_ROW_BUDGET = 20_000;
export const DEFAULT_SEED = 0;

/** Every option of a neuron-level fusion filled in and checked (validate-fusion-inputs.ts builds it). */
export interface ResolvedNeuronFusionOptions {
  readonly method: NeuronFusionMethod;
  readonly gradient: GradientOptions;
  /** The clients' summaries (validated), or null when the server computes them (`importanceSource`). */
  readonly importances: readonly AttributionSummary[] | null;
  /** 'provided' when the clients' summaries are used. */
  readonly importanceSource: ServerImportance | 'provided';
  readonly targetHiddenWidths: readonly number[];
  readonly seed: number;
  readonly kmeans: KMeansOptions;
  readonly ridge: RidgeOptions;
  readonly convRowBudget: number;
  readonly outputCombination: OutputCombination;
  /** Validated, or null to derive it (see FusionOptions.classEvidence). */
  readonly classEvidence: readonly (readonly number[])[] | null;
  readonly ridgePrior: RidgePrior;
  readonly groupingStart: GroupingStart;
  readonly outputScale: OutputScale;
  /** Normalised shares, or null for no prior matching. */
  readonly outputPrior: readonly number[] | null;
  /** Validated numExamples, or null when absent. */
  readonly numExamples: readonly number[] | null;
}
