import type { LayerWeights, Network } from '../../common/model/network.ts';
import { layerWidths } from '../../common/model/spec.ts';
import type { FusionOptions } from './fusion-options.ts';
import type { FusionResult } from './fusion-report.ts';
import { validateParameterMeanInputs } from './validate-fusion-inputs.ts';

/**
 * Σ coefficient_k · parameters_k, layer by layer, in Float64 (parents must
 * share one spec; validated by the caller). Plain typed-array loops: one pass
 * over the parameters, no tensors needed.
 */
export function weightedParameterSum(parents: readonly Network[], coefficients: readonly number[]): Network {
  const reference = parents[0]!;
  const mix = (pick: (net: Network) => Float32Array): Float32Array => {
    const acc = new Float64Array(pick(reference).length);
    parents.forEach((net, k) => {
      const values = pick(net);
      const c = coefficients[k]!;
      for (let i = 0; i < acc.length; i++) acc[i]! += c * values[i]!;
    });
    return Float32Array.from(acc);
  };
  const layers = reference.layers.map(
    (lw, l): LayerWeights => ({
      kernel: mix((net) => net.layers[l]!.kernel),
      kernelShape: [...lw.kernelShape],
      bias: lw.bias === null ? null : mix((net) => net.layers[l]!.bias!),
    }),
  );
  return { spec: reference.spec, layers };
}

/**
 * The baselines: 'fedavg' (weights ∝ numExamples) and 'average' (equal
 * weights). Needs equal widths; the calibration set is not used (it may be
 * empty) but, when given, must hold whole samples.
 */
export async function fuseParameterMean(
  parents: readonly Network[],
  calibration: Float32Array,
  options: FusionOptions & { readonly method: 'fedavg' | 'average' },
): Promise<FusionResult> {
  const started = performance.now();
  const { samples, coefficients } = validateParameterMeanInputs(parents, calibration, options);
  const network = weightedParameterSum(parents, coefficients);
  return {
    network,
    report: {
      method: options.method,
      parents: parents.length,
      calibrationSamples: samples,
      importance: 'none',
      seed: options.seed ?? 0,
      hiddenWidths: layerWidths(network.spec).slice(0, -1),
      levels: [],
      totalSeconds: (performance.now() - started) / 1000,
    },
  };
}
