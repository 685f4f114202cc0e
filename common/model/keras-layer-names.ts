import { hasParameters, type LayerSpec, type ModelSpec } from './spec.ts';

/**
 * The Keras layer names fedfuse gives a spec's layers, shared by the TF.js
 * LayersModel builder and the model.json writer so that weight names
 * ("dense_2/kernel") agree between the two. Names carry the layer's index in
 * spec.layers, so they are the same in every process (TF.js's own default
 * names come from a global counter and are not).
 */
export interface KerasLayerNames {
  /** One name per entry of spec.layers. */
  readonly layers: readonly string[];
  /** Name of the trailing Activation('softmax') layer when spec.outputActivation is 'softmax', else null. */
  readonly softmax: string | null;
}

const PREFIX: Record<LayerSpec['kind'], string> = {
  dense: 'dense',
  conv2d: 'conv2d',
  depthwiseConv2d: 'depthwise_conv2d',
  maxPool2d: 'max_pooling2d',
  avgPool2d: 'average_pooling2d',
  globalAvgPool2d: 'global_average_pooling2d',
  flatten: 'flatten',
  reshape: 'reshape',
  batchNorm: 'batch_normalization',
  dropout: 'dropout',
  activation: 'activation',
  add: 'add',
};

export function kerasLayerNames(spec: ModelSpec): KerasLayerNames {
  return {
    layers: spec.layers.map((layer, i) => `${PREFIX[layer.kind]}_${i}`),
    softmax: spec.outputActivation === 'softmax' ? `softmax_${spec.layers.length}` : null,
  };
}

/** Names of the layers that hold parameters, in Network.layers order. */
export function parameterKerasLayerNames(spec: ModelSpec): string[] {
  const names = kerasLayerNames(spec).layers;
  return spec.layers.flatMap((layer, i) => (hasParameters(layer) ? [names[i]!] : []));
}

/** The name of the model's input layer in a functional topology. */
export const INPUT_LAYER_NAME = 'input';
