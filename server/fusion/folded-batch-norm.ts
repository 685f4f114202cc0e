import type { LayerWeights } from '../../common/model/network.ts';
import type { BatchNormLayerSpec } from '../../common/model/spec.ts';

/**
 * A layer followed by an inference-mode BatchNorm is one affine map per
 * output channel c: BN(z)_c = s_c·z_c + t_c with s_c = gamma_c/sqrt(var_c + eps)
 * and t_c = beta_c − s_c·mean_c. Folding it into the layer's weights (kernel
 * column c times s_c, bias s_c·b_c + t_c) gives the parents' weights of a
 * level whose target is the normalised output (for the aligned prior).
 */
export function foldBatchNorm(layer: LayerWeights, batchNorm: LayerWeights, spec: Pick<BatchNormLayerSpec, 'epsilon' | 'center' | 'scale'>): LayerWeights {
  const c = batchNorm.kernelShape[1]!;
  const k = batchNorm.kernel;
  const scale = new Float64Array(c);
  const shift = new Float64Array(c);
  for (let j = 0; j < c; j++) {
    const gamma = spec.scale ? k[j]! : 1;
    const beta = spec.center ? k[c + j]! : 0;
    scale[j] = gamma / Math.sqrt(k[3 * c + j]! + spec.epsilon);
    shift[j] = beta - scale[j]! * k[2 * c + j]!;
  }
  const width = layer.kernelShape[layer.kernelShape.length - 1]!;
  const kernel = Float32Array.from(layer.kernel, (v, i) => v * scale[i % width]!);
  const bias = Float32Array.from({ length: width }, (_, j) => scale[j]! * (layer.bias?.[j] ?? 0) + shift[j]!);
  return { kernel, kernelShape: layer.kernelShape, bias };
}
