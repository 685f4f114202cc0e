import { channelSpaces, spaceOfTensor } from '../common/model/channel-spaces.ts';
import { expectedKernelShapes, parameterLayers, type LayerWeights, type Network } from '../common/model/network.ts';
import { layerInputs, parameterLayerIndices, type ModelSpec } from '../common/model/spec.ts';
import { SeededRandom } from '../common/random/index.ts';

/** Shared fixtures of the layer-graph tests (not a test file itself): tiny models, 8x8 inputs. */

/**
 * A residual block with BatchNorm on an 8x8x1 input, then dropout, a reshape
 * and the logits: conv-BN-relu, conv-BN added to the block's input, relu,
 * max-pool, reshape to a vector, dropout, dense.
 */
export function residualBatchNormSpec(filters = 3, classes = 3): ModelSpec {
  return {
    inputShape: [8, 8, 1],
    layers: [
      { kind: 'conv2d', filters, kernelSize: 3, strides: 1, padding: 'same', activation: 'linear', useBias: false }, // 0
      { kind: 'batchNorm', epsilon: 1e-3, momentum: 0.9, center: true, scale: true }, // 1
      { kind: 'activation', activation: 'relu' }, // 2: block input
      { kind: 'conv2d', filters, kernelSize: 3, strides: 1, padding: 'same', activation: 'linear', useBias: true }, // 3
      { kind: 'batchNorm', epsilon: 1e-3, momentum: 0.9, center: true, scale: true }, // 4
      { kind: 'activation', activation: 'relu' }, // 5
      { kind: 'conv2d', filters, kernelSize: 3, strides: 1, padding: 'same', activation: 'linear', useBias: true }, // 6
      { kind: 'batchNorm', epsilon: 1e-3, momentum: 0.9, center: true, scale: true }, // 7
      { kind: 'add', inputs: [7, 2] }, // 8
      { kind: 'activation', activation: 'relu' }, // 9
      { kind: 'maxPool2d', poolSize: 2, strides: 2, padding: 'valid' }, // 10: [4, 4, f]
      { kind: 'reshape', targetShape: [16 * filters] }, // 11
      { kind: 'dropout', rate: 0.25 }, // 12
      { kind: 'dense', units: classes, activation: 'linear', useBias: true }, // 13
    ],
    outputActivation: 'softmax',
  };
}

/** Every layer kind once or more: depthwise conv, both poolings, global pooling, BatchNorm without scale, a projection shortcut. */
export function everyLayerSpec(): ModelSpec {
  return {
    inputShape: [8, 8, 2],
    layers: [
      { kind: 'conv2d', filters: 4, kernelSize: 3, strides: 1, padding: 'same', activation: 'relu', useBias: true }, // 0
      { kind: 'depthwiseConv2d', kernelSize: 3, strides: 1, padding: 'same', activation: 'linear', useBias: true }, // 1
      { kind: 'batchNorm', epsilon: 1e-3, momentum: 0.99, center: true, scale: false }, // 2
      { kind: 'activation', activation: 'relu' }, // 3
      { kind: 'conv2d', filters: 5, kernelSize: 1, strides: 2, padding: 'valid', activation: 'linear', useBias: false, inputs: [0] }, // 4: shortcut
      { kind: 'conv2d', filters: 5, kernelSize: 3, strides: 2, padding: 'same', activation: 'linear', useBias: true, inputs: [3] }, // 5
      { kind: 'add', inputs: [5, 4] }, // 6: [4, 4, 5]
      { kind: 'avgPool2d', poolSize: 2, strides: 1, padding: 'same' }, // 7
      { kind: 'maxPool2d', poolSize: 2, strides: 2, padding: 'valid' }, // 8: [2, 2, 5]
      { kind: 'dropout', rate: 0.5 }, // 9
      { kind: 'globalAvgPool2d' }, // 10: [5]
      { kind: 'reshape', targetShape: [5] }, // 11
      { kind: 'dense', units: 6, activation: 'relu', useBias: true }, // 12
      { kind: 'dense', units: 3, activation: 'linear', useBias: true }, // 13
    ],
    outputActivation: 'softmax',
  };
}

/** Random weights from a seed, BatchNorm statistics included (gamma and variance in [0.5, 1.5), beta and mean small). */
export function randomGraphNetwork(spec: ModelSpec, seed: number): Network {
  const rng = new SeededRandom(seed);
  const specs = parameterLayers(spec);
  const layers = expectedKernelShapes(spec).map((shape, l): LayerWeights => {
    const layer = specs[l]!;
    const size = shape.reduce((a, b) => a * b, 1);
    if (layer.kind === 'batchNorm') {
      const c = shape[1]!;
      const kernel = new Float32Array(size);
      for (let j = 0; j < c; j++) {
        kernel[j] = layer.scale ? 0.5 + rng.next() : 1;
        kernel[c + j] = layer.center ? rng.normal() * 0.1 : 0;
        kernel[2 * c + j] = rng.normal() * 0.1;
        kernel[3 * c + j] = 0.5 + rng.next();
      }
      return { kernel, kernelShape: shape, bias: null };
    }
    const outputs = layer.kind === 'depthwiseConv2d' ? 1 : shape[shape.length - 1]!;
    const std = Math.sqrt(2 / (size / outputs));
    const kernel = Float32Array.from({ length: size }, () => rng.normal() * std);
    const width = layer.kind === 'depthwiseConv2d' ? shape[2]! : shape[shape.length - 1]!;
    const bias = layer.useBias ? Float32Array.from({ length: width }, () => rng.normal() * 0.1) : null;
    return { kernel, kernelShape: shape, bias };
  });
  return { spec, layers };
}

/** Inputs uniform in [0, 1). */
export function randomInputs(spec: ModelSpec, n: number, seed: number): Float32Array {
  const rng = new SeededRandom(seed);
  return Float32Array.from({ length: n * spec.inputShape.reduce((a, b) => a * b, 1) }, () => rng.next());
}

/**
 * The same function with the channels of one channel space permuted: channel
 * c of the space becomes channel perm[c] in every layer producing it (output
 * columns and biases), every per-channel layer on it (BatchNorm rows,
 * depthwise filters), and every weighted layer reading it (kernel rows, by
 * channel within each position).
 */
export function permuteSpace(net: Network, space: number, perm: readonly number[]): Network {
  const spec = net.spec;
  const spaces = channelSpaces(spec);
  const params = parameterLayerIndices(spec);
  const width = perm.length;
  const inverse = new Int32Array(width);
  perm.forEach((to, from) => (inverse[to] = from));
  const layers = net.layers.map((lw, p): LayerWeights => {
    const i = params[p]!;
    const layer = spec.layers[i]!;
    const out = spaces.spaceOfLayer[i] === space;
    const inSpace = spaceOfTensor(spaces, layerInputs(spec, i)[0]!);
    let kernel = lw.kernel;
    let bias = lw.bias;
    const shape = lw.kernelShape;
    if (layer.kind === 'batchNorm' || layer.kind === 'depthwiseConv2d') {
      if (inSpace !== space) return lw;
      // The channel axis is the last of a BatchNorm's [4, C] and axis 2 of a depthwise [k, k, C, 1]: both "channel fastest".
      kernel = Float32Array.from(kernel, (_, k) => kernel[Math.floor(k / width) * width + inverse[k % width]!]!);
      bias = bias === null ? null : Float32Array.from(bias, (_, c) => bias![inverse[c]!]!);
      return { kernel, kernelShape: shape, bias };
    }
    const outWidth = shape[shape.length - 1]!;
    if (out) {
      kernel = Float32Array.from(kernel, (_, k) => kernel[Math.floor(k / outWidth) * outWidth + inverse[k % outWidth]!]!);
      bias = bias === null ? null : Float32Array.from(bias, (_, c) => bias![inverse[c]!]!);
    }
    if (inSpace === space) {
      const rows = kernel.length / outWidth;
      const before = kernel;
      kernel = new Float32Array(before.length);
      for (let r = 0; r < rows; r++) {
        const position = Math.floor(r / width);
        const source = position * width + inverse[r % width]!;
        kernel.set(before.subarray(source * outWidth, (source + 1) * outWidth), r * outWidth);
      }
    }
    return { kernel, kernelShape: shape, bias };
  });
  return { spec, layers };
}

/** A copy with every regroupable channel space permuted (a derangement each), the same function. */
export function permutedCopy(net: Network, seed: number): Network {
  const rng = new SeededRandom(seed);
  const spaces = channelSpaces(net.spec);
  let out = net;
  spaces.spaces.forEach((space, s) => {
    if (space.pinned !== null) return;
    let perm = rng.permutation(space.width);
    while (perm.some((p, i) => p === i)) perm = rng.permutation(space.width);
    out = permuteSpace(out, s, perm);
  });
  return out;
}

