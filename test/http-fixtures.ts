import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mlpSpec, initNetwork, type Network } from '../common/model/index.ts';
import { networkToProto } from '../common/wire/index.ts';
import { fedfuse } from '../common/wire/generated/fedfuse.js';
import { AdminGuessLimiter, ReadAccess } from '../server/auth/index.ts';
import { createHttpApi, type HttpApiDeps, type LiveStatus } from '../server/http/index.ts';
import { createServerMetrics, type ServerMetrics } from '../server/metrics/index.ts';
import { openRoundStore, SqliteAsyncRoundStore, type RoundStore } from '../server/store/index.ts';
import { makeTempDir, patternBytes } from './store-fixtures.ts';

/** Shared helpers of the HTTP API tests: a real SQLite file filled with real encoded models, served on port 0. */

export const SPEC = mlpSpec(6, [5], 3);
export const OLD_SPEC = mlpSpec(4, [3], 2);
export const ADMIN_TOKEN = 'admin-token-for-tests';
export const SECRET = 'client-token-secret-0123456789';
/** Reads the per-client routes (--read-api private, the default). */
export const READ_TOKEN = 'read-token-for-tests';
export const READ_HEADERS: Readonly<Record<string, string>> = { authorization: `Bearer ${READ_TOKEN}` };

export function encodeModel(net: Network): Uint8Array {
  return fedfuse.v1.Model.encode(networkToProto(net)).finish();
}

/** What seedRuns stored, for tests to compare the API's answers with. */
export interface SeededRuns {
  /** Global models of run-main by round: 0 (initial), 1, 2. Round 3 is open. */
  readonly mainModels: ReadonlyMap<number, Network>;
  /**
   * The model each round of run-main tells the next round's clients to train
   * from: round 2 stores a separate training model; rounds 0 and 1 train from
   * the served one.
   */
  readonly mainTrainingModels: ReadonlyMap<number, Network>;
  /** Global model 1 of run-old. */
  readonly oldModel1: Network;
  /** Encoded client updates of run-main by `${round}/${clientId}`, for byte sizes. */
  readonly updateBytes: ReadonlyMap<string, number>;
}

/**
 * Two runs:
 * - run-old (created at 1000, finished): initial model and one round, done.
 * - run-main (created at 2000, running): initial model with a test evaluation;
 *   round 1 failed at attempt 1 then done at attempt 2 (2 updates, 2 evaluations);
 *   round 2 done (3 updates, 1 evaluation); round 3 failed at attempt 1 and is
 *   open at attempt 2 with 1 update.
 */
export function seedRuns(store: RoundStore): SeededRuns {
  const clients = ['c1', 'c2', 'c3'];
  for (const id of clients) store.upsertClient({ id, numExamples: 100, at: 500 });

  const oldModel0 = initNetwork(OLD_SPEC, 10);
  const oldModel1 = initNetwork(OLD_SPEC, 11);
  store.createRun({ id: 'run-old', config: { rounds: 1 }, modelSpec: OLD_SPEC, initialModel: encodeModel(oldModel0), createdAt: 1000 });
  store.openRound({ runId: 'run-old', round: 1, sampledClientIds: ['c1'], deadline: 1500, attempt: 1, openedAt: 1100 });
  store.recordUpdate({ runId: 'run-old', round: 1, clientId: 'c1', numExamples: 10, model: encodeModel(oldModel1), receivedAt: 1200 });
  store.completeRound('run-old', 1, { globalModel: encodeModel(oldModel1), aggregator: 'mean', fusionSeconds: 0.01, metrics: {}, at: 1300 });
  store.setRunState('run-old', 'finished');

  const mainModels = new Map<number, Network>([
    [0, initNetwork(SPEC, 1)],
    [1, initNetwork(SPEC, 2)],
    [2, initNetwork(SPEC, 3)],
  ]);
  const updateBytes = new Map<string, number>();
  const upload = (round: number, clientId: string, seed: number, numExamples: number, receivedAt: number, extra: { attribution?: Uint8Array; clientMetrics?: unknown } = {}): void => {
    const model = encodeModel(initNetwork(SPEC, seed));
    store.recordUpdate({ runId: 'run-main', round, clientId, numExamples, model, receivedAt, ...extra });
    updateBytes.set(`${round}/${clientId}`, model.byteLength + (extra.attribution?.byteLength ?? 0));
  };

  store.createRun({
    id: 'run-main',
    config: { rounds: 10, clientsPerRound: 3, aggregator: 'kf-linear' },
    modelSpec: SPEC,
    initialModel: encodeModel(mainModels.get(0)!),
    createdAt: 2000,
  });
  store.recordEvaluation({ runId: 'run-main', round: 0, dataset: 'test', accuracy: 0.1, loss: 2.3, samples: 1000, at: 2100 });

  store.openRound({ runId: 'run-main', round: 1, sampledClientIds: clients, deadline: 3400, attempt: 1, openedAt: 3000 });
  upload(1, 'c1', 101, 100, 3100);
  store.failRound('run-main', 1, 'only 1 of 3 updates before the deadline', 3500);
  store.openRound({ runId: 'run-main', round: 1, sampledClientIds: clients, deadline: 4400, attempt: 2, openedAt: 4000 });
  upload(1, 'c1', 111, 100, 4100, { clientMetrics: { loss: 0.5, epochs: 1 } });
  upload(1, 'c2', 112, 200, 4200, { attribution: patternBytes(77, 5) });
  store.completeRound('run-main', 1, {
    globalModel: encodeModel(mainModels.get(1)!),
    aggregator: 'kf-linear',
    fusionSeconds: 1.25,
    metrics: { phases: { fusion: 1.25, evaluation: 0.5 } },
    evaluations: [
      { dataset: 'test', accuracy: 0.8, loss: 0.6, samples: 1000 },
      { dataset: 'calibration', accuracy: 0.85, loss: 0.5, samples: 400 },
    ],
    at: 4500,
  });

  store.openRound({ runId: 'run-main', round: 2, sampledClientIds: clients, deadline: 5400, attempt: 1, openedAt: 5000 });
  upload(2, 'c3', 123, 300, 5100);
  upload(2, 'c1', 121, 100, 5200);
  upload(2, 'c2', 122, 200, 5300);
  const training2 = initNetwork(SPEC, 13);
  store.completeRound('run-main', 2, {
    globalModel: encodeModel(mainModels.get(2)!),
    trainingModel: encodeModel(training2),
    aggregator: 'mean',
    fusionSeconds: 0.05,
    metrics: { phases: { fusion: 0.05 } },
    evaluations: [{ dataset: 'test', accuracy: 0.9, loss: 0.3, samples: 1000 }],
    at: 5500,
  });

  store.openRound({ runId: 'run-main', round: 3, sampledClientIds: ['c2', 'c3'], deadline: 6400, attempt: 1, openedAt: 6000 });
  store.failRound('run-main', 3, 'fusion failed: singular Gram matrix', 6500);
  store.openRound({ runId: 'run-main', round: 3, sampledClientIds: ['c2', 'c3'], deadline: 7400, attempt: 2, openedAt: 7000 });
  upload(3, 'c3', 133, 300, 7100);

  const mainTrainingModels = new Map<number, Network>([
    [0, mainModels.get(0)!],
    [1, mainModels.get(1)!],
    [2, training2],
  ]);
  return { mainModels, mainTrainingModels, oldModel1, updateBytes };
}

export const LIVE_TRAINING: LiveStatus = {
  runId: 'run-main',
  round: 3,
  state: 'training',
  connectedClients: ['c1', 'c2', 'c3'],
  sampledClients: ['c2', 'c3'],
  updatesReceived: 1,
  deadlineUnixMs: 7400,
  roundsPlanned: 10,
};

export interface RunningApi {
  readonly url: string;
  /** The SQLite connection underneath the API's async store, for seeding and checking rows directly. */
  readonly store: RoundStore;
  readonly metrics: ServerMetrics;
  /** What liveStatus() returns; tests may replace it. */
  live: LiveStatus;
  /** How many times actions.stopRun was called. */
  stopCalls: number;
  /** Lines the API logged (unexpected errors). */
  readonly logged: string[];
  close(): Promise<void>;
}

/**
 * Opens a SQLite file in a temp dir, lets `seed` fill it, serves createHttpApi
 * on a real http server on 127.0.0.1 port 0. `overrides` replace deps (admin
 * token, secret, actions...).
 */
export async function startApi(
  options: { seed?: (store: RoundStore) => void; overrides?: Partial<HttpApiDeps>; live?: LiveStatus } = {},
): Promise<RunningApi> {
  const tmp = makeTempDir('http');
  const store = openRoundStore(`${tmp.dir}/fedfuse.db`, { synchronous: 'NORMAL' });
  options.seed?.(store);
  const metrics = createServerMetrics();
  const api: RunningApi = {
    url: '',
    store,
    metrics,
    live: options.live ?? LIVE_TRAINING,
    stopCalls: 0,
    logged: [],
    close: async () => {},
  };
  const adminToken = options.overrides?.adminToken !== undefined ? options.overrides.adminToken : ADMIN_TOKEN;
  const app = createHttpApi({
    store: new SqliteAsyncRoundStore(store),
    liveStatus: () => api.live,
    metrics,
    adminToken: ADMIN_TOKEN,
    readAccess: new ReadAccess({ mode: 'private', readToken: READ_TOKEN, adminToken, guesses: new AdminGuessLimiter() }),
    secret: SECRET,
    actions: {
      stopRun: async () => {
        api.stopCalls++;
      },
    },
    log: (line) => api.logged.push(line),
    ...options.overrides,
  });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(api, {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
      store.close();
      tmp.cleanup();
    },
  });
}

export interface JsonResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
  readonly text: string;
}

/** fetch, then the body as text and (when it parses) JSON. */
export async function fetchJson(url: string, init?: RequestInit): Promise<JsonResponse> {
  const res = await fetch(url, init);
  const text = await res.text();
  let body: unknown = undefined;
  try {
    body = JSON.parse(text);
  } catch {
    // left undefined: the assertions on content type and body say what was wrong
  }
  return { status: res.status, headers: res.headers, body, text };
}

/** fetchJson with the read token, for the routes that show per-client data. */
export function readJson(url: string, init: RequestInit = {}): Promise<JsonResponse> {
  return fetchJson(url, { ...init, headers: { ...READ_HEADERS, ...(init.headers as Record<string, string> | undefined) } });
}

/** Sends `path` byte for byte (fetch would normalise '..' segments away). */
export function rawGet(baseUrl: string, path: string): Promise<{ status: number; contentType: string; text: string }> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: hostname, port, path, method: 'GET' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type']), text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Asserts a JSON error response `{ error: { code, message } }` with `status`, and nothing of a stack trace or an HTML page. */
export function assertJsonError(res: JsonResponse | { status: number; contentType: string; text: string }, status: number, code: string): string {
  const contentType = 'headers' in res ? (res.headers.get('content-type') ?? '') : res.contentType;
  assert.equal(res.status, status, `status (body: ${res.text.slice(0, 300)})`);
  assert.match(contentType, /^application\/json/, 'content type');
  const body = JSON.parse(res.text) as { error?: { code?: unknown; message?: unknown } };
  assert.deepEqual(Object.keys(body), ['error']);
  assert.equal(body.error?.code, code, `code (message: ${String(body.error?.message)})`);
  assert.equal(typeof body.error?.message, 'string');
  assert.doesNotMatch(res.text, /<html|<pre>|\bat .*\.(ts|js):\d+/i, 'no HTML and no stack trace');
  return body.error.message as string;
}
