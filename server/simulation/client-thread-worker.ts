import { parentPort, workerData } from 'node:worker_threads';
import { FedfuseClient, computeLocalUpdate, type ClientEvent } from '../../client/index.ts';
import { initBackend } from '../../common/backend/index.ts';
import type { ClientUpdate, RoundTask } from '../../common/wire/index.ts';
import type { ClientActivity, ClientThreadData, FromClientThread, HostedClient, ToClientThread } from './client-thread-protocol.ts';

/**
 * A worker thread hosting some of a simulation's clients. Each is a real
 * FedfuseClient with its own socket.io connection to the server over
 * loopback; the thread only saves starting one TF.js runtime per client.
 * Training is serialised within the thread, so each client's reported
 * training time is its own (not shared with the clients next to it) and the
 * threads, one per core, keep the cores busy.
 */
const { backend, clients } = workerData as ClientThreadData;
const port = parentPort;
if (port === null) throw new Error('client-thread-worker.ts must run in a worker thread');

const post = (msg: FromClientThread): void => port.postMessage(msg);
let connected: FedfuseClient[] = [];
let lane: Promise<unknown> = Promise.resolve();

/** Runs local updates one at a time, in the order their tasks arrived. */
function serialised(client: HostedClient): (task: RoundTask) => Promise<ClientUpdate> {
  return (task) => {
    const run = lane.then(() => computeLocalUpdate(task, client.clientId, client, client.seed));
    lane = run.catch(() => undefined);
    return run;
  };
}

function activityOf(event: ClientEvent): ClientActivity | null {
  switch (event.type) {
    case 'task':
      return { type: 'task', round: event.round };
    case 'trained':
      return { type: 'trained', round: event.round, trainSeconds: event.update.metrics.trainSeconds, attributionSeconds: event.update.metrics.attributionSeconds };
    case 'uploaded':
      return { type: 'uploaded', round: event.round };
    case 'uploadRefused':
      return { type: 'uploadRefused', round: event.round, code: event.code, message: event.message };
    case 'refused':
      return { type: 'refused', code: event.code, message: event.message };
    case 'error':
      return { type: 'error', message: event.message };
    default:
      return null;
  }
}

async function connectAll(url: string, tokens: Readonly<Record<string, string>>): Promise<void> {
  const fresh = clients.map((c) => {
    const token = tokens[c.clientId];
    if (token === undefined) throw new Error(`no token for ${c.clientId}`);
    return new FedfuseClient(url, token, {
      clientId: c.clientId,
      data: c,
      seed: c.seed,
      labelHistogram: c.labelHistogram,
      train: serialised(c),
      reconnectDelayMs: 100,
      reconnectDelayMaxMs: 1_000,
      onEvent: (event) => {
        const activity = activityOf(event);
        if (activity !== null) post({ kind: 'activity', clientId: c.clientId, activity });
      },
    });
  });
  connected = fresh;
  await Promise.all(fresh.map((c) => c.connect()));
}

port.on('message', (msg: ToClientThread) => {
  if (msg.kind === 'connect') {
    connectAll(msg.url, msg.tokens).then(
      () => post({ kind: 'connected' }),
      (e: unknown) => post({ kind: 'failed', message: `clients could not connect: ${e instanceof Error ? e.message : String(e)}` }),
    );
  } else {
    for (const c of connected) c.close();
    connected = [];
    post({ kind: 'disconnected' });
  }
});

// The simulation prints the backend once; every thread repeating it would only be noise.
initBackend(backend, () => {}).then(
  () => post({ kind: 'ready' }),
  (e: unknown) => post({ kind: 'failed', message: `TF.js backend: ${e instanceof Error ? e.message : String(e)}` }),
);
