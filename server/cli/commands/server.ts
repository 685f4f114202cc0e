import type { Command } from 'commander';
import { pino, type Logger } from 'pino';
import { initBackend, parseBackendPreference } from '../../../common/backend/index.ts';
import { carveHoldout, loadDatasetSource, subset } from '../../../common/data/index.ts';
import { checkClientWidthsForRun, createWorkerFusionExecutor } from '../../aggregation/index.ts';
import { createFedfuseServer } from '../../app.ts';
import { explicitServerConfig, flagOf, initialModelOf, loadInitialModelSource, resolveReadToken, resolveServerSecrets, SERVER_OPTIONS, screeningOptionsOf, selectRun, type InitialModelSource, type SelectedRun } from '../../config/index.ts';
import { FedfuseError } from '../../../common/errors/index.ts';
import { phasePausesFromEnv, type OrchestratorEvent } from '../../rounds/index.ts';
import { describePostgresUrl, isPostgresUrl, openStore, type AsyncRoundStore } from '../../store/index.ts';
import { plaintextWarning, readTlsFiles } from '../../tls/index.ts';
import type { Refusal } from '../../transport/index.ts';
import { addTableFlags } from './table-flags.ts';

export function registerServerCommand(program: Command): void {
  const command = program
    .command('server')
    .summary('run the aggregation server: socket.io for clients, HTTP API, SQLite or PostgreSQL persistence')
    .description(
      'Runs the fedfuse aggregation server. Clients connect over socket.io with a token minted by `fedfuse token`, ' +
        'train each round on their own data and upload their model with an attribution summary; the server fuses the ' +
        'updates (KF-linear by default) on an unlabelled calibration set, evaluates the result on a held-out test set, ' +
        'stores everything in SQLite (or PostgreSQL with --db postgres://...) and broadcasts the new global model. Restarted on the same --db, it resumes the ' +
        'run where it stopped. Options may also come from a JSON/YAML --config file with the same names in camelCase; ' +
        'flags win over the file.',
    )
    .option('--config <file>', 'JSON or YAML file of options: the same names in camelCase (e.g. calibrationSize, lr); flags win over it');
  addTableFlags(command, SERVER_OPTIONS).action(async (flags: Record<string, unknown> & { config?: string }, command: Command) => {
    const globals = command.optsWithGlobals<{ backend: string }>();
    await runServer(flags, globals.backend);
  });
}

async function runServer({ config: configFile, ...flags }: Record<string, unknown> & { config?: string }, backend: string): Promise<void> {
  const explicit = explicitServerConfig({ ...(configFile !== undefined ? { configFile } : {}), flags, warn: (line) => process.stderr.write(`fedfuse: warning: ${line}\n`) });
  const secrets = resolveServerSecrets(explicit.config);
  const readToken = resolveReadToken(explicit.config, secrets.adminToken);
  const log = pino({ level: explicit.config.logLevel, base: { service: 'fedfuse' } });
  const store = await openStore(explicit.config.db);
  let selected: SelectedRun;
  try {
    selected = await selectRun(store, explicit);
  } catch (e) {
    await store.close();
    throw e;
  }
  const config = selected.config;
  // Refused here, before the backend starts or a port is bound: an unsupported layer, a model that does not fit the data.
  let data: ReturnType<typeof loadDatasetSource>;
  let model: InitialModelSource;
  try {
    data = loadDatasetSource(config.dataset);
    model = await loadInitialModelSource(config.model, data);
    checkClientWidthsForRun(config.clientWidths, config.aggregator, model.spec);
  } catch (e) {
    await store.close();
    throw e;
  }
  const backendName = await initBackend(parseBackendPreference(backend), (line) => log.info({ event: 'backend' }, line));

  const holdout = carveHoldout(data.labels, { testSize: config.testSize, calibrationSize: config.calibrationSize, seed: config.splitSeed });
  const calibration = subset(data, holdout.calibration, `${data.name} calibration`);
  const test = config.testSize > 0 ? subset(data, holdout.test, `${data.name} test`) : null;

  const tls = readTlsFiles({ cert: config.tlsCert, key: config.tlsKey, ca: config.tlsCa });
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
      initialModel: initialModelOf(model, config.seed),
      log: (event) => logEvent(log, event),
      logRefusal: (refusal) => logRefusal(log, refusal),
      // Crash tests pause the server at a round's step to kill it there (unset in normal runs).
      afterEntering: phasePausesFromEnv(process.env),
    },
    {
      secret: secrets.secret,
      adminToken: secrets.adminToken,
      adminGuessLimit: { burst: config.adminGuessesPerMinute, perMinute: config.adminGuessesPerMinute },
      readApi: { mode: config.readApi, readToken },
      run: {
        runId: selected.runId,
        rounds: config.rounds,
        minClients: config.minClients,
        roundTimeoutMs: config.roundTimeout * 1000,
        quorum: config.quorum,
        maxAttempts: config.maxAttempts,
        maxNumExamples: config.maxNumExamples,
        seed: config.seed,
        reconnectGraceMs: config.reconnectGrace * 1000,
        dataCarve: { dataset: config.dataset, splitSeed: config.splitSeed, calibrationSize: config.calibrationSize, testSize: config.testSize },
      },
      strategy: {
        aggregator: config.aggregator,
        trainFrom: config.trainFrom,
        startModelParent: config.startModelParent,
        clientWidths: config.clientWidths,
        importance: config.importance,
        neuronFusion: config.neuronFusion,
        training: {
          epochs: config.epochs,
          batchSize: config.batchSize,
          learningRate: config.lr,
          optimizer: config.optimizer,
          proximalMu: config.mu,
          attributionMethod: config.importance === 'client' ? config.attribution : 'uniform',
          attributionSamples: config.attributionSamples,
        },
        sampling: { fractionFit: config.fraction, minFitClients: config.minFitClients },
        seed: config.seed,
        screening: screeningOptionsOf(config),
      },
      runConfig: { ...config, secret: undefined, adminToken: undefined, readToken: undefined, backend: backendName },
      pingIntervalMs: config.pingInterval * 1000,
      pingTimeoutMs: config.pingTimeout * 1000,
      connectionLimits: {
        maxConnectionsPerAddress: config.maxConnectionsPerAddress,
        maxConnections: config.maxConnections,
        allowPolling: config.polling,
        headersTimeoutMs: Math.round(config.headersTimeout * 1000),
        requestTimeoutMs: Math.round(config.requestTimeout * 1000),
        preAuthMaxBytes: config.preAuthMaxBytes,
      },
      dashboard: {
        access: config.dashboard,
        // The demo part of /join is the embedded digits, carved as this server carves them.
        demo: config.dataset === 'mnist' ? { splitSeed: config.splitSeed, calibrationSize: config.calibrationSize, testSize: config.testSize } : null,
      },
      corsOrigins: config.corsOrigin,
      tls,
    },
  );
  let url: string;
  try {
    url = await server.listen(config.port, config.host);
  } catch (e) {
    await executor.close();
    await store.close();
    if (e instanceof FedfuseError && e.code === 'unavailable' && /is in use$/.test(e.message)) throw new FedfuseError('unavailable', `${e.message}; pick another ${flagOf('port')}`);
    throw e;
  }
  log.info({ event: 'run', runId: selected.runId, kind: selected.kind }, await describeSelection(selected, store));
  const plaintext = plaintextWarning(config.host, tls);
  if (plaintext !== null) log.warn({ event: 'plaintext', host: config.host }, plaintext);
  log.info({ event: 'read-api', mode: config.readApi, readToken: readToken !== null }, describeReadApi(config.readApi, readToken !== null, secrets.adminToken !== null));
  if (config.dashboard === 'on') log.info({ event: 'dashboard' }, `dashboard at ${url}/ , browser clients at ${url}/join`);
  log.info({ event: 'listening', url, database: isPostgresUrl(config.db) ? describePostgresUrl(config.db) : config.db, store: store.backend, dataset: data.name, model: model.description, calibration: calibration.count, test: test?.count ?? 0 }, `fedfuse server listening on ${url}`);

  await new Promise<void>((resolve) => {
    const shutdown = (signal: string): void => {
      log.info({ event: 'shutdown', signal }, 'shutting down');
      resolve();
    };
    process.once('SIGINT', () => shutdown('SIGINT'));
    process.once('SIGTERM', () => shutdown('SIGTERM'));
  });
  // A round being fused can hold close() up: past the limit the process exits anyway (the store resumes the run).
  const limit = setTimeout(() => {
    log.warn({ event: 'shutdown', limitMs: SHUTDOWN_LIMIT_MS }, `shutdown took over ${SHUTDOWN_LIMIT_MS / 1000} s; exiting, the run resumes on the next start`);
    process.exit(1);
  }, SHUTDOWN_LIMIT_MS);
  limit.unref();
  await server.close();
  await executor.close();
  await store.close();
  clearTimeout(limit);
}

/** SIGTERM or SIGINT to exit, at most. */
const SHUTDOWN_LIMIT_MS = 4_500;

async function describeSelection(selected: SelectedRun, store: AsyncRoundStore): Promise<string> {
  const run = await store.getRun(selected.runId);
  if (run === undefined || selected.kind === 'new') return `new run ${selected.runId}`;
  if (selected.kind === 'resume') return `resuming run ${run.id} after round ${run.currentRound}`;
  return (
    `run ${run.id} ${run.state} after round ${run.currentRound}: shown as it ended (GET /api/runs lists every run, ?run=ID picks one); ` +
    `${flagOf('newRun')} on starts another`
  );
}

/** Refused handshakes at info (a stale token is routine), refused messages at warn. */
function logRefusal(log: Logger, r: Refusal): void {
  const who = r.clientId === null ? 'a peer without a valid token' : `client ${r.clientId}`;
  const line = { event: 'refused', stage: r.stage, clientId: r.clientId, code: r.code, remoteAddress: r.remoteAddress };
  const text = `refused ${r.stage} from ${who} at ${r.remoteAddress}: ${r.code}: ${r.message}`;
  if (r.stage === 'handshake') log.info(line, text);
  else log.warn(line, text);
}

function logEvent(log: Logger, event: OrchestratorEvent): void {
  switch (event.type) {
    case 'updateRejected':
      break; // logged with the peer's address by logRefusal, as every refusal is
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

/** One line at start-up saying who reads per-client data, so an operator sees it without reading the docs. */
export function describeReadApi(mode: 'private' | 'public', hasReadToken: boolean, hasAdminToken: boolean): string {
  const readers = hasReadToken && hasAdminToken ? 'the read or admin token' : hasReadToken ? 'the read token' : hasAdminToken ? 'the admin token' : 'nobody (no read or admin token is configured)';
  return mode === 'private'
    ? `read API private: per-client routes and the dashboard's client list need ${readers}; without a token they answer 401`
    : `read API public: without a token the read routes and the dashboard answer aggregates only (no client ids or per-client metrics); ${readers} reads everything`;
}
