import { FedfuseError } from '../errors/index.ts';
import { validateNetwork, type Network } from '../model/network.ts';
import { layerWidths } from '../model/spec.ts';
import { forEachAttributedChunk } from './chunked-attribution.ts';
import { fillDeadLayer } from './dead-layer.ts';
import { attributorFor, type DataAttributionMethod, type MethodSettings } from './method-attributor.ts';
import { firstSamples, validateLabelledSamples, type LabelledSamples } from './samples.ts';
import { uniformSummary, validateAttributionSummary, type AttributionMethod, type AttributionSummary } from './summary.ts';

/** How to chunk the work; every field is optional. */
export interface ChunkSettings {
  /** Samples per chunk. Default: as many as keep a chunk's activations near CHUNK_VALUE_BUDGET (16 MB per tensor). */
  readonly batchSize?: number;
}

export interface AttributionOptions extends MethodSettings, ChunkSettings {
  readonly method: AttributionMethod;
  /** Use only the first `maxSamples` samples (shuffle beforehand for a random subset). Default: all. */
  readonly maxSamples?: number;
}

export type ScoreOptions = MethodSettings & ChunkSettings;

/**
 * Per-sample SIGNED attribution: one Float32Array per weighted layer, row-major
 * [count, width] (sample i, neuron j at i·width + j). For conductance, row i of
 * a layer sums to F(x_i) − F(0) up to the step error (completeness); for
 * ablation it is F(x) − F(x with the neuron zeroed).
 */
export async function perSampleAttribution(
  net: Network,
  samples: LabelledSamples,
  options: ScoreOptions & { readonly method: DataAttributionMethod },
): Promise<Float32Array[]> {
  const widths = layerWidths(net.spec);
  const out = widths.map((w) => new Float32Array(samples.count * w));
  await forEachAttributedChunk(net, samples, attributorFor(options.method, options), options.batchSize, (layers, start) => {
    layers.forEach((values, l) => out[l]!.set(values, start * widths[l]!));
  });
  return out;
}

/**
 * Mean over samples of |attribution| per neuron: one Float32Array of the
 * layer's width per weighted layer. Raw scores: a dead layer stays all zero here.
 */
export async function meanAbsoluteAttribution(
  net: Network,
  samples: LabelledSamples,
  options: ScoreOptions & { readonly method: DataAttributionMethod },
): Promise<Float32Array[]> {
  const widths = layerWidths(net.spec);
  const sums = widths.map((w) => new Float64Array(w));
  await forEachAttributedChunk(net, samples, attributorFor(options.method, options), options.batchSize, (layers, _start, n) => {
    layers.forEach((values, l) => {
      const sum = sums[l]!;
      const width = widths[l]!;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < width; j++) sum[j]! += Math.abs(values[i * width + j]!);
      }
    });
  });
  return sums.map((sum) => Float32Array.from(sum, (s) => s / samples.count));
}

/** Mean |conductance| per neuron (steps default 10). */
export function conductanceScores(net: Network, samples: LabelledSamples, options: ScoreOptions = {}): Promise<Float32Array[]> {
  return meanAbsoluteAttribution(net, samples, { ...options, method: 'conductance' });
}

/** Mean |gradient × activation| per neuron. */
export function gradientTimesActivationScores(net: Network, samples: LabelledSamples, options: ScoreOptions = {}): Promise<Float32Array[]> {
  return meanAbsoluteAttribution(net, samples, { ...options, method: 'grad-x-act' });
}

/** Mean |change of the target logit| when the neuron is zeroed. */
export function ablationScores(net: Network, samples: LabelledSamples, options: ScoreOptions = {}): Promise<Float32Array[]> {
  return meanAbsoluteAttribution(net, samples, { ...options, method: 'ablation' });
}

/** Mean |output| per neuron (label-free: the samples may be unlabelled, label -1). */
export function activationScores(net: Network, samples: LabelledSamples, options: ScoreOptions = {}): Promise<Float32Array[]> {
  return meanAbsoluteAttribution(net, samples, { ...options, method: 'activation' });
}

/** All ones per neuron (no data looked at). */
export function uniformScores(net: Network): Float32Array[] {
  return [...uniformSummary(net.spec).layers];
}

/**
 * The attribution summary a client sends (or the server computes on labelled
 * calibration data): the method's mean |attribution| per neuron over the first
 * `maxSamples` samples, with every all-zero (dead) layer replaced by uniform
 * DEAD_LAYER_SCORE (see dead-layer.ts). Always passes validateAttributionSummary.
 */
export async function computeAttribution(net: Network, samples: LabelledSamples, options: AttributionOptions): Promise<AttributionSummary> {
  const { method, maxSamples } = options;
  if (method === 'uniform') {
    validateNetwork(net);
    return uniformSummary(net.spec);
  }
  if (maxSamples !== undefined && (!Number.isInteger(maxSamples) || maxSamples < 1)) {
    throw new FedfuseError('invalid_argument', `maxSamples must be a positive integer, got ${maxSamples}`);
  }
  validateLabelledSamples(samples, net.spec, method !== 'activation');
  const used = maxSamples === undefined || maxSamples >= samples.count ? samples : firstSamples(samples, net.spec, maxSamples);
  const layers = await meanAbsoluteAttribution(net, used, { ...options, method });
  layers.forEach((scores, l) => {
    for (let i = 0; i < scores.length; i++) {
      if (!Number.isFinite(scores[i]!)) {
        throw new FedfuseError('non_finite', `${method} attribution of layer ${l} neuron ${i} is ${scores[i]}: the model's outputs overflow on these samples`);
      }
    }
    fillDeadLayer(scores);
  });
  const summary: AttributionSummary = { method, samplesUsed: used.count, layers };
  validateAttributionSummary(summary, net.spec);
  return summary;
}
