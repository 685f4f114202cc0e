import { Worker } from 'node:worker_threads';
import type { Network } from '../../common/model/network.ts';
import type { LabClientData, LabTrainingConfig, LabWorkerMessage } from './lab-train-protocol.ts';

export interface LabTrained {
  readonly network: Network;
  readonly loss: number;
  readonly accuracy: number;
  readonly seconds: number;
}

/** Training threads for the lab (one per core): requests go to the least-loaded thread. */
export class LabTrainPool {
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (t: LabTrained) => void; reject: (e: Error) => void; worker: number }>();
  private readonly load: number[];

  private constructor(private readonly workers: Worker[]) {
    this.load = workers.map(() => 0);
    workers.forEach((w) =>
      w.on('message', (m: LabWorkerMessage) => {
        if (m.kind === 'ready') return;
        const p = this.pending.get(m.id);
        if (p === undefined) return;
        this.pending.delete(m.id);
        this.load[p.worker]!--;
        if (m.kind === 'trained') p.resolve({ network: m.network, loss: m.loss, accuracy: m.accuracy, seconds: m.seconds });
        else p.reject(new Error(m.message));
      }),
    );
  }

  static async start(clients: readonly LabClientData[], threads: number): Promise<LabTrainPool> {
    const workers = Array.from({ length: threads }, () => new Worker(new URL('./lab-worker-bootstrap.mjs', import.meta.url), { workerData: { clients } }));
    await Promise.all(workers.map((w) => new Promise<void>((resolve, reject) => {
      w.once('error', reject);
      w.on('message', (m: LabWorkerMessage) => m.kind === 'ready' && resolve());
    })));
    return new LabTrainPool(workers);
  }

  train(client: number, network: Network, training: LabTrainingConfig, seed: number): Promise<LabTrained> {
    const worker = this.load.indexOf(Math.min(...this.load));
    this.load[worker]!++;
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, worker });
      this.workers[worker]!.postMessage({ id, client, network, training, seed });
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
