import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { applyLayers, batchOf, disposeNetworkTensors, forwardLogits, toNetworkTensors } from '../common/model/forward.ts';
import { expectedKernelShapes, type LayerWeights, type Network } from '../common/model/network.ts';
import { activationShapes, isWeightedLayer, layerWidths, weightedLayerIndices, withHiddenWidths, type ModelSpec } from '../common/model/spec.ts';
import { SeededRandom } from '../common/random/index.ts';

/** He-normal kernels and small random biases (non-zero, so that bias recovery is tested too). */
export function randomNetwork(spec: ModelSpec, seed: number): Network {
  const random = new SeededRandom(seed);
  const weighted = spec.layers.filter(isWeightedLayer);
  const layers = expectedKernelShapes(spec).map((shape, l): LayerWeights => {
    const fanIn = shape.slice(0, -1).reduce((a, b) => a * b, 1);
    const scale = Math.sqrt(2 / fanIn);
    const size = shape.reduce((a, b) => a * b, 1);
    const width = shape[shape.length - 1]!;
    return {
      kernel: Float32Array.from({ length: size }, () => scale * random.normal()),
      kernelShape: shape,
      bias: weighted[l]!.useBias ? Float32Array.from({ length: width }, () => 0.1 * random.normal()) : null,
    };
  });
  return { spec, layers };
}

/**
 * randomNetwork for the first of seed, seed + 1000, ... whose hidden neurons
 * are all active on some of `calibration` (see minimumActiveFraction).
 */
export async function liveRandomNetwork(spec: ModelSpec, seed: number, calibration: Float32Array): Promise<Network> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const net = randomNetwork(spec, seed + 1000 * attempt);
    if ((await minimumActiveFraction(net, calibration)) > 0) return net;
  }
  throw new Error('no live random network found');
}

export function gaussianInputs(spec: ModelSpec, samples: number, seed: number): Float32Array {
  const random = new SeededRandom(seed);
  const size = spec.inputShape.reduce((a, b) => a * b, 1);
  return Float32Array.from({ length: samples * size }, () => random.normal());
}

/**
 * Rows of a kernel in TF.js layout, viewed as [positions, channels, out]:
 * Dense [in, out] (in = positions · channels after a flatten of an NHWC map,
 * channels fastest) and Conv2D [kh, kw, inC, out] (positions = kh · kw).
 */
function permuteInputChannels(kernel: Float32Array, channels: number, out: number, perm: readonly number[]): Float32Array {
  const positions = kernel.length / (channels * out);
  const result = new Float32Array(kernel.length);
  for (let p = 0; p < positions; p++) {
    for (let i = 0; i < channels; i++) {
      const from = (p * channels + perm[i]!) * out;
      result.set(kernel.subarray(from, from + out), (p * channels + i) * out);
    }
  }
  return result;
}

function permuteOutputs(values: Float32Array, out: number, perm: readonly number[]): Float32Array {
  const result = new Float32Array(values.length);
  for (let r = 0; r < values.length / out; r++) for (let i = 0; i < out; i++) result[r * out + i] = values[r * out + perm[i]!]!;
  return result;
}

/**
 * The same function with the hidden neurons of every hidden weighted layer
 * reordered: new neuron i of layer l is old neuron perms[l][i]. The layer's
 * outputs and the next layer's inputs are permuted together.
 */
export function permuteHiddenUnits(net: Network, perms: readonly (readonly number[])[]): Network {
  const layers = net.layers.map((lw) => ({ ...lw }));
  perms.forEach((perm, l) => {
    const width = layerWidths(net.spec)[l]!;
    assert.equal(perm.length, width);
    const own = layers[l]!;
    layers[l] = { ...own, kernel: permuteOutputs(own.kernel, width, perm), bias: own.bias === null ? null : permuteOutputs(own.bias, width, perm) };
    const next = layers[l + 1]!;
    const nextOut = next.kernelShape[next.kernelShape.length - 1]!;
    layers[l + 1] = { ...next, kernel: permuteInputChannels(next.kernel, width, nextOut, perm) };
  });
  return { spec: net.spec, layers };
}

/** Random permutations for every hidden weighted layer. */
export function randomPermutations(spec: ModelSpec, random: SeededRandom): number[][] {
  return layerWidths(spec)
    .slice(0, -1)
    .map((w) => random.permutation(w));
}

/**
 * A wider network with the same function: hidden layer `layer` gets copies of
 * the neurons listed in `duplicate`, and the next layer's weights of each
 * copied neuron are split half and half between original and copy.
 * Only for a Dense layer followed by a Dense layer.
 */
export function withDuplicatedNeurons(net: Network, layer: number, duplicate: readonly number[]): Network {
  const widths = layerWidths(net.spec);
  const width = widths[layer]!;
  const hidden = widths.slice(0, -1);
  hidden[layer] = width + duplicate.length;
  const spec = withHiddenWidths(net.spec, hidden);
  const own = net.layers[layer]!;
  const inputs = own.kernelShape[0]!;
  const kernel = new Float32Array(inputs * (width + duplicate.length));
  for (let r = 0; r < inputs; r++) {
    for (let j = 0; j < width; j++) kernel[r * (width + duplicate.length) + j] = own.kernel[r * width + j]!;
    duplicate.forEach((j, d) => (kernel[r * (width + duplicate.length) + width + d] = own.kernel[r * width + j]!));
  }
  const bias = own.bias === null ? null : Float32Array.from([...own.bias, ...duplicate.map((j) => own.bias![j]!)]);
  const next = net.layers[layer + 1]!;
  const out = next.kernelShape[1]!;
  const nextKernel = new Float32Array((width + duplicate.length) * out);
  nextKernel.set(next.kernel);
  duplicate.forEach((j, d) => {
    for (let c = 0; c < out; c++) {
      const half = next.kernel[j * out + c]! / 2;
      nextKernel[j * out + c] = half;
      nextKernel[(width + d) * out + c] = half;
    }
  });
  const layers = net.layers.map((lw) => lw);
  layers[layer] = { kernel, kernelShape: [inputs, width + duplicate.length], bias };
  layers[layer + 1] = { ...next, kernel: nextKernel, kernelShape: [width + duplicate.length, out] };
  return { spec, layers };
}

export async function logitsOf(net: Network, inputs: Float32Array): Promise<Float32Array> {
  const size = net.spec.inputShape.reduce((a, b) => a * b, 1);
  const tensors = toNetworkTensors(net);
  const out = tf.tidy(() => forwardLogits(tensors, batchOf(net.spec, inputs, inputs.length / size)));
  try {
    return (await out.data()) as Float32Array;
  } finally {
    out.dispose();
    disposeNetworkTensors(tensors);
  }
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
}

export function maxAbs(a: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]!));
  return d;
}

/**
 * Fraction of calibration samples on which each hidden neuron (channel: any
 * position) is active, per hidden weighted layer. Tests use it to make sure no
 * neuron is dead on the whole calibration set, since a dead neuron's outgoing
 * weights cannot be recovered from data and exact-recovery claims would fail
 * for a reason that has nothing to do with fusion.
 */
export async function minimumActiveFraction(net: Network, inputs: Float32Array): Promise<number> {
  const size = net.spec.inputShape.reduce((a, b) => a * b, 1);
  const samples = inputs.length / size;
  const tensors = toNetworkTensors(net);
  const weighted = weightedLayerIndices(net.spec);
  const shapes = activationShapes(net.spec);
  let minimum = 1;
  try {
    for (const layerIndex of weighted.slice(0, -1)) {
      const h = tf.tidy(() => applyLayers(tensors, batchOf(net.spec, inputs, samples), 0, layerIndex + 1));
      const values = await h.data();
      h.dispose();
      const width = shapes[layerIndex + 1]![shapes[layerIndex + 1]!.length - 1]!;
      const perSample = values.length / samples;
      for (let j = 0; j < width; j++) {
        let active = 0;
        for (let n = 0; n < samples; n++) {
          for (let p = j; p < perSample; p += width) {
            if (values[n * perSample + p]! > 0) {
              active++;
              break;
            }
          }
        }
        minimum = Math.min(minimum, active / samples);
      }
    }
  } finally {
    disposeNetworkTensors(tensors);
  }
  return minimum;
}
