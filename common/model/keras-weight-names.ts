import type { ParameterLayerSpec } from './layer-spec.ts';

/**
 * The TF.js / Keras names of each parameter layer's weights, in the order
 * tfjs-layers creates them (its getWeights()/setWeights() order), and how
 * they map onto a LayerWeights block: BatchNorm's vectors are the rows of
 * its [4, channels] kernel (network.ts).
 */
export type WeightPart =
  | { readonly name: 'kernel' | 'depthwise_kernel'; readonly part: 'kernel' }
  | { readonly name: 'bias'; readonly part: 'bias' }
  | { readonly name: 'gamma' | 'beta' | 'moving_mean' | 'moving_variance'; readonly part: 'row'; readonly row: number };

export function kerasWeightParts(layer: ParameterLayerSpec): WeightPart[] {
  switch (layer.kind) {
    case 'dense':
    case 'conv2d':
      return layer.useBias ? [{ name: 'kernel', part: 'kernel' }, { name: 'bias', part: 'bias' }] : [{ name: 'kernel', part: 'kernel' }];
    case 'depthwiseConv2d':
      return layer.useBias ? [{ name: 'depthwise_kernel', part: 'kernel' }, { name: 'bias', part: 'bias' }] : [{ name: 'depthwise_kernel', part: 'kernel' }];
    case 'batchNorm': {
      const parts: WeightPart[] = [];
      if (layer.scale) parts.push({ name: 'gamma', part: 'row', row: 0 });
      if (layer.center) parts.push({ name: 'beta', part: 'row', row: 1 });
      parts.push({ name: 'moving_mean', part: 'row', row: 2 }, { name: 'moving_variance', part: 'row', row: 3 });
      return parts;
    }
  }
}
