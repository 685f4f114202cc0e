import * as tf from '@tensorflow/tfjs';
import { FedfuseError } from '../errors/index.ts';
import { kerasLayerNames, weightedKerasLayerNames } from './keras-layer-names.ts';
import { parseSequentialTopology } from './keras-topology-read.ts';
import { validateNetwork, type LayerWeights, type Network } from './network.ts';
import type { LayerSpec, ModelSpec } from './spec.ts';

/**
 * TF.js LayersModels for ModelSpecs, and Networks in and out of them.
 *
 * Mapping: spec.layers[i] is the model's layer i (same kind, activation fused
 * in Dense/Conv2D); when outputActivation is 'softmax' one more layer, a
 * separate Activation('softmax'), follows. The last Dense therefore holds the
 * logits weights, exactly Network.layers' last entry. Layer names come from
 * kerasLayerNames, the same as in the model.json fedfuse writes.
 */
export function buildLayersModel(spec: ModelSpec): tf.Sequential {
  if (spec.layers.length === 0) throw new FedfuseError('invalid_argument', 'a model needs at least one layer');
  const names = kerasLayerNames(spec);
  const model = tf.sequential({ name: 'sequential' });
  spec.layers.forEach((layer, i) => {
    const first = i === 0 ? { inputShape: [...spec.inputShape] } : {};
    model.add(tfjsLayer(layer, { name: names.layers[i]!, ...first }));
  });
  if (names.softmax !== null) model.add(tf.layers.activation({ activation: 'softmax', name: names.softmax }));
  return model;
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
    case 'maxPool2d':
      return tf.layers.maxPooling2d({ ...common, poolSize: layer.poolSize, strides: layer.strides, padding: layer.padding });
    case 'flatten':
      return tf.layers.flatten(common);
  }
}

/** A LayersModel holding a copy of the network's weights. The caller disposes it. */
export function networkToLayersModel(net: Network): tf.Sequential {
  validateNetwork(net);
  const model = buildLayersModel(net.spec);
  const names = weightedKerasLayerNames(net.spec);
  net.layers.forEach((lw, l) => {
    const values = tf.tidy(() => {
      const kernel = tf.tensor(lw.kernel, [...lw.kernelShape], 'float32');
      return lw.bias === null ? [kernel] : [kernel, tf.tensor1d(lw.bias, 'float32')];
    });
    // setWeights makes the layer's variables share these tensors' data (reference counted), so disposing them here is safe.
    model.getLayer(names[l]!).setWeights(values);
    tf.dispose(values);
  });
  return model;
}

/**
 * The spec and weights of a Sequential LayersModel, built here or elsewhere.
 * Accepts what loadNetwork accepts (see keras-topology-read.ts): activation
 * layers are folded, anything fusion cannot reproduce is an 'invalid_argument'.
 */
export async function networkFromLayersModel(model: tf.LayersModel): Promise<Network> {
  const { spec, weightedLayerNames } = parseSequentialTopology(model.toJSON(null, false));
  const layers: LayerWeights[] = [];
  for (const name of weightedLayerNames) {
    // getWeights returns the layer's own variables (not copies): read them, never dispose them.
    const [kernel, bias] = model.getLayer(name).getWeights();
    if (kernel === undefined) throw new FedfuseError('invalid_argument', `layer "${name}" has no kernel`);
    layers.push({
      kernel: new Float32Array(await kernel.data()),
      kernelShape: [...kernel.shape],
      bias: bias === undefined ? null : new Float32Array(await bias.data()),
    });
  }
  const net: Network = { spec, layers };
  validateNetwork(net);
  return net;
}
