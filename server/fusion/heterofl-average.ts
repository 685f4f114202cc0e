import { FedfuseError } from '../../common/errors/index.ts';
import { validateNetwork, type Network } from '../../common/model/network.ts';
import { layerWidths } from '../../common/model/spec.ts';
import { subNetworkIndex } from './sub-network.ts';

/**
 * HeteroFL's aggregation (Diao et al. 2021): every parameter of the global
 * model becomes the mean, weighted by `numExamples`, of the values the
 * clients that hold it (their sub-network contains it: sub-network.ts)
 * uploaded; a parameter no client holds keeps the global value. With every
 * client at full width this is FedAvg exactly. (The paper's code weighs
 * clients equally; example weights keep it comparable with fedavg here.)
 */
export function heteroFLAverage(global: Network, clients: readonly Network[], numExamples: readonly number[]): Network {
  if (clients.length === 0) throw new FedfuseError('invalid_argument', 'HeteroFL needs at least one client model');
  if (numExamples.length !== clients.length) throw new FedfuseError('invalid_argument', `numExamples has ${numExamples.length} entries for ${clients.length} clients`);
  numExamples.forEach((n, k) => {
    if (!Number.isFinite(n) || n < 0) throw new FedfuseError('invalid_argument', `numExamples[${k}] must be a finite number >= 0, got ${n}`);
  });
  const sums = global.layers.map((lw) => ({ kernel: new Float64Array(lw.kernel.length), bias: lw.bias === null ? null : new Float64Array(lw.bias.length) }));
  const weights = global.layers.map((lw) => ({ kernel: new Float64Array(lw.kernel.length), bias: lw.bias === null ? null : new Float64Array(lw.bias.length) }));
  clients.forEach((client, k) => {
    validateNetwork(client, `client model ${k}`);
    const index = subNetworkIndex(global.spec, layerWidths(client.spec).slice(0, -1));
    if (JSON.stringify(index.spec) !== JSON.stringify(client.spec)) {
      throw new FedfuseError('shape_mismatch', `client model ${k} is not a sub-network of the global model (another architecture than the global one at its widths)`);
    }
    const n = numExamples[k]!;
    client.layers.forEach((lw, p) => {
      const into = index.kernels[p]!;
      for (let j = 0; j < into.length; j++) {
        sums[p]!.kernel[into[j]!]! += n * lw.kernel[j]!;
        weights[p]!.kernel[into[j]!]! += n;
      }
      if (lw.bias !== null) {
        const biasInto = index.biases[p]!;
        for (let j = 0; j < biasInto.length; j++) {
          sums[p]!.bias![biasInto[j]!]! += n * lw.bias[j]!;
          weights[p]!.bias![biasInto[j]!]! += n;
        }
      }
    });
  });
  const mean = (sum: Float64Array, weight: Float64Array, fallback: Float32Array): Float32Array => Float32Array.from(sum, (s, i) => (weight[i]! > 0 ? s / weight[i]! : fallback[i]!));
  return {
    spec: global.spec,
    layers: global.layers.map((lw, p) => ({
      kernel: mean(sums[p]!.kernel, weights[p]!.kernel, lw.kernel),
      kernelShape: lw.kernelShape,
      bias: lw.bias === null ? null : mean(sums[p]!.bias!, weights[p]!.bias!, lw.bias),
    })),
  };
}
