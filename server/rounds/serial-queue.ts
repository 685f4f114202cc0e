/**
 * Runs asynchronous tasks one at a time, in the order they were queued: a
 * task starts only after the one before it has settled (resolved or
 * rejected). The orchestrator runs every change of the round lifecycle
 * (start, open, close, finish) through one, because with an async store each
 * of them awaits the store between reading its state and acting on it, and two
 * of them interleaved there (a round opened while a stop finishes the run,
 * two closes of one round) would act on state the other has already changed.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  /** Queues `task`; settles as it does. */
  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    // The next task waits for this one to settle, whatever the outcome; the caller sees the outcome.
    this.tail = result.catch(() => {});
    return result;
  }

  /** Resolves once every task queued so far has settled. */
  async idle(): Promise<void> {
    await this.tail;
  }
}
