import { FedfuseError } from '../../common/errors/index.ts';
import type { AsyncRoundStore } from './async-round-store.ts';
import { GroupCommitQueue, type GroupCommitOptions, type GroupCommitStats } from './group-commit.ts';
import type { UpdateSummary } from './records.ts';
import type { NewUpdate, RoundStore } from './round-store.ts';
import type { SqliteRoundStore } from './sqlite-round-store.ts';

type Method = Exclude<keyof RoundStore, 'close' | 'recordUpdate'>;

/** Methods that write: each first commits the updates queued before it, so writes land in the order they were made. */
const WRITES: ReadonlySet<Method> = new Set<Method>([
  'createRun',
  'setRunState',
  'upsertClient',
  'touchClient',
  'openRound',
  'setRoundState',
  'failRound',
  'completeRound',
  'saveGlobalModel',
  'recordEvaluation',
  'revokeTokens',
]);

/**
 * The SQLite store behind the async contract, with group commit of updates:
 * `recordUpdate` queues the update, and the updates that arrive within
 * `windowMs` are stored by one transaction (one fsync with synchronous=FULL);
 * each promise resolves only after that transaction has committed. Measured
 * without it: one fsync per update, about 9 ms of the main thread each
 * (docs/reliability.md, Load). Everything else runs on the synchronous store
 * as it is (better-sqlite3 on this thread) and settles before it returns.
 */
export class SqliteAsyncRoundStore implements AsyncRoundStore {
  readonly backend = 'sqlite' as const;
  private readonly updates: GroupCommitQueue<NewUpdate, UpdateSummary>;
  private closed = false;

  constructor(
    private readonly sqlite: SqliteRoundStore,
    groupCommit: Partial<GroupCommitOptions> = {},
  ) {
    this.updates = new GroupCommitQueue(
      (batch) => this.sqlite.recordUpdates(batch),
      (u) => u.model.byteLength + (u.attribution?.byteLength ?? 0),
      groupCommit,
    );
  }

  /** Durable when it resolves; a refused update rejects without failing the others of its batch. */
  recordUpdate(update: NewUpdate): Promise<UpdateSummary> {
    if (this.closed) return Promise.reject(new FedfuseError('unavailable', 'store recordUpdate failed: the store is closed'));
    return this.updates.submit(update);
  }

  /** Batches committed so far and their sizes, for benchmarks. */
  groupCommitStatistics(): GroupCommitStats {
    return this.updates.statistics();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.updates.flush();
    this.sqlite.close();
  }

  createRun = this.delegate('createRun');
  getRun = this.delegate('getRun');
  listRuns = this.delegate('listRuns');
  latestRun = this.delegate('latestRun');
  findRunningRun = this.delegate('findRunningRun');
  setRunState = this.delegate('setRunState');
  upsertClient = this.delegate('upsertClient');
  touchClient = this.delegate('touchClient');
  getClient = this.delegate('getClient');
  listClients = this.delegate('listClients');
  openRound = this.delegate('openRound');
  getRound = this.delegate('getRound');
  listRounds = this.delegate('listRounds');
  setRoundState = this.delegate('setRoundState');
  failRound = this.delegate('failRound');
  listRoundFailures = this.delegate('listRoundFailures');
  completeRound = this.delegate('completeRound');
  getUpdate = this.delegate('getUpdate');
  listUpdates = this.delegate('listUpdates');
  listUpdatesWithBlobs = this.delegate('listUpdatesWithBlobs');
  countUpdates = this.delegate('countUpdates');
  hasUpdate = this.delegate('hasUpdate');
  saveGlobalModel = this.delegate('saveGlobalModel');
  getGlobalModel = this.delegate('getGlobalModel');
  latestGlobalModel = this.delegate('latestGlobalModel');
  recordEvaluation = this.delegate('recordEvaluation');
  listEvaluations = this.delegate('listEvaluations');
  revokeTokens = this.delegate('revokeTokens');
  listTokenRevocations = this.delegate('listTokenRevocations');
  integrityCheck = this.delegate('integrityCheck');

  /** The synchronous method as an async one: its exception becomes the rejection. */
  private delegate<M extends Method>(method: M): (...args: Parameters<RoundStore[M]>) => Promise<ReturnType<RoundStore[M]>> {
    const write = WRITES.has(method);
    return (...args) => {
      try {
        if (write) this.updates.flush();
        const fn = this.sqlite[method] as (...a: Parameters<RoundStore[M]>) => ReturnType<RoundStore[M]>;
        return Promise.resolve(fn.apply(this.sqlite, args));
      } catch (e) {
        return Promise.reject(e);
      }
    };
  }
}
