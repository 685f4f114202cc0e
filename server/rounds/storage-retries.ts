/** Retry delay after work failed because storage failed. */
export const STORAGE_RETRY_MS = 2_000;

/** Work a timer or a socket event starts: synchronous, or a promise (the store is asynchronous). */
export type RetriableWork = () => void | Promise<void>;

/**
 * Work that a timer or a socket event started, kept from killing the
 * process when the store fails: a store that cannot even be read (an I/O
 * error, a corrupt page, PostgreSQL gone) is reported and the work tried
 * again later, each kind of work under its own key, so that one retry never
 * cancels another. A rejected promise is a failure like a throw (it would
 * otherwise be an unhandled rejection, which ends the process). Requests
 * that have an answer (hello, update) let their errors reach the client
 * instead.
 */
export class StorageRetries {
  private timer: NodeJS.Timeout | null = null;
  private readonly due = new Map<string, RetriableWork>();
  private stopped = false;

  constructor(
    private readonly onError: (during: string, error: unknown) => void,
    private readonly delayMs = STORAGE_RETRY_MS,
  ) {}

  /** Runs `action`; if it throws or rejects, reports it and schedules it again under `retryKey`. */
  survive(during: string, action: RetriableWork, retryKey: string): void {
    const failed = (e: unknown): void => {
      this.onError(during, e);
      this.schedule(retryKey, action);
    };
    try {
      const pending = action();
      if (pending !== undefined) pending.catch(failed);
    } catch (e) {
      failed(e);
    }
  }

  /** Runs `action` after the delay (replacing what was due under the same key). */
  schedule(key: string, action: RetriableWork): void {
    if (this.stopped) return;
    this.due.set(key, action);
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      const due = [...this.due];
      this.due.clear();
      for (const [k, retry] of due) this.survive(k, retry, k);
    }, this.delayMs);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.due.clear();
  }
}
