import * as tf from '@tensorflow/tfjs';
import type { AttributionSummary } from '../../common/attribution/summary.ts';
import { FedfuseError } from '../../common/errors/index.ts';
import {
  activate,
  applyPlainLayer,
  batchOf,
  disposeNetworkTensors,
  preActivation,
  toNetworkTensors,
} from '../../common/model/forward.ts';
import { expectedKernelShapes, validateNetwork, type LayerWeights, type Network } from '../../common/model/network.ts';
import {
  activationShapes,
  hasParameters,
  layerWidths,
  outputSize,
  weightedLayerIndices,
  withHiddenWidths,
  type ModelSpec,
  type WeightedLayerSpec,
} from '../../common/model/spec.ts';
import { SeededRandom } from '../../common/random/index.ts';
import { convDesignMatrix, denseDesignMatrix, sampleRows, type DesignMatrix } from './design-matrix.ts';
import type { ResolvedNeuronFusionOptions } from './fusion-options.ts';
import type { FusionLevelReport, KMeansLevelReport } from './fusion-report.ts';
import { RidgeSystem } from './linalg/index.ts';
import { layerClusteringWeights } from './neuron-importance.ts';
import { alignedPrior } from './aligned-prior.ts';
import { classConsensusMixing, parentClassEvidence } from './class-consensus.ts';
import { groupMeanMixing, mixTargets } from './neuron-mixing.ts';

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

const seconds = (since: number): number => (performance.now() - since) / 1000;

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

/** Splits least-squares weights (columns x width, bias last) into a TF.js-layout kernel and bias. */
function toLayerWeights(w: Float64Array, columns: number, kernelShape: readonly number[], useBias: boolean): LayerWeights {
  const width = kernelShape[kernelShape.length - 1]!;
  const kernelRows = useBias ? columns - 1 : columns;
  return {
    kernel: Float32Array.from(w.subarray(0, kernelRows * width)),
    kernelShape: [...kernelShape],
    bias: useBias ? Float32Array.from(w.subarray(kernelRows * width)) : null,
  };
}

/** Applies the plain (weightless) layers spec.layers[from, to) to x, disposing x. */
function applyPlainLayers(spec: ModelSpec, x: tf.Tensor, from: number, to: number): tf.Tensor {
  let h = x;
  for (let i = from; i < to; i++) {
    const layer = spec.layers[i]!;
    if (hasParameters(layer)) throw new FedfuseError('internal', `layer ${i} has parameters, expected a plain layer`);
    const next = applyPlainLayer(layer, h);
    h.dispose();
    h = next;
  }
  return h;
}

function relativeError(predicted: Float32Array, targets: Float64Array): number {
  let e = 0;
  let n = 0;
  for (let i = 0; i < targets.length; i++) {
    e += (predicted[i]! - targets[i]!) ** 2;
    n += targets[i]! ** 2;
  }
  return n > 0 ? Math.sqrt(e / n) : Math.sqrt(e);
}

/**
 * The level loop shared by KF-linear and HF (method.md): for each weighted
 * layer in order, X = the fused model's input on the calibration samples (+1
 * column), A = every parent's own pre-activations, hidden layers grouped by
 * `groupHidden`, the output layer class to class; the fused layer's weights are
 * the ridge least-squares fit of each group's importance-weighted mean target;
 * the fused model then runs forward through them to give the next level's X.
 * Inputs must have been validated (resolveNeuronFusionInputs).
 */
export async function fuseNeuronLevels(
  parents: readonly Network[],
  calibration: Float32Array,
  samples: number,
  options: ResolvedNeuronFusionOptions,
  importances: readonly AttributionSummary[],
  groupHidden: HiddenLayerGrouping,
): Promise<{ network: Network; levels: FusionLevelReport[] }> {
  const spec0 = parents[0]!.spec;
  const fusedSpec = withHiddenWidths(spec0, options.targetHiddenWidths);
  const weightedIndices = weightedLayerIndices(fusedSpec);
  const fusedShapes = activationShapes(fusedSpec);
  const kernelShapes = expectedKernelShapes(fusedSpec);
  const fusedWidths = layerWidths(fusedSpec);
  const root = new SeededRandom(options.seed);
  const parentTensors = parents.map(toNetworkTensors);
  const fusedLayers: LayerWeights[] = [];
  const levels: FusionLevelReport[] = [];
  // Activations are carried between levels already through the plain layers
  // (pooling, flatten) that follow a weighted layer, and each parent's big conv
  // pre-activations live only while that parent is processed: peak memory is
  // one parent's layer output plus everyone's (pooled) level inputs.
  const advance = (spec: ModelSpec, h: tf.Tensor, from: number): tf.Tensor =>
    applyPlainLayers(spec, h, from, weightedIndices.find((i) => i >= from) ?? spec.layers.length);
  let fusedH: tf.Tensor | null = advance(fusedSpec, batchOf(spec0, calibration, samples), 0);
  let parentH: (tf.Tensor | null)[] = parents.map((net) => advance(net.spec, batchOf(spec0, calibration, samples), 0));
  let previousAssignment: Int32Array | null = null;
  const inputChannels = spec0.inputShape[spec0.inputShape.length - 1]!;
  try {
    for (const [l, layerIndex] of weightedIndices.entries()) {
      const started = performance.now();
      const levelRandom = root.fork(l);
      const rowRandom = levelRandom.fork(0);
      const groupingRandom = levelRandom.fork(1);
      const isLast = l === weightedIndices.length - 1;
      const layer = fusedSpec.layers[layerIndex] as WeightedLayerSpec;
      const inShape = fusedShapes[layerIndex]!;
      const rowIndices =
        layer.kind === 'conv2d'
          ? sampleRows(
              samples *
                outputSize(inShape[0]!, layer.kernelSize, layer.strides, layer.padding) *
                outputSize(inShape[1]!, layer.kernelSize, layer.strides, layer.padding),
              options.convRowBudget,
              rowRandom,
            )
          : null;
      const rows = new RowSelection(rowIndices);
      try {
        // Step 2: each parent's own pre-activations at the design rows, one parent at a time.
        const pieces: tf.Tensor2D[] = [];
        let targets: tf.Tensor2D;
        try {
          parents.forEach((net, k) => {
            const parentLayer = net.spec.layers[layerIndex] as WeightedLayerSpec;
            const z = preActivation(parentLayer, parentTensors[k]!.layers[l]!, parentH[k]!);
            pieces.push(rows.of(z));
            parentH[k]!.dispose();
            parentH[k] = isLast ? null : tf.tidy(() => advance(net.spec, activate(parentLayer, z), layerIndex + 1));
            z.dispose();
          });
          targets = tf.concat(pieces, 1);
        } finally {
          tf.dispose(pieces);
        }
        const { layerWeights, report, fusedZ, assignment } = await fuseOneLevel({
          l,
          layerIndex,
          layer,
          isLast,
          width: fusedWidths[l]!,
          inShape,
          kernelShape: kernelShapes[l]!,
          fusedInput: fusedH!,
          targets,
          parentWidths: parents.map((net) => layerWidths(net.spec)[l]!),
          rows,
          samples,
          options,
          importances,
          groupHidden,
          groupingRandom,
          started,
          parentLayers: parents.map((net) => net.layers[l]!),
          parentInputChannels: parents.map((net) => (l === 0 ? inputChannels : layerWidths(net.spec)[l - 1]!)),
          fusedInputChannels: l === 0 ? inputChannels : fusedWidths[l - 1]!,
          previousAssignment,
        });
        previousAssignment = assignment;
        fusedLayers.push(layerWeights);
        levels.push(report);
        fusedH!.dispose();
        fusedH = isLast ? null : tf.tidy(() => advance(fusedSpec, activate(layer, fusedZ), layerIndex + 1));
        fusedZ.dispose();
      } finally {
        rows.dispose();
      }
    }
  } finally {
    fusedH?.dispose();
    parentH.forEach((h) => h?.dispose());
    parentTensors.forEach(disposeNetworkTensors);
  }
  const network: Network = { spec: fusedSpec, layers: fusedLayers };
  try {
    validateNetwork(network, 'fused model');
  } catch (e) {
    throw new FedfuseError('internal', `fusion produced an invalid model: ${(e as Error).message}`, { cause: e });
  }
  return { network, levels };
}

/** The design rows of a level: all of them, or a sorted sample of (sample, position) rows of a conv layer. */
class RowSelection {
  private readonly indices: tf.Tensor1D | null;

  constructor(readonly rowIndices: Int32Array | null) {
    this.indices = rowIndices === null ? null : tf.tensor1d(rowIndices, 'int32');
  }

  /** The selected rows of a layer output ([n, units] or NHWC [n, h, w, c]) as [rows, c]. */
  of(t: tf.Tensor): tf.Tensor2D {
    return tf.tidy(() => {
      const flat = tf.reshape(t, [-1, t.shape[t.shape.length - 1]!]) as tf.Tensor2D;
      return this.indices === null ? flat : tf.gather(flat, this.indices);
    });
  }

  dispose(): void {
    this.indices?.dispose();
  }
}

interface LevelContext {
  readonly l: number;
  readonly layerIndex: number;
  readonly layer: WeightedLayerSpec;
  readonly isLast: boolean;
  readonly width: number;
  /** Shape (without batch) of the fused model's input to this layer. */
  readonly inShape: readonly number[];
  readonly kernelShape: readonly number[];
  readonly fusedInput: tf.Tensor;
  /** The parents' pre-activations at the design rows, concatenated: rows x (Σ parent widths). Disposed here. */
  readonly targets: tf.Tensor2D;
  readonly parentWidths: readonly number[];
  readonly rows: RowSelection;
  readonly samples: number;
  readonly options: ResolvedNeuronFusionOptions;
  readonly importances: readonly AttributionSummary[];
  readonly groupHidden: HiddenLayerGrouping;
  readonly groupingRandom: SeededRandom;
  readonly started: number;
  readonly parentLayers: readonly LayerWeights[];
  readonly parentInputChannels: readonly number[];
  readonly fusedInputChannels: number;
  readonly previousAssignment: Int32Array | null;
}

/** One level: design matrix, ridge system, grouping, solve. Returns the fused layer and its pre-activations on all samples (caller disposes). */
async function fuseOneLevel(
  c: LevelContext,
): Promise<{ layerWeights: LayerWeights; report: FusionLevelReport; fusedZ: tf.Tensor; assignment: Int32Array }> {
  const { layer, width, samples, options, targets, parentWidths } = c;
  const timing = { forward: 0, factorisation: 0, grouping: 0, solve: 0 };
  let grouping: LevelGrouping;
  let system: RidgeSystem;
  let targetValues: Float32Array;
  let design: DesignMatrix;
  const weights = layerClusteringWeights(c.importances, c.l);
  try {
    // Step 1: X, the fused model's input (im2col rows for a conv), + ones.
    const inputValues = (await c.fusedInput.data()) as Float32Array;
    design =
      layer.kind === 'conv2d'
        ? convDesignMatrix(inputValues, samples, c.inShape, layer, c.rows.rowIndices)
        : denseDesignMatrix(inputValues, samples, c.inShape[0]!, layer.useBias);
    targetValues = (await targets.data()) as Float32Array;
    timing.forward = seconds(c.started);

    // Step 3: least squares, factored once per level.
    let t = performance.now();
    system = RidgeSystem.create(design.values, design.rows, design.columns, options.ridge);
    timing.factorisation = seconds(t);

    // Step 4–5: group parent neurons into fused neurons.
    t = performance.now();
    grouping = c.isLast
      ? classToClassGrouping(parentWidths)
      : await c.groupHidden({ weightedLayer: c.l, parentWidths, width, weights, system, targets, targetValues, random: c.groupingRandom });
    timing.grouping = seconds(t);
  } finally {
    targets.dispose();
  }

  // Step 6: solve for the fused neurons only, write them, run the fused layer forward.
  const t = performance.now();
  const mixing =
    c.isLast && options.outputCombination === 'class-consensus'
      ? classConsensusMixing(parentClassEvidence(options, c.importances, c.l, targetValues, design.rows, parentWidths))
      : groupMeanMixing(grouping.assignment, weights, width);
  const groupTargetValues = mixTargets(targetValues, design.rows, mixing);
  const prior =
    options.ridgePrior === 'aligned'
      ? alignedPrior({
          parentLayers: c.parentLayers,
          parentInputChannels: c.parentInputChannels,
          fusedInputChannels: c.fusedInputChannels,
          previousAssignment: c.previousAssignment,
          mixing,
          columns: design.columns,
          useBias: layer.useBias,
        })
      : null;
  const solution = system.solve(groupTargetValues, width, prior);
  const layerWeights = toLayerWeights(solution, design.columns, c.kernelShape, layer.useBias);
  const fusedZ = tf.tidy(() =>
    preActivation(
      layer,
      { kernel: tf.tensor(layerWeights.kernel, [...layerWeights.kernelShape]), bias: layerWeights.bias === null ? null : tf.tensor1d(layerWeights.bias) },
      c.fusedInput,
    ),
  );
  let fitted: Float32Array;
  try {
    const fittedAtRows = c.rows.of(fusedZ);
    fitted = (await fittedAtRows.data()) as Float32Array;
    fittedAtRows.dispose();
  } catch (e) {
    fusedZ.dispose();
    throw e;
  }
  timing.solve = seconds(t);
  const report: FusionLevelReport = {
    weightedLayer: c.l,
    layerIndex: c.layerIndex,
    kind: layer.kind,
    grouping: c.isLast && options.outputCombination === 'class-consensus' ? 'class-consensus' : grouping.grouping,
    parentWidths,
    width,
    rows: design.rows,
    columns: design.columns,
    ridgeForm: system.form,
    lambda: system.lambda,
    ...(grouping.kmeans === undefined ? {} : { kmeans: grouping.kmeans }),
    ...(grouping.assignmentCost === undefined ? {} : { assignmentCost: grouping.assignmentCost }),
    targetFitRelativeError: relativeError(fitted, groupTargetValues),
    seconds: { ...timing, total: seconds(c.started) },
  };
  return { layerWeights, report, fusedZ, assignment: grouping.assignment };
}

