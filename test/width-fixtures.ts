import { channelSpaces } from '../common/model/channel-spaces.ts';
import { layerInputs, parameterLayerIndices, type Network } from '../common/model/index.ts';

/** Test fixtures for heterogeneous widths. */

/**
 * The global model with every channel beyond the first `kept` of each hidden
 * space dead (always 0): its producers' columns and biases, and the
 * per-channel layers' shift (BatchNorm beta and moving mean, depthwise bias)
 * set to zero. Written from the spec, apart from the code under test.
 */
export function withDeadTail(net: Network, hidden: readonly number[]): Network {
  const spec = net.spec;
  const spaces = channelSpaces(spec);
  const keptOfSpace = spaces.spaces.map((s) => s.width);
  spec.layers.forEach((layer, i) => {
    if (layer.kind !== 'dense' && layer.kind !== 'conv2d') return;
    const l = spec.layers.slice(0, i).filter((x) => x.kind === 'dense' || x.kind === 'conv2d').length;
    if (l < hidden.length) keptOfSpace[spaces.spaceOfLayer[i]!] = hidden[l]!;
  });
  const params = parameterLayerIndices(spec);
  const layers = net.layers.map((lw, p) => {
    const i = params[p]!;
    const layer = spec.layers[i]!;
    const kernel = Float32Array.from(lw.kernel);
    const bias = lw.bias === null ? null : Float32Array.from(lw.bias);
    if (layer.kind === 'batchNorm' || layer.kind === 'depthwiseConv2d') {
      const from = layerInputs(spec, i)[0]!;
      const s = spaces.spaceOfLayer[from]!;
      const width = spaces.spaces[s]!.width;
      for (let c = keptOfSpace[s]!; c < width; c++) {
        if (layer.kind === 'batchNorm') kernel[width + c] = kernel[2 * width + c] = 0;
        else if (bias !== null) bias[c] = 0;
      }
      return { kernel, kernelShape: lw.kernelShape, bias };
    }
    const s = spaces.spaceOfLayer[i]!;
    const width = lw.kernelShape[lw.kernelShape.length - 1]!;
    for (let c = keptOfSpace[s]!; c < width; c++) {
      for (let k = c; k < kernel.length; k += width) kernel[k] = 0;
      if (bias !== null) bias[c] = 0;
    }
    return { kernel, kernelShape: lw.kernelShape, bias };
  });
  return { spec, layers };
}

