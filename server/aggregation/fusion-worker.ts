import { parentPort, workerData } from 'node:worker_threads';
import { initBackend, type BackendPreference } from '../../common/backend/index.ts';
import { isFedfuseError } from '../../common/errors/index.ts';
import { runAggregation, runEvaluation, runScreening, type ServerDataSets } from './aggregation-jobs.ts';
import type { WorkerReply, WorkerRequest } from './worker-protocol.ts';

/**
 * The fusion worker: holds the server's calibration and test sets and runs
 * one job at a time, so fusion never blocks the server's event loop.
 */
const { data, backend } = workerData as { data: ServerDataSets; backend: BackendPreference };
const port = parentPort;
if (port === null) throw new Error('fusion-worker.ts must run in a worker thread');

// Silent: the server logged its backend choice once already (a worker's line would be a plain line among JSON logs).
const ready = initBackend(backend, () => {});

port.on('message', (request: WorkerRequest) => {
  void handle(request).then((reply) => port.postMessage(reply));
});

async function handle(request: WorkerRequest): Promise<WorkerReply> {
  try {
    await ready;
    if (request.kind === 'aggregate') {
      return { id: request.id, ok: true, kind: 'aggregate', result: await runAggregation(data, request.request) };
    }
    if (request.kind === 'screen') {
      return { id: request.id, ok: true, kind: 'screen', result: await runScreening(data, request.request) };
    }
    return { id: request.id, ok: true, kind: 'evaluate', result: await runEvaluation(data, request.network, request.parents) };
  } catch (e) {
    return {
      id: request.id,
      ok: false,
      code: isFedfuseError(e) ? e.code : 'internal',
      message: e instanceof Error ? e.message : String(e),
    };
  }
}
