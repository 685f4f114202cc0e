import { decodeJson, decodeNullableJson } from './json-column.ts';
import type {
  ClientRecord,
  EvaluationRecord,
  GlobalModelRecord,
  RoundFailureRecord,
  RoundRecord,
  RoundState,
  RunRecord,
  RunState,
  UpdateRecord,
  UpdateSummary,
} from './records.ts';

/**
 * Rows as better-sqlite3 returns them (snake_case, JSON as text, blobs as
 * Buffer) and their mapping to records. The state columns are trusted as
 * their unions because the schema CHECKs them.
 */

export interface RunRow {
  id: string;
  created_at: number;
  config: string;
  model_spec: string;
  state: RunState;
  current_round: number;
  ended_at: number | null;
  failure_reason: string | null;
}

export interface ClientRow {
  id: string;
  first_seen: number;
  last_seen: number;
  num_examples: number;
  label_histogram: string | null;
  token_fingerprint: string | null;
}

export interface RoundRow {
  run_id: string;
  round: number;
  attempt: number;
  state: RoundState;
  sampled_clients: string;
  deadline: number;
  opened_at: number;
  closed_at: number | null;
  failure_reason: string | null;
  aggregator: string | null;
  fusion_seconds: number | null;
  metrics: string | null;
}

export interface RoundFailureRow {
  run_id: string;
  round: number;
  attempt: number;
  failed_at: number;
  reason: string;
}

export interface UpdateSummaryRow {
  run_id: string;
  round: number;
  client_id: string;
  received_at: number;
  num_examples: number;
  client_metrics: string | null;
  byte_size: number;
  has_attribution: 0 | 1;
}

export interface UpdateRow extends UpdateSummaryRow {
  model: Buffer;
  attribution: Buffer | null;
  records: Buffer | null;
}

export interface GlobalModelRow {
  run_id: string;
  round: number;
  created_at: number;
  byte_size: number;
  model: Buffer;
  training_model: Buffer | null;
  strategy_state: Buffer | null;
}

export interface EvaluationRow {
  run_id: string;
  round: number;
  dataset: string;
  accuracy: number;
  loss: number;
  samples: number;
  extra: string | null;
  created_at: number;
}

export function toRunRecord(row: RunRow): RunRecord {
  return {
    id: row.id,
    createdAt: row.created_at,
    config: decodeJson(row.config),
    modelSpec: decodeJson(row.model_spec),
    state: row.state,
    currentRound: row.current_round,
    endedAt: row.ended_at,
    failureReason: row.failure_reason,
  };
}

export function toClientRecord(row: ClientRow): ClientRecord {
  return {
    id: row.id,
    firstSeen: row.first_seen,
    lastSeen: row.last_seen,
    numExamples: row.num_examples,
    // Written by the store from a checked number[]; the schema checks it is a JSON array.
    labelHistogram: row.label_histogram === null ? null : (JSON.parse(row.label_histogram) as number[]),
    tokenFingerprint: row.token_fingerprint,
  };
}

export function toRoundRecord(row: RoundRow): RoundRecord {
  return {
    runId: row.run_id,
    round: row.round,
    attempt: row.attempt,
    state: row.state,
    // Written by the store from a checked string[]; the schema checks it is a JSON array.
    sampledClientIds: JSON.parse(row.sampled_clients) as string[],
    deadline: row.deadline,
    openedAt: row.opened_at,
    closedAt: row.closed_at,
    failureReason: row.failure_reason,
    aggregator: row.aggregator,
    fusionSeconds: row.fusion_seconds,
    metrics: decodeNullableJson(row.metrics),
  };
}

export function toRoundFailureRecord(row: RoundFailureRow): RoundFailureRecord {
  return { runId: row.run_id, round: row.round, attempt: row.attempt, failedAt: row.failed_at, reason: row.reason };
}

export function toUpdateSummary(row: UpdateSummaryRow): UpdateSummary {
  return {
    runId: row.run_id,
    round: row.round,
    clientId: row.client_id,
    receivedAt: row.received_at,
    numExamples: row.num_examples,
    clientMetrics: decodeNullableJson(row.client_metrics),
    byteSize: row.byte_size,
    hasAttribution: row.has_attribution === 1,
  };
}

export function toUpdateRecord(row: UpdateRow): UpdateRecord {
  return { ...toUpdateSummary(row), model: row.model, attribution: row.attribution, records: row.records };
}

export function toGlobalModelRecord(row: GlobalModelRow): GlobalModelRecord {
  return {
    runId: row.run_id,
    round: row.round,
    createdAt: row.created_at,
    byteSize: row.byte_size,
    model: row.model,
    trainingModel: row.training_model,
    strategyState: row.strategy_state,
  };
}

export function toEvaluationRecord(row: EvaluationRow): EvaluationRecord {
  return {
    runId: row.run_id,
    round: row.round,
    dataset: row.dataset,
    accuracy: row.accuracy,
    loss: row.loss,
    samples: row.samples,
    extra: decodeNullableJson(row.extra),
    createdAt: row.created_at,
  };
}
