/** Retry delay after work failed because storage failed. */
export const STORAGE_RETRY_MS = 2_000;

/**
 * Work that a timer or a socket event started, kept from killing the
 * process when the store fails: a store that cannot even be read (an I/O
 * error, a corrupt page) is reported and the work tried again later, each
 * kind of work under its own key, so that one retry never cancels another.
 * Requests that have an answer (hello, update) let their errors reach the
 * client instead.
 */
export class StorageRetries {
  private timer: NodeJS.Timeout | null = null;
  private readonly due = new Map<string, () => void>();
  private stopped = false;

  constructor(
    private readonly onError: (during: string, error: unknown) => void,
    private readonly delayMs = STORAGE_RETRY_MS,
  ) {}

  /** Runs `action`; if it throws, reports it and schedules it again under `retryKey`. */
  survive(during: string, action: () => void, retryKey: string): void {
    try {
      action();
    } catch (e) {
      this.onError(during, e);
      this.schedule(retryKey, action);
    }
  }

  /** Runs `action` after the delay (replacing what was due under the same key). */
  schedule(key: string, action: () => void): void {
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
