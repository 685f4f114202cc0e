/**
 * Architecture description shared by client, server, wire protocol and fusion.
 *
 * A model is a plain chain of layers. Only Dense and Conv2D carry parameters;
 * those are the "fusable" layers (levels, in method.md's terms). Activations
 * are fused into the weighted layers (relu or linear); the network's final
 * Dense produces logits, and `outputActivation` says whether the TF.js model
 * ends with a softmax.
 */
export type Activation = 'relu' | 'linear';
export type Padding = 'valid' | 'same';

export interface DenseLayerSpec {
  readonly kind: 'dense';
  readonly units: number;
  readonly activation: Activation;
  readonly useBias: boolean;
}

export interface Conv2dLayerSpec {
  readonly kind: 'conv2d';
  readonly filters: number;
  readonly kernelSize: number;
  readonly strides: number;
  readonly padding: Padding;
  readonly activation: Activation;
  readonly useBias: boolean;
}

export interface MaxPool2dLayerSpec {
  readonly kind: 'maxPool2d';
  readonly poolSize: number;
  readonly strides: number;
  readonly padding: Padding;
}

export interface FlattenLayerSpec {
  readonly kind: 'flatten';
}

export type LayerSpec = DenseLayerSpec | Conv2dLayerSpec | MaxPool2dLayerSpec | FlattenLayerSpec;
export type WeightedLayerSpec = DenseLayerSpec | Conv2dLayerSpec;

export interface ModelSpec {
  /** Shape of one input sample, without the batch axis: [features] for an MLP, [h, w, c] for a CNN. */
  readonly inputShape: readonly number[];
  readonly layers: readonly LayerSpec[];
  /** 'softmax' when the model outputs probabilities; fusion always works on the logits before it. */
  readonly outputActivation: 'softmax' | 'linear';
}

export function isWeightedLayer(layer: LayerSpec): layer is WeightedLayerSpec {
  return layer.kind === 'dense' || layer.kind === 'conv2d';
}

/** Indices into `spec.layers` of the layers that carry parameters, in order. */
export function weightedLayerIndices(spec: ModelSpec): number[] {
  const out: number[] = [];
  spec.layers.forEach((layer, i) => {
    if (isWeightedLayer(layer)) out.push(i);
  });
  return out;
}

/** Width (units or filters) of each weighted layer, in order. The last one is the number of classes. */
export function layerWidths(spec: ModelSpec): number[] {
  return spec.layers.filter(isWeightedLayer).map((l) => (l.kind === 'dense' ? l.units : l.filters));
}

/** A copy of `spec` whose hidden weighted layers have the given widths (the output layer keeps its width). */
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
  return { ...spec, layers };
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

/** Spatial output size of a conv or pool along one axis, TF semantics. */
export function outputSize(inSize: number, window: number, stride: number, padding: Padding): number {
  return padding === 'same' ? Math.ceil(inSize / stride) : Math.floor((inSize - window) / stride) + 1;
}

/** Shape (without batch) of the activation that enters each layer, plus the final output shape at the end. */
export function activationShapes(spec: ModelSpec): number[][] {
  const shapes: number[][] = [[...spec.inputShape]];
  let shape = [...spec.inputShape];
  for (const layer of spec.layers) {
    switch (layer.kind) {
      case 'dense':
        shape = [layer.units];
        break;
      case 'conv2d':
        shape = [
          outputSize(shape[0]!, layer.kernelSize, layer.strides, layer.padding),
          outputSize(shape[1]!, layer.kernelSize, layer.strides, layer.padding),
          layer.filters,
        ];
        break;
      case 'maxPool2d':
        shape = [
          outputSize(shape[0]!, layer.poolSize, layer.strides, layer.padding),
          outputSize(shape[1]!, layer.poolSize, layer.strides, layer.padding),
          shape[2]!,
        ];
        break;
      case 'flatten':
        shape = [shape.reduce((a, b) => a * b, 1)];
        break;
    }
    shapes.push(shape);
  }
  return shapes;
}
