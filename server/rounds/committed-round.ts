import { randomUUID } from 'node:crypto';
import { FedfuseError } from '../../common/errors/index.ts';
import type { Network } from '../../common/model/network.ts';
import { EMPTY_RECORDS } from '../../common/records/index.ts';
import type { AsyncRoundStore, GlobalModelRecord, RoundOutcome, RunRecord } from '../store/index.ts';
import { decodeModelBlob, decodeRecordsBlob, encodeModelBlob, encodeRecordsBlob } from './model-blobs.ts';
import type { GlobalState } from './strategy.ts';

/**
 * The state the last committed round left, as the orchestrator keeps it in
 * memory: read from the store's newest global model row at start, replaced
 * by each commit. Everything a task needs (the training model, the strategy
 * state) comes from here, so a restarted server hands out the same tasks.
 */
export interface CommittedRound extends GlobalState {
  /** The training model is stored apart from the served model. */
  readonly separateTrainingModel: boolean;
}

/** The state a run starts from: its initial model, served and trained from, and no strategy state (also for tests and tools). */
export function initialGlobalState(initialModel: Network): GlobalState {
  return { round: 0, served: initialModel, training: initialModel, strategyState: EMPTY_RECORDS };
}

export function committedRoundFromRecord(record: GlobalModelRecord): CommittedRound {
  const what = `round ${record.round}`;
  const served = decodeModelBlob(record.model, `global model of ${what}`);
  const training = record.trainingModel === null ? served : decodeModelBlob(record.trainingModel, `training model of ${what}`);
  return {
    round: record.round,
    served,
    training,
    strategyState: record.strategyState === null ? EMPTY_RECORDS : decodeRecordsBlob(record.strategyState, served, `strategy state of ${what}`),
    separateTrainingModel: record.trainingModel !== null,
  };
}

export async function loadCommittedRound(store: AsyncRoundStore, runId: string): Promise<CommittedRound> {
  const latest = await store.latestGlobalModel(runId);
  if (latest === undefined) throw new FedfuseError('internal', `run ${runId} has no global model`);
  return committedRoundFromRecord(latest);
}

/**
 * The blobs a commit stores for a round's models and state: the training
 * model only when it is another model than the served one (null means "the
 * same", which keeps every existing aggregator's rows as they were), the
 * state only when not empty.
 */
export function roundModelBlobs(served: Network, training: Network | null, state: CommittedRound['strategyState']): Pick<RoundOutcome, 'globalModel' | 'trainingModel' | 'strategyState'> {
  return {
    globalModel: encodeModelBlob(served),
    trainingModel: training === null || training === served ? null : encodeModelBlob(training),
    strategyState: encodeRecordsBlob(state),
  };
}

/** The configured run (or the newest running one) as stored, or a new run with `initialModel` as its round 0. */
export async function resumeOrCreateRun(store: AsyncRoundStore, runId: string | null, initialModel: Network, runConfig: unknown): Promise<{ run: RunRecord; resumed: boolean }> {
  const existing = runId !== null ? await store.getRun(runId) : await store.findRunningRun();
  if (existing !== undefined) return { run: existing, resumed: true };
  const run = await store.createRun({ id: runId ?? randomUUID(), config: runConfig, modelSpec: initialModel.spec, initialModel: encodeModelBlob(initialModel) });
  return { run, resumed: false };
}
