import * as tf from '@tensorflow/tfjs';
import type { Activation, BatchNormLayerSpec, LayerSpec, ParameterLayerSpec, WeightedLayerSpec } from './layer-spec.ts';

/**
 * What one layer computes, as tf ops on NHWC tensors (like TF.js): the
 * building blocks of the functional forward pass (forward.ts). No tidy here:
 * the caller's tidy owns every intermediate.
 */
export interface LayerTensors {
  readonly kernel: tf.Tensor;
  readonly bias: tf.Tensor | null;
}

/** How a layer runs: inference (moving BatchNorm statistics, no dropout) or training. */
export interface LayerMode {
  readonly training: boolean;
  /** Seeds the dropout masks in training (each dropout layer and batch gets its own by the caller). */
  readonly dropoutSeed?: number;
  /** In training, receives each BatchNorm layer's batch mean and variance (for the moving averages). */
  readonly onBatchStatistics?: (mean: tf.Tensor1D, variance: tf.Tensor1D) => void;
}

export const INFERENCE: LayerMode = { training: false };

/** The linear part of a weighted or depthwise layer (before its activation). */
export function preActivation(layer: WeightedLayerSpec | { kind: 'depthwiseConv2d'; strides: number; padding: 'valid' | 'same' }, w: LayerTensors, x: tf.Tensor): tf.Tensor {
  // Its own tidy (unlike the other ops here): fusion calls it outside any scope.
  return tf.tidy(() => {
    let z: tf.Tensor;
    if (layer.kind === 'dense') z = tf.matMul(x as tf.Tensor2D, w.kernel as tf.Tensor2D);
    else if (layer.kind === 'conv2d') z = tf.conv2d(x as tf.Tensor4D, w.kernel as tf.Tensor4D, layer.strides, layer.padding);
    else z = tf.depthwiseConv2d(x as tf.Tensor4D, w.kernel as tf.Tensor4D, layer.strides, layer.padding);
    return w.bias === null ? z : tf.add(z, w.bias);
  });
}

export function applyActivation(activation: Activation, z: tf.Tensor): tf.Tensor {
  return activation === 'relu' ? tf.relu(z) : z;
}

/** For the weighted layers: their activation applied to their pre-activation. */
export function activate(layer: { readonly activation: Activation }, z: tf.Tensor): tf.Tensor {
  return layer.activation === 'relu' ? tf.relu(z) : z.clone();
}

/** BatchNorm's four rows (gamma, beta, moving mean, moving variance) as [channels] tensors. */
export function batchNormRows(kernel: tf.Tensor): { gamma: tf.Tensor1D; beta: tf.Tensor1D; mean: tf.Tensor1D; variance: tf.Tensor1D } {
  const [gamma, beta, mean, variance] = tf.unstack(kernel as tf.Tensor2D, 0) as tf.Tensor1D[];
  return { gamma: gamma!, beta: beta!, mean: mean!, variance: variance! };
}

function batchNorm(layer: BatchNormLayerSpec, w: LayerTensors, x: tf.Tensor, mode: LayerMode): tf.Tensor {
  const rows = batchNormRows(w.kernel);
  // Constants (no gradient path to the kernel) stand for a missing gamma or beta: tf.batchNorm's gradient fails on undefined ones.
  const gamma = layer.scale ? rows.gamma : tf.onesLike(rows.gamma);
  const beta = layer.center ? rows.beta : tf.zerosLike(rows.beta);
  if (!mode.training) return tf.batchNorm(x, rows.mean, rows.variance, beta, gamma, layer.epsilon);
  // Keras: normalise by the batch's own mean and (biased) variance over every axis but the channels.
  const axes = x.shape.slice(0, -1).map((_, k) => k);
  const { mean, variance } = tf.moments(x, axes);
  mode.onBatchStatistics?.(mean as tf.Tensor1D, variance as tf.Tensor1D);
  return tf.batchNorm(x, mean as tf.Tensor1D, variance as tf.Tensor1D, beta, gamma, layer.epsilon);
}

/**
 * tf.avgPool with 'same' padding, the way TF computes it (each window's mean
 * over its cells inside the image), but with the right gradient: TF.js 4.22's
 * AvgPoolGrad divides by the full window size at the borders (measured: up to
 * 0.68 off a finite difference on cpu and wasm alike), which made attribution
 * and training wrong at the edges. Here: zero-pad as 'same' does, average over
 * whole windows, rescale each output by (window size / cells inside).
 */
function averagePoolSame(x: tf.Tensor4D, size: number, stride: number): tf.Tensor {
  const [, h, w] = x.shape;
  const pads = (n: number): [number, number] => {
    const out = Math.ceil(n / stride);
    const total = Math.max((out - 1) * stride + size - n, 0);
    return [Math.floor(total / 2), total - Math.floor(total / 2)];
  };
  const padding: [number, number][] = [[0, 0], pads(h), pads(w), [0, 0]];
  const sums = tf.avgPool(tf.pad(x, padding), size, stride, 'valid');
  const inside = tf.avgPool(tf.pad(tf.ones([1, h, w, 1]), padding) as tf.Tensor4D, size, stride, 'valid');
  return tf.div(sums, inside);
}

/**
 * Applies one layer to its input tensors (one, or several for add); `w` is
 * the layer's parameters when it has any.
 */
export function applyLayer(layer: LayerSpec, w: LayerTensors | null, inputs: readonly tf.Tensor[], mode: LayerMode): tf.Tensor {
  const x = inputs[0]!;
  switch (layer.kind) {
    case 'dense':
    case 'conv2d':
    case 'depthwiseConv2d':
      return applyActivation(layer.activation, preActivation(layer, w!, x));
    case 'batchNorm':
      return batchNorm(layer, w!, x, mode);
    case 'maxPool2d':
      return tf.maxPool(x as tf.Tensor4D, layer.poolSize, layer.strides, layer.padding);
    case 'avgPool2d':
      return layer.padding === 'same' ? averagePoolSame(x as tf.Tensor4D, layer.poolSize, layer.strides) : tf.avgPool(x as tf.Tensor4D, layer.poolSize, layer.strides, 'valid');
    case 'globalAvgPool2d':
      return tf.mean(x, [1, 2]);
    case 'flatten':
      return tf.reshape(x, [x.shape[0]!, -1]);
    case 'reshape':
      return tf.reshape(x, [x.shape[0]!, ...layer.targetShape]);
    case 'dropout':
      return mode.training && layer.rate > 0 ? tf.dropout(x, layer.rate, undefined, mode.dropoutSeed) : x;
    case 'activation':
      return applyActivation(layer.activation, x);
    case 'add':
      return tf.addN(inputs as tf.Tensor[]);
  }
}

/** Applies one layer without parameters (asserts at the type level that it has none). */
export function applyPlainLayer(layer: Exclude<LayerSpec, ParameterLayerSpec>, x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const y = applyLayer(layer, null, [x], INFERENCE);
    return y === x ? x.clone() : y;
  });
}
