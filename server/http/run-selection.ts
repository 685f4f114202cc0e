import { FedfuseError } from '../../common/errors/index.ts';
import type { AsyncRoundStore, RunRecord } from '../store/index.ts';
import { ApiError } from './api-error.ts';
import type { LiveStatus } from './live-status.ts';

const MAX_RUN_ID_LENGTH = 200;

/**
 * The run a request is about: `?run=ID` when given, else the run being
 * served, else the newest stored one. Throws not_found when there is none.
 */
export async function selectRun(store: AsyncRoundStore, live: LiveStatus, query: Record<string, unknown>): Promise<RunRecord> {
  const requested = query['run'];
  if (requested !== undefined) {
    if (typeof requested !== 'string' || requested.length === 0 || requested.length > MAX_RUN_ID_LENGTH) {
      throw new FedfuseError('invalid_argument', `run must be one run id of 1-${MAX_RUN_ID_LENGTH} characters`);
    }
    const run = await store.getRun(requested);
    if (run === undefined) throw new ApiError('not_found', `no run "${requested}"`);
    return run;
  }
  return (await currentRun(store, live)) ?? throwNoRun();
}

/** The run being served, else the newest stored one; undefined when the store has no run. */
export async function currentRun(store: AsyncRoundStore, live: LiveStatus): Promise<RunRecord | undefined> {
  const liveRun = live.runId === null ? undefined : await store.getRun(live.runId);
  return liveRun ?? (await store.latestRun());
}

function throwNoRun(): never {
  throw new ApiError('not_found', 'no run has been started yet');
}
