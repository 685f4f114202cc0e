import * as tf from '@tensorflow/tfjs';
import { batchOf, disposeNetworkTensors, forwardLogits, toNetworkTensors } from '../../common/model/forward.ts';
import type { Network } from '../../common/model/network.ts';
import { layerWidths } from '../../common/model/spec.ts';
import type { ResolvedNeuronFusionOptions } from './fusion-options.ts';
import { matchOutputPrior, type PriorMatchingReport } from './output-prior-matching.ts';
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
 * independent of the shift that softmax ignores.
 */
export function logitSpread(net: Network, calibration: Float32Array, samples: number): number {
  const tensors = toNetworkTensors(net);
  try {
    return tf.tidy(() => {
      const z = forwardLogits(tensors, batchOf(net.spec, calibration, samples));
      const centred = tf.sub(z, tf.mean(z, 1, true));
      return Math.sqrt(tf.mean(tf.square(centred)).dataSync()[0]!);
    });
  } finally {
    disposeNetworkTensors(tensors);
  }
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
 * bias shift, so the fused hidden layers are untouched.
 */
export function calibrateOutput(
  fused: Network,
  parents: readonly Network[],
  calibration: Float32Array,
  samples: number,
  options: ResolvedNeuronFusionOptions,
): { network: Network; report: OutputCalibrationReport | null } {
  if (options.outputScale === 'fitted' && options.outputPrior === null) return { network: fused, report: null };
  let network = fused;
  let scale = 1;
  let scaleSkipped: string | null = null;
  if (options.outputScale === 'fedavg') {
    const widths = layerWidths(fused.spec).join(',');
    if (options.numExamples === null) scaleSkipped = 'no numExamples for the FedAvg reference';
    else if (!parents.every((p) => layerWidths(p.spec).join(',') === widths)) scaleSkipped = 'parents and fused model differ in width';
    else {
      const total = options.numExamples.reduce((a, b) => a + b, 0);
      const reference = weightedParameterSum(parents, options.numExamples.map((n) => n / total));
      const target = logitSpread(reference, calibration, samples);
      const current = logitSpread(network, calibration, samples);
      if (target > 0 && current > 0 && Number.isFinite(target / current)) {
        scale = target / current;
        network = scaledOutput(network, scale);
      } else scaleSkipped = 'zero logit spread';
    }
  }
  let priorMatching: PriorMatchingReport | null = null;
  if (options.outputPrior !== null) {
    const matched = matchOutputPrior(network, calibration, samples, options.outputPrior);
    network = matched.network;
    priorMatching = matched.report;
  }
  return { network, report: { scale, scaleSkipped, priorMatching } };
}
