import type { JsonValue } from './json-column.ts';

/**
 * What the store gives back. Times are unix milliseconds. Blobs are the
 * encoded protobuf messages exactly as they were stored (the store returns
 * Node Buffers, which are Uint8Arrays, at offset 0 of their own memory).
 */

export const RUN_STATES = ['running', 'finished', 'failed'] as const;
export type RunState = (typeof RUN_STATES)[number];

/** 'done' is reached only through completeRound, 'failed' only through failRound. */
export const ROUND_STATES = ['open', 'aggregating', 'done', 'failed'] as const;
export type RoundState = (typeof ROUND_STATES)[number];

export interface RunRecord {
  readonly id: string;
  readonly createdAt: number;
  readonly config: JsonValue;
  readonly modelSpec: JsonValue;
  readonly state: RunState;
  /** The last round whose global model is stored: 0 before the first round completes. */
  readonly currentRound: number;
  /** When the run left 'running'; null while it runs. */
  readonly endedAt: number | null;
  /** Set exactly when state is 'failed'. */
  readonly failureReason: string | null;
}

export interface ClientRecord {
  readonly id: string;
  readonly firstSeen: number;
  readonly lastSeen: number;
  readonly numExamples: number;
  /** Examples per class, or null when the client did not report it. */
  readonly labelHistogram: readonly number[] | null;
  /** A hash of the client's token (never the token). */
  readonly tokenFingerprint: string | null;
}

export interface RoundRecord {
  readonly runId: string;
  readonly round: number;
  /** 1 for the first try; a failed round reopened for another try gets the next number. */
  readonly attempt: number;
  readonly state: RoundState;
  readonly sampledClientIds: readonly string[];
  readonly deadline: number;
  readonly openedAt: number;
  /** When the round became 'done' or 'failed'. */
  readonly closedAt: number | null;
  readonly failureReason: string | null;
  /** Name of the aggregator that produced the round's global model (set when done). */
  readonly aggregator: string | null;
  readonly fusionSeconds: number | null;
  /** Per-phase timings, participants, screening decisions... as the round server wrote them. */
  readonly metrics: JsonValue | null;
}

/** A failed attempt of a round, kept after the round is reopened. */
export interface RoundFailureRecord {
  readonly runId: string;
  readonly round: number;
  readonly attempt: number;
  readonly failedAt: number;
  readonly reason: string;
}

/** An update without its blobs: cheap to list, for the HTTP API and dashboards. */
export interface UpdateSummary {
  readonly runId: string;
  readonly round: number;
  readonly clientId: string;
  readonly receivedAt: number;
  readonly numExamples: number;
  readonly clientMetrics: JsonValue | null;
  /** Model blob plus attribution blob, in bytes. */
  readonly byteSize: number;
  readonly hasAttribution: boolean;
}

export interface UpdateRecord extends UpdateSummary {
  readonly model: Uint8Array;
  readonly attribution: Uint8Array | null;
  /** The encoded RecordDict the client returned, or null for none. */
  readonly records: Uint8Array | null;
}

export interface GlobalModelRecord {
  readonly runId: string;
  /** 0 is the initial model; r is the output of round r. */
  readonly round: number;
  readonly createdAt: number;
  /** Of the served model. */
  readonly byteSize: number;
  /** The served model: what the round evaluated, serves and broadcast. */
  readonly model: Uint8Array;
  /** What the next round's clients start from when it is not `model`; null = `model`. */
  readonly trainingModel: Uint8Array | null;
  /** The strategy's encoded RecordDict as of this round, or null for none. */
  readonly strategyState: Uint8Array | null;
}

export interface EvaluationRecord {
  readonly runId: string;
  /** The global model evaluated. */
  readonly round: number;
  readonly dataset: string;
  readonly accuracy: number;
  readonly loss: number;
  readonly samples: number;
  readonly extra: JsonValue | null;
  readonly createdAt: number;
}

/** One token (tokenId), or every token of the client issued at or before revokedAt (tokenId null). */
export interface TokenRevocationRecord {
  readonly clientId: string;
  readonly tokenId: string | null;
  readonly revokedAt: number;
}
