import { FedfuseError } from '../../common/errors/index.ts';
import type { Network } from '../../common/model/network.ts';

/**
 * Euclidean distance between all parameters (kernels and biases) of an update
 * and of the global model it started from: how far the client moved the model.
 * Accumulated in float64; a non-finite weight gives a non-finite distance.
 */
export function updateDistance(update: Network, global: Network): number {
  if (update.layers.length !== global.layers.length) {
    throw new FedfuseError('shape_mismatch', `update has ${update.layers.length} weighted layers, the global model ${global.layers.length}`);
  }
  let sum = 0;
  update.layers.forEach((layer, l) => {
    const reference = global.layers[l]!;
    sum += squaredDifference(layer.kernel, reference.kernel, `layer ${l} kernel`);
    if (layer.bias !== null || reference.bias !== null) {
      if (layer.bias === null || reference.bias === null) throw new FedfuseError('shape_mismatch', `layer ${l}: bias present in only one of update and global model`);
      sum += squaredDifference(layer.bias, reference.bias, `layer ${l} bias`);
    }
  });
  return Math.sqrt(sum);
}

/** Euclidean norm of all parameters of a network. */
export function parameterNorm(net: Network): number {
  let sum = 0;
  for (const layer of net.layers) {
    for (const v of layer.kernel) sum += v * v;
    if (layer.bias !== null) for (const v of layer.bias) sum += v * v;
  }
  return Math.sqrt(sum);
}

function squaredDifference(a: Float32Array, b: Float32Array, what: string): number {
  if (a.length !== b.length) throw new FedfuseError('shape_mismatch', `${what}: ${a.length} values in the update, ${b.length} in the global model`);
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!;
    sum += d * d;
  }
  return sum;
}
