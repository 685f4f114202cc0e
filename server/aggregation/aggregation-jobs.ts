import { uniformSummary, type AttributionSummary } from '../../common/attribution/summary.ts';
import type { Network } from '../../common/model/network.ts';
import { evaluateNetwork } from '../../common/training/index.ts';
import { distillEnsemble, type DistillationOptions, type DistillationReport } from '../distillation/index.ts';
import {
  ensembleProbabilities,
  FEDERATED_FUSION_SETTINGS,
  fuse,
  matchOutputPrior,
  weightedParameterSum,
  type FusionMethod,
  type FusionReport,
  type PriorMatchingReport,
  type ServerImportance,
} from '../fusion/index.ts';
import { screenUpdates, type ScreeningOptions, type ScreeningReport } from '../screening/index.ts';
import type { TrainFrom } from './aggregators.ts';

/**
 * The tensor work of a round, as plain functions of plain data, so the same
 * code runs in a worker thread (the server, keeping its event loop free) or
 * in-process (tests, the CLI).
 */
export interface ServerDataSets {
  /** Unlabelled public calibration inputs, row-major. */
  readonly calibration: Float32Array;
  /** Held-out labelled test set, or null when the server has none. */
  readonly test: { readonly images: Float32Array; readonly labels: Int32Array; readonly count: number; readonly name: string } | null;
}

export interface AggregationRequest {
  readonly method: FusionMethod;
  readonly parents: readonly Network[];
  /** One per parent, or null to let the server compute `importance`. */
  readonly importances: readonly AttributionSummary[] | null;
  readonly importance: ServerImportance;
  readonly numExamples: readonly number[];
  readonly seed: number;
  readonly targetHiddenWidths?: readonly number[];
  /** kf-linear and hf: 'federated' (FEDERATED_FUSION_SETTINGS, the default) or 'paper' (the paper's method as published). */
  readonly neuronFusion?: NeuronFusionSettings;
  /** Per parent, examples per class (the clients' label histograms), for the class consensus; absent when not every client shared one. */
  readonly classEvidence?: readonly (readonly number[])[];
  /**
   * FedDF: the parents' ensemble distilled into the fusion's result (the
   * student) on the calibration set; absent = no distillation.
   */
  readonly distillation?: Partial<DistillationOptions>;
  /**
   * The served model's output biases shifted so that its mean predictions
   * on the calibration set are uniform (matchOutputPrior, the federated
   * fusion's prior correction): 'uniform' for fedavg-prior; absent = none.
   */
  readonly servedPrior?: 'uniform';
  /**
   * The next round's starting model: 'served' (default) or 'average', the
   * parents' FedAvg average (so the server's corrections stay out of the
   * clients' trajectory).
   */
  readonly trainFrom?: TrainFrom;
  /**
   * kf-linear (and kf-gradient, when a heterogeneous round's updates have
   * too few neurons for the global width): the model this round's clients started from, fused as one
   * more parent (uniform importance; numExamples = the round's total; class
   * evidence = the sum of the clients' when they gave histograms). It stands
   * for what the run learnt before this round, above all the relations
   * between classes that no client of this round holds together; the FedAvg
   * training model never includes it. docs/federated-fusion.md measures it.
   */
  readonly startModel?: Network;
}

/**
 * The same request with its parents in `order` (order[i] = the index of the
 * parent to put i-th). Every per-parent field moves with its parent; keep
 * this next to AggregationRequest so that a new per-parent field is reordered
 * too, or a client's numbers end up paired with another client's model.
 */
export function reorderParents(request: AggregationRequest, order: readonly number[]): AggregationRequest {
  const pick = <T>(values: readonly T[]): T[] => order.map((i) => values[i]!);
  return {
    ...request,
    parents: pick(request.parents),
    importances: request.importances === null ? null : pick(request.importances),
    numExamples: pick(request.numExamples),
    ...(request.classEvidence === undefined ? {} : { classEvidence: pick(request.classEvidence) }),
  };
}

export const NEURON_FUSION_SETTINGS = ['federated', 'paper'] as const;
export type NeuronFusionSettings = (typeof NEURON_FUSION_SETTINGS)[number];

export interface AggregationResponse {
  /** The served model: the fusion's result, then distilled and prior-matched when asked. */
  readonly network: Network;
  /** The next round's starting model when it is not `network`; null = `network`. */
  readonly training: Network | null;
  readonly report: FusionReport;
  readonly distillation: DistillationReport | null;
  readonly priorMatching: PriorMatchingReport | null;
}

/** A round's updates to screen against the global model they started from, on the calibration set. */
export interface ScreeningRequest {
  readonly updates: readonly Network[];
  readonly global: Network;
  readonly options: ScreeningOptions;
}

export interface EvaluationResponse {
  readonly dataset: string;
  readonly accuracy: number;
  readonly loss: number;
  readonly samples: number;
  /** Accuracy of the parents' averaged softmax: the ceiling a single fused model aims at. */
  readonly ensembleAccuracy: number | null;
}

/**
 * A round's models from its updates: the fusion (or average), then, when
 * asked, FedDF's distillation of the parents' ensemble into it and the class
 * prior matching of the served model; and the training model.
 */
export async function runAggregation(data: ServerDataSets, request: AggregationRequest): Promise<AggregationResponse> {
  const fused = await runFusion(data, request);
  const samples = calibrationSamples(data, request.parents[0]!);
  let network = fused.network;
  let distillation: DistillationReport | null = null;
  if (request.distillation !== undefined) {
    const distilled = await distillEnsemble(network, request.parents, data.calibration, samples, request.distillation);
    network = distilled.network;
    distillation = distilled.report;
  }
  let priorMatching: PriorMatchingReport | null = null;
  if (request.servedPrior === 'uniform') {
    const classes = network.layers.at(-1)!.kernelShape.at(-1)!;
    const matched = await matchOutputPrior(network, data.calibration, samples, new Array<number>(classes).fill(1));
    network = matched.network;
    priorMatching = matched.report;
  }
  const training = (request.trainFrom ?? 'served') === 'average' ? fedAvgOf(request) : null;
  return { network, training, report: fused.report, distillation, priorMatching };
}

/** The example-weighted mean of the request's parents (FedAvg), the same numbers fuse('fedavg') gives. */
function fedAvgOf(request: AggregationRequest): Network {
  const total = request.numExamples.reduce((a, b) => a + b, 0);
  return weightedParameterSum(request.parents, request.numExamples.map((n) => n / total));
}

function calibrationSamples(data: ServerDataSets, model: Network): number {
  const features = model.spec.inputShape.reduce((a, b) => a * b, 1);
  return data.calibration.length / features;
}

async function runFusion(data: ServerDataSets, request: AggregationRequest): Promise<{ network: Network; report: FusionReport }> {
  const start = request.method === 'kf-linear' || request.method === 'kf-gradient' ? (request.startModel ?? null) : null;
  const parents = start === null ? request.parents : [...request.parents, start];
  const numExamples = start === null ? request.numExamples : [...request.numExamples, request.numExamples.reduce((a, b) => a + b, 0)];
  const importances = request.importances === null || start === null ? request.importances : [...request.importances, uniformSummary(start.spec)];
  const classEvidence =
    request.classEvidence === undefined || start === null
      ? request.classEvidence
      : [...request.classEvidence, request.classEvidence[0]!.map((_, c) => request.classEvidence!.reduce((a, row) => a + row[c]!, 0))];
  return fuse(parents, data.calibration, {
    method: request.method,
    ...(importances !== null ? { importances } : { importance: request.importance }),
    numExamples,
    seed: request.seed,
    ...((request.neuronFusion ?? 'federated') === 'federated' ? FEDERATED_FUSION_SETTINGS : {}),
    ...(classEvidence !== undefined ? { classEvidence } : {}),
    ...(request.targetHiddenWidths !== undefined ? { targetHiddenWidths: request.targetHiddenWidths } : {}),
  });
}

export async function runScreening(data: ServerDataSets, request: ScreeningRequest): Promise<ScreeningReport> {
  return screenUpdates(request.updates, request.global, data.calibration, request.options);
}

export async function runEvaluation(data: ServerDataSets, network: Network, parents: readonly Network[]): Promise<EvaluationResponse | null> {
  const test = data.test;
  if (test === null) return null;
  const { accuracy, loss } = await evaluateNetwork(network, test.images, test.labels, test.count);
  let ensembleAccuracy: number | null = null;
  if (parents.length > 0) {
    const probabilities = await ensembleProbabilities(parents, test.images);
    const classes = probabilities.length / test.count;
    let correct = 0;
    for (let i = 0; i < test.count; i++) {
      let best = 0;
      for (let c = 1; c < classes; c++) if (probabilities[i * classes + c]! > probabilities[i * classes + best]!) best = c;
      if (best === test.labels[i]) correct++;
    }
    ensembleAccuracy = correct / test.count;
  }
  return { dataset: test.name, accuracy, loss, samples: test.count, ensembleAccuracy };
}
