import { Worker } from 'node:worker_threads';
import { FedfuseError } from '../../common/errors/index.ts';
import type { BackendPreference } from '../../common/backend/index.ts';
import type { ServerDataSets } from './aggregation-jobs.ts';
import type { FusionExecutor } from './fusion-executor.ts';
import type { WorkerReply, WorkerRequest } from './worker-protocol.ts';
import { RUNS_COMPILED } from '../package-root.ts';

/** WorkerRequest without its id, per variant (Omit over a union would merge the variants). */
type RequestBody = WorkerRequest extends infer R ? (R extends unknown ? Omit<R, 'id'> : never) : never;
type Pending = { resolve: (reply: WorkerReply) => void; reject: (e: Error) => void };

/**
 * Runs fusion and evaluation in a worker thread. A worker that dies fails
 * the jobs in flight with a typed 'internal' error and is replaced on the
 * next job, so one crash costs one round attempt, not the server.
 */
export function createWorkerFusionExecutor(data: ServerDataSets, backend: BackendPreference = 'auto'): FusionExecutor {
  let worker: Worker | null = null;
  let nextId = 1;
  const pending = new Map<number, Pending>();

  function failAll(error: Error): void {
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  }

  function ensureWorker(): Worker {
    if (worker !== null) return worker;
    // Compiled (the packed package): the worker's own JavaScript; from the sources: a bootstrap that registers tsx first.
    const w = new Worker(new URL(RUNS_COMPILED ? './fusion-worker.js' : './worker-bootstrap.mjs', import.meta.url), { workerData: { data, backend } });
    w.on('message', (reply: WorkerReply) => {
      const p = pending.get(reply.id);
      if (p === undefined) return;
      pending.delete(reply.id);
      p.resolve(reply);
    });
    w.on('error', (e) => {
      worker = null;
      failAll(new FedfuseError('internal', `fusion worker crashed: ${e.message}`));
    });
    w.on('exit', (code) => {
      if (worker === w) worker = null;
      failAll(new FedfuseError('internal', `fusion worker exited with code ${code}`));
    });
    worker = w;
    return w;
  }

  function call(request: RequestBody): Promise<WorkerReply> {
    const id = nextId++;
    const w = ensureWorker();
    return new Promise<WorkerReply>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      w.postMessage({ ...request, id });
    }).then((reply) => {
      if (!reply.ok) throw new FedfuseError(reply.code, reply.message);
      return reply;
    });
  }

  return {
    async aggregate(request) {
      const reply = await call({ kind: 'aggregate', request });
      if (reply.ok && reply.kind === 'aggregate') return reply.result;
      throw new FedfuseError('internal', 'fusion worker answered with the wrong kind of reply');
    },
    async screen(request) {
      const reply = await call({ kind: 'screen', request });
      if (reply.ok && reply.kind === 'screen') return reply.result;
      throw new FedfuseError('internal', 'fusion worker answered with the wrong kind of reply');
    },
    async evaluate(network, parents) {
      const reply = await call({ kind: 'evaluate', network, parents });
      if (reply.ok && reply.kind === 'evaluate') return reply.result;
      throw new FedfuseError('internal', 'fusion worker answered with the wrong kind of reply');
    },
    async close() {
      const w = worker;
      worker = null;
      if (w !== null) await w.terminate();
    },
  };
}
