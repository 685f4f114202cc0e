import type { RoundEvaluation } from '../store/index.ts';
import type { RoundPhase } from './round-phase.ts';

export type { RoundPhase } from './round-phase.ts';

/**
 * Everything the orchestrator reports as it goes: logs, Prometheus metrics,
 * progress displays and tests all subscribe to the same stream.
 */

export type OrchestratorEvent =
  | { readonly type: 'runStarted'; readonly runId: string; readonly resumed: boolean; readonly currentRound: number }
  | { readonly type: 'clientJoined'; readonly clientId: string; readonly connected: number }
  | { readonly type: 'clientLeft'; readonly clientId: string; readonly connected: number }
  | { readonly type: 'roundOpened'; readonly round: number; readonly attempt: number; readonly sampled: readonly string[]; readonly deadline: number }
  /** Every phase change (round-phase.ts), from PhaseMachine.transition. */
  | { readonly type: 'phase'; readonly round: number; readonly phase: RoundPhase; readonly from: RoundPhase }
  | { readonly type: 'updateAccepted'; readonly round: number; readonly clientId: string; readonly bytes: number; readonly received: number; readonly sampled: number }
  | { readonly type: 'updateRejected'; readonly clientId: string; readonly code: string; readonly message: string }
  | {
      readonly type: 'roundCompleted';
      readonly round: number;
      readonly aggregator: string;
      readonly participants: readonly string[];
      readonly fusionSeconds: number;
      readonly roundSeconds: number;
      readonly evaluations: readonly RoundEvaluation[];
      readonly broadcastBytes: number;
      /** The next round trains from another model than the one served. */
      readonly separateTrainingModel: boolean;
    }
  | { readonly type: 'roundFailed'; readonly round: number; readonly attempt: number; readonly reason: string }
  | { readonly type: 'runFinished'; readonly runId: string; readonly state: 'finished' | 'failed'; readonly reason: string | null }
  /** Work started by a timer or a socket event failed on the store (e.g. it cannot be read); it is retried later. */
  | { readonly type: 'storageError'; readonly during: string; readonly message: string };

export type OrchestratorObserver = (event: OrchestratorEvent) => void;
