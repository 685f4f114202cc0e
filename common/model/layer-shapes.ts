import { FedfuseError, type ErrorCode } from '../errors/index.ts';
import type { LayerSpec, Padding } from './layer-spec.ts';
import { MODEL_INPUT } from './layer-spec.ts';
import { graphProblem, layerInputs } from './model-graph.ts';

/**
 * Shapes (without the batch axis) flowing through a model's layer graph, TF
 * semantics. One shape function for the model reader, the wire decoder and
 * everything that sizes tensors, so that they agree on what composes.
 */
interface SpecLike {
  readonly inputShape: readonly number[];
  readonly layers: readonly LayerSpec[];
  readonly outputActivation?: string;
}

/** Spatial output size of a conv or pool along one axis, TF semantics. */
export function outputSize(inSize: number, window: number, stride: number, padding: Padding): number {
  return padding === 'same' ? Math.ceil(inSize / stride) : Math.floor((inSize - window) / stride) + 1;
}

const product = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** The output shape of `layer` for its input shapes, or the reason it cannot take them. */
export function layerOutputShape(layer: LayerSpec, inputs: readonly (readonly number[])[]): number[] | string {
  const shape = inputs[0]!;
  const rank = (r: number): string | null =>
    shape.length === r ? null : `gets an input of shape [${shape.join(', ')}], it needs rank ${r}${r === 1 ? ' (add a Flatten before it)' : ' ([h, w, c])'}`;
  const spatial = (window: number, stride: number, padding: Padding, channels: number): number[] | string => {
    const h = outputSize(shape[0]!, window, stride, padding);
    const w = outputSize(shape[1]!, window, stride, padding);
    if (h <= 0 || w <= 0) return `window ${window} is larger than its input [${shape.join(', ')}]`;
    return [h, w, channels];
  };
  switch (layer.kind) {
    case 'dense':
      return rank(1) ?? [layer.units];
    case 'conv2d':
      return rank(3) ?? spatial(layer.kernelSize, layer.strides, layer.padding, layer.filters);
    case 'depthwiseConv2d':
      return rank(3) ?? spatial(layer.kernelSize, layer.strides, layer.padding, shape[2]!);
    case 'maxPool2d':
    case 'avgPool2d':
      return rank(3) ?? spatial(layer.poolSize, layer.strides, layer.padding, shape[2]!);
    case 'globalAvgPool2d':
      return rank(3) ?? [shape[2]!];
    case 'flatten':
      return [product(shape)];
    case 'reshape':
      if (product(layer.targetShape) !== product(shape)) {
        return `cannot reshape [${shape.join(', ')}] (${product(shape)} values) to [${layer.targetShape.join(', ')}]`;
      }
      return [...layer.targetShape];
    case 'batchNorm':
    case 'dropout':
    case 'activation':
      return [...shape];
    case 'add':
      for (const other of inputs) {
        if (other.length !== shape.length || other.some((d, k) => d !== shape[k])) {
          return `adds inputs of different shapes [${shape.join(', ')}] and [${other.join(', ')}]`;
        }
      }
      return [...shape];
  }
}

/**
 * The output shape of every layer, checking the graph and every shape on the
 * way: a FedfuseError (`code`, default shape_mismatch) naming the layer with
 * `nameOf` otherwise. Edge problems are invalid_argument.
 */
export function checkedLayerOutputShapes(spec: SpecLike, nameOf: (i: number) => string = (i) => `layer ${i}`, code: ErrorCode = 'shape_mismatch'): number[][] {
  const edges = graphProblem(spec, nameOf);
  if (edges !== null) throw new FedfuseError('invalid_argument', edges);
  const outputs: number[][] = [];
  spec.layers.forEach((layer, i) => {
    const inputShapes = layerInputs(spec, i).map((from) => (from === MODEL_INPUT ? [...spec.inputShape] : outputs[from]!));
    const shape = layerOutputShape(layer, inputShapes);
    if (typeof shape === 'string') throw new FedfuseError(code, `${nameOf(i)} (${layer.kind}) ${shape}`);
    if (!shape.every((d) => Number.isSafeInteger(d) && d > 0)) {
      throw new FedfuseError(code, `${nameOf(i)} (${layer.kind}): output would have shape [${shape.join(', ')}]`);
    }
    outputs.push(shape);
  });
  return outputs;
}

/** The output shape of every layer (the spec must compose: see checkedLayerOutputShapes). */
export function layerOutputShapes(spec: SpecLike): number[][] {
  return checkedLayerOutputShapes(spec);
}

/** Shape of the (first) input of every layer. */
export function layerInputShapes(spec: SpecLike): number[][] {
  const outputs = layerOutputShapes(spec);
  return spec.layers.map((_, i) => {
    const from = layerInputs(spec, i)[0]!;
    return from === MODEL_INPUT ? [...spec.inputShape] : outputs[from]!;
  });
}

/**
 * Shape of the activation that enters each layer, plus the model's output
 * shape at the end (for a chain: shapes[i] feeds layer i, shapes[i + 1] is its
 * output).
 */
export function activationShapes(spec: SpecLike): number[][] {
  const outputs = layerOutputShapes(spec);
  return [...layerInputShapes(spec), outputs[outputs.length - 1] ?? [...spec.inputShape]];
}
