import { Worker } from 'node:worker_threads';
import type { BackendPreference } from '../../common/backend/index.ts';
import { FedfuseError } from '../../common/errors/index.ts';
import type { ClientActivity, ClientThreadData, FromClientThread, HostedClient, ToClientThread } from './client-thread-protocol.ts';
import { RUNS_COMPILED } from '../package-root.ts';

export type ActivityListener = (clientId: string, activity: ClientActivity) => void;

/**
 * The simulation's clients, spread over a few worker threads (one per core
 * by default). Each client is a real FedfuseClient with its own socket.io
 * connection; `connectAll` points all of them at a new server (one run per
 * aggregator), `disconnectAll` closes them again. A thread that fails or
 * dies rejects what is waiting and is reported through `onFailure`; the
 * pool is then unusable.
 */
export class ClientThreadPool {
  private readonly waiting = new Map<Worker, { kind: FromClientThread['kind']; resolve: () => void; reject: (e: Error) => void }>();
  private listener: ActivityListener = () => {};
  private failureListener: (error: FedfuseError) => void = () => {};
  private failure: FedfuseError | null = null;
  private closed = false;

  private constructor(
    private readonly workers: readonly Worker[],
    private readonly threadByClient: ReadonlyMap<string, number>,
  ) {
    for (const w of workers) {
      w.on('message', (msg: FromClientThread) => this.onMessage(w, msg));
      w.on('error', (e) => this.fail(w, `a client thread crashed: ${e.message}`));
      w.on('exit', (code) => {
        if (!this.closed) this.fail(w, `a client thread exited with code ${code}`);
      });
    }
  }

  /** Starts one thread per group of clients; resolves when every thread has its TF.js backend ready. */
  static async start(groups: readonly (readonly HostedClient[])[], backend: BackendPreference): Promise<ClientThreadPool> {
    const threadByClient = new Map<string, number>();
    groups.forEach((g, t) => g.forEach((c) => threadByClient.set(c.clientId, t)));
    const workers = groups.map(
      (clients) => new Worker(new URL(RUNS_COMPILED ? './client-thread-worker.js' : './client-thread-bootstrap.mjs', import.meta.url), { workerData: { backend, clients } satisfies ClientThreadData }),
    );
    const pool = new ClientThreadPool(workers, threadByClient);
    try {
      await Promise.all(workers.map((w) => pool.expect(w, 'ready')));
    } catch (e) {
      await pool.close();
      throw e;
    }
    return pool;
  }

  /** Which thread hosts a client. */
  threadOf(clientId: string): number {
    return this.threadByClient.get(clientId) ?? -1;
  }

  get threadCount(): number {
    return this.workers.length;
  }

  /** Where client activity goes (the current run's bookkeeping). */
  onActivity(listener: ActivityListener): void {
    this.listener = listener;
  }

  /** Where a thread's failure goes (the current run, which then aborts). */
  onFailure(listener: (error: FedfuseError) => void): void {
    this.failureListener = listener;
  }

  async connectAll(url: string, tokens: Readonly<Record<string, string>>): Promise<void> {
    if (this.failure !== null) throw this.failure;
    await Promise.all(this.workers.map((w) => this.request(w, { kind: 'connect', url, tokens }, 'connected')));
  }

  async disconnectAll(): Promise<void> {
    await Promise.all(this.workers.map((w) => this.request(w, { kind: 'disconnect' }, 'disconnected')));
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private request(w: Worker, msg: ToClientThread, answer: FromClientThread['kind']): Promise<void> {
    const done = this.expect(w, answer);
    w.postMessage(msg);
    return done;
  }

  private expect(w: Worker, kind: FromClientThread['kind']): Promise<void> {
    return new Promise((resolve, reject) => this.waiting.set(w, { kind, resolve, reject }));
  }

  private onMessage(w: Worker, msg: FromClientThread): void {
    if (msg.kind === 'activity') {
      this.listener(msg.clientId, msg.activity);
      return;
    }
    if (msg.kind === 'failed') {
      this.fail(w, msg.message);
      return;
    }
    const waiter = this.waiting.get(w);
    if (waiter !== undefined && waiter.kind === msg.kind) {
      this.waiting.delete(w);
      waiter.resolve();
    }
  }

  private fail(w: Worker, message: string): void {
    const error = new FedfuseError('internal', message);
    const waiter = this.waiting.get(w);
    this.waiting.delete(w);
    waiter?.reject(error);
    if (this.closed) return;
    this.failure ??= error;
    this.failureListener(error);
  }
}

/**
 * Clients spread over `threads` groups by longest-processing-time first:
 * the largest data sets go first, each to the least loaded thread, so the
 * threads finish a round at about the same time.
 */
export function assignClientsToThreads<T extends { readonly count: number }>(clients: readonly T[], threads: number): T[][] {
  const groups: T[][] = Array.from({ length: Math.max(1, Math.min(threads, clients.length)) }, () => []);
  const load = groups.map(() => 0);
  const order = clients.map((_, i) => i).sort((a, b) => clients[b]!.count - clients[a]!.count || a - b);
  for (const i of order) {
    let t = 0;
    for (let k = 1; k < groups.length; k++) if (load[k]! < load[t]!) t = k;
    groups[t]!.push(clients[i]!);
    load[t]! += clients[i]!.count;
  }
  return groups;
}
