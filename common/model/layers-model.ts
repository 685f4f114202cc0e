import * as tf from '@tensorflow/tfjs';
import { FedfuseError } from '../errors/index.ts';
import { INPUT_LAYER_NAME, kerasLayerNames, parameterKerasLayerNames } from './keras-layer-names.ts';
import { parseKerasTopology } from './keras-topology-read.ts';
import { kerasWeightParts } from './keras-weight-names.ts';
import { parameterLayers, validateNetwork, type LayerWeights, type Network } from './network.ts';
import { isChain, layerInputs, MODEL_INPUT, type LayerSpec, type ModelSpec } from './spec.ts';

/**
 * TF.js LayersModels for ModelSpecs, and Networks in and out of them.
 *
 * Mapping: spec.layers[i] is the model's layer i (same kind, activation fused
 * in Dense/Conv2D); when outputActivation is 'softmax' one more layer, a
 * separate Activation('softmax'), follows. The last Dense therefore holds the
 * logits weights. A chain becomes a tf.Sequential, a graph a functional
 * tf.model. Layer names come from kerasLayerNames, the same as in the
 * model.json fedfuse writes.
 */
export function buildLayersModel(spec: ModelSpec): tf.LayersModel {
  if (spec.layers.length === 0) throw new FedfuseError('invalid_argument', 'a model needs at least one layer');
  const names = kerasLayerNames(spec);
  if (isChain(spec)) {
    const model = tf.sequential({ name: 'sequential' });
    spec.layers.forEach((layer, i) => {
      const first = i === 0 ? { inputShape: [...spec.inputShape] } : {};
      model.add(tfjsLayer(layer, { name: names.layers[i]!, ...first }));
    });
    if (names.softmax !== null) model.add(tf.layers.activation({ activation: 'softmax', name: names.softmax }));
    return model;
  }
  const input = tf.input({ shape: [...spec.inputShape], name: INPUT_LAYER_NAME });
  const outputs: tf.SymbolicTensor[] = [];
  spec.layers.forEach((layer, i) => {
    const inputs = layerInputs(spec, i).map((from) => (from === MODEL_INPUT ? input : outputs[from]!));
    outputs.push(tfjsLayer(layer, { name: names.layers[i]! }).apply(inputs.length === 1 ? inputs[0]! : inputs) as tf.SymbolicTensor);
  });
  let output = outputs[outputs.length - 1]!;
  if (names.softmax !== null) output = tf.layers.activation({ activation: 'softmax', name: names.softmax }).apply(output) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: output, name: 'model' });
}

function tfjsLayer(layer: LayerSpec, common: { name: string; inputShape?: number[] }): tf.layers.Layer {
  switch (layer.kind) {
    case 'dense':
      return tf.layers.dense({ ...common, units: layer.units, activation: layer.activation, useBias: layer.useBias });
    case 'conv2d':
      return tf.layers.conv2d({
        ...common,
        filters: layer.filters,
        kernelSize: layer.kernelSize,
        strides: layer.strides,
        padding: layer.padding,
        activation: layer.activation,
        useBias: layer.useBias,
      });
    case 'depthwiseConv2d':
      return tf.layers.depthwiseConv2d({
        ...common,
        kernelSize: layer.kernelSize,
        strides: layer.strides,
        padding: layer.padding,
        depthMultiplier: 1,
        activation: layer.activation,
        useBias: layer.useBias,
      });
    case 'maxPool2d':
      return tf.layers.maxPooling2d({ ...common, poolSize: layer.poolSize, strides: layer.strides, padding: layer.padding });
    case 'avgPool2d':
      return tf.layers.averagePooling2d({ ...common, poolSize: layer.poolSize, strides: layer.strides, padding: layer.padding });
    case 'globalAvgPool2d':
      return tf.layers.globalAveragePooling2d(common);
    case 'flatten':
      return tf.layers.flatten(common);
    case 'reshape':
      return tf.layers.reshape({ ...common, targetShape: [...layer.targetShape] });
    case 'batchNorm':
      return tf.layers.batchNormalization({ ...common, axis: -1, epsilon: layer.epsilon, momentum: layer.momentum, center: layer.center, scale: layer.scale });
    case 'dropout':
      return tf.layers.dropout({ ...common, rate: layer.rate });
    case 'activation':
      return tf.layers.activation({ ...common, activation: layer.activation });
    case 'add':
      return tf.layers.add(common);
  }
}

/** A LayersModel holding a copy of the network's weights. The caller disposes it. */
export function networkToLayersModel(net: Network): tf.LayersModel {
  validateNetwork(net);
  const model = buildLayersModel(net.spec);
  const names = parameterKerasLayerNames(net.spec);
  const specs = parameterLayers(net.spec);
  net.layers.forEach((lw, l) => {
    const values = tf.tidy(() =>
      kerasWeightParts(specs[l]!).map((part) => {
        if (part.part === 'kernel') return tf.tensor(lw.kernel, [...lw.kernelShape], 'float32');
        if (part.part === 'bias') return tf.tensor1d(lw.bias!, 'float32');
        const channels = lw.kernelShape[1]!;
        return tf.tensor1d(lw.kernel.subarray(part.row * channels, (part.row + 1) * channels), 'float32');
      }),
    );
    // setWeights makes the layer's variables share these tensors' data (reference counted), so disposing them here is safe.
    model.getLayer(names[l]!).setWeights(values);
    tf.dispose(values);
  });
  return model;
}

/**
 * The spec and weights of a LayersModel (Sequential or functional), built
 * here or elsewhere. Accepts what loadNetwork accepts (keras-topology-read.ts):
 * activation layers are folded, anything fusion cannot reproduce is an
 * 'invalid_argument'.
 */
export async function networkFromLayersModel(model: tf.LayersModel): Promise<Network> {
  const { spec, parameterLayerNames } = parseKerasTopology(model.toJSON(null, false));
  const specs = parameterLayers(spec);
  const layers: LayerWeights[] = [];
  for (const [l, name] of parameterLayerNames.entries()) {
    // getWeights returns the layer's own variables (not copies), in creation order: read them, never dispose them.
    const weights = model.getLayer(name).getWeights();
    const parts = kerasWeightParts(specs[l]!);
    if (weights.length !== parts.length) throw new FedfuseError('invalid_argument', `layer "${name}" has ${weights.length} weights, expected ${parts.length}`);
    let kernel: Float32Array | null = null;
    let kernelShape: number[] = [];
    let bias: Float32Array | null = null;
    if (specs[l]!.kind === 'batchNorm') {
      const channels = weights[0]!.shape[0]!;
      kernel = new Float32Array(4 * channels);
      kernel.fill(1, 0, channels);
      kernelShape = [4, channels];
    }
    for (const [k, part] of parts.entries()) {
      const values = new Float32Array(await weights[k]!.data());
      if (part.part === 'kernel') {
        kernel = values;
        kernelShape = [...weights[k]!.shape];
      } else if (part.part === 'bias') bias = values;
      else kernel!.set(values, part.row * kernelShape[1]!);
    }
    layers.push({ kernel: kernel!, kernelShape, bias });
  }
  const net: Network = { spec, layers };
  validateNetwork(net);
  return net;
}
