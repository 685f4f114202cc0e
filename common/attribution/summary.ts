import { FedfuseError } from '../errors/index.ts';
import { layerWidths, type ModelSpec } from '../model/spec.ts';

/**
 * How much each neuron of a model matters, as computed by a client on its own
 * labelled data (or by the server on the calibration set): one non-negative
 * score per unit (Dense) or channel (Conv2D) of every weighted layer, in order.
 * The server never needs the labels, only these scores.
 */
export const ATTRIBUTION_METHODS = ['uniform', 'conductance', 'grad-x-act', 'ablation', 'activation'] as const;
export type AttributionMethod = (typeof ATTRIBUTION_METHODS)[number];

export interface AttributionSummary {
  readonly method: AttributionMethod;
  /** Number of samples the scores were averaged over (0 for uniform). */
  readonly samplesUsed: number;
  /** One vector per weighted layer of the model, of that layer's width. */
  readonly layers: readonly Float32Array[];
}

export function isAttributionMethod(s: string): s is AttributionMethod {
  return (ATTRIBUTION_METHODS as readonly string[]).includes(s);
}

/**
 * Checks a summary against the model it describes: right number of layers and
 * neurons, finite, non-negative, not all zero in any layer. Throws a typed error.
 */
export function validateAttributionSummary(summary: AttributionSummary, spec: ModelSpec, what = 'attribution summary'): void {
  const widths = layerWidths(spec);
  if (!isAttributionMethod(summary.method)) {
    throw new FedfuseError('invalid_argument', `${what}: unknown method "${String(summary.method)}"`);
  }
  if (!Number.isInteger(summary.samplesUsed) || summary.samplesUsed < 0) {
    throw new FedfuseError('invalid_argument', `${what}: samplesUsed must be a non-negative integer, got ${summary.samplesUsed}`);
  }
  if (summary.layers.length !== widths.length) {
    throw new FedfuseError('shape_mismatch', `${what}: has ${summary.layers.length} layers, the model has ${widths.length}`);
  }
  summary.layers.forEach((scores, l) => {
    if (scores.length !== widths[l]) {
      throw new FedfuseError('shape_mismatch', `${what}: layer ${l} has ${scores.length} scores, the layer has ${widths[l]} neurons`);
    }
    let sum = 0;
    for (let i = 0; i < scores.length; i++) {
      const v = scores[i]!;
      if (!Number.isFinite(v)) throw new FedfuseError('non_finite', `${what}: layer ${l} score ${i} is ${v}`);
      if (v < 0) throw new FedfuseError('invalid_argument', `${what}: layer ${l} score ${i} is negative (${v})`);
      sum += v;
    }
    if (sum === 0) throw new FedfuseError('invalid_argument', `${what}: layer ${l} scores are all zero`);
  });
}

/** All-ones scores for a model: what "no attribution" means. */
export function uniformSummary(spec: ModelSpec): AttributionSummary {
  return { method: 'uniform', samplesUsed: 0, layers: layerWidths(spec).map((w) => new Float32Array(w).fill(1)) };
}
