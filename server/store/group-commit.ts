/**
 * Group commit: requests that arrive within a short window are written by one
 * call of `commit`, so that one transaction (and one fsync) serves all of
 * them; each request's promise settles only after that call has returned,
 * that is once its write is durable (or known to have failed).
 *
 * `commit` gets the batch in arrival order and returns one outcome per item:
 * a value, or the error for that item alone (one client's duplicate must not
 * fail the others). If `commit` itself throws, every item of the batch is
 * rejected with that error: nothing of the batch was committed.
 */
export type ItemOutcome<R> = { readonly ok: true; readonly value: R } | { readonly ok: false; readonly error: unknown };

export interface GroupCommitOptions {
  /**
   * Default 2. How long the first request of a batch waits for others. A
   * burst of 1 MB uploads arrives a few ms apart on one event loop; an idle
   * server pays this once per update.
   */
  readonly windowMs: number;
  /** Default 64 MiB. A batch this large is committed at once, without waiting out the window. */
  readonly maxBatchBytes: number;
  /** Default 256. Same, by count. */
  readonly maxBatchItems: number;
}

export const DEFAULT_GROUP_COMMIT_OPTIONS: GroupCommitOptions = {
  windowMs: 2,
  maxBatchBytes: 64 * 1024 * 1024,
  maxBatchItems: 256,
};

interface Pending<T, R> {
  readonly item: T;
  readonly resolve: (value: R) => void;
  readonly reject: (error: unknown) => void;
}

export interface GroupCommitStats {
  /** Calls of `commit` so far. */
  readonly batches: number;
  /** Items committed (or refused) by them. */
  readonly items: number;
  /** The largest batch so far. */
  readonly largestBatch: number;
}

export class GroupCommitQueue<T, R> {
  private readonly options: GroupCommitOptions;
  private pending: Pending<T, R>[] = [];
  private pendingBytes = 0;
  private timer: NodeJS.Timeout | null = null;
  private stats = { batches: 0, items: 0, largestBatch: 0 };

  constructor(
    private readonly commit: (batch: readonly T[]) => readonly ItemOutcome<R>[],
    private readonly sizeOf: (item: T) => number,
    options: Partial<GroupCommitOptions> = {},
  ) {
    this.options = { ...DEFAULT_GROUP_COMMIT_OPTIONS, ...options };
  }

  /** Queues `item`; settles once the batch holding it has been committed. */
  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      this.pendingBytes += this.sizeOf(item);
      if (this.pending.length >= this.options.maxBatchItems || this.pendingBytes >= this.options.maxBatchBytes) {
        this.flush();
      } else if (this.timer === null) {
        this.timer = setTimeout(() => this.flush(), this.options.windowMs);
      }
    });
  }

  /**
   * Commits what is queued now, synchronously. Called by the window's timer,
   * and by the store before any other write, so that writes take effect in
   * the order they were made.
   */
  flush(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    this.pendingBytes = 0;
    this.stats = { batches: this.stats.batches + 1, items: this.stats.items + batch.length, largestBatch: Math.max(this.stats.largestBatch, batch.length) };
    let outcomes: readonly ItemOutcome<R>[];
    try {
      outcomes = this.commit(batch.map((p) => p.item));
    } catch (e) {
      for (const p of batch) p.reject(e);
      return;
    }
    batch.forEach((p, i) => {
      const outcome = outcomes[i];
      if (outcome === undefined) p.reject(new Error(`group commit returned ${outcomes.length} outcomes for ${batch.length} items`));
      else if (outcome.ok) p.resolve(outcome.value);
      else p.reject(outcome.error);
    });
  }

  get queued(): number {
    return this.pending.length;
  }

  statistics(): GroupCommitStats {
    return { ...this.stats };
  }
}
