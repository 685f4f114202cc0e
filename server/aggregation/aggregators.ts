import type { FusionMethod } from '../fusion/index.ts';

/**
 * The aggregators `fedfuse server`, `simulate` and `compare` can run, what
 * each is, and which parts of a round each uses. The math lives in
 * server/fusion (fusion, averages, prior matching), server/distillation
 * (FedDF) and the small pure files next to this one (SCAFFOLD, FedNova).
 */
export const AGGREGATORS = ['kf-linear', 'kf-gradient', 'hf', 'fedavg', 'average', 'fedprox', 'fedavg-prior', 'scaffold', 'feddf', 'fednova', 'heterofl'] as const;
export type AggregatorName = (typeof AGGREGATORS)[number];

/** One line per aggregator, for --help and the docs. */
export const AGGREGATOR_DESCRIPTIONS: Readonly<Record<AggregatorName, string>> = {
  'kf-linear': 'neuron fusion (KF-linear) of the updates on the calibration set; any number of clients',
  'kf-gradient': "neuron fusion with KF-linear's grouping, relu levels trained toward their post-relu targets and the head distilled, held-out early stopping (docs/models.md)",
  hf: 'neuron fusion by Hungarian matching; exactly 2 clients (kf-linear otherwise)',
  fedavg: 'FedAvg: the example-weighted mean of the client models',
  average: 'the plain (unweighted) mean of the client models',
  fedprox: 'FedProx: FedAvg on the server, a proximal term mu/2 |w - w_global|^2 on the clients (--mu, default 0.01)',
  'fedavg-prior':
    'FedAvg whose served model has the fusion\'s class-prior correction (output biases shifted so mean predictions on the calibration set are uniform); clients train from the uncorrected average',
  scaffold:
    'SCAFFOLD (Karimireddy et al. 2020): FedAvg of the models, with server and client control variates crossing the wire in the tasks\' records; clients correct each gradient step by c - c_i',
  feddf: 'FedDF (Lin et al. 2020): the clients\' ensemble distilled into their FedAvg average on the unlabelled calibration set',
  fednova: 'FedNova (Wang et al. 2020): FedAvg of the updates normalised by each client\'s number of local steps',
  heterofl:
    'HeteroFL (Diao et al. 2021), with --client-widths: a client of width p trains the first p of each hidden level\'s neurons of the global model, and each global parameter is the example-weighted mean over the clients holding it (FedAvg at full width)',
};

/**
 * Which model the next round's clients start from, for the aggregators whose
 * served model is not the average (kf-linear, kf-gradient, hf; FedDF always trains from its distilled model, as published): 'served' (the fused
 * or distilled model, with its output corrections) or 'average' (the FedAvg
 * average of the same updates, so the server's corrections stay out of the
 * clients' trajectory).
 */
export const TRAIN_FROM = ['served', 'average'] as const;
export type TrainFrom = (typeof TRAIN_FROM)[number];

/**
 * The default of --train-from, in one place: the lead measures both
 * (docs/federated-fusion.md) and changes this line when the numbers choose.
 */
export const DEFAULT_TRAIN_FROM: TrainFrom = 'average';

/**
 * kf-linear in rounds: fuse the model the round's clients started from as one
 * more parent (from round 2 on; aggregation-jobs.ts `startModel`). On by
 * default: measured in docs/federated-fusion.md, "The round design".
 */
export const DEFAULT_START_MODEL_PARENT = true;

/** mu of `fedprox` when --mu is 0 (Li et al. 2020 try 0.001 to 1; 0.01 is their usual pick). */
export const DEFAULT_FEDPROX_MU = 0.01;

/** What an aggregator does with a round's updates. */
export interface AggregatorPlan {
  /** What the fusion worker computes from the updates. */
  readonly method: FusionMethod;
  /** The served model's output biases are matched to a uniform class prior on the calibration set. */
  readonly servedPriorMatching: boolean;
  /** The served model is the clients' ensemble distilled into their average (FedDF). */
  readonly distill: boolean;
  /** Control variates in the tasks' records (SCAFFOLD). */
  readonly controlVariates: boolean;
  /** Updates normalised by local steps (FedNova). */
  readonly normalisedByLocalSteps: boolean;
  /** HeteroFL: clients train static sub-networks of the global model, averaged where they overlap. */
  readonly subNetworks: boolean;
  /** The clients add a proximal term even when --mu is 0 (FedProx). */
  readonly proximal: boolean;
  /** Where the next round trains from, when the aggregator fixes it (fedavg-prior: the uncorrected average); null = --train-from. */
  readonly fixedTrainFrom: TrainFrom | null;
  /** Whether --train-from means anything: the served model is not simply the average. */
  readonly trainFromApplies: boolean;
}

const MEAN: AggregatorPlan = {
  method: 'fedavg',
  servedPriorMatching: false,
  distill: false,
  controlVariates: false,
  normalisedByLocalSteps: false,
  subNetworks: false,
  proximal: false,
  fixedTrainFrom: null,
  trainFromApplies: false,
};

export function aggregatorPlan(name: AggregatorName): AggregatorPlan {
  switch (name) {
    case 'kf-linear':
    case 'kf-gradient':
    case 'hf':
      return { ...MEAN, method: name, trainFromApplies: true };
    case 'fedavg':
      return MEAN;
    case 'average':
      return { ...MEAN, method: 'average' };
    case 'fedprox':
      return { ...MEAN, proximal: true };
    case 'fedavg-prior':
      return { ...MEAN, servedPriorMatching: true, fixedTrainFrom: 'average' };
    case 'scaffold':
      return { ...MEAN, controlVariates: true };
    case 'feddf':
      // As published: the distilled model is the next round's global model.
      return { ...MEAN, distill: true, fixedTrainFrom: 'served' };
    case 'fednova':
      return { ...MEAN, normalisedByLocalSteps: true };
    case 'heterofl':
      return { ...MEAN, subNetworks: true };
  }
}

export function isAggregatorName(s: string): s is AggregatorName {
  return (AGGREGATORS as readonly string[]).includes(s);
}

/** The aggregators that take --client-widths below 1: the neuron fusions fuse any widths, HeteroFL averages sub-networks. */
export const HETEROGENEOUS_AGGREGATORS = ['kf-linear', 'kf-gradient', 'heterofl'] as const satisfies readonly AggregatorName[];

/** The model clients train from under `plan` with the configured --train-from. */
export function effectiveTrainFrom(plan: AggregatorPlan, configured: TrainFrom): TrainFrom {
  if (plan.fixedTrainFrom !== null) return plan.fixedTrainFrom;
  return plan.trainFromApplies ? configured : 'served';
}
