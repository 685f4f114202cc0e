import type { AttributionSummary } from '../../common/attribution/summary.ts';
import type { Network } from '../../common/model/network.ts';
import type { SeededRandom } from '../../common/random/index.ts';
import type { TrainingConfig, TrainingMetrics } from '../../common/wire/index.ts';
import type { RoundEvaluation } from '../store/index.ts';

/**
 * The aggregation plug-in contract, in the shape of Flower's Strategy:
 * configure a round, aggregate its results (failures are data, not
 * exceptions), evaluate the result. The orchestrator owns rounds, deadlines
 * and storage; a strategy owns only the decisions and the math.
 */
export interface AvailableClient {
  readonly clientId: string;
  readonly numExamples: number;
}

export interface FitInstructions {
  readonly clientIds: readonly string[];
}

export interface FitResult {
  readonly clientId: string;
  readonly network: Network;
  readonly attribution: AttributionSummary | null;
  readonly numExamples: number;
  /** Examples per class, when the client chose to report it at hello (ClientHello.label_histogram); else null. */
  readonly labelHistogram: readonly number[] | null;
  readonly metrics: unknown;
}

export interface FitFailure {
  readonly clientId: string;
  readonly reason: string;
}

export interface AggregateOutcome {
  /** The new global model, or null to keep the old one (the round then fails with `reason`). */
  readonly network: Network | null;
  readonly aggregator: string;
  readonly fusionSeconds: number;
  readonly reason?: string;
  /** Updates received but left out of the model (e.g. screened out): recorded as failures of the round, not as participants. */
  readonly excluded?: readonly FitFailure[];
  /** Anything worth recording about the aggregation (screening decisions, fusion report). */
  readonly metrics: Record<string, unknown>;
}

export interface Strategy {
  readonly name: string;
  /** Which of the available clients train in this round. */
  configureFit(round: number, available: readonly AvailableClient[], rng: SeededRandom): FitInstructions;
  /** How they train; a pure function of the round, so a task re-sent after a restart is the same task. */
  trainingConfig(round: number): TrainingConfig;
  aggregateFit(round: number, global: Network, results: readonly FitResult[], failures: readonly FitFailure[]): Promise<AggregateOutcome>;
  /** Server-side evaluation of a new global model; empty when the server has no labelled data. */
  evaluate(round: number, network: Network, results: readonly FitResult[]): Promise<{ evaluations: RoundEvaluation[]; metrics: Record<string, unknown> }>;
}
