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
  /**
   * How parent neurons became fused neurons: clusters, Hungarian pairs, unit c
   * to unit c (output layer), 'shared' (the grouping an earlier layer of the
   * same channel space made: layers joined by a residual add are grouped
   * once), or 'identity' (a pinned space: neuron i stays neuron i).
   */
  readonly grouping: 'kmeans' | 'hungarian' | 'class-to-class' | 'class-consensus' | 'shared' | 'identity';
  /** Spec index of the BatchNorm folded into this level (re-estimated after the fit), if any. */
  readonly foldedBatchNorm?: number;
  /** True when the targets were the parents' residual sums minus the fused model's other summands. */
  readonly residualTargets?: boolean;
  /** KF-gradient's training of this level: epochs run, held-out loss of the least-squares start and of the kept weights. */
  readonly gradient?: { readonly epochs: number; readonly startHeldOutLoss: number; readonly heldOutLoss: number };
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

/** A per-channel level (DepthwiseConv2D, or a BatchNorm not folded into a layer): each fused channel fitted on its own. */
export interface ChannelLevelReport {
  readonly layerIndex: number;
  readonly kind: 'depthwiseConv2d' | 'batchNorm';
  readonly width: number;
  readonly rows: number;
  readonly foldedBatchNorm?: number;
  readonly targetFitRelativeError: number;
  readonly seconds: number;
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
  /** Per-channel levels of a layer graph (absent for models of dense, conv and pooling layers only). */
  readonly channelLevels?: readonly ChannelLevelReport[];
  /** OT fusion and weight matching: how each parent was re-ordered onto the reference before the mean. */
  readonly alignment?: AlignmentReport;
  /** Output-layer rescaling and prior matching after a neuron-level fusion, when asked for. */
  readonly outputCalibration?: OutputCalibrationReport;
  readonly totalSeconds: number;
}

export interface AlignmentReport {
  /** The parent every other is aligned to. */
  readonly reference: number;
  /** Channel spaces that were matched (every space but the input, the classes and channel-moving reshapes). */
  readonly spaces: number;
  /** Per parent (the reference included, with zeros): coordinate-descent sweeps and channels that changed place. */
  readonly parents: readonly { readonly sweeps: number; readonly movedChannels: number }[];
}

export interface FusionResult {
  readonly network: Network;
  readonly report: FusionReport;
}
