import type { Command } from 'commander';
import { pino, type Logger } from 'pino';
import { initBackend, parseBackendPreference } from '../../../common/backend/index.ts';
import { carveHoldout, DATASET_SOURCE_HELP, loadDatasetSource, subset } from '../../../common/data/index.ts';
import { ARCHITECTURE_EXAMPLES, initNetwork, parseArchitecture } from '../../../common/model/index.ts';
import { AGGREGATOR_DESCRIPTIONS, AGGREGATORS, createWorkerFusionExecutor, DEFAULT_TRAIN_FROM } from '../../aggregation/index.ts';
import { createFedfuseServer } from '../../app.ts';
import { defaultDashboardAccess } from '../../dashboard/index.ts';
import { InvalidArgumentError } from 'commander';
import { readConfigFile, resolveServerConfig, screeningOptionsOf, type ServerConfig } from '../../config/index.ts';
import { phasePausesFromEnv, type OrchestratorEvent } from '../../rounds/index.ts';
import { openRoundStore } from '../../store/index.ts';
import { int, num } from './option-parsers.ts';

interface ServerFlags {
  config?: string;
  port?: number;
  host?: string;
  db?: string;
  secret?: string;
  adminToken?: string;
  dataset?: string;
  calibrationSize?: number;
  testSize?: number;
  splitSeed?: number;
  model?: string;
  runId?: string;
  rounds?: number;
  minClients?: number;
  fraction?: number;
  minFitClients?: number;
  quorum?: number;
  roundTimeout?: number;
  maxAttempts?: number;
  reconnectGrace?: number;
  aggregator?: ServerConfig['aggregator'];
  trainFrom?: ServerConfig['trainFrom'];
  importance?: ServerConfig['importance'];
  neuronFusion?: ServerConfig['neuronFusion'];
  epochs?: number;
  batchSize?: number;
  lr?: number;
  optimizer?: ServerConfig['optimizer'];
  mu?: number;
  attribution?: ServerConfig['attribution'];
  attributionSamples?: number;
  seed?: number;
  logLevel?: ServerConfig['logLevel'];
  screening?: boolean;
  screeningSamples?: number;
  screeningMaxDistanceToGlobal?: number;
  screeningMaxDistanceRatio?: number;
  screeningMaxDistanceZ?: number;
  screeningMinUpdates?: number;
  screeningMinAgreement?: number;
  dashboard?: ServerConfig['dashboard'];
  corsOrigin?: string[];
}

/** `on` / `off` (also true / false) to a boolean. */
function onOff(value: string): boolean {
  const v = value.trim().toLowerCase();
  if (v === 'on' || v === 'true') return true;
  if (v === 'off' || v === 'false') return false;
  throw new InvalidArgumentError(`"${value}" is not on or off.`);
}

export function registerServerCommand(program: Command): void {
  program
    .command('server')
    .summary('run the aggregation server: socket.io for clients, HTTP API, SQLite persistence')
    .description(
      'Runs the fedfuse aggregation server. Clients connect over socket.io with a token minted by `fedfuse token`, ' +
        'train each round on their own data and upload their model with an attribution summary; the server fuses the ' +
        'updates (KF-linear by default) on an unlabelled calibration set, evaluates the result on a held-out test set, ' +
        'stores everything in SQLite and broadcasts the new global model. Restarted on the same --db, it resumes the ' +
        'run where it stopped. Options may also come from a JSON/YAML --config file with the same names in camelCase; ' +
        'flags win over the file.',
    )
    .option('--config <file>', 'JSON or YAML file of options')
    .option('--port <n>', 'TCP port, 0 = any free port (default 8080)', int)
    .option('--host <address>', 'address to listen on (default 127.0.0.1; 0.0.0.0 for edge clients)')
    .option('--db <file>', 'SQLite database (default ./fedfuse.sqlite)')
    .option('--secret <s>', 'client-token signing secret, >= 16 characters (default $FEDFUSE_SECRET)')
    .option('--admin-token <t>', 'token for the mutating HTTP routes (default $FEDFUSE_ADMIN_TOKEN, else disabled)')
    .option('--dataset <source>', `where calibration and test sets come from: ${DATASET_SOURCE_HELP} (default mnist)`)
    .option('--calibration-size <n>', 'unlabelled calibration samples for fusion (default 400)', int)
    .option('--test-size <n>', 'held-out labelled samples for evaluation, 0 = none (default 1000)', int)
    .option('--split-seed <n>', 'seed of the calibration/test carve; clients must use the same (default 0)', int)
    .option('--model <arch>', `architecture of the global model: ${ARCHITECTURE_EXAMPLES} (default mlp:256)`)
    .option('--run-id <id>', 'run to resume or create (default: resume the newest running run, else a new one)')
    .option('--rounds <n>', 'rounds to run (default 10)', int)
    .option('--min-clients <n>', 'connected clients needed before a round opens (default 2)', int)
    .option('--fraction <f>', 'fraction of connected clients sampled per round (default 1)', num)
    .option('--min-fit-clients <n>', 'at least this many sampled per round (default 1)', int)
    .option('--quorum <n>', 'updates needed at the deadline to aggregate (default 1)', int)
    .option('--round-timeout <seconds>', 'how long a round waits for updates (default 300)', num)
    .option('--max-attempts <n>', 'tries per round before the run fails (default 3)', int)
    .option('--reconnect-grace <seconds>', 'how long a sampled client that dropped is waited for before the round closes without it (default 15)', num)
    .option('--aggregator <name>', `${AGGREGATORS.join(' | ')} (default kf-linear): ${AGGREGATORS.map((a) => `${a}: ${AGGREGATOR_DESCRIPTIONS[a]}`).join('; ')}`)
    .option('--train-from <model>', `kf-linear, hf, feddf: what the next round's clients train from: served (the fused model, with its output corrections) | average (the FedAvg average of the same updates) (default ${DEFAULT_TRAIN_FROM})`)
    .option('--importance <source>', 'client (attribution summaries) | uniform | activation (default client)')
    .option(
      '--neuron-fusion <settings>',
      "kf-linear/hf settings: federated (class consensus of the output layer, aligned ridge prior, index-started k-means, FedAvg-scaled logits, class-prior matching; for clients that start from one global model) | paper (the published method) (default federated)",
    )
    .option('--epochs <n>', 'local epochs per round (default 1)', int)
    .option('--batch-size <n>', 'local batch size (default 32)', int)
    .option('--lr <rate>', 'local learning rate (default 0.001)', num)
    .option('--optimizer <name>', 'sgd | adam (default adam)')
    .option('--mu <mu>', 'FedProx proximal term on the clients, 0 = off (default 0)', num)
    .option('--attribution <method>', 'what clients send as importance: conductance | grad-x-act | ablation | activation | uniform (default conductance)')
    .option('--attribution-samples <n>', 'local samples clients score neurons on (default 500)', int)
    .option('--seed <n>', 'seed of the initial model, sampling and fusion (default 0)', int)
    .option('--log-level <level>', 'silent | error | warn | info | debug (default info)')
    .option('--screening <on|off>', 'screen updates before fusion and leave out clearly harmful ones, recorded per round (default on)', onOff)
    .option('--screening-samples <n>', 'calibration samples updates are screened on (default 256)', int)
    .option('--screening-max-distance-to-global <x>', "reject an update farther from the global model than x times the global model's norm (default 10)", num)
    .option('--screening-max-distance-ratio <x>', "reject an update farther than x times the round's median distance... (default 4)", num)
    .option('--screening-max-distance-z <z>', '...when its robust z-score is also above z (default 6)', num)
    .option('--screening-min-updates <n>', 'updates needed before updates are compared with each other (default 5)', int)
    .option('--screening-min-agreement <f>', "reject an update agreeing with the others' ensemble on fewer than this fraction of samples, 0 = off (default 0)", num)
    .option('--dashboard <mode>', 'who may read the dashboard at /: off | public | token (the admin token) | auto (public on a loopback host, else token) (default auto)')
    .option('--cors-origin <origin>', 'an origin whose pages may load the round models cross-origin, e.g. https://viewer.example, or *; repeatable (default none)', (v: string, list: string[] = []) => [...list, v])
    .action(async (flags: ServerFlags, command: Command) => {
      const globals = command.optsWithGlobals<{ backend: string }>();
      await runServer(flags, globals.backend);
    });
}

function configFromFlags(f: ServerFlags): Partial<ServerConfig> {
  return {
    port: f.port,
    host: f.host,
    database: f.db,
    secret: f.secret,
    adminToken: f.adminToken,
    dataset: f.dataset,
    calibrationSize: f.calibrationSize,
    testSize: f.testSize,
    splitSeed: f.splitSeed,
    model: f.model,
    runId: f.runId,
    rounds: f.rounds,
    minClients: f.minClients,
    fractionFit: f.fraction,
    minFitClients: f.minFitClients,
    quorum: f.quorum,
    roundTimeout: f.roundTimeout,
    maxAttempts: f.maxAttempts,
    reconnectGrace: f.reconnectGrace,
    aggregator: f.aggregator,
    trainFrom: f.trainFrom,
    importance: f.importance,
    neuronFusion: f.neuronFusion,
    epochs: f.epochs,
    batchSize: f.batchSize,
    learningRate: f.lr,
    optimizer: f.optimizer,
    mu: f.mu,
    attribution: f.attribution,
    attributionSamples: f.attributionSamples,
    seed: f.seed,
    logLevel: f.logLevel,
    screening: f.screening,
    screeningSamples: f.screeningSamples,
    screeningMaxDistanceToGlobalNorm: f.screeningMaxDistanceToGlobal,
    screeningMaxDistanceRatio: f.screeningMaxDistanceRatio,
    screeningMaxDistanceZ: f.screeningMaxDistanceZ,
    screeningMinUpdates: f.screeningMinUpdates,
    screeningMinAgreement: f.screeningMinAgreement,
    dashboard: f.dashboard,
    corsOrigin: f.corsOrigin,
  };
}

async function runServer(flags: ServerFlags, backend: string): Promise<void> {
  const config = resolveServerConfig(flags.config !== undefined ? readConfigFile(flags.config) : {}, configFromFlags(flags));
  const log = pino({ level: config.logLevel, base: { service: 'fedfuse' } });
  const backendName = await initBackend(parseBackendPreference(backend), (line) => log.info({ event: 'backend' }, line));

  const data = loadDatasetSource(config.dataset);
  const holdout = carveHoldout(data.labels, { testSize: config.testSize, calibrationSize: config.calibrationSize, seed: config.splitSeed });
  const calibration = subset(data, holdout.calibration, `${data.name} calibration`);
  const test = config.testSize > 0 ? subset(data, holdout.test, `${data.name} test`) : null;
  const spec = parseArchitecture(config.model, data.sampleShape, data.numClasses);

  const store = openRoundStore(config.database);
  const executor = createWorkerFusionExecutor(
    {
      calibration: calibration.images,
      test: test === null ? null : { images: test.images, labels: test.labels, count: test.count, name: test.name },
    },
    parseBackendPreference(backend),
  );
  const server = createFedfuseServer(
    {
      store,
      executor,
      initialModel: initNetwork(spec, config.seed),
      log: (event) => logEvent(log, event),
      // Crash tests pause the server at a round's step to kill it there (unset in normal runs).
      afterEntering: phasePausesFromEnv(process.env),
    },
    {
      secret: config.secret,
      adminToken: config.adminToken,
      run: {
        runId: config.runId,
        rounds: config.rounds,
        minClients: config.minClients,
        roundTimeoutMs: config.roundTimeout * 1000,
        quorum: config.quorum,
        maxAttempts: config.maxAttempts,
        maxNumExamples: config.maxNumExamples,
        seed: config.seed,
        reconnectGraceMs: config.reconnectGrace * 1000,
      },
      strategy: {
        aggregator: config.aggregator,
        trainFrom: config.trainFrom,
        importance: config.importance,
        neuronFusion: config.neuronFusion,
        training: {
          epochs: config.epochs,
          batchSize: config.batchSize,
          learningRate: config.learningRate,
          optimizer: config.optimizer,
          proximalMu: config.mu,
          attributionMethod: config.importance === 'client' ? config.attribution : 'uniform',
          attributionSamples: config.attributionSamples,
        },
        sampling: { fractionFit: config.fractionFit, minFitClients: config.minFitClients },
        seed: config.seed,
        screening: screeningOptionsOf(config),
      },
      runConfig: { ...config, secret: undefined, adminToken: undefined, backend: backendName },
      pingIntervalMs: config.pingInterval * 1000,
      pingTimeoutMs: config.pingTimeout * 1000,
      dashboard: {
        access: config.dashboard === 'auto' ? defaultDashboardAccess(config.host) : config.dashboard,
        // The demo part of /join is the embedded digits, carved as this server carves them.
        demo: config.dataset === 'mnist' ? { splitSeed: config.splitSeed, calibrationSize: config.calibrationSize, testSize: config.testSize } : null,
      },
      corsOrigins: config.corsOrigin,
    },
  );
  const url = await server.listen(config.port, config.host);
  log.info({ event: 'dashboard', access: config.dashboard === 'auto' ? defaultDashboardAccess(config.host) : config.dashboard }, `dashboard at ${url}/ , browser clients at ${url}/join`);
  log.info({ event: 'listening', url, database: config.database, dataset: data.name, calibration: calibration.count, test: test?.count ?? 0 }, `fedfuse server listening on ${url}`);
  // Machine-readable line for scripts and tests that start the server as a child process.
  process.stdout.write(`FEDFUSE_LISTENING ${url}\n`);

  await new Promise<void>((resolve) => {
    const shutdown = (signal: string): void => {
      log.info({ event: 'shutdown', signal }, 'shutting down');
      resolve();
    };
    process.once('SIGINT', () => shutdown('SIGINT'));
    process.once('SIGTERM', () => shutdown('SIGTERM'));
  });
  await server.close();
  await executor.close();
  store.close();
}

function logEvent(log: Logger, event: OrchestratorEvent): void {
  switch (event.type) {
    case 'updateRejected':
      log.warn({ event: event.type, clientId: event.clientId, code: event.code }, event.message);
      break;
    case 'roundFailed':
      log.warn({ event: event.type, round: event.round, attempt: event.attempt }, event.reason);
      break;
    case 'storageError':
      log.warn({ event: event.type, during: event.during }, `storage failed while ${event.during}: ${event.message} (retrying)`);
      break;
    case 'phase':
      log.debug({ event: event.type, round: event.round, phase: event.phase }, `round ${event.round}: ${event.phase}`);
      break;
    case 'updateAccepted':
      log.info({ ...event, event: event.type }, `round ${event.round}: update ${event.received}/${event.sampled} from ${event.clientId}`);
      break;
    case 'roundCompleted': {
      const accuracy = event.evaluations[0]?.accuracy;
      log.info(
        { ...event, event: event.type },
        `round ${event.round} done: ${event.aggregator} over ${event.participants.length} clients in ${event.fusionSeconds.toFixed(2)} s` +
          (accuracy === undefined ? '' : `, test accuracy ${(accuracy * 100).toFixed(2)}%`),
      );
      break;
    }
    default:
      log.info({ ...event, event: event.type }, event.type);
  }
}
