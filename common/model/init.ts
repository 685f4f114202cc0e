import { SeededRandom } from '../random/index.ts';
import { expectedKernelShapes, layerUsesBias, parameterLayers, type LayerWeights, type Network } from './network.ts';
import type { ModelSpec } from './spec.ts';

/**
 * A freshly initialised network, like Keras's defaults: Glorot-uniform kernels
 * (uniform in ±sqrt(6 / (fanIn + fanOut)), where a conv kernel's fans count
 * its receptive field) and zero biases. The same seed gives the same weights
 * in every process; each layer draws from its own forked stream so that
 * changing one layer's width does not reshuffle the others. BatchNorm starts
 * as Keras's: gamma 1, beta 0, moving mean 0, moving variance 1.
 */
export function initNetwork(spec: ModelSpec, seed: number): Network {
  const shapes = expectedKernelShapes(spec);
  const specs = parameterLayers(spec);
  const rng = new SeededRandom(seed);
  const layers = shapes.map((shape, l): LayerWeights => {
    const layer = specs[l]!;
    if (layer.kind === 'batchNorm') {
      const channels = shape[1]!;
      const kernel = new Float32Array(4 * channels);
      kernel.fill(1, 0, channels);
      kernel.fill(1, 3 * channels);
      return { kernel, kernelShape: shape, bias: null };
    }
    const layerRng = rng.fork(l);
    const { fanIn, fanOut } = fans(shape);
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    const kernel = new Float32Array(shape.reduce((a, b) => a * b, 1));
    for (let i = 0; i < kernel.length; i++) kernel[i] = (2 * layerRng.next() - 1) * limit;
    const width = layer.kind === 'depthwiseConv2d' ? shape[2]! : shape[shape.length - 1]!;
    return { kernel, kernelShape: shape, bias: layerUsesBias(layer) ? new Float32Array(width) : null };
  });
  return { spec, layers };
}

/** Keras's fans: Dense [in, out]; Conv2D [kh, kw, in, out] multiplies both by kh*kw. */
export function fans(kernelShape: readonly number[]): { fanIn: number; fanOut: number } {
  const receptiveField = kernelShape.slice(0, -2).reduce((a, b) => a * b, 1);
  return {
    fanIn: receptiveField * kernelShape[kernelShape.length - 2]!,
    fanOut: receptiveField * kernelShape[kernelShape.length - 1]!,
  };
}
