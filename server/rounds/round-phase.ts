import { FedfuseError } from '../../common/errors/index.ts';
import type { RoundState } from '../store/index.ts';

/**
 * The round lifecycle: one vocabulary, one table of allowed moves, one
 * setter that reports every change (in the manner of Flower's run-status
 * transitions and Temporal's worker state).
 *
 * - waiting_for_clients: no round open; the next opens when enough clients are connected.
 * - training: the round is open; sampled clients train and upload (stored as 'open').
 * - aggregating: updates collected; the strategy aggregates them (stored as 'aggregating').
 * - evaluating: the round's models exist in memory only; they are evaluated.
 * - committing: the models, state, metrics and evaluations are being written in one transaction.
 * - finished, failed: the run has ended.
 *
 * Everything between training and the commit lives in memory only: a crash
 * in aggregating, evaluating or committing (before the transaction) leaves
 * the round 'aggregating' in the store, and a restart reopens it with its
 * stored updates and aggregates it again; a committed round is never
 * aggregated twice.
 */
export const ROUND_PHASES = ['waiting_for_clients', 'training', 'aggregating', 'evaluating', 'committing', 'finished', 'failed'] as const;
export type RoundPhase = (typeof ROUND_PHASES)[number];

/**
 * Allowed moves. Back to waiting_for_clients from any closing step: the round
 * failed (no quorum, no model, an error) and was recorded as failed. Back to
 * training from a closing step: recording the failure failed too (storage
 * down), so the round stays open and closing is retried.
 */
export const PHASE_TRANSITIONS: Readonly<Record<RoundPhase, readonly RoundPhase[]>> = {
  waiting_for_clients: ['training', 'finished', 'failed'],
  training: ['aggregating', 'waiting_for_clients'],
  aggregating: ['evaluating', 'waiting_for_clients', 'training'],
  evaluating: ['committing', 'waiting_for_clients', 'training'],
  committing: ['waiting_for_clients', 'finished', 'training'],
  finished: [],
  failed: [],
};

/** How the store records the open round in each phase (null: no open round). */
export const STORED_ROUND_STATE: Readonly<Record<RoundPhase, RoundState | null>> = {
  waiting_for_clients: null,
  training: 'open',
  aggregating: 'aggregating',
  evaluating: 'aggregating',
  committing: 'aggregating',
  finished: null,
  failed: null,
};

export function isAllowedTransition(from: RoundPhase, to: RoundPhase): boolean {
  return PHASE_TRANSITIONS[from].includes(to);
}

/**
 * The current phase and the one way to change it. `transition(from, to)`
 * names the phase the caller believes it is leaving, so a step that runs
 * after another one moved on (a deadline firing during a retry) fails loudly
 * instead of silently overwriting the newer phase.
 */
export class PhaseMachine {
  private phase: RoundPhase = 'waiting_for_clients';

  constructor(private readonly onChange: (round: number, from: RoundPhase, to: RoundPhase) => void) {}

  get current(): RoundPhase {
    return this.phase;
  }

  is(...phases: RoundPhase[]): boolean {
    return phases.includes(this.phase);
  }

  /** Moves from `from` to `to` for `round`; internal error when the phase is not `from` or the move is not allowed. */
  transition(from: RoundPhase, to: RoundPhase, round: number): void {
    if (this.phase !== from) {
      throw new FedfuseError('internal', `round ${round}: cannot move from ${from} to ${to}, the phase is ${this.phase}`);
    }
    if (!isAllowedTransition(from, to)) throw new FedfuseError('internal', `round ${round}: ${from} -> ${to} is not an allowed transition`);
    this.phase = to;
    this.onChange(round, from, to);
  }
}
