import { FedfuseError } from '../../common/errors/index.ts';
import type { Network } from '../../common/model/network.ts';
import type { TrainingConfig } from '../../common/wire/index.ts';
import type { EvaluationResponse, FusionExecutor, FusionStrategyOptions } from '../aggregation/index.ts';
import { createFedfuseServer, type FedfuseServer, type ServerSettings } from '../app.ts';
import { DEFAULT_RUN_SETTINGS, type OrchestratorEvent } from '../rounds/index.ts';
import type { AsyncRoundStore } from '../store/index.ts';
import { isClientImportance, type AggregatorVariant } from './aggregator-variant.ts';
import type { ClientActivity } from './client-thread-protocol.ts';
import type { ClientThreadPool } from './client-thread-pool.ts';
import type { SimulationObserver } from './simulation-events.ts';
import type { SimulationOptions } from './simulation-options.ts';

/** What one run needs that is shared by every run of a simulation. */
export interface RunContext {
  readonly store: AsyncRoundStore;
  readonly executor: FusionExecutor;
  readonly pool: ClientThreadPool;
  readonly initialModel: Network;
  /** The initial model on the test set, stored as each run's round-0 evaluation. */
  readonly initialEvaluation: EvaluationResponse | null;
  readonly secret: string;
  readonly tokens: Readonly<Record<string, string>>;
  readonly options: SimulationOptions;
  readonly runConfig: (variant: AggregatorVariant) => unknown;
  readonly observe: SimulationObserver;
}

/** What a run measured that the store does not hold. */
export interface RunMeasurements {
  readonly runId: string;
  /** From the first client connecting to the run's end. */
  readonly wallSeconds: number;
  /** Envelope bytes on the socket.io connections: client -> server and server -> client. */
  readonly bytesUp: number;
  readonly bytesDown: number;
}

/** A run may not go on after a round failed: in a simulation that means a bug or a broken setup. */
const ROUND_TIMEOUT_MS = 3_600_000;

/**
 * One arm of the experiment: a fresh fedfuse server (the real composition
 * root, on port 0, with the shared SQLite store and fusion executor) runs
 * `rounds` rounds with the given aggregator while the pool's clients connect
 * to it over socket.io, train and upload. Resolves when the run is finished;
 * rejects at the first failed round, client error or thread failure.
 */
export async function runAggregator(ctx: RunContext, variant: AggregatorVariant, runIndex: number, runs: number, runId: string): Promise<RunMeasurements> {
  const { options, observe } = ctx;
  const label = variant.label;
  let bytesUp = 0;
  let bytesDown = 0;
  let sampled = 0;
  let trained = 0;
  let resolveRun!: () => void;
  let abortRun!: (e: Error) => void;
  const finished = new Promise<void>((resolve, reject) => {
    resolveRun = resolve;
    abortRun = reject;
  });
  // Awaited below; this only keeps an early abort (before the await) from counting as unhandled.
  finished.catch(() => {});

  const onServerEvent = (e: OrchestratorEvent): void => {
    switch (e.type) {
      case 'roundOpened':
        sampled = e.sampled.length;
        trained = 0;
        observe({ type: 'roundOpened', label, round: e.round, sampled });
        observe({ type: 'phase', label, round: e.round, phase: 'training' });
        break;
      case 'updateAccepted':
        observe({ type: 'updateAccepted', label, round: e.round, clientId: e.clientId, bytes: e.bytes, received: e.received, sampled: e.sampled });
        break;
      case 'phase':
        if (e.phase === 'aggregating') observe({ type: 'phase', label, round: e.round, phase: 'fusing' });
        if (e.phase === 'evaluating') observe({ type: 'phase', label, round: e.round, phase: 'evaluating' });
        break;
      case 'roundCompleted': {
        const evaluation = e.evaluations[0];
        const extra = evaluation?.extra as { ensembleAccuracy?: number | null; trainingModelAccuracy?: number | null } | undefined;
        observe({
          type: 'roundCompleted',
          label,
          round: e.round,
          rounds: options.rounds,
          accuracy: evaluation?.accuracy ?? null,
          ensembleAccuracy: extra?.ensembleAccuracy ?? null,
          trainingModelAccuracy: typeof extra?.trainingModelAccuracy === 'number' ? extra.trainingModelAccuracy : null,
          fusionSeconds: e.fusionSeconds,
          roundSeconds: e.roundSeconds,
        });
        break;
      }
      case 'roundFailed':
        abortRun(new FedfuseError('internal', `${label}: round ${e.round} failed: ${e.reason}`));
        break;
      case 'runFinished':
        if (e.state === 'finished') resolveRun();
        else abortRun(new FedfuseError('internal', `${label}: the run failed: ${e.reason ?? 'no reason given'}`));
        break;
      default:
        break;
    }
  };

  const onActivity = (clientId: string, a: ClientActivity): void => {
    switch (a.type) {
      case 'trained':
        trained++;
        observe({ type: 'clientTrained', label, round: a.round, clientId, seconds: a.trainSeconds + a.attributionSeconds, trained, sampled });
        if (trained === sampled) observe({ type: 'phase', label, round: a.round, phase: 'uploading' });
        break;
      case 'uploadRefused':
        abortRun(new FedfuseError('internal', `${label}: the server refused ${clientId}'s update for round ${a.round} (${a.code}): ${a.message}`));
        break;
      case 'refused':
        abortRun(new FedfuseError('internal', `${label}: the server refused ${clientId} (${a.code}): ${a.message}`));
        break;
      case 'error':
        abortRun(new FedfuseError('internal', `${label}: ${clientId}: ${a.message}`));
        break;
      default:
        break;
    }
  };

  const server = createFedfuseServer({ store: ctx.store, executor: ctx.executor, initialModel: ctx.initialModel, log: onServerEvent }, serverSettings(ctx, variant, runId));
  countEnvelopeBytes(server, (up, down) => {
    bytesUp += up;
    bytesDown += down;
  });
  ctx.pool.onActivity(onActivity);
  ctx.pool.onFailure(abortRun);
  try {
    const url = await server.listen(0);
    await recordInitialEvaluation(ctx, runId);
    observe({ type: 'runStarted', label, run: runIndex + 1, runs, rounds: options.rounds, runId, url });
    const started = performance.now();
    await Promise.race([ctx.pool.connectAll(url, ctx.tokens).then(() => finished), finished]);
    const wallSeconds = (performance.now() - started) / 1000;
    return { runId, wallSeconds, bytesUp, bytesDown };
  } finally {
    ctx.pool.onActivity(() => {});
    ctx.pool.onFailure(() => {});
    await ctx.pool.disconnectAll().catch(() => {});
    await server.close();
  }
}

function serverSettings(ctx: RunContext, variant: AggregatorVariant, runId: string): ServerSettings {
  const o = ctx.options;
  return {
    secret: ctx.secret,
    adminToken: null,
    run: {
      ...DEFAULT_RUN_SETTINGS,
      runId,
      rounds: o.rounds,
      // Every client connected before round 1, so each round samples from all of them.
      minClients: o.clients,
      roundTimeoutMs: ROUND_TIMEOUT_MS,
      quorum: 1,
      maxAttempts: 1,
      seed: o.seed,
    },
    strategy: strategyOptions(o, variant),
    runConfig: ctx.runConfig(variant),
    pingIntervalMs: 10_000,
    // A client thread busy training cannot answer pings; it must not be dropped for that.
    pingTimeoutMs: 600_000,
  };
}

/** The server's strategy for an arm: its aggregator, importance for kf-linear/hf, the clients' training, and where they train from. */
export function strategyOptions(o: SimulationOptions, variant: AggregatorVariant): FusionStrategyOptions {
  const clientImportance = variant.importance !== null && isClientImportance(variant.importance);
  const training: TrainingConfig = {
    epochs: o.localEpochs,
    batchSize: o.batchSize,
    learningRate: o.learningRate,
    optimizer: o.optimizer,
    proximalMu: variant.proximalMu,
    attributionMethod: clientImportance ? variant.importance! : 'uniform',
    attributionSamples: clientImportance ? o.attributionSamples : 0,
  };
  return {
    aggregator: variant.name,
    trainFrom: variant.trainFrom,
    startModelParent: o.startModelParent,
    ...(variant.clientWidths !== null ? { clientWidths: variant.clientWidths } : {}),
    importance: clientImportance ? 'client' : variant.importance === 'activation' ? 'activation' : 'uniform',
    training,
    sampling: { fractionFit: o.fraction, minFitClients: 1 },
    seed: o.seed,
    screening: { enabled: o.screening },
    neuronFusion: o.neuronFusion,
  };
}

/** Counts the envelopes on every connection: what the clients upload and what the server sends them. */
function countEnvelopeBytes(server: FedfuseServer, add: (up: number, down: number) => void): void {
  const size = (payload: unknown): number => (payload instanceof Uint8Array ? payload.byteLength : payload instanceof ArrayBuffer ? payload.byteLength : 0);
  server.io.on('connection', (socket) => {
    socket.onAny((_event: string, payload: unknown) => add(size(payload), 0));
    socket.onAnyOutgoing((_event: string, payload: unknown) => add(0, size(payload)));
  });
}

/** The initial model's accuracy, stored as the run's round 0 so that every number of results.json comes from the store. */
async function recordInitialEvaluation(ctx: RunContext, runId: string): Promise<void> {
  const e = ctx.initialEvaluation;
  if (e === null) return;
  await ctx.store.recordEvaluation({
    runId,
    round: 0,
    dataset: e.dataset,
    accuracy: e.accuracy,
    loss: e.loss,
    samples: e.samples,
    extra: { ensembleAccuracy: null, note: 'initial model, evaluated by the simulation before round 1' },
  });
}
