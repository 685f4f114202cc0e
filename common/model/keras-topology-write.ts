import type { LayerSpec, ModelSpec } from './spec.ts';
import { isChain, layerInputs, MODEL_INPUT } from './spec.ts';
import { INPUT_LAYER_NAME, kerasLayerNames } from './keras-layer-names.ts';

/**
 * The `modelTopology` of a TF.js Layers model.json for a spec: a Keras
 * Sequential config for a chain of layers, a functional ('Model') config for
 * a graph, with the same fields tfjs-layers 4.x writes, so that the stock
 * `tf.loadLayersModel` (and Keras, through tensorflowjs_converter) read it.
 * Pure data; no tensors.
 */
export interface KerasLayerJson {
  readonly class_name: string;
  readonly config: Record<string, unknown>;
  readonly name?: string;
  readonly inbound_nodes?: readonly unknown[];
}

export interface KerasFunctionalTopology {
  readonly class_name: 'Model';
  readonly config: {
    readonly name: string;
    readonly layers: readonly KerasLayerJson[];
    readonly input_layers: readonly unknown[];
    readonly output_layers: readonly unknown[];
  };
  readonly keras_version: string;
  readonly backend: string;
}

export interface KerasSequentialTopology {
  readonly class_name: 'Sequential';
  readonly config: { readonly name: string; readonly layers: readonly KerasLayerJson[] };
  readonly keras_version: string;
  readonly backend: string;
}

/** The version string TF.js 4.22 writes; loaders ignore it, but tools show it. */
export const KERAS_VERSION = 'tfjs-layers 4.22.0';

/** The topology fedfuse writes for a spec: Sequential for a chain, functional otherwise. */
export function kerasTopology(spec: ModelSpec): KerasSequentialTopology | KerasFunctionalTopology {
  return isChain(spec) ? kerasSequentialTopology(spec) : kerasFunctionalTopology(spec);
}

export function kerasFunctionalTopology(spec: ModelSpec): KerasFunctionalTopology {
  const names = kerasLayerNames(spec);
  const inbound = (from: readonly number[]): unknown[] => [from.map((i) => [i === MODEL_INPUT ? INPUT_LAYER_NAME : names.layers[i]!, 0, 0, {}])];
  const layers: KerasLayerJson[] = [
    {
      name: INPUT_LAYER_NAME,
      class_name: 'InputLayer',
      config: { batch_input_shape: [null, ...spec.inputShape], dtype: 'float32', sparse: false, name: INPUT_LAYER_NAME },
      inbound_nodes: [],
    },
  ];
  spec.layers.forEach((layer, i) => {
    const name = names.layers[i]!;
    layers.push({ name, class_name: className(layer), config: { ...layerConfig(layer), name, trainable: true }, inbound_nodes: inbound(layerInputs(spec, i)) });
  });
  let output = names.layers[spec.layers.length - 1]!;
  if (names.softmax !== null) {
    layers.push({ name: names.softmax, class_name: 'Activation', config: { activation: 'softmax', name: names.softmax, trainable: true }, inbound_nodes: inbound([spec.layers.length - 1]) });
    output = names.softmax;
  }
  return {
    class_name: 'Model',
    config: { name: 'model', layers, input_layers: [[INPUT_LAYER_NAME, 0, 0]], output_layers: [[output, 0, 0]] },
    keras_version: KERAS_VERSION,
    backend: 'tensor_flow.js',
  };
}

export function kerasSequentialTopology(spec: ModelSpec): KerasSequentialTopology {
  const names = kerasLayerNames(spec);
  const layers: KerasLayerJson[] = spec.layers.map((layer, i) => {
    const config = { ...layerConfig(layer), name: names.layers[i]!, trainable: true };
    // Keras records the input shape on the first layer of a Sequential model.
    return i === 0
      ? { class_name: className(layer), config: { ...config, batch_input_shape: [null, ...spec.inputShape], dtype: 'float32' } }
      : { class_name: className(layer), config };
  });
  if (names.softmax !== null) {
    layers.push({ class_name: 'Activation', config: { activation: 'softmax', name: names.softmax, trainable: true } });
  }
  return {
    class_name: 'Sequential',
    config: { name: 'sequential', layers },
    keras_version: KERAS_VERSION,
    backend: 'tensor_flow.js',
  };
}

const CLASS_NAMES: Record<LayerSpec['kind'], string> = {
  dense: 'Dense',
  conv2d: 'Conv2D',
  depthwiseConv2d: 'DepthwiseConv2D',
  maxPool2d: 'MaxPooling2D',
  avgPool2d: 'AveragePooling2D',
  globalAvgPool2d: 'GlobalAveragePooling2D',
  flatten: 'Flatten',
  reshape: 'Reshape',
  batchNorm: 'BatchNormalization',
  dropout: 'Dropout',
  activation: 'Activation',
  add: 'Add',
};

function className(layer: LayerSpec): string {
  return CLASS_NAMES[layer.kind];
}

const NO_REGULARISATION = { kernel_regularizer: null, bias_regularizer: null, activity_regularizer: null, kernel_constraint: null, bias_constraint: null };
const GLOROT = { class_name: 'GlorotUniform', config: { seed: null } };
const ZEROS = { class_name: 'Zeros', config: {} };
const ONES = { class_name: 'Ones', config: {} };

function layerConfig(layer: LayerSpec): Record<string, unknown> {
  const window = (size: number, strides: number, padding: string): Record<string, unknown> => ({
    kernel_size: [size, size],
    strides: [strides, strides],
    padding,
    data_format: 'channels_last',
    dilation_rate: [1, 1],
  });
  // Activation, bias and the Keras-default initialisers (what initNetwork draws).
  const common = (activation: string, useBias: boolean): Record<string, unknown> => ({ activation, use_bias: useBias, bias_initializer: ZEROS });
  switch (layer.kind) {
    case 'dense':
      return { units: layer.units, ...common(layer.activation, layer.useBias), kernel_initializer: GLOROT, ...NO_REGULARISATION };
    case 'conv2d':
      return { filters: layer.filters, ...window(layer.kernelSize, layer.strides, layer.padding), ...common(layer.activation, layer.useBias), kernel_initializer: GLOROT, ...NO_REGULARISATION };
    case 'depthwiseConv2d':
      return {
        ...window(layer.kernelSize, layer.strides, layer.padding),
        depth_multiplier: 1,
        ...common(layer.activation, layer.useBias),
        depthwise_initializer: GLOROT,
        depthwise_regularizer: null,
        depthwise_constraint: null,
        bias_regularizer: null,
        activity_regularizer: null,
        bias_constraint: null,
      };
    case 'maxPool2d':
    case 'avgPool2d':
      return { pool_size: [layer.poolSize, layer.poolSize], padding: layer.padding, strides: [layer.strides, layer.strides], data_format: 'channels_last' };
    case 'globalAvgPool2d':
      return { data_format: 'channels_last' };
    case 'flatten':
      return {};
    case 'reshape':
      return { target_shape: [...layer.targetShape] };
    case 'batchNorm':
      return {
        axis: -1,
        momentum: layer.momentum,
        epsilon: layer.epsilon,
        center: layer.center,
        scale: layer.scale,
        beta_initializer: ZEROS,
        gamma_initializer: ONES,
        moving_mean_initializer: ZEROS,
        moving_variance_initializer: ONES,
        beta_regularizer: null,
        gamma_regularizer: null,
        beta_constraint: null,
        gamma_constraint: null,
      };
    case 'dropout':
      return { rate: layer.rate, noise_shape: null, seed: null };
    case 'activation':
      return { activation: layer.activation };
    case 'add':
      return {};
  }
}
