import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '../common/backend/index.ts';
import { loadEmbeddedMnist, parsePartitionScheme, splitForFederation, type FederatedSplit } from '../common/data/index.ts';
import { initNetwork, mlpSpec, type Network } from '../common/model/index.ts';
import { FedfuseClient, type ClientEvent } from '../client/index.ts';
import { createInProcessFusionExecutor } from '../server/aggregation/index.ts';
import { createFedfuseServer, type FedfuseServer, type ServerSettings } from '../server/app.ts';
import { mintClientToken } from '../server/auth/index.ts';
import { DEFAULT_RUN_SETTINGS, type OrchestratorEvent, type RunSettings, type Strategy } from '../server/rounds/index.ts';
import { openStore, type AsyncRoundStore } from '../server/store/index.ts';
import type { Refusal } from '../server/transport/index.ts';

/** Test fixtures for the round server: a real server on port 0, a temp-file SQLite store (or PostgreSQL), real clients. */
export const SECRET = 'test-secret-0123456789abcdef';
export const ADMIN_TOKEN = 'admin-token';
/** Reads the per-client routes and the dashboard's client list (--read-api private, the default). */
export const READ_TOKEN = 'read-token-for-round-tests';
export const READ_HEADERS: Readonly<Record<string, string>> = { authorization: `Bearer ${READ_TOKEN}` };

/** GET a route with per-client data as a reader with the read token, as JSON. */
export async function readJson<T = unknown>(url: string): Promise<T> {
  const res = await fetch(url, { headers: READ_HEADERS });
  if (!res.ok) throw new Error(`${url} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

let cachedSplit: FederatedSplit | null = null;

/** A small federated split of the embedded MNIST digits: 3 clients of ~200 samples, 100 calibration, 300 test. */
export function smallMnistSplit(): FederatedSplit {
  cachedSplit ??= splitForFederation(loadEmbeddedMnist(), {
    clients: 3,
    scheme: parsePartitionScheme('dirichlet:0.5'),
    calibrationSize: 100,
    testSize: 300,
    seed: 1,
    clientPoolSize: 600,
  });
  return cachedSplit;
}

export function tinyMlp(seed = 3): Network {
  return initNetwork(mlpSpec(784, [16], 10), seed);
}

export interface TestServer {
  readonly server: FedfuseServer;
  readonly store: AsyncRoundStore;
  readonly url: string;
  readonly events: OrchestratorEvent[];
  /** Every refusal the server logged (handshakes, envelopes, oversized frames). */
  readonly refusals: Refusal[];
  readonly dbPath: string;
  waitFor(predicate: (e: OrchestratorEvent) => boolean, timeoutMs?: number): Promise<OrchestratorEvent>;
  close(): Promise<void>;
}

/** Parts a test may swap: the run's initial model, and how the store is opened (options, or a wrapper that fails on demand). */
export interface TestServerParts {
  readonly initialModel: Network;
  readonly openStore: (dbPath: string) => AsyncRoundStore | Promise<AsyncRoundStore>;
  /** A strategy of the test's own instead of the one settings.strategy describes. */
  readonly strategy: Strategy;
}

export async function startTestServer(
  run: Partial<RunSettings> = {},
  overrides: Partial<ServerSettings> = {},
  dir?: string,
  parts: Partial<TestServerParts> = {},
): Promise<TestServer> {
  await initBackend();
  const split = smallMnistSplit();
  const tmp = dir ?? mkdtempSync(join(tmpdir(), 'fedfuse-rounds-'));
  const dbPath = join(tmp, 'fedfuse.sqlite');
  const store = await (parts.openStore ?? openStore)(dbPath);
  const executor = createInProcessFusionExecutor({
    calibration: split.calibration.images,
    test: { images: split.test.images, labels: split.test.labels, count: split.test.count, name: 'mnist-test' },
  });
  const events: OrchestratorEvent[] = [];
  const refusals: Refusal[] = [];
  const waiters: Array<{ predicate: (e: OrchestratorEvent) => boolean; resolve: (e: OrchestratorEvent) => void }> = [];
  const settings: ServerSettings = {
    secret: SECRET,
    adminToken: ADMIN_TOKEN,
    readApi: { mode: 'private', readToken: READ_TOKEN },
    run: { ...DEFAULT_RUN_SETTINGS, rounds: 3, minClients: 3, roundTimeoutMs: 20_000, quorum: 1, ...run },
    strategy: {
      aggregator: 'kf-linear',
      importance: 'client',
      training: { epochs: 1, batchSize: 32, learningRate: 0.01, optimizer: 'adam', proximalMu: 0, attributionMethod: 'grad-x-act', attributionSamples: 100 },
      sampling: { fractionFit: 1, minFitClients: 1 },
      seed: 0,
    },
    runConfig: { test: true },
    pingIntervalMs: 5_000,
    pingTimeoutMs: 20_000,
    ...overrides,
  };
  const server = createFedfuseServer(
    {
      store,
      executor,
      initialModel: parts.initialModel ?? tinyMlp(),
      ...(parts.strategy !== undefined ? { strategy: parts.strategy } : {}),
      logRefusal: (r) => refusals.push(r),
      log: (e) => {
        events.push(e);
        for (const w of [...waiters]) {
          if (w.predicate(e)) {
            waiters.splice(waiters.indexOf(w), 1);
            w.resolve(e);
          }
        }
      },
    },
    settings,
  );
  const url = await server.listen(0);
  return {
    server,
    store,
    url,
    events,
    refusals,
    dbPath,
    waitFor(predicate, timeoutMs = 60_000) {
      const seen = events.find(predicate);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for an orchestrator event; saw ${events.map((e) => e.type).join(', ')}`)), timeoutMs);
        waiters.push({
          predicate,
          resolve: (e) => {
            clearTimeout(timer);
            resolve(e);
          },
        });
      });
    },
    async close() {
      await server.close();
      await executor.close();
      await store.close();
      if (dir === undefined) rmSync(tmp, { recursive: true, force: true });
    },
  };
}

export async function startClient(url: string, index: number, extra: Partial<ConstructorParameters<typeof FedfuseClient>[2]> = {}): Promise<{ client: FedfuseClient; events: ClientEvent[] }> {
  const split = smallMnistSplit();
  const data = split.clients[index]!;
  const events: ClientEvent[] = [];
  const client = new FedfuseClient(url, mintClientToken(SECRET, `client-${index}`), {
    clientId: `client-${index}`,
    data: { images: data.images, labels: data.labels, count: data.count },
    seed: index,
    reconnectDelayMs: 100,
    reconnectDelayMaxMs: 500,
    onEvent: (e) => events.push(e),
    ...extra,
  });
  await client.connect();
  return { client, events };
}
