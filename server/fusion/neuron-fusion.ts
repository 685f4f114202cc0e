import * as tf from '@tensorflow/tfjs';
import type { AttributionSummary } from '../../common/attribution/summary.ts';
import { FedfuseError } from '../../common/errors/index.ts';
import { batchOf, disposeNetworkTensors, parameterIndexOfLayer, toNetworkTensors } from '../../common/model/forward.ts';
import { applyLayer, INFERENCE } from '../../common/model/layer-ops.ts';
import { channelSpaces } from '../../common/model/channel-spaces.ts';
import { expectedKernelShapes, validateNetwork, type LayerWeights, type Network } from '../../common/model/network.ts';
import {
  layerConsumers,
  layerInputs,
  layerInputShapes,
  layerOutputShapes,
  layerWidths,
  MODEL_INPUT,
  weightedLayerIndices,
  withHiddenWidths,
  type ModelSpec,
} from '../../common/model/spec.ts';
import { SeededRandom } from '../../common/random/index.ts';
import { planLevels } from './fusion-plan.ts';
import type { ResolvedNeuronFusionOptions } from './fusion-options.ts';
import type { ChannelLevelReport, FusionLevelReport } from './fusion-report.ts';
import type { HiddenLayerGrouping } from './level-grouping.ts';
import { fuseChannelStep, fuseWeightedStep } from './level-steps.ts';
import type { LoopState } from './level-loop-state.ts';
import type { SpaceGrouping } from './weighted-level.ts';

export { indexAssignment, classToClassGrouping, type HiddenLayerGrouping, type LevelGrouping, type LevelGroupingInput } from './level-grouping.ts';

/**
 * The level loop shared by KF-linear and HF (method.md), over a layer graph.
 * Layers are visited in topological order with the fused model and every
 * parent run side by side on the calibration samples: each weighted level is
 * fitted on the inputs the already fused earlier levels produce (X), to the
 * mix of the parents' own outputs (A) grouped by `groupHidden` (the output
 * layer class to class); layers that an add joins share one channel space
 * and are grouped once, at the first of them; a BatchNorm after a layer is
 * folded into its level and re-estimated; per-channel layers are fitted
 * channel by channel; layers without parameters (pooling, reshapes, dropout
 * in inference, activations, adds) are carried. Values are freed as soon as
 * their last reader is done. Inputs must have been validated
 * (resolveNeuronFusionInputs).
 */
export async function fuseNeuronLevels(
  parents: readonly Network[],
  calibration: Float32Array,
  samples: number,
  options: ResolvedNeuronFusionOptions,
  importances: readonly AttributionSummary[],
  groupHidden: HiddenLayerGrouping,
): Promise<{ network: Network; levels: FusionLevelReport[]; channelLevels: ChannelLevelReport[] }> {
  const spec0 = parents[0]!.spec;
  const fusedSpec = withHiddenWidths(spec0, options.targetHiddenWidths);
  const spaces = channelSpaces(fusedSpec);
  const parentTensors = parents.map(toNetworkTensors);
  const consumers = layerConsumers(fusedSpec);
  const remaining = consumers.map((c) => c.length);
  const state: LoopState = {
    fusedSpec,
    spaces,
    parentSpaces: parents.map((p) => channelSpaces(p.spec)),
    parents,
    parentTensors,
    parameterIndex: parameterIndexOfLayer(fusedSpec),
    weightedIndex: weightedIndexOfLayer(fusedSpec),
    kernelShapes: expectedKernelShapes(fusedSpec),
    inShapes: layerInputShapes(fusedSpec),
    outShapes: layerOutputShapes(fusedSpec),
    fusedParams: new Array<LayerWeights | null>(expectedKernelShapes(fusedSpec).length).fill(null),
    fusedValues: new Map(),
    parentValues: parents.map(() => new Map()),
    input: batchOf(spec0, calibration, samples),
    samples,
    groupings: new Map<number, SpaceGrouping>(),
    root: new SeededRandom(options.seed),
    options,
    importances,
    groupHidden,
    parentWidths: parents.map((p) => layerWidths(p.spec)),
    levels: [],
    channelLevels: [],
  };
  const release = (from: number): void => {
    if (from === MODEL_INPUT || --remaining[from]! > 0) return;
    state.fusedValues.get(from)?.dispose();
    state.fusedValues.delete(from);
    for (const values of state.parentValues) {
      values.get(from)?.dispose();
      values.delete(from);
    }
  };
  try {
    for (const step of planLevels(fusedSpec)) {
      if (step.kind === 'folded') continue;
      if (step.kind === 'plain') runPlainLayer(state, step.layer);
      else if (step.kind === 'weighted') await fuseWeightedStep(state, step);
      else await fuseChannelStep(state, step);
      for (const from of layerInputs(fusedSpec, step.layer)) release(from);
      if (step.kind !== 'plain' && step.foldedBatchNorm !== null) release(step.layer);
    }
  } finally {
    state.input.dispose();
    tf.dispose([...state.fusedValues.values()]);
    for (const values of state.parentValues) tf.dispose([...values.values()]);
    parentTensors.forEach(disposeNetworkTensors);
  }
  const layers = state.fusedParams.map((p, k) => {
    if (p === null) throw new FedfuseError('internal', `fusion left parameter layer ${k} unset`);
    return p;
  });
  const network: Network = { spec: fusedSpec, layers };
  try {
    validateNetwork(network, 'fused model');
  } catch (e) {
    throw new FedfuseError('internal', `fusion produced an invalid model: ${(e as Error).message}`, { cause: e });
  }
  return { network, levels: state.levels, channelLevels: state.channelLevels };
}

function weightedIndexOfLayer(spec: ModelSpec): number[] {
  const out = spec.layers.map(() => -1);
  weightedLayerIndices(spec).forEach((i, l) => (out[i] = l));
  return out;
}

/** Runs layer i (no parameters) on the fused model's and every parent's values. */
function runPlainLayer(state: LoopState, i: number): void {
  const inputs = layerInputs(state.fusedSpec, i);
  // Each model's own layer: a reshape's target follows that model's widths.
  const run = (values: ReadonlyMap<number, tf.Tensor>, layer = state.fusedSpec.layers[i]!): tf.Tensor =>
    tf.tidy(() => {
      const xs = inputs.map((from) => (from === MODEL_INPUT ? state.input : values.get(from)!));
      const y = applyLayer(layer, null, xs, INFERENCE);
      return xs.includes(y) ? y.clone() : y;
    });
  state.fusedValues.set(i, run(state.fusedValues));
  state.parentValues.forEach((values, k) => values.set(i, run(values, state.parents[k]!.spec.layers[i]!)));
}

