import type { AttributionSummary } from '../../common/attribution/summary.ts';
import type { KMeansOptions } from './kmeans/index.ts';
import type { RidgeOptions } from './linalg/index.ts';

export const FUSION_METHODS = ['kf-linear', 'hf', 'fedavg', 'average'] as const;
/**
 * - 'kf-linear': k-means neuron fusion with least-squares weights, any number of parents (method.md).
 * - 'hf': Hungarian (pairwise) neuron fusion, exactly 2 parents of equal widths.
 * - 'fedavg': parameter mean weighted by `numExamples` (equal widths).
 * - 'average': plain parameter mean (equal widths).
 */
export type FusionMethod = (typeof FUSION_METHODS)[number];

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
  /**
   * Most rows (sample, output position) of a conv layer's least-squares problem;
   * above it, rows are subsampled deterministically from the seed. Dense layers
   * always use every calibration sample. Default DEFAULT_CONV_ROW_BUDGET.
   */
  readonly convRowBudget?: number;
  /** Training examples behind each parent: the FedAvg weights. Required by 'fedavg'. */
  readonly numExamples?: readonly number[];
}

/** Default conv row budget: see the report of scripts/bench-fusion-quick.ts for the time it buys. */
export const DEFAULT_CONV_ROW_BUDGET = 20_000;
export const DEFAULT_SEED = 0;

/** Every option of a neuron-level fusion filled in and checked (validate-fusion-inputs.ts builds it). */
export interface ResolvedNeuronFusionOptions {
  readonly method: 'kf-linear' | 'hf';
  /** The clients' summaries (validated), or null when the server computes them (`importanceSource`). */
  readonly importances: readonly AttributionSummary[] | null;
  /** 'provided' when the clients' summaries are used. */
  readonly importanceSource: ServerImportance | 'provided';
  readonly targetHiddenWidths: readonly number[];
  readonly seed: number;
  readonly kmeans: KMeansOptions;
  readonly ridge: RidgeOptions;
  readonly convRowBudget: number;
}
