import type { Network } from '../../common/model/network.ts';
import { networkLogits } from '../../common/model/network-logits.ts';
import { layerWidths } from '../../common/model/spec.ts';
import type { ResolvedNeuronFusionOptions } from './fusion-options.ts';
import { priorMatchingShift, withBiasShift, type PriorMatchingReport } from './output-prior-matching.ts';
import { weightedParameterSum } from './parameter-average.ts';

/** What the output calibration did to a fused model (FusionReport.outputCalibration). */
export interface OutputCalibrationReport {
  /** Factor the output layer was multiplied by (1 when not rescaled), and why not when it was not. */
  readonly scale: number;
  readonly scaleSkipped: string | null;
  readonly priorMatching: PriorMatchingReport | null;
}

/**
 * Root-mean-square of the centred logits (each sample's logits minus their
 * mean) on the calibration set: how confident the model's outputs are,
 * independent of the shift that softmax ignores. `logits`: samples x classes.
 */
export function logitSpread(logits: Float32Array, samples: number): number {
  const classes = logits.length / samples;
  let total = 0;
  for (let r = 0; r < samples; r++) {
    let mean = 0;
    for (let c = 0; c < classes; c++) mean += logits[r * classes + c]! / classes;
    for (let c = 0; c < classes; c++) total += (logits[r * classes + c]! - mean) ** 2;
  }
  return Math.sqrt(total / logits.length);
}

function scaledOutput(net: Network, factor: number): Network {
  const last = net.layers[net.layers.length - 1]!;
  return {
    spec: net.spec,
    layers: [
      ...net.layers.slice(0, -1),
      { ...last, kernel: Float32Array.from(last.kernel, (v) => v * factor), bias: last.bias === null ? null : Float32Array.from(last.bias, (v) => v * factor) },
    ],
  };
}

/**
 * The output-layer steps after a neuron-level fusion (options.outputScale,
 * options.outputPrior): rescale to FedAvg's logit spread, then match the
 * class prior. Both change only the last layer, and only by a scalar and a
 * bias shift, so the fused model runs on the calibration set once: scaling
 * the layer scales its logits, and prior matching works on the logits.
 */
export async function calibrateOutput(
  fused: Network,
  parents: readonly Network[],
  calibration: Float32Array,
  samples: number,
  options: ResolvedNeuronFusionOptions,
): Promise<{ network: Network; report: OutputCalibrationReport | null }> {
  if (options.outputScale === 'fitted' && options.outputPrior === null) return { network: fused, report: null };
  let network = fused;
  const logits = await networkLogits(fused, calibration, samples);
  let scale = 1;
  let scaleSkipped: string | null = null;
  if (options.outputScale === 'fedavg') {
    const widths = layerWidths(fused.spec).join(',');
    if (options.numExamples === null) scaleSkipped = 'no numExamples for the FedAvg reference';
    else if (!parents.every((p) => layerWidths(p.spec).join(',') === widths)) scaleSkipped = 'parents and fused model differ in width';
    else {
      const total = options.numExamples.reduce((a, b) => a + b, 0);
      const reference = weightedParameterSum(parents, options.numExamples.map((n) => n / total));
      const target = logitSpread(await networkLogits(reference, calibration, samples), samples);
      const current = logitSpread(logits, samples);
      if (target > 0 && current > 0 && Number.isFinite(target / current)) {
        scale = target / current;
        network = scaledOutput(network, scale);
        for (let i = 0; i < logits.length; i++) logits[i]! *= scale;
      } else scaleSkipped = 'zero logit spread';
    }
  }
  let priorMatching: PriorMatchingReport | null = null;
  if (options.outputPrior !== null && network.layers[network.layers.length - 1]!.bias !== null) {
    const matched = withBiasShift(network, priorMatchingShift(logits, samples, options.outputPrior));
    network = matched.network;
    priorMatching = matched.report;
  }
  return { network, report: { scale, scaleSkipped, priorMatching } };
}
