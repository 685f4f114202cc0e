import type { EvaluationRecord, JsonValue, RoundFailureRecord, RoundRecord, RunRecord, UpdateSummary } from '../store/index.ts';

/**
 * The JSON shapes the API returns, built from store records. Kept apart from
 * the records so that a column added to the store is not published by accident.
 */

export interface RunView {
  readonly id: string;
  readonly state: RunRecord['state'];
  readonly currentRound: number;
  readonly createdAt: number;
  readonly endedAt: number | null;
  readonly failureReason: string | null;
  readonly config: JsonValue;
}

export interface EvaluationView {
  readonly dataset: string;
  readonly accuracy: number;
  readonly loss: number;
  readonly samples: number;
}

export interface RoundSummaryView {
  readonly round: number;
  readonly attempt: number;
  readonly state: RoundRecord['state'];
  readonly aggregator: string | null;
  readonly fusionSeconds: number | null;
  /** Updates stored for the round's current attempt. */
  readonly participants: number;
  /** Of the round's global model, one per dataset; empty until the round is done. */
  readonly evaluations: readonly EvaluationView[];
  readonly failureReason: string | null;
  readonly openedAt: number;
  readonly closedAt: number | null;
}

export interface UpdateView {
  readonly clientId: string;
  readonly numExamples: number;
  readonly bytes: number;
  readonly receivedAt: number;
  readonly hasAttribution: boolean;
  readonly clientMetrics: JsonValue | null;
}

export interface FailedAttemptView {
  readonly attempt: number;
  readonly failedAt: number;
  readonly reason: string;
}

export interface RoundDetailView extends RoundSummaryView {
  readonly deadline: number;
  readonly sampledClients: readonly string[];
  readonly metrics: JsonValue | null;
  readonly updates: readonly UpdateView[];
  /** Earlier attempts of this round that failed before it was reopened. */
  readonly previousAttempts: readonly FailedAttemptView[];
}

export function runView(run: RunRecord): RunView {
  return {
    id: run.id,
    state: run.state,
    currentRound: run.currentRound,
    createdAt: run.createdAt,
    endedAt: run.endedAt,
    failureReason: run.failureReason,
    config: run.config,
  };
}

export function evaluationView(e: EvaluationRecord): EvaluationView {
  return { dataset: e.dataset, accuracy: e.accuracy, loss: e.loss, samples: e.samples };
}

/** Evaluations grouped by the round of the model they evaluated. */
export function evaluationsByRound(evaluations: readonly EvaluationRecord[]): Map<number, EvaluationView[]> {
  const byRound = new Map<number, EvaluationView[]>();
  for (const e of evaluations) {
    const list = byRound.get(e.round) ?? [];
    list.push(evaluationView(e));
    byRound.set(e.round, list);
  }
  return byRound;
}

export function roundSummaryView(round: RoundRecord, participants: number, evaluations: readonly EvaluationView[]): RoundSummaryView {
  return {
    round: round.round,
    attempt: round.attempt,
    state: round.state,
    aggregator: round.aggregator,
    fusionSeconds: round.fusionSeconds,
    participants,
    evaluations,
    failureReason: round.failureReason,
    openedAt: round.openedAt,
    closedAt: round.closedAt,
  };
}

export function updateView(u: UpdateSummary): UpdateView {
  return {
    clientId: u.clientId,
    numExamples: u.numExamples,
    bytes: u.byteSize,
    receivedAt: u.receivedAt,
    hasAttribution: u.hasAttribution,
    clientMetrics: u.clientMetrics,
  };
}

export function roundDetailView(
  round: RoundRecord,
  updates: readonly UpdateSummary[],
  evaluations: readonly EvaluationView[],
  failures: readonly RoundFailureRecord[],
): RoundDetailView {
  return {
    ...roundSummaryView(round, updates.length, evaluations),
    deadline: round.deadline,
    sampledClients: round.sampledClientIds,
    metrics: round.metrics,
    updates: updates.map(updateView),
    previousAttempts: failures
      .filter((f) => f.round === round.round && f.attempt < round.attempt)
      .map((f) => ({ attempt: f.attempt, failedAt: f.failedAt, reason: f.reason })),
  };
}
