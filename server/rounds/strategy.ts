import type { AttributionSummary } from '../../common/attribution/summary.ts';
import type { Network } from '../../common/model/network.ts';
import type { SeededRandom } from '../../common/random/index.ts';
import type { RecordDict } from '../../common/records/index.ts';
import type { TrainingConfig } from '../../common/wire/index.ts';
import type { RoundEvaluation } from '../store/index.ts';

/**
 * The aggregation plug-in contract, in the shape of Flower's Strategy (and,
 * for what a round carries, its newer message API: named records beside the
 * model): configure a round, aggregate its results (failures are data, not
 * exceptions), evaluate the result. The orchestrator owns rounds, deadlines
 * and storage; a strategy owns only the decisions and the math.
 *
 * A round carries:
 * - a served model: what the round evaluates, stores as global model n,
 *   serves at /api/rounds/n/model/ and broadcasts in GlobalModel;
 * - a training model: what the next round's RoundTask tells clients to start
 *   from (by default the served model);
 * - strategy state: named tensors the strategy keeps across rounds (stored
 *   with the round's models, handed back next round and after a restart);
 * - per-client records: named tensors in one client's task (clientRecords)
 *   and those the client returns (FitResult.records).
 */
export interface AvailableClient {
  readonly clientId: string;
  readonly numExamples: number;
}

export interface FitInstructions {
  readonly clientIds: readonly string[];
}

/** What a round starts from: what the last committed round (or the run's start) left. */
export interface GlobalState {
  /** The committed round it comes from; 0 = the run's initial model. */
  readonly round: number;
  /** What that round served (evaluated, downloadable, broadcast). */
  readonly served: Network;
  /** What this round's clients start from: `served` unless the strategy keeps them apart. */
  readonly training: Network;
  /** The strategy's named tensors as of that round; EMPTY_RECORDS at the start. */
  readonly strategyState: RecordDict;
}

/** What a strategy knows about one client when it builds the client's task. */
export interface ClientContext {
  readonly clientId: string;
  /** The records of the client's latest update that a completed round fused, and that round; null when none has been. */
  readonly lastFused: { readonly round: number; readonly records: RecordDict } | null;
  /**
   * The width capacity its hello declared (ClientHello.width_capacity), null = none. A task
   * goes only to a connected client, whose hello (re-sent on every connection, also after
   * a server restart) came first, so this is known whenever a task is built.
   */
  readonly widthCapacity?: number | null;
}

export interface FitResult {
  readonly clientId: string;
  readonly network: Network;
  readonly attribution: AttributionSummary | null;
  readonly numExamples: number;
  /** Examples per class, when the client chose to report it at hello (ClientHello.label_histogram); else null. */
  readonly labelHistogram: readonly number[] | null;
  readonly metrics: unknown;
  /** Records the client returned beside its model (ClientUpdate.records), validated against it. */
  readonly records: RecordDict;
  /** The records this client's task carried (clientRecords, recomputed from the store: the same the client got). */
  readonly taskRecords: RecordDict;
  /** Optimizer steps the client reported; 0 = not reported. */
  readonly localSteps: number;
}

export interface FitFailure {
  readonly clientId: string;
  readonly reason: string;
}

export interface AggregateOutcome {
  /** The round's served model, or null to keep the old one (the round then fails with `reason`). */
  readonly served: Network | null;
  /** What the next round's clients start from; absent or null = `served`. */
  readonly training?: Network | null;
  /** The strategy's state into the next round; absent = the previous round's, unchanged. */
  readonly strategyState?: RecordDict;
  readonly aggregator: string;
  readonly fusionSeconds: number;
  readonly reason?: string;
  /** Updates received but left out of the model (e.g. screened out): recorded as failures of the round, not as participants. */
  readonly excluded?: readonly FitFailure[];
  /** Anything worth recording about the aggregation (screening decisions, fusion report). */
  readonly metrics: Record<string, unknown>;
}

/** The models a round produced, as evaluate() gets them. */
export interface RoundModels {
  readonly served: Network;
  /** Null when the next round trains from the served model. */
  readonly training: Network | null;
}

export interface Strategy {
  readonly name: string;
  /** Which of the available clients train in this round. */
  configureFit(round: number, available: readonly AvailableClient[], rng: SeededRandom): FitInstructions;
  /** How they train; a pure function of the round, so a task re-sent after a restart is the same task. */
  trainingConfig(round: number): TrainingConfig;
  /**
   * The records of one client's task (absent = none). A pure function of its
   * arguments, which come from the store: a task re-sent after a reconnect or
   * a restart carries the same records, and FitResult.taskRecords is what
   * the client got.
   */
  clientRecords?(round: number, state: GlobalState, client: ClientContext): RecordDict;
  /**
   * The model in one client's task (absent = state.training for everyone):
   * heterogeneous clients get their own width. Pure like clientRecords, so a
   * re-sent task carries the same model and the update's architecture can
   * be checked against it.
   */
  clientModel?(round: number, state: GlobalState, client: ClientContext): Network;
  /** Refuses a hello the strategy cannot serve (a FedfuseError the client is told), e.g. a width capacity below every width of the run. */
  checkHello?(hello: { readonly clientId: string; readonly widthCapacity: number | null }): void;
  aggregateFit(round: number, state: GlobalState, results: readonly FitResult[], failures: readonly FitFailure[]): Promise<AggregateOutcome>;
  /** Server-side evaluation of a round's models; empty when the server has no labelled data. */
  evaluate(round: number, models: RoundModels, results: readonly FitResult[]): Promise<{ evaluations: RoundEvaluation[]; metrics: Record<string, unknown> }>;
}
