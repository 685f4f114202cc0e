import { FedfuseError } from '../errors/index.ts';
import { activationShapes, isWeightedLayer, type ModelSpec } from './spec.ts';

/**
 * Parameters of one weighted layer as plain typed arrays, in TF.js layout:
 * Dense kernel [in, out]; Conv2D kernel [kh, kw, inChannels, outChannels].
 * Plain arrays (not tensors) so that networks can be stored, sent and validated
 * without owning GPU/WASM memory.
 */
export interface LayerWeights {
  readonly kernel: Float32Array;
  readonly kernelShape: readonly number[];
  readonly bias: Float32Array | null;
}

/** A model: its architecture and one LayerWeights per weighted layer, in order. */
export interface Network {
  readonly spec: ModelSpec;
  readonly layers: readonly LayerWeights[];
}

/** The kernel shape each weighted layer must have, derived from the spec alone. */
export function expectedKernelShapes(spec: ModelSpec): number[][] {
  const shapes = activationShapes(spec);
  const out: number[][] = [];
  spec.layers.forEach((layer, i) => {
    if (!isWeightedLayer(layer)) return;
    const inShape = shapes[i]!;
    if (layer.kind === 'dense') {
      if (inShape.length !== 1) throw new FedfuseError('shape_mismatch', `dense layer ${i} needs a flat input, got [${inShape.join(', ')}]`);
      out.push([inShape[0]!, layer.units]);
    } else {
      if (inShape.length !== 3) throw new FedfuseError('shape_mismatch', `conv2d layer ${i} needs an [h, w, c] input, got [${inShape.join(', ')}]`);
      out.push([layer.kernelSize, layer.kernelSize, inShape[2]!, layer.filters]);
    }
  });
  return out;
}

/** Throws a typed error when the weights do not fit the spec or are not finite. */
export function validateNetwork(net: Network, what = 'model'): void {
  const shapes = expectedKernelShapes(net.spec);
  if (net.layers.length !== shapes.length) {
    throw new FedfuseError('shape_mismatch', `${what}: spec has ${shapes.length} weighted layers, weights have ${net.layers.length}`);
  }
  const weightedSpecs = net.spec.layers.filter(isWeightedLayer);
  net.layers.forEach((lw, l) => {
    const shape = shapes[l]!;
    const size = shape.reduce((a, b) => a * b, 1);
    if (lw.kernelShape.length !== shape.length || lw.kernelShape.some((d, k) => d !== shape[k])) {
      throw new FedfuseError('shape_mismatch', `${what}: layer ${l} kernel has shape [${lw.kernelShape.join(', ')}], expected [${shape.join(', ')}]`);
    }
    if (lw.kernel.length !== size) {
      throw new FedfuseError('shape_mismatch', `${what}: layer ${l} kernel has ${lw.kernel.length} values, shape needs ${size}`);
    }
    const width = shape[shape.length - 1]!;
    const wantsBias = weightedSpecs[l]!.useBias;
    if (wantsBias !== (lw.bias !== null)) {
      throw new FedfuseError('shape_mismatch', `${what}: layer ${l} ${wantsBias ? 'lacks its' : 'has an unexpected'} bias`);
    }
    if (lw.bias !== null && lw.bias.length !== width) {
      throw new FedfuseError('shape_mismatch', `${what}: layer ${l} bias has ${lw.bias.length} values, expected ${width}`);
    }
    if (!allFinite(lw.kernel) || (lw.bias !== null && !allFinite(lw.bias))) {
      throw new FedfuseError('non_finite', `${what}: layer ${l} has NaN or infinite weights`);
    }
  });
}

export function allFinite(values: ArrayLike<number>): boolean {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i]!)) return false;
  return true;
}

/** Total number of parameters. */
export function parameterCount(net: Network): number {
  return net.layers.reduce((n, l) => n + l.kernel.length + (l.bias?.length ?? 0), 0);
}
