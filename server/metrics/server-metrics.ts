import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { ERROR_CODES, FedfuseError, type ErrorCode } from '../../common/errors/index.ts';

/**
 * What the round server reports to Prometheus, behind named methods so that
 * call sites say what happened (`uploadRejected('too_large')`) and never touch
 * metric names or label sets; the names live here and nowhere else.
 */
export type RoundOutcomeLabel = 'done' | 'failed';

export interface ServerMetrics {
  /** The registry holding these metrics and the default process metrics: what GET /metrics serves. */
  readonly registry: Registry;
  /** A round finished (its global model stored) or failed, after `seconds` since it opened. */
  roundCompleted(seconds: number, outcome: RoundOutcomeLabel): void;
  /** An update was stored; `bytes` is its size on the wire. */
  uploadAccepted(bytes: number): void;
  /** An update was refused with the FedfuseError code the client was sent. */
  uploadRejected(code: ErrorCode): void;
  /** One fusion by `aggregator` ('kf-linear', 'mean', ...) took `seconds`. */
  fusionTook(aggregator: string, seconds: number): void;
  /** `bytes` of global model were sent (once per receiving client). */
  broadcast(bytes: number): void;
  setConnectedClients(n: number): void;
  /** The round in progress, or the last one completed between rounds. */
  setCurrentRound(n: number): void;
}

export const METRIC_NAMES = {
  roundsTotal: 'fedfuse_rounds_total',
  uploadsTotal: 'fedfuse_uploads_total',
  uploadBytesTotal: 'fedfuse_upload_bytes_total',
  broadcastBytesTotal: 'fedfuse_broadcast_bytes_total',
  fusionSeconds: 'fedfuse_fusion_seconds',
  roundSeconds: 'fedfuse_round_seconds',
  connectedClients: 'fedfuse_connected_clients',
  currentRound: 'fedfuse_current_round',
} as const;

/** From a 10 ms mean to a multi-minute KF-linear fusion on 2 cores. */
const FUSION_SECONDS_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];
/** Rounds wait for client training: seconds to an hour. */
const ROUND_SECONDS_BUCKETS = [1, 5, 10, 30, 60, 120, 300, 600, 1200, 1800, 3600];

function requireNonNegative(value: number, what: string): number {
  // prom-client would throw a plain Error for a negative counter increment and
  // silently record NaN elsewhere; a bad value is a bug in the caller, said once here.
  if (!Number.isFinite(value) || value < 0) {
    throw new FedfuseError('invalid_argument', `${what} must be a finite non-negative number, got ${value}`);
  }
  return value;
}

/**
 * Creates the metrics on `registry` (a fresh one by default) together with
 * prom-client's default process metrics (CPU, memory, event loop lag, GC).
 * Calling it twice on the same registry throws: metric names are unique per registry.
 */
export function createServerMetrics(registry: Registry = new Registry()): ServerMetrics {
  const registers = [registry];
  collectDefaultMetrics({ register: registry });

  const rounds = new Counter({
    name: METRIC_NAMES.roundsTotal,
    help: 'Rounds closed, by outcome',
    labelNames: ['outcome'] as const,
    registers,
  });
  const uploads = new Counter({
    name: METRIC_NAMES.uploadsTotal,
    help: 'Client updates received, by result and error code ("ok" when accepted)',
    labelNames: ['result', 'code'] as const,
    registers,
  });
  const uploadBytes = new Counter({ name: METRIC_NAMES.uploadBytesTotal, help: 'Bytes of accepted client updates', registers });
  const broadcastBytes = new Counter({
    name: METRIC_NAMES.broadcastBytesTotal,
    help: 'Bytes of global models sent to clients',
    registers,
  });
  const fusionSeconds = new Histogram({
    name: METRIC_NAMES.fusionSeconds,
    help: 'Duration of one fusion, by aggregator',
    labelNames: ['aggregator'] as const,
    buckets: FUSION_SECONDS_BUCKETS,
    registers,
  });
  const roundSeconds = new Histogram({
    name: METRIC_NAMES.roundSeconds,
    help: 'Duration of a round from opening to done or failed',
    buckets: ROUND_SECONDS_BUCKETS,
    registers,
  });
  const connectedClients = new Gauge({ name: METRIC_NAMES.connectedClients, help: 'Clients connected now', registers });
  const currentRound = new Gauge({ name: METRIC_NAMES.currentRound, help: 'The round in progress', registers });

  // Series that exist from the start read as 0 rather than missing, so rate()
  // and alerts on them work before the first event.
  rounds.labels('done').inc(0);
  rounds.labels('failed').inc(0);
  uploads.labels('accepted', 'ok').inc(0);
  for (const code of ERROR_CODES) uploads.labels('rejected', code).inc(0);

  return {
    registry,
    roundCompleted(seconds, outcome) {
      if (outcome !== 'done' && outcome !== 'failed') throw new FedfuseError('invalid_argument', `round outcome must be done or failed, got ${String(outcome)}`);
      roundSeconds.observe(requireNonNegative(seconds, 'round seconds'));
      rounds.labels(outcome).inc();
    },
    uploadAccepted(bytes) {
      uploadBytes.inc(requireNonNegative(bytes, 'upload bytes'));
      uploads.labels('accepted', 'ok').inc();
    },
    uploadRejected(code) {
      if (!(ERROR_CODES as readonly string[]).includes(code)) throw new FedfuseError('invalid_argument', `unknown error code "${String(code)}"`);
      uploads.labels('rejected', code).inc();
    },
    fusionTook(aggregator, seconds) {
      fusionSeconds.labels(aggregator).observe(requireNonNegative(seconds, 'fusion seconds'));
    },
    broadcast(bytes) {
      broadcastBytes.inc(requireNonNegative(bytes, 'broadcast bytes'));
    },
    setConnectedClients(n) {
      connectedClients.set(requireNonNegative(n, 'connected clients'));
    },
    setCurrentRound(n) {
      currentRound.set(requireNonNegative(n, 'current round'));
    },
  };
}
