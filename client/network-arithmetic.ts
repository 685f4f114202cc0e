import type { Network } from '../common/model/network.ts';

/** Σ coefficient_k · network_k, parameter by parameter in Float64 (the networks share one spec). */
export function weightedSum(networks: readonly Network[], coefficients: readonly number[]): Network {
  const first = networks[0]!;
  const mix = (pick: (n: Network) => Float32Array): Float32Array => {
    const acc = new Float64Array(pick(first).length);
    networks.forEach((n, k) => {
      const v = pick(n);
      for (let i = 0; i < acc.length; i++) acc[i]! += coefficients[k]! * v[i]!;
    });
    return Float32Array.from(acc);
  };
  return {
    spec: first.spec,
    layers: first.layers.map((l, i) => ({
      kernel: mix((n) => n.layers[i]!.kernel),
      kernelShape: [...l.kernelShape],
      bias: l.bias === null ? null : mix((n) => n.layers[i]!.bias!),
    })),
  };
}
