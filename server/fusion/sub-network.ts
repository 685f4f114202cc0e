import { channelSpaces } from '../../common/model/channel-spaces.ts';
import { FedfuseError } from '../../common/errors/index.ts';
import { expectedKernelShapes, layerUsesBias, parameterLayers, validateNetwork, type LayerWeights, type Network } from '../../common/model/network.ts';
import { layerWidths, weightedLayerIndices, withHiddenWidths, type ModelSpec } from '../../common/model/spec.ts';
import { spaceTouches, type SpaceTouch } from './alignment/permute-channels.ts';

/**
 * HeteroFL's static sub-networks (Diao, Ding, Tarokh, ICLR 2021): a model of
 * smaller hidden widths is the global model's *first* channels of every
 * hidden channel space, in every layer producing, reading or acting per
 * channel on it (Dense/Conv2D columns and biases, the rows they read, with
 * one block of rows per position after a flatten; BatchNorm's and a
 * depthwise conv's per-channel values). The map is a list of indices into
 * the global model's arrays, so cutting a sub-network out is a gather and
 * putting one back a scatter.
 */
export interface SubNetworkIndex {
  /** The sub-network's architecture: the global spec with the smaller hidden widths. */
  readonly spec: ModelSpec;
  /** Per parameter layer (Network.layers order): for each kernel value of the sub-network, its index in the global kernel. */
  readonly kernels: readonly Int32Array[];
  /** The same for biases; null where the layer has none. */
  readonly biases: readonly (Int32Array | null)[];
}

/** The index map of the sub-network of `global` with `hiddenWidths` (each at most the global width of its level). */
export function subNetworkIndex(global: ModelSpec, hiddenWidths: readonly number[]): SubNetworkIndex {
  const own = layerWidths(global).slice(0, -1);
  if (hiddenWidths.length !== own.length) throw new FedfuseError('shape_mismatch', `a sub-network needs ${own.length} hidden widths, got ${hiddenWidths.length}`);
  hiddenWidths.forEach((w, l) => {
    if (!Number.isInteger(w) || w < 1 || w > own[l]!) throw new FedfuseError('shape_mismatch', `sub-network width ${w} at hidden level ${l} must be an integer in [1, ${own[l]}]`);
  });
  const spec = withHiddenWidths(global, hiddenWidths);
  const spaces = channelSpaces(global);
  const touches = spaceTouches(global, spaces);
  const weighted = weightedLayerIndices(global);
  const shapes = expectedKernelShapes(global);
  const layers = parameterLayers(global);
  const state: IndexLayer[] = shapes.map((shape, p) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const kind = layers[p]!.kind;
    const channels = kind === 'depthwiseConv2d' ? shape[2]! : shape[shape.length - 1]!;
    return { kernel: identity(size), outWidth: shape[shape.length - 1]!, bias: layerUsesBias(layers[p]!) ? identity(channels) : null };
  });
  // New width of every space, from its first hidden member (an add's members share one width).
  const widthOfSpace = spaces.spaces.map((s) => s.width);
  weighted.slice(0, -1).forEach((i, l) => {
    const s = spaces.spaceOfLayer[i]!;
    if (widthOfSpace[s] !== spaces.spaces[s]!.width && widthOfSpace[s] !== hiddenWidths[l]) {
      throw new FedfuseError('shape_mismatch', `hidden levels joined by an add need one width, got ${widthOfSpace[s]} and ${hiddenWidths[l]}`);
    }
    if (hiddenWidths[l] !== spaces.spaces[s]!.width && spaces.spaces[s]!.pinned !== null) {
      throw new FedfuseError('shape_mismatch', `hidden level ${l} is pinned (${spaces.spaces[s]!.pinned}) and keeps width ${spaces.spaces[s]!.width}`);
    }
    widthOfSpace[s] = hiddenWidths[l]!;
  });
  spaces.spaces.forEach((space, s) => {
    const kept = widthOfSpace[s]!;
    if (kept === space.width) return;
    for (const touch of touches[s]!) state[touch.parameter] = selectChannels(state[touch.parameter]!, touch.role, space.width, kept);
  });
  const subShapes = expectedKernelShapes(spec);
  state.forEach((layer, p) => {
    const size = subShapes[p]!.reduce((a, b) => a * b, 1);
    if (layer.kernel.length !== size) throw new FedfuseError('internal', `sub-network layer ${p}: ${layer.kernel.length} kernel indices for shape [${subShapes[p]!.join(', ')}]`);
  });
  return { spec, kernels: state.map((l) => l.kernel), biases: state.map((l) => l.bias) };
}

/** The sub-network of `global` at `hiddenWidths`: its first channels of every hidden space (copies). */
export function subNetwork(global: Network, hiddenWidths: readonly number[]): Network {
  const index = subNetworkIndex(global.spec, hiddenWidths);
  const shapes = expectedKernelShapes(index.spec);
  const layers: LayerWeights[] = global.layers.map((lw, p) => ({
    kernel: Float32Array.from(index.kernels[p]!, (k) => lw.kernel[k]!),
    kernelShape: shapes[p]!,
    bias: lw.bias === null ? null : Float32Array.from(index.biases[p]!, (k) => lw.bias![k]!),
  }));
  const net: Network = { spec: index.spec, layers };
  validateNetwork(net, 'sub-network');
  return net;
}

interface IndexLayer {
  readonly kernel: Int32Array;
  /** The kernel's last axis as it stands (its output channels, after any cut of them). */
  readonly outWidth: number;
  readonly bias: Int32Array | null;
}

function identity(n: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => i);
}

/**
 * Keeps channels 0..kept-1 of one space in one layer (permute-channels.ts's
 * layout: per-channel and produced values have the channel fastest, a
 * reader has one row of outWidth values per (position, channel)).
 */
function selectChannels(layer: IndexLayer, role: SpaceTouch['role'], width: number, kept: number): IndexLayer {
  const { kernel, outWidth, bias } = layer;
  if (role === 'per-channel' || role === 'produces') {
    const stride = role === 'per-channel' ? width : outWidth;
    const rows = kernel.length / stride;
    const out = new Int32Array(rows * (stride - width + kept));
    const newStride = stride - width + kept;
    for (let r = 0; r < rows; r++) for (let c = 0; c < newStride; c++) out[r * newStride + c] = kernel[r * stride + c]!;
    // A depthwise kernel [k, k, C, 1] is per channel with its last axis 1; a producer's last axis is the space.
    return { kernel: out, outWidth: role === 'produces' ? kept : outWidth, bias: bias === null ? null : bias.subarray(0, kept).slice() };
  }
  const positions = kernel.length / outWidth / width;
  const out = new Int32Array(positions * kept * outWidth);
  for (let q = 0; q < positions; q++) {
    for (let c = 0; c < kept; c++) out.set(kernel.subarray((q * width + c) * outWidth, (q * width + c + 1) * outWidth), (q * kept + c) * outWidth);
  }
  return { kernel: out, outWidth, bias };
}
