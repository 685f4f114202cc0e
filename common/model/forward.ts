import * as tf from '@tensorflow/tfjs';
import type { LayerSpec, ModelSpec, WeightedLayerSpec } from './spec.ts';
import type { Network } from './network.ts';

/**
 * A functional (tf-ops only) forward pass over a Network. Fusion and attribution
 * need pre-activations at arbitrary layers and gradients with respect to hidden
 * activations; a functional pass gives both without a tfjs LayersModel.
 * Tensors are NHWC for convolutions, like TF.js.
 */
export interface LayerTensors {
  readonly kernel: tf.Tensor;
  readonly bias: tf.Tensor | null;
}

export interface NetworkTensors {
  readonly spec: ModelSpec;
  /** One entry per weighted layer, in order. */
  readonly layers: readonly LayerTensors[];
}

/** Uploads a Network's weights as tensors. The caller owns them: call disposeNetworkTensors. */
export function toNetworkTensors(net: Network): NetworkTensors {
  return {
    spec: net.spec,
    layers: net.layers.map((lw) => ({
      kernel: tf.tensor(lw.kernel, [...lw.kernelShape], 'float32'),
      bias: lw.bias === null ? null : tf.tensor1d(lw.bias, 'float32'),
    })),
  };
}

export function disposeNetworkTensors(t: NetworkTensors): void {
  for (const l of t.layers) {
    l.kernel.dispose();
    l.bias?.dispose();
  }
}

/** The linear part of a weighted layer (before its activation). */
export function preActivation(layer: WeightedLayerSpec, w: LayerTensors, x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    let z: tf.Tensor;
    if (layer.kind === 'dense') {
      z = tf.matMul(x as tf.Tensor2D, w.kernel as tf.Tensor2D);
    } else {
      z = tf.conv2d(x as tf.Tensor4D, w.kernel as tf.Tensor4D, layer.strides, layer.padding);
    }
    return w.bias === null ? z : tf.add(z, w.bias);
  });
}

export function activate(layer: WeightedLayerSpec, z: tf.Tensor): tf.Tensor {
  return layer.activation === 'relu' ? tf.relu(z) : z.clone();
}

/** Applies one non-weighted layer. */
export function applyPlainLayer(layer: Exclude<LayerSpec, WeightedLayerSpec>, x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    switch (layer.kind) {
      case 'maxPool2d':
        return tf.maxPool(x as tf.Tensor4D, layer.poolSize, layer.strides, layer.padding);
      case 'flatten':
        return tf.reshape(x, [x.shape[0]!, -1]);
    }
  });
}

/**
 * Applies spec.layers[from, to) to x. `weightedOffset` is the index (among weighted
 * layers) of the first weighted layer at or after `from`.
 */
export function applyLayers(net: NetworkTensors, x: tf.Tensor, from: number, to: number): tf.Tensor {
  return tf.tidy(() => {
    let weighted = net.spec.layers.slice(0, from).filter((l) => l.kind === 'dense' || l.kind === 'conv2d').length;
    let h = x;
    for (let i = from; i < to; i++) {
      const layer = net.spec.layers[i]!;
      if (layer.kind === 'dense' || layer.kind === 'conv2d') {
        h = activate(layer, preActivation(layer, net.layers[weighted]!, h));
        weighted++;
      } else {
        h = applyPlainLayer(layer, h);
      }
    }
    return h === x ? x.clone() : h;
  });
}

/** Logits of the network (the last layer's pre-activation, never the softmax). */
export function forwardLogits(net: NetworkTensors, x: tf.Tensor): tf.Tensor2D {
  return tf.tidy(() => applyLayers(net, x, 0, net.spec.layers.length) as tf.Tensor2D);
}

/** Class probabilities (softmax of the logits). */
export function forwardProbabilities(net: NetworkTensors, x: tf.Tensor): tf.Tensor2D {
  return tf.tidy(() => tf.softmax(forwardLogits(net, x)));
}

/** Reshapes flat sample rows into [n, ...spec.inputShape]. */
export function batchOf(spec: ModelSpec, images: Float32Array, n: number): tf.Tensor {
  return tf.tensor(images, [n, ...spec.inputShape], 'float32');
}
