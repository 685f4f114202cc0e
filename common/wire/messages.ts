import type { AttributionMethod, AttributionSummary } from '../attribution/summary.ts';
import type { ErrorCode } from '../errors/index.ts';
import type { Network } from '../model/network.ts';
import type { RecordDict } from '../records/record-dict.ts';

/**
 * The protocol's messages as domain objects: what encodeEnvelope takes and
 * decodeEnvelope returns, already validated. One variant per body of the
 * Envelope oneof in proto/fedfuse.proto, discriminated by `type` (the oneof
 * case name), so a `switch (msg.type)` narrows and is checked for
 * exhaustiveness.
 */

export const OPTIMIZERS = ['sgd', 'adam'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

/** How the server asks a client to train in one round. */
export interface TrainingConfig {
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly optimizer: OptimizerName;
  /** FedProx proximal term weight; 0 for plain local training. */
  readonly proximalMu: number;
  readonly attributionMethod: AttributionMethod;
  /** Local samples the attribution scores are averaged over (0 with 'uniform'). */
  readonly attributionSamples: number;
}

/** What a client reports about its local training. */
export interface TrainingMetrics {
  readonly loss: number;
  /** In [0, 1]. */
  readonly accuracy: number;
  readonly trainSeconds: number;
  readonly attributionSeconds: number;
}

/** Client -> server, first message after connecting. */
export interface ClientHello {
  readonly type: 'clientHello';
  readonly clientId: string;
  readonly softwareVersion: string;
  readonly numExamples: number;
  /** Examples per class, or null when the client does not disclose it. */
  readonly labelHistogram: readonly number[] | null;
  /** Heterogeneous runs: the largest fraction of the global hidden widths the device can train, in (0, 1]; null = no limit. */
  readonly widthCapacity: number | null;
}

/** Server -> client, reply to a valid hello. */
export interface Welcome {
  readonly type: 'welcome';
  readonly runId: string;
  readonly currentRound: number;
  readonly serverVersion: string;
  /** The run has ended: no more tasks will come. */
  readonly runFinished: boolean;
  /** How the server carved its calibration and test sets; null when it does not say. */
  readonly dataCarve: DataCarve | null;
}

/** The calibration/test carve of the server's data set, which a client partitioning the same data must repeat. */
export interface DataCarve {
  readonly dataset: string;
  readonly splitSeed: number;
  readonly calibrationSize: number;
  readonly testSize: number;
}

/** Server -> sampled client: train `model` and send a ClientUpdate before the deadline. */
export interface RoundTask {
  readonly type: 'roundTask';
  readonly runId: string;
  readonly round: number;
  /** The model to start from: the previous round's training model (the served model unless the aggregator keeps them apart). */
  readonly model: Network;
  readonly training: TrainingConfig;
  /** Unix epoch, milliseconds. */
  readonly deadlineUnixMs: number;
  /** Per-client records for this client's training (e.g. SCAFFOLD's control variates); EMPTY_RECORDS for most aggregators. */
  readonly records: RecordDict;
}

/** Client -> server: the locally trained model and how much each neuron matters. */
export interface ClientUpdate {
  readonly type: 'clientUpdate';
  readonly runId: string;
  readonly round: number;
  readonly clientId: string;
  readonly model: Network;
  /** Validated against `model.spec`; null means none was computed (the server uses uniform scores). */
  readonly attribution: AttributionSummary | null;
  readonly numExamples: number;
  readonly metrics: TrainingMetrics;
  /** Records returned beside the model (e.g. SCAFFOLD's new control variate), validated against `model`. */
  readonly records: RecordDict;
  /** Optimizer steps the local training took; 0 = not reported. */
  readonly localSteps: number;
}

/** Acknowledges that a message of kind `accepted` was taken. */
export interface Ack {
  readonly type: 'ack';
  readonly runId: string;
  readonly round: number;
  readonly accepted: WireMessageType;
  readonly message: string;
}

/** A refusal, with the same code the receiving side's FedfuseError carried. */
export interface WireError {
  readonly type: 'error';
  readonly code: ErrorCode;
  readonly message: string;
  /** The round the refused message was about, or null. */
  readonly round: number | null;
}

/** Server -> all clients: the new global model after a round (the served model). */
export interface GlobalModel {
  readonly type: 'globalModel';
  readonly runId: string;
  readonly round: number;
  readonly model: Network;
  /** This is the run's last model: no more tasks will come. */
  readonly final: boolean;
  /** The next round's clients start from another model than `model` (GET /api/rounds/:n/training-model/). */
  readonly separateTrainingModel: boolean;
}

export type WireMessage = ClientHello | Welcome | RoundTask | ClientUpdate | Ack | WireError | GlobalModel;

export type WireMessageType = WireMessage['type'];

/** One message kind, e.g. `MessageOf<'clientUpdate'>`. */
export type MessageOf<T extends WireMessageType> = Extract<WireMessage, { readonly type: T }>;

/** Every message kind, in Envelope field order. */
export const WIRE_MESSAGE_TYPES = [
  'clientHello',
  'welcome',
  'roundTask',
  'clientUpdate',
  'ack',
  'error',
  'globalModel',
] as const satisfies readonly WireMessageType[];

// Compile-time check that the list above names every variant of the union.
type MissingFromList = Exclude<WireMessageType, (typeof WIRE_MESSAGE_TYPES)[number]>;
const listIsComplete: MissingFromList extends never ? true : never = true;
void listIsComplete;
