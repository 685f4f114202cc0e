import { ROUND_PHASES, type RoundPhase } from '../rounds/round-phase.ts';

/**
 * The orchestrator's in-memory view of the run, which the store does not
 * hold (who is connected, what phase the round is in). The round server
 * provides it as a function so that each request reads the present state.
 */
/** The round lifecycle's one vocabulary (server/rounds/round-phase.ts). */
export const LIVE_STATES = ROUND_PHASES;
export type LiveState = RoundPhase;

export interface LiveStatus {
  /** The run being served, or null before one starts. */
  readonly runId: string | null;
  /** The round in progress, or the next one between rounds. */
  readonly round: number;
  readonly state: LiveState;
  readonly connectedClients: readonly string[];
  /** The clients asked to train in this round. */
  readonly sampledClients: readonly string[];
  readonly updatesReceived: number;
  /** When the round stops waiting for updates (unix ms), or null outside training. */
  readonly deadlineUnixMs: number | null;
  readonly roundsPlanned: number;
}
