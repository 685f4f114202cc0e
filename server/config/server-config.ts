import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { isAttributionMethod } from '../../common/attribution/summary.ts';
import { FedfuseError } from '../../common/errors/index.ts';
import { OPTIMIZERS, type OptimizerName } from '../../common/wire/index.ts';
import { AGGREGATORS, DEFAULT_TRAIN_FROM, TRAIN_FROM, type AggregatorName, type ImportanceSource, type TrainFrom } from '../aggregation/index.ts';
import { NEURON_FUSION_SETTINGS, type NeuronFusionSettings } from '../aggregation/aggregation-jobs.ts';
import { DEFAULT_SCREENING_OPTIONS, resolveScreeningOptions, type ScreeningOptions } from '../screening/index.ts';
import type { AttributionMethod } from '../../common/attribution/summary.ts';

/**
 * Everything `fedfuse server` can be told, with its default. A config file
 * (JSON or YAML, same keys) and command-line flags map onto this one object;
 * flags win over the file, the file over the defaults.
 */
export interface ServerConfig {
  /** TCP port; 0 picks a free one. Default 8080. */
  port: number;
  /** Default 127.0.0.1 (loopback only; use 0.0.0.0 to accept edge clients). */
  host: string;
  /** SQLite file holding runs, rounds, updates and models. Default ./fedfuse.sqlite. */
  database: string;
  /** Signs client tokens; >= 16 characters. Default: $FEDFUSE_SECRET (required). */
  secret: string;
  /** Guards the mutating HTTP routes. Default: $FEDFUSE_ADMIN_TOKEN, else none (routes disabled). */
  adminToken: string | null;
  /** Data set the server's calibration and test sets come from (see DATASET_SOURCE_HELP). Default mnist. */
  dataset: string;
  /** Unlabelled calibration samples for the fusion, carved class-balanced. Default 400. */
  calibrationSize: number;
  /** Held-out labelled samples to evaluate each global model; 0 = no evaluation. Default 1000. */
  testSize: number;
  /** Seeds the calibration/test carve; clients use the same to partition the rest. Default 0. */
  splitSeed: number;
  /** Architecture of the global model (mlp:256, mlp:400,200, cnn:small). Default mlp:256. */
  model: string;
  /** Run id to resume or create; null resumes the newest running run or starts a new one. */
  runId: string | null;
  rounds: number;
  minClients: number;
  fractionFit: number;
  minFitClients: number;
  quorum: number;
  /** Seconds a round waits for updates. Default 300. */
  roundTimeout: number;
  maxAttempts: number;
  /** Seconds a sampled client that dropped is waited for before the round closes without it. Default 15. */
  reconnectGrace: number;
  maxNumExamples: number;
  /** One of AGGREGATORS (server/aggregation/aggregators.ts). Default kf-linear. */
  aggregator: AggregatorName;
  /**
   * kf-linear, hf, feddf: what the next round's clients train from, 'served'
   * (the fused or distilled model) or 'average' (the FedAvg average of the
   * same updates). Default DEFAULT_TRAIN_FROM.
   */
  trainFrom: TrainFrom;
  /** 'client' uses the clients' attribution summaries; 'uniform'/'activation' are computed on the server. Default client. */
  importance: ImportanceSource;
  /** kf-linear/hf settings: 'federated' (FEDERATED_FUSION_SETTINGS) or 'paper' (the published method). Default federated. */
  neuronFusion: NeuronFusionSettings;
  epochs: number;
  batchSize: number;
  learningRate: number;
  optimizer: OptimizerName;
  /** FedProx proximal term for the clients; 0 = off. */
  mu: number;
  /** What the clients compute and send as importance. Default conductance. */
  attribution: AttributionMethod;
  /** Local samples the clients score their neurons on. Default 500. */
  attributionSamples: number;
  seed: number;
  /** Seconds between socket.io heartbeats / to wait for one; generous so big uploads on slow links survive. */
  pingInterval: number;
  pingTimeout: number;
  logLevel: 'silent' | 'error' | 'warn' | 'info' | 'debug';
  /** Screen each round's updates before fusion and leave out the clearly harmful ones (server/screening). Default true. */
  screening: boolean;
  /** Calibration samples the updates are screened on. Default 256. */
  screeningSamples: number;
  /** Reject an update farther from the global model than this many times its norm. Default 10. */
  screeningMaxDistanceToGlobalNorm: number;
  /** Reject an update farther than this many times the round's median distance... Default 4. */
  screeningMaxDistanceRatio: number;
  /** ...when its robust z-score (median / MAD) is also above this. Default 6. */
  screeningMaxDistanceZ: number;
  /** Updates a round needs before updates are compared with each other. Default 5. */
  screeningMinUpdates: number;
  /** Reject an update agreeing with the others' ensemble on fewer than this fraction of samples; 0 = off. Default 0. */
  screeningMinAgreement: number;
  /** Who may read the dashboard at / (off | public | token); 'auto': public on a loopback host, token elsewhere. Default auto. */
  dashboard: 'auto' | 'off' | 'public' | 'token';
  /** Origins whose pages may load the round models cross-origin (CORS); '*' for any. Default none. */
  corsOrigin: string[];
}

export const DEFAULT_SERVER_CONFIG: ServerConfig = {
  port: 8080,
  host: '127.0.0.1',
  database: './fedfuse.sqlite',
  secret: process.env['FEDFUSE_SECRET'] ?? '',
  adminToken: process.env['FEDFUSE_ADMIN_TOKEN'] ?? null,
  dataset: 'mnist',
  calibrationSize: 400,
  testSize: 1000,
  splitSeed: 0,
  model: 'mlp:256',
  runId: null,
  rounds: 10,
  minClients: 2,
  fractionFit: 1,
  minFitClients: 1,
  quorum: 1,
  roundTimeout: 300,
  maxAttempts: 3,
  reconnectGrace: 15,
  maxNumExamples: 10_000_000,
  aggregator: 'kf-linear',
  trainFrom: DEFAULT_TRAIN_FROM,
  importance: 'client',
  neuronFusion: 'federated',
  epochs: 1,
  batchSize: 32,
  learningRate: 0.001,
  optimizer: 'adam',
  mu: 0,
  attribution: 'conductance',
  attributionSamples: 500,
  seed: 0,
  pingInterval: 25,
  pingTimeout: 120,
  logLevel: 'info',
  screening: DEFAULT_SCREENING_OPTIONS.enabled,
  screeningSamples: DEFAULT_SCREENING_OPTIONS.samples,
  screeningMaxDistanceToGlobalNorm: DEFAULT_SCREENING_OPTIONS.maxDistanceToGlobalNorm,
  screeningMaxDistanceRatio: DEFAULT_SCREENING_OPTIONS.maxDistanceRatio,
  screeningMaxDistanceZ: DEFAULT_SCREENING_OPTIONS.maxDistanceZ,
  screeningMinUpdates: DEFAULT_SCREENING_OPTIONS.minUpdatesForRelative,
  screeningMinAgreement: DEFAULT_SCREENING_OPTIONS.minAgreement,
  dashboard: 'auto',
  corsOrigin: [],
};

/** Where each screening option lives in the server config. */
const SCREENING_CONFIG_KEYS = {
  enabled: 'screening',
  samples: 'screeningSamples',
  maxDistanceToGlobalNorm: 'screeningMaxDistanceToGlobalNorm',
  maxDistanceRatio: 'screeningMaxDistanceRatio',
  maxDistanceZ: 'screeningMaxDistanceZ',
  minUpdatesForRelative: 'screeningMinUpdates',
  minAgreement: 'screeningMinAgreement',
} as const satisfies Record<keyof ScreeningOptions, keyof ServerConfig>;

/** The screening options a config asks for, checked (errors name the config key). */
export function screeningOptionsOf(c: ServerConfig): ScreeningOptions {
  return resolveScreeningOptions(
    {
      enabled: c.screening,
      samples: c.screeningSamples,
      maxDistanceToGlobalNorm: c.screeningMaxDistanceToGlobalNorm,
      maxDistanceRatio: c.screeningMaxDistanceRatio,
      maxDistanceZ: c.screeningMaxDistanceZ,
      minUpdatesForRelative: c.screeningMinUpdates,
      minAgreement: c.screeningMinAgreement,
    },
    (key) => `option ${SCREENING_CONFIG_KEYS[key]}`,
  );
}

const KEYS = Object.keys(DEFAULT_SERVER_CONFIG) as (keyof ServerConfig)[];

/** Reads a JSON or YAML config file into a partial config (validated later, with the flags). */
export function readConfigFile(path: string): Partial<ServerConfig> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new FedfuseError('invalid_argument', `cannot read config file ${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
  let parsed: unknown;
  try {
    parsed = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new FedfuseError('invalid_argument', `config file ${path} is not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'}: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) throw new FedfuseError('invalid_argument', `config file ${path} must hold a mapping of option names to values`);
  for (const key of Object.keys(parsed)) {
    if (!(KEYS as string[]).includes(key)) throw new FedfuseError('invalid_argument', `config file ${path}: unknown option "${key}" (known: ${KEYS.join(', ')})`);
  }
  return parsed as Partial<ServerConfig>;
}

/** Defaults, then the file, then the flags; every value checked, with the option named in the message. */
export function resolveServerConfig(...layers: Partial<ServerConfig>[]): ServerConfig {
  const merged = Object.assign({}, DEFAULT_SERVER_CONFIG, ...layers.map(withoutUndefined)) as ServerConfig;
  validateServerConfig(merged);
  return merged;
}

function withoutUndefined(o: Partial<ServerConfig>): Partial<ServerConfig> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<ServerConfig>;
}

export function validateServerConfig(c: ServerConfig): void {
  const bad = (key: keyof ServerConfig, what: string): never => {
    throw new FedfuseError('invalid_argument', `option ${key}: ${what}, got ${JSON.stringify(c[key])}`);
  };
  const int = (key: keyof ServerConfig, min: number, max = Number.MAX_SAFE_INTEGER): void => {
    const v = c[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) bad(key, `must be an integer in [${min}, ${max}]`);
  };
  const positive = (key: keyof ServerConfig): void => {
    const v = c[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) bad(key, 'must be a positive number');
  };
  int('port', 0, 65_535);
  if (typeof c.host !== 'string' || c.host === '') bad('host', 'must be a host name or address');
  if (typeof c.database !== 'string' || c.database === '') bad('database', 'must be a file path (or :memory:)');
  if (typeof c.secret !== 'string' || c.secret.length < 16) {
    throw new FedfuseError('invalid_argument', 'option secret: a client-token secret of at least 16 characters is required (--secret or $FEDFUSE_SECRET)');
  }
  if (c.adminToken !== null && (typeof c.adminToken !== 'string' || c.adminToken.length < 8)) bad('adminToken', 'must be at least 8 characters, or null');
  if (typeof c.dataset !== 'string' || c.dataset === '') bad('dataset', 'must name a data set');
  int('calibrationSize', 1);
  int('testSize', 0);
  int('splitSeed', 0);
  if (typeof c.model !== 'string') bad('model', 'must be an architecture such as mlp:256');
  if (c.runId !== null && (typeof c.runId !== 'string' || !/^[A-Za-z0-9._-]{1,64}$/.test(c.runId))) bad('runId', 'must be 1-64 letters, digits, ".", "_" or "-"');
  int('rounds', 1);
  int('minClients', 1);
  if (typeof c.fractionFit !== 'number' || !(c.fractionFit > 0 && c.fractionFit <= 1)) bad('fractionFit', 'must be in (0, 1]');
  int('minFitClients', 1);
  int('quorum', 1);
  positive('roundTimeout');
  int('maxAttempts', 1);
  if (typeof c.reconnectGrace !== 'number' || !Number.isFinite(c.reconnectGrace) || c.reconnectGrace < 0) bad('reconnectGrace', 'must be a number of seconds >= 0');
  int('maxNumExamples', 1);
  if (!(AGGREGATORS as readonly string[]).includes(c.aggregator)) bad('aggregator', `must be one of ${AGGREGATORS.join(', ')}`);
  if (!(TRAIN_FROM as readonly string[]).includes(c.trainFrom)) bad('trainFrom', `must be one of ${TRAIN_FROM.join(', ')}`);
  if (!['client', 'uniform', 'activation'].includes(c.importance)) bad('importance', 'must be client, uniform or activation');
  if (!(NEURON_FUSION_SETTINGS as readonly string[]).includes(c.neuronFusion)) bad('neuronFusion', `must be one of ${NEURON_FUSION_SETTINGS.join(', ')}`);
  int('epochs', 1);
  int('batchSize', 1);
  positive('learningRate');
  if (!(OPTIMIZERS as readonly string[]).includes(c.optimizer)) bad('optimizer', `must be one of ${OPTIMIZERS.join(', ')}`);
  if (typeof c.mu !== 'number' || !Number.isFinite(c.mu) || c.mu < 0) bad('mu', 'must be a number >= 0');
  if (typeof c.attribution !== 'string' || !isAttributionMethod(c.attribution)) bad('attribution', 'must be conductance, grad-x-act, ablation, activation or uniform');
  int('attributionSamples', 0);
  int('seed', 0);
  positive('pingInterval');
  positive('pingTimeout');
  if (!['silent', 'error', 'warn', 'info', 'debug'].includes(c.logLevel)) bad('logLevel', 'must be silent, error, warn, info or debug');
  screeningOptionsOf(c);
  if (!['auto', 'off', 'public', 'token'].includes(c.dashboard)) bad('dashboard', 'must be auto, off, public or token');
  if (!Array.isArray(c.corsOrigin) || c.corsOrigin.some((o) => typeof o !== 'string' || !(o === '*' || /^https?:\/\/[^/\s]+$/.test(o)))) {
    bad('corsOrigin', 'must be a list of origins such as https://viewer.example (scheme and host, no path), or *');
  }
}
