/**
 * Architecture description shared by client, server, wire protocol and fusion.
 *
 * A model is a graph of layers (layer-spec.ts) in topological order; without
 * explicit edges it is a chain. Dense and Conv2D are the "weighted" layers
 * (levels, in method.md's terms): they define neurons, whose widths, scores
 * and fusion everything else is organised around. DepthwiseConv2D and
 * BatchNormalization carry parameters too, per channel of their input. The
 * network's final Dense produces logits, and `outputActivation` says whether
 * the TF.js model ends with a softmax.
 */
import { hasParameters, isWeightedLayer, type DenseLayerSpec, type LayerSpec } from './layer-spec.ts';
import { layerInputShapes, layerOutputShape } from './layer-shapes.ts';
import { layerInputs } from './model-graph.ts';
import { MODEL_INPUT } from './layer-spec.ts';

export * from './layer-spec.ts';
export * from './layer-shapes.ts';
export * from './model-graph.ts';

export interface ModelSpec {
  /** Shape of one input sample, without the batch axis: [features] for an MLP, [h, w, c] for a CNN. */
  readonly inputShape: readonly number[];
  readonly layers: readonly LayerSpec[];
  /** 'softmax' when the model outputs probabilities; fusion always works on the logits before it. */
  readonly outputActivation: 'softmax' | 'linear';
}

/** Indices into `spec.layers` of the weighted layers (dense, conv2d), in order. */
export function weightedLayerIndices(spec: ModelSpec): number[] {
  const out: number[] = [];
  spec.layers.forEach((layer, i) => {
    if (isWeightedLayer(layer)) out.push(i);
  });
  return out;
}

/** Indices into `spec.layers` of the layers holding parameters, in order: Network.layers[p] belongs to layer parameterLayerIndices[p]. */
export function parameterLayerIndices(spec: ModelSpec): number[] {
  const out: number[] = [];
  spec.layers.forEach((layer, i) => {
    if (hasParameters(layer)) out.push(i);
  });
  return out;
}

/** For each weighted layer (in order), its index into Network.layers. The identity for models of dense and conv2d layers only. */
export function weightedParameterIndices(spec: ModelSpec): number[] {
  const out: number[] = [];
  let p = 0;
  for (const layer of spec.layers) {
    if (isWeightedLayer(layer)) out.push(p);
    if (hasParameters(layer)) p++;
  }
  return out;
}

/** Width (units or filters) of each weighted layer, in order. The last one is the number of classes. */
export function layerWidths(spec: ModelSpec): number[] {
  return spec.layers.filter(isWeightedLayer).map((l) => (l.kind === 'dense' ? l.units : l.filters));
}

/** Channels (last axis) of the input of every layer. */
export function layerInputChannels(spec: ModelSpec): number[] {
  return layerInputShapes(spec).map((shape) => shape[shape.length - 1]!);
}

/**
 * A copy of `spec` whose hidden weighted layers have the given widths (the
 * output layer keeps its width). Widths that an add joins must be equal; the
 * result is not checked here (layerOutputShapes checks it). Reshapes that
 * keep channels follow: a flattening one to the new size, one keeping the
 * last axis to the new channel count.
 */
export function withHiddenWidths(spec: ModelSpec, hiddenWidths: readonly number[]): ModelSpec {
  const weighted = weightedLayerIndices(spec);
  if (hiddenWidths.length !== weighted.length - 1) {
    throw new RangeError(`expected ${weighted.length - 1} hidden widths, got ${hiddenWidths.length}`);
  }
  let k = 0;
  const layers = spec.layers.map((layer, i): LayerSpec => {
    if (!isWeightedLayer(layer) || i === weighted[weighted.length - 1]) return layer;
    const width = hiddenWidths[k++]!;
    return layer.kind === 'dense' ? { ...layer, units: width } : { ...layer, filters: width };
  });
  if (!layers.some((l) => l.kind === 'reshape')) return { ...spec, layers };
  return { ...spec, layers: withReshapesFollowing(spec, layers) };
}

function withReshapesFollowing(original: ModelSpec, layers: LayerSpec[]): LayerSpec[] {
  const before = layerInputShapes(original);
  const out: LayerSpec[] = [];
  const outputs: number[][] = [];
  layers.forEach((layer, i) => {
    const inputs = layerInputs({ layers }, i).map((from) => (from === MODEL_INPUT ? [...original.inputShape] : outputs[from]!));
    let adjusted = layer;
    if (layer.kind === 'reshape') {
      const old = before[i]!;
      const now = inputs[0]!;
      const target = layer.targetShape;
      if (target.length === 1) adjusted = { ...layer, targetShape: [now.reduce((a, b) => a * b, 1)] };
      else if (target[target.length - 1] === old[old.length - 1]) adjusted = { ...layer, targetShape: [...target.slice(0, -1), now[now.length - 1]!] };
    }
    const shape = layerOutputShape(adjusted, inputs);
    outputs.push(typeof shape === 'string' ? [...inputs[0]!] : shape);
    out.push(adjusted);
  });
  return out;
}

/** Multi-layer perceptron: inputSize -> hidden... (relu) -> classes (logits, softmax output). */
export function mlpSpec(inputSize: number, hidden: readonly number[], classes: number): ModelSpec {
  return {
    inputShape: [inputSize],
    layers: [
      ...hidden.map((units): DenseLayerSpec => ({ kind: 'dense', units, activation: 'relu', useBias: true })),
      { kind: 'dense', units: classes, activation: 'linear', useBias: true },
    ],
    outputActivation: 'softmax',
  };
}

/** Small CNN: (conv3x3 relu, maxpool2) per entry of `filters`, flatten, dense logits. */
export function smallCnnSpec(inputShape: readonly [number, number, number], filters: readonly number[], classes: number): ModelSpec {
  const layers: LayerSpec[] = [];
  for (const f of filters) {
    layers.push({ kind: 'conv2d', filters: f, kernelSize: 3, strides: 1, padding: 'same', activation: 'relu', useBias: true });
    layers.push({ kind: 'maxPool2d', poolSize: 2, strides: 2, padding: 'valid' });
  }
  layers.push({ kind: 'flatten' });
  layers.push({ kind: 'dense', units: classes, activation: 'linear', useBias: true });
  return { inputShape: [...inputShape], layers, outputActivation: 'softmax' };
}
