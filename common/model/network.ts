import { FedfuseError } from '../errors/index.ts';
import { hasParameters, layerInputShapes, type ModelSpec, type ParameterLayerSpec } from './spec.ts';

/**
 * Parameters of one layer as plain typed arrays, in TF.js layout:
 * Dense kernel [in, out]; Conv2D kernel [kh, kw, inChannels, outChannels];
 * DepthwiseConv2D kernel [kh, kw, channels, 1]. BatchNormalization keeps its
 * four per-channel vectors as the rows of one kernel [4, channels]: gamma,
 * beta, moving mean, moving variance (gamma 1 without `scale`, beta 0 without
 * `center`), and no bias. One block per layer lets everything that treats
 * parameters generically (the wire, the store, FedAvg, screening distances)
 * handle every layer the same way.
 * Plain arrays (not tensors) so that networks can be stored, sent and validated
 * without owning GPU/WASM memory.
 */
export interface LayerWeights {
  readonly kernel: Float32Array;
  readonly kernelShape: readonly number[];
  readonly bias: Float32Array | null;
}

/** A model: its architecture and one LayerWeights per layer with parameters (parameterLayerIndices), in order. */
export interface Network {
  readonly spec: ModelSpec;
  readonly layers: readonly LayerWeights[];
}

/** The kernel shape of one parameter layer whose input has shape `inShape`. */
export function kernelShapeOf(layer: ParameterLayerSpec, inShape: readonly number[]): number[] {
  const channels = inShape[inShape.length - 1]!;
  switch (layer.kind) {
    case 'dense':
      return [inShape[0]!, layer.units];
    case 'conv2d':
      return [layer.kernelSize, layer.kernelSize, channels, layer.filters];
    case 'depthwiseConv2d':
      return [layer.kernelSize, layer.kernelSize, channels, 1];
    case 'batchNorm':
      return [4, channels];
  }
}

/** Whether a parameter layer has a bias vector (BatchNorm keeps its beta in the kernel). */
export function layerUsesBias(layer: ParameterLayerSpec): boolean {
  return layer.kind !== 'batchNorm' && layer.useBias;
}

/** The kernel shape each parameter layer must have, derived from the spec alone (which must compose). */
export function expectedKernelShapes(spec: ModelSpec): number[][] {
  const inputs = layerInputShapes(spec);
  const out: number[][] = [];
  spec.layers.forEach((layer, i) => {
    if (hasParameters(layer)) out.push(kernelShapeOf(layer, inputs[i]!));
  });
  return out;
}

/** The parameter layers' specs, in Network.layers order. */
export function parameterLayers(spec: ModelSpec): ParameterLayerSpec[] {
  return spec.layers.filter(hasParameters);
}

/** Throws a typed error when the weights do not fit the spec or are not finite. */
export function validateNetwork(net: Network, what = 'model'): void {
  const shapes = expectedKernelShapes(net.spec);
  if (net.layers.length !== shapes.length) {
    throw new FedfuseError('shape_mismatch', `${what}: spec has ${shapes.length} layers with parameters, weights have ${net.layers.length}`);
  }
  const specs = parameterLayers(net.spec);
  net.layers.forEach((lw, l) => {
    const shape = shapes[l]!;
    const size = shape.reduce((a, b) => a * b, 1);
    if (lw.kernelShape.length !== shape.length || lw.kernelShape.some((d, k) => d !== shape[k])) {
      throw new FedfuseError('shape_mismatch', `${what}: layer ${l} kernel has shape [${lw.kernelShape.join(', ')}], expected [${shape.join(', ')}]`);
    }
    if (lw.kernel.length !== size) {
      throw new FedfuseError('shape_mismatch', `${what}: layer ${l} kernel has ${lw.kernel.length} values, shape needs ${size}`);
    }
    // Output channels: the last axis, except a depthwise kernel's [kh, kw, channels, 1].
    const width = specs[l]!.kind === 'depthwiseConv2d' ? shape[2]! : shape[shape.length - 1]!;
    const wantsBias = layerUsesBias(specs[l]!);
    if (wantsBias !== (lw.bias !== null)) {
      throw new FedfuseError('shape_mismatch', `${what}: layer ${l} ${wantsBias ? 'lacks its' : 'has an unexpected'} bias`);
    }
    if (lw.bias !== null && lw.bias.length !== width) {
      throw new FedfuseError('shape_mismatch', `${what}: layer ${l} bias has ${lw.bias.length} values, expected ${width}`);
    }
    if (!allFinite(lw.kernel) || (lw.bias !== null && !allFinite(lw.bias))) {
      throw new FedfuseError('non_finite', `${what}: layer ${l} has NaN or infinite weights`);
    }
    if (specs[l]!.kind === 'batchNorm') {
      // Moving variances (row 3) below zero would make the inference-mode normalisation NaN.
      for (let c = 0; c < width; c++) {
        if (!(lw.kernel[3 * width + c]! >= 0)) throw new FedfuseError('invalid_argument', `${what}: layer ${l} has a negative moving variance`);
      }
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
