import { parentPort, workerData } from 'node:worker_threads';
import { FedfuseClient } from '../../client/index.ts';
import type { ClientThreadData, FromClientThread, ToClientThread } from './client-thread-protocol.ts';
import { perturbedUpdate } from './perturbed-update.ts';

/**
 * A worker thread hosting some of bench-load's clients: each a real
 * FedfuseClient with its own socket.io connection, uploading a perturbed
 * copy of the global model per round. Reports each acknowledgement's
 * latency, measured from the moment the update is handed to the client
 * (the 'trained' event, right before it encodes and sends) to the ack.
 */
const { url, clients, perturbation, uploadSpreadMs } = workerData as ClientThreadData;
const port = parentPort;
if (port === null) throw new Error('client-thread.ts must run in a worker thread');
const post = (msg: FromClientThread): void => port.postMessage(msg);

/** When each update (client/round) was handed to its client for upload. */
const handedOver = new Map<string, number>();
const connected: FedfuseClient[] = [];

for (const c of clients) {
  const client = new FedfuseClient(url, c.token, {
    clientId: c.clientId,
    // Never trained on: the hello only tells the server how many examples the client claims.
    data: { images: new Float32Array(0), labels: new Int32Array(0), count: c.numExamples },
    ackTimeoutMs: 120_000,
    reconnectDelayMs: 500,
    reconnectDelayMaxMs: 5_000,
    train: async (task) => {
      if (uploadSpreadMs > 0) await new Promise((r) => setTimeout(r, spreadDelay(c.seed, task.round) * uploadSpreadMs));
      return perturbedUpdate(task, c.clientId, c.numExamples, c.seed, perturbation);
    },
    onEvent: (event) => {
      const key = (round: number): string => `${c.clientId}/${round}`;
      switch (event.type) {
        case 'trained':
          handedOver.set(key(event.round), performance.now());
          break;
        case 'uploaded': {
          const sent = handedOver.get(key(event.round));
          if (sent !== undefined) post({ kind: 'ack', clientId: c.clientId, round: event.round, latencyMs: performance.now() - sent });
          handedOver.delete(key(event.round));
          break;
        }
        case 'uploadRefused':
          post({ kind: 'problem', clientId: c.clientId, what: `upload refused (${event.code})`, message: event.message });
          break;
        case 'refused':
          post({ kind: 'problem', clientId: c.clientId, what: `connection refused (${event.code})`, message: event.message });
          break;
        case 'error':
          post({ kind: 'problem', clientId: c.clientId, what: 'client error', message: event.message });
          break;
        case 'disconnected':
          if (event.reason !== 'io client disconnect') post({ kind: 'problem', clientId: c.clientId, what: 'disconnected', message: event.reason });
          break;
        case 'globalModel':
          if (event.final) post({ kind: 'finished', clientId: c.clientId, lastRound: event.round });
          break;
        default:
          break;
      }
    },
  });
  connected.push(client);
}

/** A fraction in [0, 1) fixed by client and round, so reruns spread uploads the same way. */
function spreadDelay(seed: number, round: number): number {
  const x = Math.sin(seed * 12.9898 + round * 78.233) * 43_758.5453;
  return x - Math.floor(x);
}

const started = performance.now();
Promise.all(connected.map((c) => c.connect(120_000))).then(
  () => post({ kind: 'connected', seconds: (performance.now() - started) / 1000 }),
  (e: unknown) => post({ kind: 'connectFailed', message: e instanceof Error ? e.message : String(e) }),
);

port.on('message', (msg: ToClientThread) => {
  if (msg.kind === 'close') {
    for (const c of connected) c.close();
    port.close();
  }
});
