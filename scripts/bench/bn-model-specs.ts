import type { LayerSpec, ModelSpec } from '../../common/model/index.ts';

/**
 * The two BatchNorm models of scripts/bench-models.ts (issue 12), on 28x28x1
 * images, 10 classes. Sized for the shared 2-core machine: every costly
 * convolution runs at 14x14 or smaller (the stem pools right away), so one
 * training epoch of 1,000 samples takes seconds, not minutes, on wasm.
 */

// Momentum 0.9, not Keras's 0.99: with a few dozen steps (a parent here, a client's round) the moving statistics
// would still be mostly their initial values (1 − 0.99⁴⁸ = 38 % of the way after 48 steps), and inference-mode
// accuracy stays at chance (measured: ResNet parents at 10.0-11.7 % after 3 epochs of ~500 images).
const bn = (): LayerSpec => ({ kind: 'batchNorm', epsilon: 1e-3, momentum: 0.9, center: true, scale: true });
const relu = (inputs?: number[]): LayerSpec => ({ kind: 'activation', activation: 'relu', ...(inputs === undefined ? {} : { inputs }) });
const conv = (filters: number, useBias = false): LayerSpec => ({ kind: 'conv2d', filters, kernelSize: 3, strides: 1, padding: 'same', activation: 'linear', useBias });
const maxPool = (): LayerSpec => ({ kind: 'maxPool2d', poolSize: 2, strides: 2, padding: 'valid' });

/**
 * A small ResNet: stem conv16-BN-relu and a 2x2 max-pool (14x14x16), three
 * residual blocks (conv-BN-relu-conv-BN added to the block's input, relu):
 * 16 channels at 14x14, then conv32-BN-relu widening and pooling to 7x7 before
 * blocks of 32 channels at 7x7, global average pooling, dense 10.
 */
export function smallResNetSpec(): ModelSpec {
  const layers: LayerSpec[] = [conv(16), bn(), relu(), maxPool()]; // 0-3: [14, 14, 16]
  const block = (filters: number): void => {
    const input = layers.length - 1;
    layers.push(conv(filters), bn(), relu(), conv(filters), bn());
    layers.push({ kind: 'add', inputs: [layers.length - 1, input] }, relu());
  };
  block(16); // 4-10
  layers.push(conv(32), bn(), relu(), maxPool()); // 11-14: [7, 7, 32]
  block(32); // 15-21
  block(32); // 22-28
  layers.push({ kind: 'globalAvgPool2d' }, { kind: 'dense', units: 10, activation: 'linear', useBias: true });
  return { inputShape: [28, 28, 1], layers, outputActivation: 'softmax' };
}

/** A VGG-style CNN: three conv-BN-relu-maxpool stages of 16, 32 and 32 channels (28 -> 14 -> 7 -> 3), flatten (288), dense 10. */
export function smallVggBnSpec(): ModelSpec {
  const layers: LayerSpec[] = [];
  for (const filters of [16, 32, 32]) layers.push(conv(filters), bn(), relu(), maxPool());
  layers.push({ kind: 'flatten' }, { kind: 'dense', units: 10, activation: 'linear', useBias: true });
  return { inputShape: [28, 28, 1], layers, outputActivation: 'softmax' };
}
