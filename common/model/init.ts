import { SeededRandom } from '../random/index.ts';
import { expectedKernelShapes, type LayerWeights, type Network } from './network.ts';
import { isWeightedLayer, type ModelSpec } from './spec.ts';

/**
 * A freshly initialised network, like Keras's defaults: Glorot-uniform kernels
 * (uniform in ±sqrt(6 / (fanIn + fanOut)), where a conv kernel's fans count
 * its receptive field) and zero biases. The same seed gives the same weights
 * in every process; each layer draws from its own forked stream so that
 * changing one layer's width does not reshuffle the others.
 */
export function initNetwork(spec: ModelSpec, seed: number): Network {
  const shapes = expectedKernelShapes(spec);
  const weighted = spec.layers.filter(isWeightedLayer);
  const rng = new SeededRandom(seed);
  const layers = shapes.map((shape, l): LayerWeights => {
    const layerRng = rng.fork(l);
    const { fanIn, fanOut } = fans(shape);
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    const kernel = new Float32Array(shape.reduce((a, b) => a * b, 1));
    for (let i = 0; i < kernel.length; i++) kernel[i] = (2 * layerRng.next() - 1) * limit;
    const width = shape[shape.length - 1]!;
    return { kernel, kernelShape: shape, bias: weighted[l]!.useBias ? new Float32Array(width) : null };
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
