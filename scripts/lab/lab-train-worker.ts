import { parentPort, workerData } from 'node:worker_threads';
import { initBackend } from '../../common/backend/index.ts';
import { trainNetwork } from '../../common/training/index.ts';
import type { LabClientData, LabTrainRequest, LabWorkerMessage } from './lab-train-protocol.ts';

/** A lab training thread: holds every client's data, trains one request at a time. */
const { clients } = workerData as { clients: LabClientData[] };
const port = parentPort!;
const post = (m: LabWorkerMessage): void => port.postMessage(m);
let lane: Promise<void> = Promise.resolve();

port.on('message', (request: LabTrainRequest) => {
  lane = lane.then(async () => {
    try {
      const data = clients[request.client]!;
      const result = await trainNetwork(request.network, data, { ...request.training, seed: request.seed });
      post({ kind: 'trained', id: request.id, network: result.network, loss: result.metrics.loss, accuracy: result.metrics.accuracy, seconds: result.metrics.seconds });
    } catch (e) {
      post({ kind: 'failed', id: request.id, message: e instanceof Error ? e.message : String(e) });
    }
  });
});

initBackend('wasm', () => {}).then(() => post({ kind: 'ready' }));
