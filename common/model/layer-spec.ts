/**
 * The layers a fedfuse model is made of, shared by client, server, wire
 * protocol and fusion. A model is a graph of these layers in topological order
 * (model-spec.ts); each layer reads the outputs of earlier layers.
 *
 * Layers with neurons (dense, conv2d: "weighted" layers, levels in method.md's
 * terms) define a new neuron space; the per-channel layers (depthwiseConv2d,
 * batchNorm, activation, dropout, pooling) keep their input's channels; add
 * merges its inputs' channels; flatten/reshape/global pooling re-arrange
 * positions.
 */
export type Activation = 'relu' | 'linear';
export type Padding = 'valid' | 'same';

/**
 * The graph edge of a layer: indices into `spec.layers` of the earlier layers
 * whose outputs it reads (MODEL_INPUT for the model's input). Absent means the
 * previous layer (the model input for layer 0): a chain, as a Sequential model.
 * Only add reads more than one.
 */
export interface LayerInputs {
  readonly inputs?: readonly number[];
}

/** The index that stands for the model's input in LayerInputs.inputs. */
export const MODEL_INPUT = -1;

export interface DenseLayerSpec extends LayerInputs {
  readonly kind: 'dense';
  readonly units: number;
  readonly activation: Activation;
  readonly useBias: boolean;
}

export interface Conv2dLayerSpec extends LayerInputs {
  readonly kind: 'conv2d';
  readonly filters: number;
  readonly kernelSize: number;
  readonly strides: number;
  readonly padding: Padding;
  readonly activation: Activation;
  readonly useBias: boolean;
}

/** One k x k filter per input channel (depth multiplier 1): a per-channel layer. */
export interface DepthwiseConv2dLayerSpec extends LayerInputs {
  readonly kind: 'depthwiseConv2d';
  readonly kernelSize: number;
  readonly strides: number;
  readonly padding: Padding;
  readonly activation: Activation;
  readonly useBias: boolean;
}

export interface MaxPool2dLayerSpec extends LayerInputs {
  readonly kind: 'maxPool2d';
  readonly poolSize: number;
  readonly strides: number;
  readonly padding: Padding;
}

export interface AvgPool2dLayerSpec extends LayerInputs {
  readonly kind: 'avgPool2d';
  readonly poolSize: number;
  readonly strides: number;
  readonly padding: Padding;
}

/** Mean over the spatial positions: [h, w, c] -> [c]. */
export interface GlobalAvgPool2dLayerSpec extends LayerInputs {
  readonly kind: 'globalAvgPool2d';
}

export interface FlattenLayerSpec extends LayerInputs {
  readonly kind: 'flatten';
}

/** Row-major reshape to `targetShape` (without the batch axis, every size resolved). */
export interface ReshapeLayerSpec extends LayerInputs {
  readonly kind: 'reshape';
  readonly targetShape: readonly number[];
}

/**
 * Batch normalisation over the last axis, Keras semantics: in training the
 * batch's mean and (biased) variance, in inference the moving ones;
 * y = gamma (x − mean) / sqrt(variance + epsilon) + beta. Without `scale`
 * gamma is 1, without `center` beta is 0.
 */
export interface BatchNormLayerSpec extends LayerInputs {
  readonly kind: 'batchNorm';
  readonly epsilon: number;
  readonly momentum: number;
  readonly center: boolean;
  readonly scale: boolean;
}

/** Zeroes a fraction `rate` of the values in training (scaling the rest); the identity in inference. */
export interface DropoutLayerSpec extends LayerInputs {
  readonly kind: 'dropout';
  readonly rate: number;
}

/** An activation written as its own layer (Activation('relu'), ReLU()). */
export interface ActivationLayerSpec extends LayerInputs {
  readonly kind: 'activation';
  readonly activation: Activation;
}

/** Element-wise sum of two or more inputs of one shape (a residual connection). */
export interface AddLayerSpec extends LayerInputs {
  readonly kind: 'add';
}

export type LayerSpec =
  | DenseLayerSpec
  | Conv2dLayerSpec
  | DepthwiseConv2dLayerSpec
  | MaxPool2dLayerSpec
  | AvgPool2dLayerSpec
  | GlobalAvgPool2dLayerSpec
  | FlattenLayerSpec
  | ReshapeLayerSpec
  | BatchNormLayerSpec
  | DropoutLayerSpec
  | ActivationLayerSpec
  | AddLayerSpec;

export type LayerKind = LayerSpec['kind'];

/** The layers with neurons: their width is a choice of the model (units, filters). */
export type WeightedLayerSpec = DenseLayerSpec | Conv2dLayerSpec;

/** The layers that hold parameters (one Network.layers entry each). */
export type ParameterLayerSpec = WeightedLayerSpec | DepthwiseConv2dLayerSpec | BatchNormLayerSpec;

export function isWeightedLayer(layer: LayerSpec): layer is WeightedLayerSpec {
  return layer.kind === 'dense' || layer.kind === 'conv2d';
}

export function hasParameters(layer: LayerSpec): layer is ParameterLayerSpec {
  return isWeightedLayer(layer) || layer.kind === 'depthwiseConv2d' || layer.kind === 'batchNorm';
}

/** Every layer kind, for messages that list what is supported. */
export const LAYER_KINDS: readonly LayerKind[] = [
  'dense',
  'conv2d',
  'depthwiseConv2d',
  'maxPool2d',
  'avgPool2d',
  'globalAvgPool2d',
  'flatten',
  'reshape',
  'batchNorm',
  'dropout',
  'activation',
  'add',
];
