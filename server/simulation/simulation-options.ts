import { NEURON_FUSION_SETTINGS, type NeuronFusionSettings } from '../aggregation/aggregation-jobs.ts';
import { DEFAULT_START_MODEL_PARENT, DEFAULT_TRAIN_FROM, TRAIN_FROM, type TrainFrom } from '../aggregation/aggregators.ts';
import { availableParallelism } from 'node:os';
import type { AttributionMethod } from '../../common/attribution/index.ts';
import { parseBackendPreference, type BackendPreference } from '../../common/backend/index.ts';
import { FASHION_MNIST_DIR, formatPartitionScheme, parsePartitionScheme, type PartitionScheme } from '../../common/data/index.ts';
import { FedfuseError } from '../../common/errors/index.ts';
import type { OptimizerName } from '../../common/training/index.ts';
import { assertDistinctVariants, parseAggregatorVariant, parseImportance, parseMu, type AggregatorVariant } from './aggregator-variant.ts';

/**
 * Everything a simulation needs, resolved and checked. Every field has a
 * documented default (DEFAULT_SIMULATION_SETTINGS); together they make the
 * default experiment that plain `fedfuse simulate` (and `npm start`) runs:
 * embedded MNIST, 10 clients, Dirichlet 0.1, MLP 784-256-10, kf-linear vs
 * FedAvg, sized to finish in about 3 minutes on 2 cores.
 */
export interface SimulationOptions {
  /** 'mnist' (the 10,000 embedded digits), 'fashion-mnist' (Debian package), or a directory with images.npy + labels.npy. */
  readonly dataset: string;
  /** Where Fashion-MNIST's IDX files are. Default the Debian package's directory. */
  readonly fashionMnistDir: string;
  readonly clients: number;
  readonly partition: PartitionScheme;
  /** Architecture text: 'mlp:256', 'mlp:400,200', 'cnn:small'. */
  readonly model: string;
  readonly rounds: number;
  readonly localEpochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly optimizer: OptimizerName;
  /** The arms of the experiment, run one after the other on identical partitions, initial model and seeds. */
  readonly aggregators: readonly AggregatorVariant[];
  /** Local samples each client averages its attribution scores over. */
  readonly attributionSamples: number;
  /** Class-balanced samples the server fuses with; no client holds them. */
  readonly calibrationSize: number;
  /** Held-out samples the server evaluates each round's model on (stratified). */
  readonly testSize: number;
  /** At most this many samples are dealt to the clients altogether; null = all that is left. */
  readonly clientSamples: number | null;
  /** Fraction of the clients sampled per round. */
  readonly fraction: number;
  /** The seed of the pass being run: seeds[0] until runSimulation runs each of `seeds` in turn. */
  readonly seed: number;
  /**
   * Every arm runs once per seed, each seed with its own partitions, initial
   * model, sampling and local training (the partitions of a seed are the
   * same for every arm). `--seeds 0,1,2`; default [--seed].
   */
  readonly seeds: readonly number[];
  /** Also write one tidy CSV row per arm x seed x round here; null = no CSV. */
  readonly csvPath: string | null;
  /** The accuracy `rounds to target` counts to. */
  readonly targetAccuracy: number;
  /**
   * Screen updates before fusion, as `fedfuse server` does by default
   * (server/screening). Off by default here: simulated clients are honest,
   * and an arm that dropped some of them would not compare aggregations alone.
   */
  readonly screening: boolean;
  /**
   * Clients disclose their label histograms at hello, and the server uses
   * them as the class evidence of the federated fusion settings. Off by
   * default: labels (and their counts) stay on the clients unless asked.
   */
  readonly shareHistograms: boolean;
  /** kf-linear/hf settings on the server (aggregation-jobs.ts): 'federated' (default) or 'paper'. */
  readonly neuronFusion: NeuronFusionSettings;
  /** kf-linear, kf-gradient, hf: what the next round's clients train from (served | average); default DEFAULT_TRAIN_FROM. */
  readonly trainFrom: TrainFrom;
  /** kf-linear: fuse each round's starting model as one more parent from round 2 on; default DEFAULT_START_MODEL_PARENT. */
  readonly startModelParent: boolean;
  /** --client-widths: fractions of the global width dealt to the clients round-robin (client i gets widths[i mod count]); null = all at full width. */
  readonly clientWidths: readonly number[] | null;
  /**
   * Where the calibration set is carved from when the data set has its own
   * test split (fashion-mnist): 'train' (default; the clients get the rest of
   * it) or 'test' (every training sample goes to the clients; calibration and
   * test are disjoint parts of the test split).
   */
  readonly calibrationFrom: CalibrationSource;
  /** Worker threads hosting the clients (each client keeps its own socket.io connection). */
  readonly clientThreads: number;
  /** Where results.json and the plot go; null = results/simulate-<time>. */
  readonly outDir: string | null;
  /** Keep fedfuse.sqlite in outDir (else it lives in a temp dir, removed at the end). Default: when outDir is given. */
  readonly keepDatabase: boolean;
  readonly backend: BackendPreference;
}

/** What the command line gives: strings, all optional; `resolveSimulationOptions` applies the defaults and checks them. */
export interface RawSimulationOptions {
  readonly dataset?: string;
  readonly fashionMnistDir?: string;
  readonly clients?: string;
  readonly partition?: string;
  readonly model?: string;
  readonly rounds?: string;
  readonly localEpochs?: string;
  readonly batchSize?: string;
  readonly lr?: string;
  readonly optimizer?: string;
  readonly mu?: string;
  readonly aggregator?: readonly string[];
  readonly importance?: string;
  readonly attributionSamples?: string;
  readonly calibration?: string;
  readonly testSize?: string;
  readonly clientSamples?: string;
  readonly fraction?: string;
  readonly seed?: string;
  readonly seeds?: string;
  readonly csv?: string;
  readonly targetAccuracy?: string;
  readonly clientThreads?: string;
  readonly screening?: boolean;
  readonly neuronFusion?: string;
  readonly trainFrom?: string;
  readonly startModelParent?: string;
  readonly clientWidths?: string;
  readonly calibrationFrom?: string;
  readonly shareHistograms?: boolean;
  readonly out?: string;
  readonly discardDb?: boolean;
  readonly backend?: string;
}

export const DEFAULT_SIMULATION_SETTINGS = {
  dataset: 'mnist',
  fashionMnistDir: FASHION_MNIST_DIR,
  clients: 10,
  partition: 'dirichlet:0.1',
  model: 'mlp:256',
  rounds: 10,
  localEpochs: 5,
  batchSize: 64,
  learningRate: 0.001,
  optimizer: 'adam' as OptimizerName,
  mu: 0,
  aggregators: ['kf-linear', 'fedavg'],
  // Measured (docs/benchmarks.md, "Federated"): on Fashion-MNIST Dirichlet 0.1 the clients' grad-x-act
  // scores cost kf-linear 20-27 points against uniform; they help one-shot only when clients hold several classes.
  importance: 'uniform' as AttributionMethod,
  attributionSamples: 200,
  calibrationSize: 400,
  testSize: 2000,
  fraction: 1,
  seed: 0,
  targetAccuracy: 0.8,
} as const;

/** Client threads by default: one per core, at most one per client. */
export function defaultClientThreads(clients: number): number {
  return Math.max(1, Math.min(clients, availableParallelism()));
}

export function resolveSimulationOptions(raw: RawSimulationOptions): SimulationOptions {
  const d = DEFAULT_SIMULATION_SETTINGS;
  const partitionText = raw.partition ?? d.partition;
  const splitByK = /^\s*split-by-(\d+)\s*$/i.exec(partitionText);
  let clients = raw.clients === undefined ? undefined : integer(raw.clients, '--clients', 1);
  let partition: PartitionScheme;
  if (splitByK !== null) {
    // `split-by-8` is the paper's protocol with k = 8: k is the number of clients.
    const k = integer(splitByK[1]!, '--partition split-by-K', 1);
    if (clients !== undefined && clients !== k) throw invalid(`--partition ${partitionText.trim()} splits the data into ${k} clients, but --clients is ${clients}`);
    clients = k;
    partition = { kind: 'split-by-k' };
  } else {
    partition = parsePartitionScheme(partitionText);
  }
  clients ??= d.clients;

  const mu = raw.mu === undefined ? d.mu : parseMu(raw.mu, '--mu');
  const importance = raw.importance === undefined ? d.importance : parseImportance(raw.importance, '--importance');
  const aggregatorTexts = raw.aggregator === undefined || raw.aggregator.length === 0 ? d.aggregators : raw.aggregator.flatMap((a) => a.split(',')).filter((a) => a.trim() !== '');
  const trainFrom = parseTrainFrom(raw.trainFrom);
  const clientWidths = parseClientWidths(raw.clientWidths);
  const aggregators = aggregatorTexts.map((a) => parseAggregatorVariant(a, { importance, mu, trainFrom, clientWidths }));
  assertDistinctVariants(aggregators);

  const fraction = raw.fraction === undefined ? d.fraction : number(raw.fraction, '--fraction');
  if (!(fraction > 0 && fraction <= 1)) throw invalid(`--fraction must be in (0, 1], got ${raw.fraction}`);
  // As the server samples (client-sampling.ts): ceil(fraction x clients), at least one.
  const perRound = Math.max(1, Math.ceil(fraction * clients));
  for (const a of aggregators) {
    if (a.method === 'hf' && perRound !== 2) {
      throw invalid(`hf fuses exactly 2 models, but ${perRound} clients are sampled per round: use --clients 2 (and --fraction 1)`);
    }
  }

  const seeds = parseSeeds(raw.seeds, raw.seed);
  const targetAccuracy = raw.targetAccuracy === undefined ? d.targetAccuracy : number(raw.targetAccuracy, '--target-accuracy');
  if (!(targetAccuracy > 0 && targetAccuracy <= 1)) throw invalid(`--target-accuracy must be in (0, 1], got ${raw.targetAccuracy}`);
  const learningRate = raw.lr === undefined ? d.learningRate : number(raw.lr, '--lr');
  if (!(learningRate > 0)) throw invalid(`--lr must be > 0, got ${raw.lr}`);
  const optimizer = raw.optimizer ?? d.optimizer;
  if (optimizer !== 'adam' && optimizer !== 'sgd') throw invalid(`--optimizer must be adam or sgd, got '${optimizer}'`);

  return {
    dataset: raw.dataset ?? d.dataset,
    fashionMnistDir: raw.fashionMnistDir ?? d.fashionMnistDir,
    clients,
    partition,
    model: raw.model ?? d.model,
    rounds: raw.rounds === undefined ? d.rounds : integer(raw.rounds, '--rounds', 1),
    localEpochs: raw.localEpochs === undefined ? d.localEpochs : integer(raw.localEpochs, '--local-epochs', 1),
    batchSize: raw.batchSize === undefined ? d.batchSize : integer(raw.batchSize, '--batch-size', 1),
    learningRate,
    optimizer,
    aggregators,
    attributionSamples: raw.attributionSamples === undefined ? d.attributionSamples : integer(raw.attributionSamples, '--attribution-samples', 1),
    calibrationSize: raw.calibration === undefined ? d.calibrationSize : integer(raw.calibration, '--calibration', 1),
    testSize: raw.testSize === undefined ? d.testSize : integer(raw.testSize, '--test-size', 1),
    clientSamples: raw.clientSamples === undefined ? null : integer(raw.clientSamples, '--client-samples', 1),
    fraction,
    seed: seeds[0]!,
    seeds,
    csvPath: raw.csv ?? null,
    targetAccuracy,
    screening: raw.screening === true,
    neuronFusion: parseNeuronFusion(raw.neuronFusion),
    trainFrom,
    startModelParent: parseOnOff(raw.startModelParent, '--start-model-parent', DEFAULT_START_MODEL_PARENT),
    clientWidths,
    calibrationFrom: parseCalibrationSource(raw.calibrationFrom),
    shareHistograms: raw.shareHistograms === true,
    clientThreads: raw.clientThreads === undefined ? defaultClientThreads(clients) : Math.min(clients, integer(raw.clientThreads, '--client-threads', 1)),
    outDir: raw.out ?? null,
    keepDatabase: raw.out !== undefined && raw.discardDb !== true,
    backend: parseBackendPreference(raw.backend),
  };
}

/** The options as results.json records them (plain JSON, partition as text). */
export function describeSimulationOptions(o: SimulationOptions): Record<string, unknown> {
  return {
    dataset: o.dataset,
    clients: o.clients,
    partition: o.partition.kind === 'split-by-k' ? `split-by-${o.clients}` : formatPartitionScheme(o.partition),
    model: o.model,
    rounds: o.rounds,
    localEpochs: o.localEpochs,
    batchSize: o.batchSize,
    learningRate: o.learningRate,
    optimizer: o.optimizer,
    aggregators: o.aggregators.map((a) => ({ label: a.label, name: a.name, method: a.method, importance: a.importance, proximalMu: a.proximalMu, trainFrom: a.trainFrom, clientWidths: a.clientWidths })),
    attributionSamples: o.attributionSamples,
    calibrationSize: o.calibrationSize,
    testSize: o.testSize,
    clientSamples: o.clientSamples,
    fraction: o.fraction,
    seed: o.seeds[0],
    seeds: o.seeds,
    targetAccuracy: o.targetAccuracy,
    screening: o.screening,
    neuronFusion: o.neuronFusion,
    trainFrom: o.trainFrom,
    startModelParent: o.startModelParent,
    clientWidths: o.clientWidths,
    calibrationFrom: o.calibrationFrom,
    shareHistograms: o.shareHistograms,
    clientThreads: o.clientThreads,
    backend: o.backend,
  };
}

/** A `fedfuse simulate` command line that runs exactly this experiment again (every option spelled out). */
export function reproducingCommand(o: SimulationOptions): string[] {
  const d = describeSimulationOptions(o);
  const args = ['fedfuse', ...(o.backend === 'auto' ? [] : ['--backend', o.backend]), 'simulate', '--dataset', o.dataset];
  if (o.dataset === 'fashion-mnist' && o.fashionMnistDir !== DEFAULT_SIMULATION_SETTINGS.fashionMnistDir) args.push('--fashion-mnist-dir', o.fashionMnistDir);
  args.push('--clients', String(o.clients), '--partition', String(d['partition']), '--model', o.model, '--rounds', String(o.rounds));
  args.push('--local-epochs', String(o.localEpochs), '--batch-size', String(o.batchSize), '--lr', String(o.learningRate), '--optimizer', o.optimizer);
  const sharedMu = o.aggregators.find((a) => a.name !== 'fedprox')?.proximalMu ?? 0;
  if (sharedMu > 0) args.push('--mu', String(sharedMu));
  for (const a of o.aggregators) args.push('--aggregator', aggregatorText(a));
  args.push('--attribution-samples', String(o.attributionSamples), '--calibration', String(o.calibrationSize), '--test-size', String(o.testSize));
  if (o.clientSamples !== null) args.push('--client-samples', String(o.clientSamples));
  args.push('--fraction', String(o.fraction), ...(o.seeds.length === 1 ? ['--seed', String(o.seeds[0])] : ['--seeds', o.seeds.join(',')]), '--target-accuracy', String(o.targetAccuracy), '--client-threads', String(o.clientThreads));
  if (o.screening) args.push('--screening');
  if (o.neuronFusion !== 'federated') args.push('--neuron-fusion', o.neuronFusion);
  // Always spelled out: its default is expected to change, and the command must rerun this experiment.
  args.push('--train-from', o.trainFrom);
  if (o.startModelParent !== DEFAULT_START_MODEL_PARENT) args.push('--start-model-parent', o.startModelParent ? 'on' : 'off');
  if (o.clientWidths !== null) args.push('--client-widths', o.clientWidths.join(','));
  if (o.calibrationFrom !== 'train') args.push('--calibration-from', o.calibrationFrom);
  if (o.shareHistograms) args.push('--share-histograms');
  return args;
}

/** The `--aggregator` text that parses back to this variant whatever --importance and --mu say. */
function aggregatorText(a: AggregatorVariant): string {
  if (a.name === 'fedprox') return `fedprox:${a.proximalMu}`;
  if (a.importance !== null) return `${a.name}:${a.importance}`;
  return a.name;
}

function number(text: string, what: string): number {
  const v = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(text) ? Number(text) : NaN;
  if (!Number.isFinite(v)) throw invalid(`${what} must be a number, got '${text}'`);
  return v;
}

function integer(text: string, what: string, min: number): number {
  const v = /^\s*\d+\s*$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(v) || v < min) throw invalid(`${what} must be an integer >= ${min}, got '${text}'`);
  return v;
}

function invalid(message: string): FedfuseError {
  return new FedfuseError('invalid_argument', message);
}

function parseNeuronFusion(text: string | undefined): NeuronFusionSettings {
  if (text === undefined) return 'federated';
  if (!(NEURON_FUSION_SETTINGS as readonly string[]).includes(text)) {
    throw new FedfuseError('invalid_argument', `--neuron-fusion must be ${NEURON_FUSION_SETTINGS.join(' or ')}, got '${text}'`);
  }
  return text as NeuronFusionSettings;
}

/** `--client-widths 1,0.5,0.25`: fractions in (0, 1]; absent = null. */
function parseClientWidths(text: string | undefined): number[] | null {
  if (text === undefined) return null;
  const items = text.split(',').map((t) => t.trim());
  const widths = items.map((t) => (/^[+]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t) ? Number(t) : NaN));
  const bad = items.find((_, i) => !(widths[i]! > 0 && widths[i]! <= 1));
  if (bad !== undefined) throw invalid(`--client-widths must be width fractions in (0, 1], comma-separated (e.g. 1,0.5,0.25); '${bad}' is not, in '${text}'`);
  return widths;
}

function parseTrainFrom(text: string | undefined): TrainFrom {
  if (text === undefined) return DEFAULT_TRAIN_FROM;
  if (!(TRAIN_FROM as readonly string[]).includes(text)) throw invalid(`--train-from must be ${TRAIN_FROM.join(' or ')}, got '${text}'`);
  return text as TrainFrom;
}

/** `--seeds 0,1,2` (distinct integers >= 0, in the order given); else `--seed`; not both. */
function parseSeeds(seedsText: string | undefined, seedText: string | undefined): number[] {
  if (seedsText === undefined) return [seedText === undefined ? DEFAULT_SIMULATION_SETTINGS.seed : integer(seedText, '--seed', 0)];
  if (seedText !== undefined) throw invalid('give --seed or --seeds, not both');
  const seeds = seedsText.split(',').map((t) => t.trim()).filter((t) => t !== '').map((t) => integer(t, '--seeds', 0));
  if (seeds.length === 0) throw invalid(`--seeds must list seeds, e.g. 0,1,2; got '${seedsText}'`);
  if (new Set(seeds).size !== seeds.length) throw invalid(`--seeds lists a seed twice: '${seedsText}'`);
  return seeds;
}

export const CALIBRATION_SOURCES = ['train', 'test'] as const;
export type CalibrationSource = (typeof CALIBRATION_SOURCES)[number];

function parseCalibrationSource(text: string | undefined): CalibrationSource {
  if (text === undefined) return 'train';
  if (!(CALIBRATION_SOURCES as readonly string[]).includes(text)) throw invalid(`--calibration-from must be train or test, got '${text}'`);
  return text as CalibrationSource;
}

function parseOnOff(text: string | undefined, what: string, fallback: boolean): boolean {
  if (text === undefined) return fallback;
  const v = text.trim().toLowerCase();
  if (v === 'on' || v === 'true') return true;
  if (v === 'off' || v === 'false') return false;
  throw invalid(`${what} must be on or off, got '${text}'`);
}
