import type { OutputCalibrationReport } from './output-calibration.ts';
import type { Network } from '../../common/model/network.ts';
import type { FusionMethod, ServerImportance } from './fusion-options.ts';
import type { RidgeForm } from './linalg/index.ts';

/** Wall-clock seconds spent in each phase of one level. */
export interface LevelSeconds {
  /** Parents' and fused model's forward passes, design matrix and target gathering. */
  readonly forward: number;
  /** Float64 Gram and Cholesky factorisation. */
  readonly factorisation: number;
  /** Projection of the parents' neurons and their grouping (k-means, assignment). */
  readonly grouping: number;
  /** Least squares for the fused neurons and writing them into the fused layer. */
  readonly solve: number;
  readonly total: number;
}

export interface KMeansLevelReport {
  /** Σ importance · ‖fitted activation − centroid‖² of the kept restart (in the projected space). */
  readonly cost: number;
  readonly iterations: number;
  readonly restarts: number;
  readonly bestRestart: number;
  readonly restartCosts: readonly number[];
  /** Clusters left empty by the Lloyd iterations and filled by the repair. */
  readonly emptyClustersRepaired: number;
}

export interface FusionLevelReport {
  /** Index among the weighted layers. */
  readonly weightedLayer: number;
  /** Index in spec.layers. */
  readonly layerIndex: number;
  readonly kind: 'dense' | 'conv2d';
  /** How parent neurons became fused neurons: clusters, Hungarian pairs, or unit c to unit c (output layer). */
  readonly grouping: 'kmeans' | 'hungarian' | 'class-to-class' | 'class-consensus';
  readonly parentWidths: readonly number[];
  readonly width: number;
  /** Rows of the least-squares problem (samples, or sampled (sample, position) pairs for a conv). */
  readonly rows: number;
  /** Columns of X (inputs of the layer, kernel cells for a conv, +1 for the bias). */
  readonly columns: number;
  readonly ridgeForm: RidgeForm;
  readonly lambda: number;
  readonly kmeans?: KMeansLevelReport;
  /** Total cost of the Hungarian assignment (HF). */
  readonly assignmentCost?: number;
  /**
   * ‖X·W − T‖ / ‖T‖ over the rows: how well the fused layer reproduces its
   * targets (the importance-weighted means of its groups' pre-activations)
   * from the fused model's own inputs.
   */
  readonly targetFitRelativeError: number;
  readonly seconds: LevelSeconds;
}

export interface FusionReport {
  readonly method: FusionMethod;
  readonly parents: number;
  readonly calibrationSamples: number;
  /** Where the neuron importances came from (neuron-level methods), or 'none'. */
  readonly importance: ServerImportance | 'provided' | 'none';
  readonly seed: number;
  /** Hidden widths of the fused network. */
  readonly hiddenWidths: readonly number[];
  /** One entry per weighted layer for kf-linear and hf; empty for the parameter means. */
  readonly levels: readonly FusionLevelReport[];
  /** Output-layer rescaling and prior matching after a neuron-level fusion, when asked for. */
  readonly outputCalibration?: OutputCalibrationReport;
  readonly totalSeconds: number;
}

export interface FusionResult {
  readonly network: Network;
  readonly report: FusionReport;
}
