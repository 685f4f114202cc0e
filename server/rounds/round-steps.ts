import type { Network } from '../../common/model/network.ts';
import type { RecordDict } from '../../common/records/index.ts';
import type { AsyncRoundStore, RoundRecord } from '../store/index.ts';
import type { CommittedRound } from './committed-round.ts';
import { roundModelBlobs } from './committed-round.ts';
import { jsonSafeMetrics } from './metrics-json.ts';
import { decodeAttributionBlob, decodeModelBlob, decodeRecordsBlob } from './model-blobs.ts';
import type { AggregateOutcome, FitFailure, FitResult, Strategy } from './strategy.ts';

/**
 * The four steps that close a round, as functions of their inputs: collect
 * the stored updates, have the strategy aggregate them, evaluate the models,
 * commit everything in one transaction. The orchestrator runs them in order
 * and moves the phase between them (round-phase.ts); nothing here touches
 * the phase, timers or connections.
 */

/** What collect() needs to know about the round and its clients. */
export interface CollectInput {
  readonly runId: string;
  readonly round: number;
  readonly sampled: ReadonlySet<string>;
  readonly isConnected: (clientId: string) => boolean;
  /** The records the client's task carried (the same function that built the task). */
  readonly taskRecords: (clientId: string) => Promise<RecordDict>;
}

export interface CollectedRound {
  readonly results: readonly FitResult[];
  /** Sampled clients with no stored update. */
  readonly failures: readonly FitFailure[];
}

/** Step 1: the round's updates as the strategy gets them, read back from the store (what was acknowledged is what is fused). */
export async function collectUpdates(store: AsyncRoundStore, input: CollectInput): Promise<CollectedRound> {
  const stored = await store.listUpdatesWithBlobs(input.runId, input.round);
  const histograms = new Map((await store.listClients()).map((c) => [c.id, c.labelHistogram]));
  const results: FitResult[] = [];
  for (const u of stored) {
    const network = decodeModelBlob(u.model, `update of ${u.clientId}`);
    results.push({
      clientId: u.clientId,
      network,
      attribution: u.attribution === null ? null : decodeAttributionBlob(u.attribution, network.spec, `attribution of ${u.clientId}`),
      numExamples: u.numExamples,
      labelHistogram: histograms.get(u.clientId) ?? null,
      metrics: u.clientMetrics,
      records: decodeRecordsBlob(u.records, network, `records of ${u.clientId}`),
      taskRecords: await input.taskRecords(u.clientId),
      localSteps: localStepsOf(u.clientMetrics),
    });
  }
  const answered = new Set(results.map((r) => r.clientId));
  const failures: FitFailure[] = [...input.sampled]
    .filter((id) => !answered.has(id))
    .map((clientId) => ({ clientId, reason: input.isConnected(clientId) ? 'no update before the deadline' : 'disconnected' }));
  return { results, failures };
}

/** The step count is stored with the client's metrics (updates.client_metrics), so it needs no column of its own. */
function localStepsOf(metrics: unknown): number {
  const steps = metrics !== null && typeof metrics === 'object' ? (metrics as { localSteps?: unknown }).localSteps : undefined;
  return typeof steps === 'number' && Number.isSafeInteger(steps) && steps >= 0 ? steps : 0;
}

export interface AggregatedRound {
  readonly outcome: AggregateOutcome & { readonly served: Network };
  /** The clients whose updates the models are made of. */
  readonly participants: readonly FitResult[];
  /** Sampled clients without an update, and updates the strategy left out. */
  readonly failures: readonly FitFailure[];
  readonly seconds: number;
}

/** Step 2: the strategy's aggregation; a failure reason when it produced no served model. */
export async function aggregateUpdates(
  strategy: Strategy,
  round: number,
  state: CommittedRound,
  collected: CollectedRound,
  now: () => number,
): Promise<AggregatedRound | { readonly failed: string }> {
  const started = now();
  const outcome = await strategy.aggregateFit(round, state, collected.results, collected.failures);
  if (outcome.served === null) return { failed: `aggregation produced no model: ${outcome.reason ?? 'no reason given'}` };
  const excluded = new Set((outcome.excluded ?? []).map((f) => f.clientId));
  return {
    outcome: { ...outcome, served: outcome.served },
    participants: collected.results.filter((r) => !excluded.has(r.clientId)),
    failures: [...collected.failures, ...(outcome.excluded ?? [])],
    seconds: (now() - started) / 1000,
  };
}

export interface EvaluatedRound {
  readonly evaluations: Awaited<ReturnType<Strategy['evaluate']>>['evaluations'];
  readonly metrics: Record<string, unknown>;
  readonly seconds: number;
}

/** Step 3: server-side evaluation of the served (and a separate training) model. */
export async function evaluateModels(strategy: Strategy, round: number, aggregated: AggregatedRound, results: readonly FitResult[], now: () => number): Promise<EvaluatedRound> {
  const started = now();
  const training = aggregated.outcome.training ?? null;
  const evaluation = await strategy.evaluate(round, { served: aggregated.outcome.served, training: training === aggregated.outcome.served ? null : training }, results);
  return { ...evaluation, seconds: (now() - started) / 1000 };
}

export interface CommitInput {
  readonly runId: string;
  readonly round: number;
  readonly closedBecause: string;
  readonly previous: CommittedRound;
  readonly aggregated: AggregatedRound;
  readonly evaluated: EvaluatedRound;
  readonly trainingSeconds: number;
}

/**
 * Step 4: served model, training model, strategy state, round metrics and
 * evaluations in one transaction (completeRound), which also advances the
 * run: after a crash either all of it is on disk or none. Returns the round
 * as stored and the new committed state.
 */
export async function commitRound(store: AsyncRoundStore, input: CommitInput): Promise<{ record: RoundRecord; committed: CommittedRound }> {
  const { outcome } = input.aggregated;
  const training = outcome.training ?? null;
  const strategyState = outcome.strategyState ?? input.previous.strategyState;
  const blobs = roundModelBlobs(outcome.served, training, strategyState);
  const record = await store.completeRound(input.runId, input.round, {
    ...blobs,
    aggregator: outcome.aggregator,
    fusionSeconds: outcome.fusionSeconds,
    evaluations: input.evaluated.evaluations.map((e) => ({ ...e, extra: jsonSafeMetrics(e.extra) })),
    metrics: jsonSafeMetrics({
      closedBecause: input.closedBecause,
      participants: input.aggregated.participants.map((r) => r.clientId),
      failures: input.aggregated.failures,
      seconds: { training: input.trainingSeconds, aggregation: input.aggregated.seconds, evaluation: input.evaluated.seconds },
      models: { separateTrainingModel: blobs.trainingModel !== null, strategyState: [...strategyState.arrays.keys(), ...strategyState.configs.keys()] },
      aggregation: outcome.metrics,
      evaluation: input.evaluated.metrics,
    }),
  });
  const separateTrainingModel = blobs.trainingModel !== null;
  return {
    record,
    committed: { round: input.round, served: outcome.served, training: separateTrainingModel ? training! : outcome.served, strategyState, separateTrainingModel },
  };
}
