import * as tf from '@tensorflow/tfjs';
import { forwardLogits, toNetworkTensors, disposeNetworkTensors, batchOf } from '../common/model/forward.ts';
import { expectedKernelShapes, type LayerWeights, type Network } from '../common/model/network.ts';
import { isWeightedLayer, layerWidths, type ModelSpec } from '../common/model/spec.ts';
import { SeededRandom } from '../common/random/index.ts';
import type { LabelledSamples } from '../common/attribution/index.ts';

/** Shared fixtures of the attribution tests (not a test file itself). */

/** He-normal kernels and small random biases, from a seed. */
export function randomNetwork(spec: ModelSpec, seed: number): Network {
  const rng = new SeededRandom(seed);
  const weighted = spec.layers.filter(isWeightedLayer);
  const layers = expectedKernelShapes(spec).map((shape, l): LayerWeights => {
    const size = shape.reduce((a, b) => a * b, 1);
    const fanIn = size / shape[shape.length - 1]!;
    const std = Math.sqrt(2 / fanIn);
    const kernel = Float32Array.from({ length: size }, () => rng.normal() * std);
    const bias = weighted[l]!.useBias ? Float32Array.from({ length: shape[shape.length - 1]! }, () => rng.normal() * 0.1) : null;
    return { kernel, kernelShape: shape, bias };
  });
  return { spec, layers };
}

/** Inputs uniform in [0, 1), labels uniform over the classes. */
export function randomSamples(spec: ModelSpec, count: number, seed: number): LabelledSamples {
  const rng = new SeededRandom(seed);
  const features = spec.inputShape.reduce((a, b) => a * b, 1);
  const classes = layerWidths(spec).at(-1)!;
  return {
    images: Float32Array.from({ length: count * features }, () => rng.next()),
    labels: Int32Array.from({ length: count }, () => rng.int(classes)),
    count,
  };
}

/** The true class's logit F for each sample, and at the all-zero input, straight from the model's forward pass. */
export async function targetLogits(net: Network, samples: LabelledSamples): Promise<{ atInput: Float32Array; atZero: Float32Array }> {
  const tensors = toNetworkTensors(net);
  const x = batchOf(net.spec, samples.images, samples.count);
  const zero = tf.zerosLike(x);
  const logits = forwardLogits(tensors, x);
  const logitsZero = forwardLogits(tensors, zero);
  const [a, z] = await Promise.all([logits.data<'float32'>(), logitsZero.data<'float32'>()]);
  tf.dispose([x, zero, logits, logitsZero]);
  disposeNetworkTensors(tensors);
  const classes = logits.shape[1];
  const atInput = new Float32Array(samples.count);
  const atZero = new Float32Array(samples.count);
  for (let i = 0; i < samples.count; i++) {
    const c = samples.labels[i]!;
    atInput[i] = a[i * classes + c]!;
    atZero[i] = z[i * classes + c]!;
  }
  return { atInput, atZero };
}

/**
 * The same function as `net` with the neurons of weighted layer `layer`
 * reordered: new neuron j is old neuron perm[j]. Permutes the layer's output
 * columns (kernel's last axis, bias) and the matching inputs of the next weighted
 * layer: Dense rows, Conv2D input channels, or — after a flatten of [h, w, c] —
 * the channel index inside every position's block of Dense rows.
 */
export function permuteNeurons(net: Network, layer: number, perm: readonly number[]): Network {
  const width = perm.length;
  const layers = net.layers.map((lw) => ({ ...lw, kernel: lw.kernel.slice(), bias: lw.bias?.slice() ?? null }));
  const own = net.layers[layer]!;
  const outer = own.kernel.length / width;
  const permutedOwn = layers[layer]!;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < width; j++) permutedOwn.kernel[o * width + j] = own.kernel[o * width + perm[j]!]!;
  }
  if (own.bias !== null) for (let j = 0; j < width; j++) permutedOwn.bias![j] = own.bias[perm[j]!]!;
  const next = net.layers[layer + 1];
  if (next !== undefined) {
    const target = layers[layer + 1]!;
    const outWidth = next.kernelShape[next.kernelShape.length - 1]!;
    // Input index of the next layer's kernel = (position, channel) with channel fastest; rows are blocks of outWidth.
    const inputs = next.kernel.length / outWidth;
    for (let input = 0; input < inputs; input++) {
      const position = Math.floor(input / width);
      const channel = input % width;
      const source = position * width + perm[channel]!;
      target.kernel.set(next.kernel.subarray(source * outWidth, (source + 1) * outWidth), input * outWidth);
    }
  }
  return { spec: net.spec, layers };
}

/** Seeded permutation of 0..n-1 that moves every element (so a test of it cannot pass by accident). */
export function derangement(n: number, seed: number): number[] {
  const rng = new SeededRandom(seed);
  for (;;) {
    const p = rng.permutation(n);
    if (p.every((v, i) => v !== i)) return p;
  }
}

/** conv (valid, relu) -> flatten -> dense (relu) -> dense: a conv layer read directly by a Dense, no pooling between. */
export function convFlattenDenseSpec(inputShape: readonly [number, number, number], filters: number, hidden: number, classes: number): ModelSpec {
  return {
    inputShape: [...inputShape],
    layers: [
      { kind: 'conv2d', filters, kernelSize: 3, strides: 1, padding: 'valid', activation: 'relu', useBias: true },
      { kind: 'flatten' },
      { kind: 'dense', units: hidden, activation: 'relu', useBias: true },
      { kind: 'dense', units: classes, activation: 'linear', useBias: true },
    ],
    outputActivation: 'softmax',
  };
}
