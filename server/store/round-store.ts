import type {
  ClientRecord,
  EvaluationRecord,
  GlobalModelRecord,
  RoundFailureRecord,
  RoundRecord,
  RunRecord,
  RunState,
  UpdateRecord,
  TokenRevocationRecord,
  UpdateSummary,
} from './records.ts';

/**
 * Inputs. JSON-valued fields accept anything JSON.stringify represents
 * faithfully (non-finite numbers are refused); `at` fields default to the
 * store's clock.
 */

export interface NewRun {
  readonly id: string;
  readonly config: unknown;
  readonly modelSpec: unknown;
  /** When given, stored as global model round 0 in the same transaction as the run. */
  readonly initialModel?: Uint8Array;
  readonly createdAt?: number;
}

export interface ClientSighting {
  readonly id: string;
  readonly numExamples: number;
  readonly labelHistogram?: readonly number[] | null;
  readonly tokenFingerprint?: string | null;
  readonly at?: number;
}

export interface NewTokenRevocation {
  /** 1-64 characters of letters, digits, '.', '_' or '-'. */
  readonly clientId: string;
  /** One token's id (16-64 base64url characters); null or absent: every token of the client issued until `at`. */
  readonly tokenId?: string | null;
  readonly at?: number;
}

export interface NewRound {
  readonly runId: string;
  readonly round: number;
  readonly sampledClientIds: readonly string[];
  /** Unix ms after which the round stops waiting for updates. */
  readonly deadline: number;
  /** 1 for a new round; previous attempt + 1 to reopen a failed round. */
  readonly attempt: number;
  readonly openedAt?: number;
}

export interface NewUpdate {
  readonly runId: string;
  readonly round: number;
  readonly clientId: string;
  readonly numExamples: number;
  /** The encoded model, as received. */
  readonly model: Uint8Array;
  /** The encoded AttributionSummary, when the client sent one. */
  readonly attribution?: Uint8Array | null;
  /** The encoded RecordDict the client returned beside its model, when not empty. */
  readonly records?: Uint8Array | null;
  readonly clientMetrics?: unknown;
  readonly receivedAt?: number;
}

export interface NewEvaluation {
  readonly runId: string;
  readonly round: number;
  readonly dataset: string;
  readonly accuracy: number;
  readonly loss: number;
  readonly samples: number;
  readonly extra?: unknown;
  readonly at?: number;
}

/** An evaluation of the global model a round produces. */
export type RoundEvaluation = Omit<NewEvaluation, 'runId' | 'round' | 'at'>;

export interface RoundOutcome {
  /** The served model (evaluated, downloadable, broadcast): stored as global model `round`. */
  readonly globalModel: Uint8Array;
  /** What the next round's clients start from, when not the served model; null or absent = the served model. */
  readonly trainingModel?: Uint8Array | null;
  /** The strategy's encoded RecordDict kept into the next round; null or absent = none. */
  readonly strategyState?: Uint8Array | null;
  /** Name of the aggregator that produced it ('kf-linear', 'mean', ...). */
  readonly aggregator: string;
  readonly fusionSeconds: number;
  readonly metrics: unknown;
  /**
   * Evaluations of the new global model (one per dataset: test set,
   * calibration set...), stored in the same transaction. Two for the same
   * dataset are 'duplicate' and roll the whole completion back.
   */
  readonly evaluations?: readonly RoundEvaluation[];
  readonly at?: number;
}

/**
 * Everything the round server persists. Synchronous: better-sqlite3 is, and a
 * write that has returned is on disk (see openRoundStore for the durability
 * settings). Every method throws FedfuseError:
 * - 'invalid_argument' for malformed input or an unknown run;
 * - 'unknown_client' for an update or touch from a client never upserted;
 * - 'wrong_round' when a round is not in a state that allows the operation;
 * - 'duplicate' for a second row with the same key (update, global model, evaluation, run);
 * - 'unavailable' when the disk or file fails (full, read-only, I/O error, locked), naming the cause;
 * - 'internal' for anything else (corruption, a bug).
 * A method that throws has changed nothing.
 */
export interface RoundStore {
  // Runs
  createRun(run: NewRun): RunRecord;
  getRun(runId: string): RunRecord | undefined;
  /** Newest first. */
  listRuns(): RunRecord[];
  latestRun(): RunRecord | undefined;
  /** The newest run in state 'running', which a restarted server resumes. */
  findRunningRun(): RunRecord | undefined;
  /** `reason` is required for 'failed' and ignored otherwise. */
  setRunState(runId: string, state: RunState, reason?: string): RunRecord;

  // Clients
  /** Inserts, or refreshes last_seen, num_examples, histogram and fingerprint (first_seen is kept). */
  upsertClient(sighting: ClientSighting): ClientRecord;
  touchClient(clientId: string, at?: number): void;
  getClient(clientId: string): ClientRecord | undefined;
  listClients(): ClientRecord[];

  // Token revocations (not tied to a run)
  revokeTokens(revocation: NewTokenRevocation): TokenRevocationRecord;
  /** Oldest first. */
  listTokenRevocations(): TokenRevocationRecord[];

  // Rounds
  /**
   * Opens round `round` of a running run. The round must be the run's next
   * one (currentRound + 1). With attempt 1 the round must not exist; with a
   * higher attempt it must be 'failed' at attempt - 1, and reopening it
   * discards that attempt's updates (the failure stays in listRoundFailures).
   */
  openRound(round: NewRound): RoundRecord;
  getRound(runId: string, round: number): RoundRecord | undefined;
  listRounds(runId: string): RoundRecord[];
  /** open -> aggregating, or aggregating -> open (e.g. resuming after a crash mid-fusion). */
  setRoundState(runId: string, round: number, state: 'open' | 'aggregating'): RoundRecord;
  /** open or aggregating -> failed, with the reason; the run keeps running. */
  failRound(runId: string, round: number, reason: string, at?: number): RoundRecord;
  listRoundFailures(runId: string): RoundFailureRecord[];
  /**
   * In one transaction: stores `outcome.globalModel` as global model `round`
   * (with its training model and strategy state),
   * marks the round 'done' with its metrics, sets the run's currentRound to
   * `round`, and stores the evaluation if given. After a crash at any moment
   * either all of it is on disk or none. The round must be open or
   * aggregating and be the run's next round, so a round is never completed twice.
   */
  completeRound(runId: string, round: number, outcome: RoundOutcome): RoundRecord;

  // Updates
  /**
   * Stores a client's update for an open round; durable when it returns.
   * A second update from the same client for the same round is 'duplicate'.
   */
  recordUpdate(update: NewUpdate): UpdateSummary;
  getUpdate(runId: string, round: number, clientId: string): UpdateRecord | undefined;
  /** Without blobs, ordered by arrival. */
  listUpdates(runId: string, round: number): UpdateSummary[];
  /** With blobs, ordered by arrival: the fusion's input. */
  listUpdatesWithBlobs(runId: string, round: number): UpdateRecord[];
  countUpdates(runId: string, round: number): number;
  hasUpdate(runId: string, round: number, clientId: string): boolean;

  // Global models
  /** For the initial model (round 0) or an import; rounds normally store theirs through completeRound. */
  saveGlobalModel(runId: string, round: number, model: Uint8Array, at?: number): GlobalModelRecord;
  getGlobalModel(runId: string, round: number): GlobalModelRecord | undefined;
  latestGlobalModel(runId: string): GlobalModelRecord | undefined;

  // Evaluations
  recordEvaluation(evaluation: NewEvaluation): EvaluationRecord;
  /** Ordered by round, then dataset. */
  listEvaluations(runId: string): EvaluationRecord[];

  // Maintenance
  /** 'ok', or SQLite's list of problems, one per line. */
  integrityCheck(): string;
  /** Idempotent. Any later call throws 'unavailable'. */
  close(): void;
}
