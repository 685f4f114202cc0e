import type { AsyncRoundStore, JsonValue } from '../store/index.ts';
import type { AggregatorVariant } from './aggregator-variant.ts';
import type { ClientShare } from './simulation-data.ts';
import type { RunMeasurements } from './run-aggregator.ts';
import type { ArmSummary } from './seed-summary.ts';

/**
 * results.json: everything needed to redraw the table and the plot. The
 * per-round numbers are read back from the SQLite store the server wrote
 * (evaluations, rounds, updates); only wall time and transport bytes are
 * measured by the simulation itself.
 */
export const RESULTS_FORMAT = 'fedfuse-simulation-results';
/** 2: runs per seed (RunResult.seed), per-client metrics per round, arm summaries over seeds (mean ± std), data per seed. */
export const RESULTS_VERSION = 2;

/** One client's part of a round, as its update reported it (updates.client_metrics) and as stored. */
export interface ClientRoundResult {
  readonly clientId: string;
  readonly examples: number;
  /** The client's last local epoch, on its own data. */
  readonly loss: number | null;
  readonly accuracy: number | null;
  readonly trainSeconds: number;
  readonly attributionSeconds: number;
  /** Optimizer steps, when the client reported them. */
  readonly localSteps: number | null;
}

export interface RoundResult {
  readonly round: number;
  /** The global model on the server's test set. */
  readonly accuracy: number | null;
  readonly loss: number | null;
  /**
   * The clients' ensemble (their models' averaged softmax) on the test set.
   * Not a ceiling: under label skew a fused model can beat it.
   */
  readonly ensembleAccuracy: number | null;
  /** The separate training model on the test set, when the round kept one (--train-from average, fedavg-prior). */
  readonly trainingModelAccuracy: number | null;
  /** Every update of the round. */
  readonly clients: readonly ClientRoundResult[];
  /** What actually fused (the store's round record). */
  readonly aggregator: string | null;
  /** Updates received; `screenedOut` lists those screening kept out of the fusion (only with --screening). */
  readonly participants: number;
  readonly screenedOut: readonly string[];
  readonly fusionSeconds: number;
  readonly evaluationSeconds: number;
  /** Round opened to round closed. */
  readonly roundSeconds: number;
  /** Local training + attribution on the busiest client thread: the part of the round that training must take. */
  readonly trainingCriticalSeconds: number;
  /** Summed over every participant. */
  readonly trainingTotalSeconds: number;
  /** Model and attribution blobs stored for the round. */
  readonly storedUpdateBytes: number;
}

export interface RunTiming {
  readonly wallSeconds: number;
  readonly localTrainingSeconds: number;
  readonly fusionSeconds: number;
  readonly evaluationSeconds: number;
  /** Everything but local training and fusion: transport, storage, evaluation, waiting. */
  readonly overheadSeconds: number;
  readonly overheadShare: number;
  /** The same without the server's evaluation (test set + client ensemble), which is measurement, not machinery. */
  readonly overheadExcludingEvaluationShare: number;
}

export interface RunResult {
  readonly label: string;
  /** The seed of this run's partitions, initial model, sampling and training. */
  readonly seed: number;
  /** What the next round trained from (kf-linear, kf-gradient, hf). */
  readonly trainFrom: string;
  readonly aggregator: string;
  readonly method: string;
  readonly importance: string | null;
  readonly proximalMu: number;
  readonly runId: string;
  readonly state: string;
  /** Round 0: the initial model, the same for every run. */
  readonly initialAccuracy: number | null;
  readonly rounds: readonly RoundResult[];
  readonly finalAccuracy: number | null;
  readonly bestAccuracy: number | null;
  readonly bestRound: number | null;
  /** First round whose accuracy reached the target; null when none did. */
  readonly roundsToTarget: number | null;
  readonly bytes: { readonly up: number; readonly down: number; readonly total: number };
  readonly timing: RunTiming;
}

export interface SimulationResults {
  readonly format: typeof RESULTS_FORMAT;
  readonly version: typeof RESULTS_VERSION;
  readonly createdAt: string;
  readonly fedfuseVersion: string;
  /** A command line that runs the same experiment again. */
  readonly command: readonly string[];
  readonly config: Record<string, unknown>;
  readonly environment: { readonly backend: string; readonly cpus: number; readonly node: string; readonly platform: string };
  readonly data: {
    readonly dataset: string;
    readonly trainSamples: number;
    readonly testSamples: number;
    readonly calibrationSamples: number;
    readonly clients: readonly ClientShare[];
    /** Equal for two simulations that dealt the same samples to the same clients. */
    readonly partitionFingerprint: string;
    readonly initialModelFingerprint: string;
    readonly modelSpec: unknown;
    /** The fields above that depend on the seed, for every seed (the ones above are the first seed's). */
    readonly perSeed: readonly { readonly seed: number; readonly partitionFingerprint: string; readonly initialModelFingerprint: string; readonly clients: readonly ClientShare[] }[];
  };
  readonly targetAccuracy: number;
  readonly seeds: readonly number[];
  /** One run per arm and seed, arm by arm within each seed. */
  readonly runs: readonly RunResult[];
  /** Per arm, over its seeds: mean ± std per round (seed-summary.ts). */
  readonly arms: readonly ArmSummary[];
  readonly timing: { readonly setupSeconds: number; readonly totalSeconds: number };
  readonly files: { readonly results: string; readonly plotSvg: string; readonly plotPng: string; readonly database: string | null; readonly csv: string | null };
}

/** One run's results, read back from the store. `threadOf` says which client thread hosted a client. */
export async function readRunResult(
  store: AsyncRoundStore,
  variant: AggregatorVariant,
  measured: RunMeasurements,
  targetAccuracy: number,
  threadOf: (clientId: string) => number,
  seed: number,
): Promise<RunResult> {
  const run = await store.getRun(measured.runId);
  const evaluations = await store.listEvaluations(measured.runId);
  const byRound = new Map(evaluations.map((e) => [e.round, e]));
  const done = (await store.listRounds(measured.runId)).filter((r) => r.state === 'done');
  const updatesOf = new Map(await Promise.all(done.map(async (r) => [r.round, await store.listUpdates(measured.runId, r.round)] as const)));
  const rounds: RoundResult[] = done
    .map((r) => {
      const e = byRound.get(r.round);
      const updates = updatesOf.get(r.round)!;
      const perThread = new Map<number, number>();
      let total = 0;
      for (const u of updates) {
        const seconds = numberField(u.clientMetrics, 'trainSeconds') + numberField(u.clientMetrics, 'attributionSeconds');
        total += seconds;
        const t = threadOf(u.clientId);
        perThread.set(t, (perThread.get(t) ?? 0) + seconds);
      }
      const seconds = objectField(r.metrics, 'seconds');
      const rejected = objectField(objectField(objectField(r.metrics, 'aggregation'), 'screening'), 'rejected');
      return {
        round: r.round,
        accuracy: e?.accuracy ?? null,
        loss: e?.loss ?? null,
        ensembleAccuracy: nullableNumberField(e?.extra ?? null, 'ensembleAccuracy'),
        trainingModelAccuracy: nullableNumberField(e?.extra ?? null, 'trainingModelAccuracy'),
        clients: updates.map((u) => ({
          clientId: u.clientId,
          examples: u.numExamples,
          loss: nullableNumberField(u.clientMetrics, 'loss'),
          accuracy: nullableNumberField(u.clientMetrics, 'accuracy'),
          trainSeconds: numberField(u.clientMetrics, 'trainSeconds'),
          attributionSeconds: numberField(u.clientMetrics, 'attributionSeconds'),
          localSteps: nullableNumberField(u.clientMetrics, 'localSteps'),
        })),
        aggregator: r.aggregator,
        participants: updates.length,
        screenedOut: rejected !== null && isJsonArray(rejected) ? rejected.map((x) => String(objectField(x, 'clientId'))) : [],
        fusionSeconds: r.fusionSeconds ?? 0,
        evaluationSeconds: numberField(seconds, 'evaluation'),
        roundSeconds: r.closedAt === null ? 0 : (r.closedAt - r.openedAt) / 1000,
        trainingCriticalSeconds: Math.max(0, ...perThread.values()),
        trainingTotalSeconds: total,
        storedUpdateBytes: updates.reduce((s, u) => s + u.byteSize, 0),
      };
    });
  const accuracies = rounds.map((r) => r.accuracy);
  let bestRound: number | null = null;
  let bestAccuracy: number | null = null;
  for (const r of rounds) {
    if (r.accuracy !== null && (bestAccuracy === null || r.accuracy > bestAccuracy)) {
      bestAccuracy = r.accuracy;
      bestRound = r.round;
    }
  }
  const localTrainingSeconds = sum(rounds.map((r) => r.trainingCriticalSeconds));
  const fusionSeconds = sum(rounds.map((r) => r.fusionSeconds));
  const evaluationSeconds = sum(rounds.map((r) => r.evaluationSeconds));
  const overheadSeconds = Math.max(0, measured.wallSeconds - localTrainingSeconds - fusionSeconds);
  const share = (seconds: number): number => (measured.wallSeconds > 0 ? seconds / measured.wallSeconds : 0);
  return {
    label: variant.label,
    seed,
    trainFrom: variant.trainFrom,
    aggregator: variant.name,
    method: variant.method,
    importance: variant.importance,
    proximalMu: variant.proximalMu,
    runId: measured.runId,
    state: run?.state ?? 'unknown',
    initialAccuracy: byRound.get(0)?.accuracy ?? null,
    rounds,
    finalAccuracy: accuracies.at(-1) ?? null,
    bestAccuracy,
    bestRound,
    roundsToTarget: roundsToTarget(rounds, targetAccuracy),
    bytes: { up: measured.bytesUp, down: measured.bytesDown, total: measured.bytesUp + measured.bytesDown },
    timing: {
      wallSeconds: measured.wallSeconds,
      localTrainingSeconds,
      fusionSeconds,
      evaluationSeconds,
      overheadSeconds,
      overheadShare: share(overheadSeconds),
      overheadExcludingEvaluationShare: share(Math.max(0, overheadSeconds - evaluationSeconds)),
    },
  };
}

/** The first round at or above the target, or null. */
export function roundsToTarget(rounds: readonly Pick<RoundResult, 'round' | 'accuracy'>[], target: number): number | null {
  return rounds.find((r) => r.accuracy !== null && r.accuracy >= target)?.round ?? null;
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function objectField(v: JsonValue | null, key: string): JsonValue | null {
  if (v === null || typeof v !== 'object' || isJsonArray(v)) return null;
  return v[key] ?? null;
}

function isJsonArray(v: JsonValue): v is readonly JsonValue[] {
  return Array.isArray(v);
}

function numberField(v: JsonValue | null, key: string): number {
  const f = objectField(v, key);
  return typeof f === 'number' ? f : 0;
}

function nullableNumberField(v: JsonValue | null, key: string): number | null {
  const f = objectField(v, key);
  return typeof f === 'number' ? f : null;
}
