import * as tf from '@tensorflow/tfjs';
import type { AttributionSummary } from '../../common/attribution/summary.ts';
import type { LayerWeights } from '../../common/model/network.ts';
import type { WeightedLayerSpec } from '../../common/model/spec.ts';
import type { SeededRandom } from '../../common/random/index.ts';
import { alignedPrior } from './aligned-prior.ts';
import { classConsensusMixing, parentClassEvidence } from './class-consensus.ts';
import { convDesignMatrix, denseDesignMatrix, type DesignMatrix } from './design-matrix.ts';
import type { ResolvedNeuronFusionOptions } from './fusion-options.ts';
import type { FusionLevelReport } from './fusion-report.ts';
import { classToClassGrouping, type HiddenLayerGrouping, type LevelGrouping } from './level-grouping.ts';
import { RidgeSystem } from './linalg/index.ts';
import { groupMeanMixing, mixTargets, type NeuronMixing } from './neuron-mixing.ts';
import { layerClusteringWeights } from './neuron-importance.ts';
import type { RowSelection } from './row-selection.ts';
import { softenedProbabilities, splitRandom, trainLevelByGradient } from './gradient-level.ts';

/**
 * One weighted level (method.md steps 1–6): X = the fused model's input (im2col
 * rows for a conv) + ones, the ridge system factored once, the parents'
 * neurons grouped (or the grouping of their channel space reused), the fused
 * neurons' targets = importance-weighted mixes of the parents' targets, and
 * the ridge solve for the fused neurons only.
 */

/** How a channel space's parent neurons make its fused neurons, decided once per space. */
export interface SpaceGrouping {
  readonly assignment: Int32Array;
  readonly mixing: NeuronMixing;
}

export interface WeightedLevelInput {
  readonly l: number;
  readonly layerIndex: number;
  readonly layer: WeightedLayerSpec;
  readonly isOutput: boolean;
  readonly width: number;
  /** Shape (without batch) of the fused model's input to this level. */
  readonly inShape: readonly number[];
  readonly fusedInput: tf.Tensor;
  readonly samples: number;
  readonly rows: RowSelection;
  /** The parents' level outputs (pre-activations) at the design rows, rows x (Σ parent widths). Disposed by the caller. */
  readonly targets: tf.Tensor2D;
  /**
   * Residual targets: the parents' add outputs at the rows (same layout as
   * `targets`), and the sum of the fused model's other summands at the rows
   * (rows x width); the fused level then reproduces mix(add) − others. Null
   * for a plain level. Disposed by the caller.
   */
  readonly residual: { readonly sums: tf.Tensor2D; readonly others: tf.Tensor2D } | null;
  /** Fit a bias column: the layer's own bias, or the offset a folded BatchNorm will carry. */
  readonly withBias: boolean;
  /** The level's activation as its readers see it (a relu layer right after a folded BatchNorm counts): what KF-gradient fits through. */
  readonly activation: 'relu' | 'linear';
  /** Output positions per sample (1 for a Dense): maps design rows to calibration samples for KF-gradient's split. */
  readonly outputPositions: number;
  /** The space's grouping when an earlier level made it, or 'identity' for a pinned space; null: group here. */
  readonly grouping: SpaceGrouping | 'identity' | null;
  readonly options: ResolvedNeuronFusionOptions;
  readonly importances: readonly AttributionSummary[];
  readonly groupHidden: HiddenLayerGrouping;
  readonly groupingRandom: SeededRandom;
  readonly parentWidths: readonly number[];
  /** The parents' weights of this level, a folded BatchNorm included (for the aligned prior). */
  readonly parentLayers: readonly LayerWeights[];
  readonly parentInputChannels: readonly number[];
  readonly fusedInputChannels: number;
  /** Fused channel of every parent channel of the input space, or null when it is shared (the input, a pinned space). */
  readonly inputAssignment: Int32Array | null;
}

export interface WeightedLevelResult {
  /** Least-squares weights, columns x width (Float64, bias row last when withBias). */
  readonly solution: Float64Array;
  readonly columns: number;
  readonly spaceGrouping: SpaceGrouping;
  /** The fused neurons' targets at the rows (rows x width), for the fit report. */
  readonly groupTargets: Float64Array;
  readonly report: Omit<FusionLevelReport, 'targetFitRelativeError' | 'seconds'>;
  readonly seconds: { forward: number; factorisation: number; grouping: number; solve: number };
}

const since = (t: number): number => (performance.now() - t) / 1000;

export async function fuseWeightedLevel(c: WeightedLevelInput): Promise<WeightedLevelResult> {
  const { layer, width, samples, options, parentWidths } = c;
  const timing = { forward: 0, factorisation: 0, grouping: 0, solve: 0 };
  let t = performance.now();
  const inputValues = (await c.fusedInput.data()) as Float32Array;
  const design: DesignMatrix =
    layer.kind === 'conv2d'
      ? convDesignMatrix(inputValues, samples, c.inShape, { ...layer, useBias: c.withBias }, c.rows.rowIndices)
      : denseDesignMatrix(inputValues, samples, c.inShape[0]!, c.withBias);
  const targetValues = (await c.targets.data()) as Float32Array;
  timing.forward = since(t);

  t = performance.now();
  const system = RidgeSystem.create(design.values, design.rows, design.columns, options.ridge);
  timing.factorisation = since(t);

  t = performance.now();
  const weights = layerClusteringWeights(c.importances, c.l);
  let grouping: LevelGrouping;
  let mixing: NeuronMixing;
  if (c.isOutput) {
    grouping = classToClassGrouping(parentWidths);
    mixing =
      options.outputCombination === 'class-consensus'
        ? classConsensusMixing(parentClassEvidence(options, c.importances, c.l, targetValues, design.rows, parentWidths))
        : groupMeanMixing(grouping.assignment, weights, width);
    if (options.outputCombination === 'class-consensus') grouping = { ...grouping, grouping: 'class-consensus' };
  } else if (c.grouping === null) {
    grouping = await c.groupHidden({ weightedLayer: c.l, parentWidths, width, weights, system, targets: c.targets, targetValues, random: c.groupingRandom });
    mixing = groupMeanMixing(grouping.assignment, weights, width);
  } else if (c.grouping === 'identity') {
    grouping = { ...classToClassGrouping(parentWidths), grouping: 'identity' };
    mixing = groupMeanMixing(grouping.assignment, weights, width);
  } else {
    grouping = { assignment: c.grouping.assignment, grouping: 'shared' };
    mixing = c.grouping.mixing;
  }
  timing.grouping = since(t);

  t = performance.now();
  let groupTargets: Float64Array;
  if (c.residual === null) groupTargets = mixTargets(targetValues, design.rows, mixing);
  else {
    groupTargets = mixTargets((await c.residual.sums.data()) as Float32Array, design.rows, mixing);
    const others = (await c.residual.others.data()) as Float32Array;
    for (let i = 0; i < groupTargets.length; i++) groupTargets[i]! -= others[i]!;
  }
  const prior =
    options.ridgePrior === 'aligned'
      ? alignedPrior({
          parentLayers: c.parentLayers,
          parentInputChannels: c.parentInputChannels,
          fusedInputChannels: c.fusedInputChannels,
          previousAssignment: c.inputAssignment,
          mixing,
          columns: design.columns,
          useBias: c.withBias,
        })
      : null;
  let solution = system.solve(groupTargets, width, prior);
  let gradient: FusionLevelReport['gradient'];
  if (options.method === 'kf-gradient' && (c.isOutput || (c.activation === 'relu' && c.residual === null))) {
    const trained = await trainLevelByGradient({
      design: design.values,
      rows: design.rows,
      columns: design.columns,
      rowSamples: rowSamples(c.rows.rowIndices, design.rows, c.outputPositions),
      samples,
      start: solution,
      width,
      objective: c.isOutput
        ? { kind: 'distill', teacherProbabilities: softenedProbabilities(groupTargets, width, options.gradient.temperature) }
        : { kind: 'relu', targets: mixTargets(Float32Array.from(targetValues, (v) => Math.max(v, 0)), design.rows, mixing), neuronWeights: clusterMass(grouping.assignment, weights, width) },
      options: options.gradient,
      random: splitRandom(options.seed, c.l),
    });
    solution = trained.solution;
    gradient = trained.report;
  }
  timing.solve = since(t);
  return {
    solution,
    columns: design.columns,
    spaceGrouping: { assignment: grouping.assignment, mixing },
    groupTargets,
    report: {
      weightedLayer: c.l,
      layerIndex: c.layerIndex,
      kind: layer.kind,
      grouping: grouping.grouping,
      parentWidths,
      width,
      rows: design.rows,
      columns: design.columns,
      ridgeForm: system.form,
      lambda: system.lambda,
      ...(grouping.kmeans === undefined ? {} : { kmeans: grouping.kmeans }),
      ...(grouping.assignmentCost === undefined ? {} : { assignmentCost: grouping.assignmentCost }),
      ...(c.residual === null ? {} : { residualTargets: true }),
      ...(gradient === undefined ? {} : { gradient }),
    },
    seconds: timing,
  };
}

/** The calibration sample of each design row: row r of a Dense level, or (sampled) output position r of a conv. */
function rowSamples(rowIndices: Int32Array | null, rows: number, positions: number): Int32Array {
  return Int32Array.from({ length: rows }, (_, r) => Math.floor((rowIndices === null ? r : rowIndices[r]!) / positions));
}

/** Each fused neuron's share of the importance, mean 1: KF-gradient's per-neuron loss weight. */
function clusterMass(assignment: Int32Array, weights: Float64Array, width: number): Float64Array {
  const mass = new Float64Array(width);
  for (let i = 0; i < assignment.length; i++) mass[assignment[i]!]! += weights[i]!;
  const mean = mass.reduce((a, b) => a + b, 0) / width;
  return mass.map((m) => (mean > 0 ? m / mean : 1));
}

/** Splits least-squares weights (columns x width, bias last when present) into a TF.js-layout kernel and a bias vector. */
export function splitSolution(w: Float64Array, columns: number, kernelShape: readonly number[], withBias: boolean): { kernel: Float32Array; bias: Float32Array | null } {
  const width = kernelShape[kernelShape.length - 1]!;
  const kernelRows = withBias ? columns - 1 : columns;
  return {
    kernel: Float32Array.from(w.subarray(0, kernelRows * width)),
    bias: withBias ? Float32Array.from(w.subarray(kernelRows * width)) : null,
  };
}

/** ‖predicted − targets‖ / ‖targets‖. */
export function relativeError(predicted: ArrayLike<number>, targets: ArrayLike<number>): number {
  let e = 0;
  let n = 0;
  for (let i = 0; i < targets.length; i++) {
    e += (predicted[i]! - targets[i]!) ** 2;
    n += targets[i]! ** 2;
  }
  return n > 0 ? Math.sqrt(e / n) : Math.sqrt(e);
}
