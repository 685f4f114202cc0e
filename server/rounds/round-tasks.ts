import type { Network } from '../../common/model/network.ts';
import { EMPTY_RECORDS, type RecordDict } from '../../common/records/index.ts';
import type { GlobalModel, RoundTask } from '../../common/wire/index.ts';
import type { CommittedRound } from './committed-round.ts';
import type { FusedRecordsIndex } from './fused-records-index.ts';
import type { OpenRound } from './orchestrator-types.ts';
import type { Strategy } from './strategy.ts';

/**
 * What the server sends: a sampled client's task (the committed round's
 * training model and the client's records) and the broadcast of a committed
 * round (its served model). Everything comes from the committed state and
 * the store, so the same task goes out again after a reconnect or a restart.
 */
export class RoundTasks {
  constructor(
    private readonly strategy: Strategy,
    private readonly fusedRecords: FusedRecordsIndex,
    /** The width capacity a connected client declared in its hello (ClientPresence). */
    private readonly widthCapacityOf: (clientId: string) => number | null = () => null,
  ) {}

  async task(runId: string, open: OpenRound, committed: CommittedRound, clientId: string): Promise<RoundTask> {
    const [records, model] = await Promise.all([this.records(open, committed, clientId), this.model(open, committed, clientId)]);
    return {
      type: 'roundTask',
      runId,
      round: open.round,
      model,
      training: this.strategy.trainingConfig(open.round),
      deadlineUnixMs: open.deadline,
      records,
    };
  }

  /** The model in the client's task: the training model, or the strategy's per-client one (heterogeneous widths). */
  async model(open: OpenRound, committed: CommittedRound, clientId: string): Promise<Network> {
    const clientModel = this.strategy.clientModel;
    if (clientModel === undefined) return committed.training;
    // Read before the await: the capacity the client declared when this was asked, not after a reconnect.
    const widthCapacity = this.widthCapacityOf(clientId);
    const lastFused = await this.fusedRecords.lastFused(clientId);
    return clientModel(open.round, committed, { clientId, lastFused, widthCapacity });
  }

  /** The client's records in this round's task, computed once per client and round (Strategy.clientRecords is pure). */
  async records(open: OpenRound, committed: CommittedRound, clientId: string): Promise<RecordDict> {
    const clientRecords = this.strategy.clientRecords;
    if (clientRecords === undefined) return EMPTY_RECORDS;
    let records = open.taskRecords.get(clientId);
    if (records === undefined) {
      records = this.fusedRecords.lastFused(clientId).then((lastFused) => clientRecords(open.round, committed, { clientId, lastFused }));
      open.taskRecords.set(clientId, records);
      // Not kept when the store could not be read: the task is sent again later and tries again.
      records.catch(() => {
        if (open.taskRecords.get(clientId) === records) open.taskRecords.delete(clientId);
      });
    }
    return records;
  }
}

export function globalModelMessage(runId: string, round: number, committed: CommittedRound, final: boolean): GlobalModel {
  return { type: 'globalModel', runId, round, model: committed.served, final, separateTrainingModel: committed.separateTrainingModel };
}
