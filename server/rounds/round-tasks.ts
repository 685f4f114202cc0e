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

  task(runId: string, open: OpenRound, committed: CommittedRound, clientId: string): RoundTask {
    return {
      type: 'roundTask',
      runId,
      round: open.round,
      model: this.model(open, committed, clientId),
      training: this.strategy.trainingConfig(open.round),
      deadlineUnixMs: open.deadline,
      records: this.records(open, committed, clientId),
    };
  }

  /** The model in the client's task: the training model, or the strategy's per-client one (heterogeneous widths). */
  model(open: OpenRound, committed: CommittedRound, clientId: string): Network {
    if (this.strategy.clientModel === undefined) return committed.training;
    return this.strategy.clientModel(open.round, committed, { clientId, lastFused: this.fusedRecords.lastFused(clientId), widthCapacity: this.widthCapacityOf(clientId) });
  }

  /** The client's records in this round's task, computed once per client and round (Strategy.clientRecords is pure). */
  records(open: OpenRound, committed: CommittedRound, clientId: string): RecordDict {
    if (this.strategy.clientRecords === undefined) return EMPTY_RECORDS;
    let records = open.taskRecords.get(clientId);
    if (records === undefined) {
      records = this.strategy.clientRecords(open.round, committed, { clientId, lastFused: this.fusedRecords.lastFused(clientId) });
      open.taskRecords.set(clientId, records);
    }
    return records;
  }
}

export function globalModelMessage(runId: string, round: number, committed: CommittedRound, final: boolean): GlobalModel {
  return { type: 'globalModel', runId, round, model: committed.served, final, separateTrainingModel: committed.separateTrainingModel };
}
