import { computeAttribution, type AttributionSummary } from '../../common/attribution/index.ts';
import type { Dataset } from '../../common/data/index.ts';
import type { Network } from '../../common/model/index.ts';
import { fuse, type FusionOptions, type FusionReport, type ServerImportance } from '../../server/fusion/index.ts';
import { accuracy } from './model-accuracy.ts';

/**
 * The rows of the fusion tables: which method, and where the neuron
 * importances come from (none, the server on the calibration set, or each
 * client on its own training data).
 */
export type ClientAttribution = 'conductance' | 'grad-x-act' | 'ablation';

export type MethodCase =
  | { readonly label: string; readonly method: 'average' | 'fedavg' | 'ot-fusion' | 'weight-matching' }
  | { readonly label: string; readonly method: 'kf-linear' | 'kf-gradient' | 'hf'; readonly importance: ServerImportance }
  | {
      readonly label: string;
      readonly method: 'kf-linear';
      readonly attribution: ClientAttribution;
      /** Keep the clients' scores only in these layers and use uniform ones elsewhere (to see where a gain comes from). Default: all layers. */
      readonly onlyLayers?: 'hidden' | 'output';
    };

export const SERVER_SIDE_CASES: readonly MethodCase[] = [
  { label: 'average', method: 'average' },
  { label: 'fedavg', method: 'fedavg' },
  { label: 'hf (uniform)', method: 'hf', importance: 'uniform' },
  { label: 'kf-linear (uniform)', method: 'kf-linear', importance: 'uniform' },
  { label: 'kf-linear (activation, server)', method: 'kf-linear', importance: 'activation' },
  { label: 'kf-gradient (uniform)', method: 'kf-gradient', importance: 'uniform' },
  // The alignment baselines (docs/models.md): parents permuted onto parent 0, then averaged by their example counts.
  { label: 'ot-fusion', method: 'ot-fusion' },
  { label: 'weight-matching', method: 'weight-matching' },
];

export const CLIENT_ATTRIBUTION_CASES: readonly MethodCase[] = [
  { label: 'kf-linear (conductance, clients)', method: 'kf-linear', attribution: 'conductance' },
  { label: 'kf-linear (grad-x-act, clients)', method: 'kf-linear', attribution: 'grad-x-act' },
  { label: 'kf-linear (ablation, clients)', method: 'kf-linear', attribution: 'ablation' },
];

/** Where the attribution gain comes from: client scores in the hidden layer only, or in the output (class-to-class) layer only. */
export const ATTRIBUTION_LAYER_CASES: readonly MethodCase[] = [
  { label: 'kf-linear (grad-x-act in hidden layers only)', method: 'kf-linear', attribution: 'grad-x-act', onlyLayers: 'hidden' },
  { label: 'kf-linear (grad-x-act in output layer only)', method: 'kf-linear', attribution: 'grad-x-act', onlyLayers: 'output' },
];

/** The summary with uniform scores (all ones) outside the chosen layers. */
function keepLayers(summary: AttributionSummary, only: 'hidden' | 'output'): AttributionSummary {
  const last = summary.layers.length - 1;
  const keep = (l: number): boolean => (only === 'output' ? l === last : l < last);
  return { ...summary, layers: summary.layers.map((scores, l) => (keep(l) ? scores : new Float32Array(scores.length).fill(1))) };
}

/** Steps of the conductance path integral (the paper's value). */
export const CONDUCTANCE_STEPS = 10;

export interface ClientAttributionCost {
  readonly method: ClientAttribution;
  /** Wall time of computeAttribution on each client. */
  readonly secondsPerClient: number[];
  readonly samplesPerClient: number[];
}

export interface MethodResult {
  readonly label: string;
  readonly accuracy: number;
  /** Wall time of fuse() (server-side importance included; client attribution not). */
  readonly fusionSeconds: number;
  readonly attribution?: ClientAttributionCost;
  readonly report: Pick<FusionReport, 'totalSeconds' | 'hiddenWidths'> & { readonly levelSeconds: number[] };
}

export interface FusionInputs {
  readonly parents: readonly Network[];
  /** Each parent's training data, in parent order. */
  readonly clients: readonly Dataset[];
  readonly calibration: Float32Array;
  readonly test: Dataset;
  readonly seed: number;
  /** Most samples a client scores its neurons on. */
  readonly attributionSamples: number;
}

export function applies(c: MethodCase, parents: number): boolean {
  return c.method !== 'hf' || parents === 2;
}

/** Each client's summary of `method` on its own first `maxSamples` training samples, timed per client. */
export async function clientAttributions(
  parents: readonly Network[],
  clients: readonly Dataset[],
  method: ClientAttribution,
  maxSamples: number,
): Promise<{ summaries: AttributionSummary[]; cost: ClientAttributionCost }> {
  const summaries: AttributionSummary[] = [];
  const secondsPerClient: number[] = [];
  const samplesPerClient: number[] = [];
  for (const [k, net] of parents.entries()) {
    const started = performance.now();
    const summary = await computeAttribution(net, clients[k]!, { method, maxSamples, steps: CONDUCTANCE_STEPS });
    secondsPerClient.push((performance.now() - started) / 1000);
    samplesPerClient.push(summary.samplesUsed);
    summaries.push(summary);
  }
  return { summaries, cost: { method, secondsPerClient, samplesPerClient } };
}

export async function runMethodCase(c: MethodCase, inputs: FusionInputs): Promise<MethodResult> {
  const { parents, clients, calibration, seed } = inputs;
  let options: FusionOptions;
  let attribution: ClientAttributionCost | undefined;
  if ('attribution' in c) {
    const { summaries, cost } = await clientAttributions(parents, clients, c.attribution, inputs.attributionSamples);
    const only = c.onlyLayers;
    options = { method: c.method, importances: only === undefined ? summaries : summaries.map((s) => keepLayers(s, only)), seed };
    attribution = cost;
  } else if ('importance' in c) {
    options = { method: c.method, importance: c.importance, seed };
  } else {
    options = { method: c.method, numExamples: clients.map((d) => d.count), seed };
  }
  const started = performance.now();
  const { network, report } = await fuse(parents, calibration, options);
  const fusionSeconds = (performance.now() - started) / 1000;
  return {
    label: c.label,
    accuracy: await accuracy(network, inputs.test),
    fusionSeconds,
    ...(attribution === undefined ? {} : { attribution }),
    report: { totalSeconds: report.totalSeconds, hiddenWidths: report.hiddenWidths, levelSeconds: report.levels.map((l) => l.seconds.total) },
  };
}
