import type { ObserverStatus } from '../../common/events/observer-events.ts';
import type { RoundDetailView, RoundSummaryView, RunView } from './round-views.ts';
import type { StatusView } from './status-route.ts';

/**
 * The public view (`--read-api public`, a request without a token): the same
 * routes with every per-client field removed. Built from the full views, so a
 * field added there is not public until it is added here on purpose.
 *
 * A failure reason may name clients and their screening distances (a round
 * whose updates were all screened out lists them), so a public reason says
 * only that there is one.
 */
export const WITHHELD_REASON = 'withheld from the public view (it may name clients); read it with the read token';

function withheld(reason: string | null): string | null {
  return reason === null ? null : WITHHELD_REASON;
}

export function publicRunView(run: RunView): RunView {
  return { ...run, failureReason: withheld(run.failureReason) };
}

export function publicRoundSummaryView(round: RoundSummaryView): RoundSummaryView {
  return { ...round, failureReason: withheld(round.failureReason) };
}

/** A round's detail without who was sampled, its updates or its metrics (screening, per-client failures, label-histogram shifts). */
export type PublicRoundDetailView = RoundSummaryView & Pick<RoundDetailView, 'deadline' | 'previousAttempts'>;

export function publicRoundDetailView(detail: RoundDetailView): PublicRoundDetailView {
  return {
    round: detail.round,
    attempt: detail.attempt,
    state: detail.state,
    aggregator: detail.aggregator,
    fusionSeconds: detail.fusionSeconds,
    participants: detail.participants,
    evaluations: detail.evaluations,
    failureReason: withheld(detail.failureReason),
    openedAt: detail.openedAt,
    closedAt: detail.closedAt,
    deadline: detail.deadline,
    previousAttempts: detail.previousAttempts.map((a) => ({ ...a, reason: WITHHELD_REASON })),
  };
}

/** The live status with counts instead of the client ids. */
export interface PublicStatusView extends Omit<StatusView, 'connectedClients' | 'sampledClients'> {
  readonly connectedClientCount: number;
  readonly sampledClientCount: number;
}

export function publicStatusView(status: StatusView): PublicStatusView {
  const { connectedClients, sampledClients, ...rest } = status;
  return { ...rest, run: rest.run === null ? null : publicRunView(rest.run), connectedClientCount: connectedClients.length, sampledClientCount: sampledClients.length };
}

/** The observer status without the client list (the counts stay; handshake refusals are counted by code, never by client). */
export function publicObserverStatus(status: ObserverStatus): ObserverStatus {
  return { ...status, view: 'public', clients: [] };
}
