import * as tf from '@tensorflow/tfjs';
import { FedfuseError } from '../../common/errors/index.ts';
import { spaceOfTensor } from '../../common/model/channel-spaces.ts';
import type { NetworkTensors } from '../../common/model/forward.ts';
import { applyLayer, INFERENCE, preActivation, type LayerTensors } from '../../common/model/layer-ops.ts';
import type { LayerWeights } from '../../common/model/network.ts';
import { layerConsumers, layerInputs, type BatchNormLayerSpec, type DepthwiseConv2dLayerSpec, type ModelSpec, type WeightedLayerSpec } from '../../common/model/spec.ts';
import { SeededRandom } from '../../common/random/index.ts';
import { batchNormForAffine, batchNormKernel, channelMoments } from './batch-norm-solve.ts';
import { depthwiseKernel, fitChannelLevel } from './channel-level.ts';
import { sampleRows } from './design-matrix.ts';
import { foldBatchNorm } from './folded-batch-norm.ts';
import type { PlanStep } from './fusion-plan.ts';
import { indexAssignment } from './level-grouping.ts';
import { valueOf, type LoopState } from './level-loop-state.ts';
import { groupMeanMixing } from './neuron-mixing.ts';
import { RowSelection } from './row-selection.ts';
import { fuseWeightedLevel, relativeError, splitSolution } from './weighted-level.ts';

/** The two kinds of level the loop fits: weighted (with grouping) and per-channel. */

const since = (t: number): number => (performance.now() - t) / 1000;

/** A level's output before its activation: the layer's linear part, then the folded BatchNorm (inference) if any. No tidy: call inside one. */
function levelOutput(spec: ModelSpec, tensors: NetworkTensors, parameterIndex: readonly number[], layer: number, folded: number | null, x: tf.Tensor): tf.Tensor {
  const l = spec.layers[layer]!;
  const w = tensors.layers[parameterIndex[layer]!]!;
  let z = l.kind === 'batchNorm' ? applyLayer(l, w, [x], INFERENCE) : preActivation(l as WeightedLayerSpec | DepthwiseConv2dLayerSpec, w, x);
  if (folded !== null) z = applyLayer(spec.layers[folded]!, tensors.layers[parameterIndex[folded]!]!, [z], INFERENCE);
  return z;
}

/**
 * The level's value as its readers see it, taking ownership of z: the relu of
 * an unfolded relu layer (z freed), else z itself. (Not a copy: a clone on the
 * wasm backend copies the values, which for the 28x28 levels of 8 parents was
 * measurable.)
 */
function takeLevelValue(spec: ModelSpec, layer: number, folded: number | null, z: tf.Tensor): tf.Tensor {
  const l = spec.layers[layer]!;
  if (!(folded === null && l.kind !== 'batchNorm' && (l as { activation: string }).activation === 'relu')) return z;
  const y = tf.relu(z);
  z.dispose();
  return y;
}

function upload(w: LayerWeights): LayerTensors {
  return { kernel: tf.tensor(w.kernel, [...w.kernelShape]), bias: w.bias === null ? null : tf.tensor1d(w.bias) };
}

function sum(ts: readonly tf.Tensor[]): tf.Tensor {
  return ts.length === 1 ? ts[0]!.clone() : tf.addN([...ts]);
}

/** The fused BatchNorm after a fitted level: the map z -> z + offset, with z's own statistics as moving ones. */
async function reestimatedBatchNorm(bn: BatchNormLayerSpec, z: tf.Tensor, offsets: ArrayLike<number> | null): Promise<LayerWeights> {
  const c = z.shape[z.shape.length - 1]!;
  const { mean, variance } = channelMoments((await z.data()) as Float32Array, c);
  const channels = Array.from({ length: c }, (_, g) => batchNormForAffine(bn, 1, offsets?.[g] ?? 0, mean[g]!, variance[g]!));
  return { kernel: batchNormKernel(channels), kernelShape: [4, c], bias: null };
}

/** Runs the fused layer just written on the fused input: the level's output before its folded BatchNorm and activation. */
function fusedLevelOutput(state: LoopState, layer: number, x: tf.Tensor): tf.Tensor {
  const w = upload(state.fusedParams[state.parameterIndex[layer]!]!);
  try {
    return tf.tidy(() => {
      const l = state.fusedSpec.layers[layer]!;
      return l.kind === 'batchNorm' ? applyLayer(l, w, [x], INFERENCE) : preActivation(l as WeightedLayerSpec | DepthwiseConv2dLayerSpec, w, x);
    });
  } finally {
    tf.dispose([w.kernel, ...(w.bias === null ? [] : [w.bias])]);
  }
}

/**
 * The fused BatchNorm `folded` (its parameters just written) applied to the
 * level's linear output z, which it frees: the same values as running the
 * layer and the BatchNorm again (fusedLevelOutput), without the second
 * convolution.
 */
function applyFusedBatchNorm(state: LoopState, folded: number, z: tf.Tensor): tf.Tensor {
  const w = upload(state.fusedParams[state.parameterIndex[folded]!]!);
  try {
    return tf.tidy(() => applyLayer(state.fusedSpec.layers[folded]!, w, [z], INFERENCE));
  } finally {
    tf.dispose([w.kernel, ...(w.bias === null ? [] : [w.bias])]);
    z.dispose();
  }
}

/** Every parent's level output: targets at the rows (concatenated), residual sums at the rows when asked; the parents' values stored. */
function parentTargets(state: LoopState, step: { layer: number; foldedBatchNorm: number | null; output: number }, rows: RowSelection, residualOthers: readonly number[] | null): { targets: tf.Tensor2D; sums: tf.Tensor2D | null } {
  const from = layerInputs(state.fusedSpec, step.layer)[0]!;
  const pieces: tf.Tensor2D[] = [];
  const sumPieces: tf.Tensor2D[] = [];
  try {
    state.parents.forEach((net, k) => {
      const values = state.parentValues[k]!;
      let z: tf.Tensor | null = tf.tidy(() => levelOutput(net.spec, state.parentTensors[k]!, state.parameterIndex, step.layer, step.foldedBatchNorm, valueOf(state, values, from)));
      try {
        const zk = z;
        pieces.push(rows.of(zk));
        if (residualOthers !== null) sumPieces.push(tf.tidy(() => rows.of(sum([zk, ...residualOthers.map((o) => valueOf(state, values, o))]))));
        z = null;
        values.set(step.output, takeLevelValue(net.spec, step.layer, step.foldedBatchNorm, zk));
      } finally {
        z?.dispose();
      }
    });
    return { targets: tf.concat(pieces, 1), sums: residualOthers === null ? null : tf.concat(sumPieces, 1) };
  } finally {
    tf.dispose([...pieces, ...sumPieces]);
  }
}

/** The level's activation as its readers see it: its own, or a relu layer that is the only reader of its (linear, BatchNorm-folded) output. */
function levelActivation(spec: ModelSpec, layer: WeightedLayerSpec, output: number): 'relu' | 'linear' {
  if (layer.activation === 'relu') return 'relu';
  const readers = layerConsumers(spec)[output]!;
  const reader = readers.length === 1 ? spec.layers[readers[0]!] : undefined;
  return reader?.kind === 'activation' && reader.activation === 'relu' ? 'relu' : 'linear';
}

export async function fuseWeightedStep(state: LoopState, step: Extract<PlanStep, { kind: 'weighted' }>): Promise<void> {
  const started = performance.now();
  const spec = state.fusedSpec;
  const i = step.layer;
  const l = state.weightedIndex[i]!;
  const layer = spec.layers[i] as WeightedLayerSpec;
  const isOutput = i === spec.layers.length - 1;
  const bn = step.foldedBatchNorm === null ? null : (spec.layers[step.foldedBatchNorm] as BatchNormLayerSpec);
  // The same streams as the chain-only loop had: level l's rows and grouping draw from root.fork(l).
  const levelRandom = state.root.fork(l);
  const rowRandom = levelRandom.fork(0);
  const groupingRandom = levelRandom.fork(1);
  const from = layerInputs(spec, i)[0]!;
  const outShape = state.outShapes[i]!;
  const rows = new RowSelection(layer.kind === 'conv2d' ? sampleRows(state.samples * outShape[0]! * outShape[1]!, state.options.convRowBudget, rowRandom) : null);
  const residualOthers = step.residual?.others ?? null;
  let targets: tf.Tensor2D | null = null;
  let sums: tf.Tensor2D | null = null;
  let others: tf.Tensor2D | null = null;
  try {
    ({ targets, sums } = parentTargets(state, step, rows, residualOthers));
    others = residualOthers === null ? null : tf.tidy(() => rows.of(sum(residualOthers.map((o) => valueOf(state, state.fusedValues, o)))));
    const space = state.spaces.spaceOfLayer[i]!;
    const pinned = state.spaces.spaces[space]!.pinned !== null;
    const grouping = isOutput ? null : pinned ? 'identity' : (state.groupings.get(space) ?? null);
    const inputSpace = spaceOfTensor(state.spaces, from);
    const inputGrouping = state.spaces.spaces[inputSpace]!.pinned === null ? state.groupings.get(inputSpace) : undefined;
    const p = state.parameterIndex[i]!;
    const withBias = layer.useBias || bn !== null;
    const result = await fuseWeightedLevel({
      l,
      layerIndex: i,
      layer,
      isOutput,
      width: layer.kind === 'dense' ? layer.units : layer.filters,
      inShape: state.inShapes[i]!,
      fusedInput: valueOf(state, state.fusedValues, from),
      samples: state.samples,
      rows,
      targets,
      residual: sums === null || others === null ? null : { sums, others },
      withBias,
      activation: levelActivation(spec, layer, step.output),
      outputPositions: outShape.slice(0, -1).reduce((a, b) => a * b, 1),
      grouping,
      options: state.options,
      importances: state.importances,
      groupHidden: state.groupHidden,
      groupingRandom,
      parentWidths: state.parentWidths.map((w) => w[l]!),
      parentLayers: state.parents.map((net) => (bn === null ? net.layers[p]! : foldBatchNorm(net.layers[p]!, net.layers[state.parameterIndex[step.foldedBatchNorm!]!]!, bn))),
      parentInputChannels: state.parentSpaces.map((s) => s.spaces[inputSpace]!.width),
      fusedInputChannels: state.spaces.spaces[inputSpace]!.width,
      inputAssignment: inputGrouping?.assignment ?? null,
    });
    if (!isOutput && !pinned && grouping === null) state.groupings.set(space, result.spaceGrouping);
    const kernelShape = state.kernelShapes[p]!;
    const { kernel, bias } = splitSolution(result.solution, result.columns, kernelShape, withBias);
    state.fusedParams[p] = { kernel, kernelShape: [...kernelShape], bias: layer.useBias ? bias : null };
    const fusedInput = valueOf(state, state.fusedValues, from);
    let z = fusedLevelOutput(state, i, fusedInput);
    if (bn !== null) {
      state.fusedParams[state.parameterIndex[step.foldedBatchNorm!]!] = await reestimatedBatchNorm(bn, z, layer.useBias ? null : bias);
      z = applyFusedBatchNorm(state, step.foldedBatchNorm!, z);
    }
    const fittedAtRows = rows.of(z);
    const fitted = (await fittedAtRows.data()) as Float32Array;
    fittedAtRows.dispose();
    state.fusedValues.set(step.output, takeLevelValue(spec, i, step.foldedBatchNorm, z));
    state.levels.push({
      ...result.report,
      ...(step.foldedBatchNorm === null ? {} : { foldedBatchNorm: step.foldedBatchNorm }),
      targetFitRelativeError: relativeError(fitted, result.groupTargets),
      seconds: { ...result.seconds, total: since(started) },
    });
  } finally {
    tf.dispose([...(targets === null ? [] : [targets]), ...(sums === null ? [] : [sums]), ...(others === null ? [] : [others])]);
    rows.dispose();
  }
}

export async function fuseChannelStep(state: LoopState, step: Extract<PlanStep, { kind: 'channel' }>): Promise<void> {
  const started = performance.now();
  const spec = state.fusedSpec;
  const i = step.layer;
  const layer = spec.layers[i] as DepthwiseConv2dLayerSpec | BatchNormLayerSpec;
  const from = layerInputs(spec, i)[0]!;
  const inShape = state.inShapes[i]!;
  const outShape = state.outShapes[i]!;
  const space = spaceOfTensor(state.spaces, from);
  const width = state.spaces.spaces[space]!.width;
  const parentChannels = state.parentSpaces.map((s) => s.spaces[space]!.width);
  let mixing = state.groupings.get(space)?.mixing;
  if (mixing === undefined) {
    if (state.spaces.spaces[space]!.pinned === null) throw new FedfuseError('internal', `channel space of layer ${i} was never grouped`);
    mixing = groupMeanMixing(indexAssignment(parentChannels), new Float64Array(parentChannels.reduce((a, b) => a + b, 0)).fill(1), width);
  }
  const positions = outShape.slice(0, -1).reduce((a, b) => a * b, 1);
  const random = new SeededRandom(state.options.seed).fork(1_000_003 + i);
  const rows = new RowSelection(sampleRows(state.samples * positions, state.options.convRowBudget, random));
  let targets: tf.Tensor2D | null = null;
  try {
    targets = parentTargets(state, step, rows, null).targets;
    const fusedInput = valueOf(state, state.fusedValues, from);
    const fit = fitChannelLevel({
      input: (await fusedInput.data()) as Float32Array,
      samples: state.samples,
      inShape,
      window: layer.kind === 'depthwiseConv2d' ? layer : null,
      rowIndices: rows.rowIndices,
      targets: (await targets.data()) as Float32Array,
      mixing,
      ridge: state.options.ridge,
    });
    const p = state.parameterIndex[i]!;
    let z: tf.Tensor;
    if (layer.kind === 'depthwiseConv2d') {
      const offsets = Float32Array.from(fit.offsets);
      state.fusedParams[p] = { kernel: depthwiseKernel(fit.cells, layer.kernelSize), kernelShape: [...state.kernelShapes[p]!], bias: layer.useBias ? offsets : null };
      z = fusedLevelOutput(state, i, fusedInput);
      if (step.foldedBatchNorm !== null) {
        const bn = spec.layers[step.foldedBatchNorm] as BatchNormLayerSpec;
        state.fusedParams[state.parameterIndex[step.foldedBatchNorm]!] = await reestimatedBatchNorm(bn, z, layer.useBias ? null : offsets);
        z = applyFusedBatchNorm(state, step.foldedBatchNorm, z);
      }
    } else {
      const { mean, variance } = channelMoments((await fusedInput.data()) as Float32Array, width);
      const channels = fit.cells.map((cell, g) => batchNormForAffine(layer, cell[0]!, fit.offsets[g]!, mean[g]!, variance[g]!));
      state.fusedParams[p] = { kernel: batchNormKernel(channels), kernelShape: [4, width], bias: null };
      z = fusedLevelOutput(state, i, fusedInput);
    }
    state.fusedValues.set(step.output, takeLevelValue(spec, i, step.foldedBatchNorm, z));
    state.channelLevels.push({
      layerIndex: i,
      kind: layer.kind,
      width,
      rows: fit.rows,
      ...(step.foldedBatchNorm === null ? {} : { foldedBatchNorm: step.foldedBatchNorm }),
      targetFitRelativeError: fit.relativeError,
      seconds: since(started),
    });
  } finally {
    targets?.dispose();
    rows.dispose();
  }
}
