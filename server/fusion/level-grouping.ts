import type * as tf from '@tensorflow/tfjs';
import type { SeededRandom } from '../../common/random/index.ts';
import type { FusionLevelReport, KMeansLevelReport } from './fusion-report.ts';
import type { RidgeSystem } from './linalg/index.ts';

/**
 * How a level's parent neurons are grouped into fused neurons: the contract
 * KF-linear (k-means) and HF (Hungarian pairs) plug into the level loop, and
 * the fixed groupings (index, class to class).
 */
/** What a hidden layer's grouping step sees: the parents' neurons of one level and their least-squares system. */
export interface LevelGroupingInput {
  readonly weightedLayer: number;
  /** Width of each parent's layer; neuron i of parent k is column offset_k + i of `targets`. */
  readonly parentWidths: readonly number[];
  /** Number of fused neurons (groups) to form. */
  readonly width: number;
  /** Clustering weight of every parent neuron (normalised importance + epsilon). */
  readonly weights: Float64Array;
  /** Ridge system of the fused model's input X to this layer. */
  readonly system: RidgeSystem;
  /** The parents' pre-activations at the design rows, rows x (Σ parent widths). */
  readonly targets: tf.Tensor2D;
  readonly targetValues: Float32Array;
  readonly random: SeededRandom;
}

/** Which fused neuron each parent neuron goes into; every group must be non-empty. */
export interface LevelGrouping {
  readonly assignment: Int32Array;
  readonly grouping: FusionLevelReport['grouping'];
  readonly kmeans?: KMeansLevelReport;
  readonly assignmentCost?: number;
}

export type HiddenLayerGrouping = (input: LevelGroupingInput) => Promise<LevelGrouping>;


/** Neuron i of every parent in group i (parents concatenated in order). */
export function indexAssignment(parentWidths: readonly number[]): Int32Array {
  const assignment = new Int32Array(parentWidths.reduce((a, b) => a + b, 0));
  let offset = 0;
  for (const w of parentWidths) {
    for (let i = 0; i < w; i++) assignment[offset + i] = i;
    offset += w;
  }
  return assignment;
}

/** Output layer: unit c of every parent goes into fused unit c (class to class). */
export function classToClassGrouping(parentWidths: readonly number[]): LevelGrouping {
  return { assignment: indexAssignment(parentWidths), grouping: 'class-to-class' };
}

