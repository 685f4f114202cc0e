import { channelSpaces, spaceOfTensor, type ChannelSpaces } from '../../../common/model/channel-spaces.ts';
import type { LayerWeights, Network } from '../../../common/model/network.ts';
import { layerInputs, parameterLayerIndices, type ModelSpec } from '../../../common/model/spec.ts';

/**
 * Where one parameter layer touches a channel space: a layer whose output
 * columns are in it (dense, conv: the producers), one reading it (the rows of
 * a dense or conv kernel, by channel within each position), or a per-channel
 * layer on it (BatchNorm's [4, C] rows, a depthwise conv's [k, k, C, 1]: both
 * "channel fastest"). One layer may be a producer and a reader of one space.
 */
export interface SpaceTouch {
  /** Index into Network.layers. */
  readonly parameter: number;
  readonly role: 'produces' | 'reads' | 'per-channel';
}

/** The parameter layers touching each space, by space id. */
export function spaceTouches(spec: ModelSpec, spaces: ChannelSpaces = channelSpaces(spec)): SpaceTouch[][] {
  const touches: SpaceTouch[][] = spaces.spaces.map(() => []);
  parameterLayerIndices(spec).forEach((i, p) => {
    const layer = spec.layers[i]!;
    const inSpace = spaceOfTensor(spaces, layerInputs(spec, i)[0]!);
    if (layer.kind === 'batchNorm' || layer.kind === 'depthwiseConv2d') {
      touches[inSpace]!.push({ parameter: p, role: 'per-channel' });
      return;
    }
    touches[spaces.spaceOfLayer[i]!]!.push({ parameter: p, role: 'produces' });
    touches[inSpace]!.push({ parameter: p, role: 'reads' });
  });
  return touches;
}

/**
 * The same function with the channels of one space re-ordered: channel j of
 * the result is channel `sourceOf[j]` of `net`, in every layer producing,
 * reading or acting per channel on the space. Nothing else changes.
 */
export function permuteChannelSpace(net: Network, space: number, sourceOf: Int32Array | readonly number[], spaces: ChannelSpaces = channelSpaces(net.spec), touches: SpaceTouch[][] = spaceTouches(net.spec, spaces)): Network {
  const width = spaces.spaces[space]!.width;
  const layers = [...net.layers];
  for (const touch of touches[space]!) {
    const lw = layers[touch.parameter]!;
    layers[touch.parameter] = permuteLayer(lw, touch.role, width, sourceOf);
  }
  return { spec: net.spec, layers };
}

function permuteLayer(lw: LayerWeights, role: SpaceTouch['role'], width: number, sourceOf: Int32Array | readonly number[]): LayerWeights {
  const { kernel, kernelShape, bias } = lw;
  if (role === 'per-channel') {
    return {
      kernel: Float32Array.from(kernel, (_, k) => kernel[k - (k % width) + sourceOf[k % width]!]!),
      kernelShape,
      bias: bias === null ? null : Float32Array.from(bias, (_, c) => bias[sourceOf[c]!]!),
    };
  }
  const outWidth = kernelShape[kernelShape.length - 1]!;
  if (role === 'produces') {
    return {
      kernel: Float32Array.from(kernel, (_, k) => kernel[k - (k % outWidth) + sourceOf[k % outWidth]!]!),
      kernelShape,
      bias: bias === null ? null : Float32Array.from(bias, (_, c) => bias[sourceOf[c]!]!),
    };
  }
  const rows = kernel.length / outWidth;
  const out = new Float32Array(kernel.length);
  for (let r = 0; r < rows; r++) {
    const source = r - (r % width) + sourceOf[r % width]!;
    out.set(kernel.subarray(source * outWidth, (source + 1) * outWidth), r * outWidth);
  }
  return { kernel: out, kernelShape, bias };
}
