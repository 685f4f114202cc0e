import type { Conv2dLayerSpec, DenseLayerSpec, LayerSpec, ModelSpec } from './spec.ts';
import { kerasLayerNames } from './keras-layer-names.ts';

/**
 * The `modelTopology` of a TF.js Layers model.json for a spec: a Keras
 * Sequential config with the same fields tfjs-layers 4.x writes, so that the
 * stock `tf.loadLayersModel` (and Keras, through tensorflowjs_converter) read it.
 * Pure data; no tensors.
 */
export interface KerasLayerJson {
  readonly class_name: string;
  readonly config: Record<string, unknown>;
}

export interface KerasSequentialTopology {
  readonly class_name: 'Sequential';
  readonly config: { readonly name: string; readonly layers: readonly KerasLayerJson[] };
  readonly keras_version: string;
  readonly backend: string;
}

/** The version string TF.js 4.22 writes; loaders ignore it, but tools show it. */
export const KERAS_VERSION = 'tfjs-layers 4.22.0';

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

function className(layer: LayerSpec): string {
  switch (layer.kind) {
    case 'dense':
      return 'Dense';
    case 'conv2d':
      return 'Conv2D';
    case 'maxPool2d':
      return 'MaxPooling2D';
    case 'flatten':
      return 'Flatten';
  }
}

function layerConfig(layer: LayerSpec): Record<string, unknown> {
  switch (layer.kind) {
    case 'dense':
      return { units: layer.units, ...weightedCommon(layer) };
    case 'conv2d':
      return {
        filters: layer.filters,
        kernel_size: [layer.kernelSize, layer.kernelSize],
        strides: [layer.strides, layer.strides],
        padding: layer.padding,
        data_format: 'channels_last',
        dilation_rate: [1, 1],
        ...weightedCommon(layer),
      };
    case 'maxPool2d':
      return {
        pool_size: [layer.poolSize, layer.poolSize],
        padding: layer.padding,
        strides: [layer.strides, layer.strides],
        data_format: 'channels_last',
      };
    case 'flatten':
      return {};
  }
}

/** Activation, bias and the Keras-default initialisers (what initNetwork draws). */
function weightedCommon(layer: DenseLayerSpec | Conv2dLayerSpec): Record<string, unknown> {
  return {
    activation: layer.activation,
    use_bias: layer.useBias,
    kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } },
    bias_initializer: { class_name: 'Zeros', config: {} },
    kernel_regularizer: null,
    bias_regularizer: null,
    activity_regularizer: null,
    kernel_constraint: null,
    bias_constraint: null,
  };
}
