import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { io, type Socket } from 'socket.io-client';
import { handshakeRefusalOf } from '../common/events/index.ts';
import { OBSERVER_NAMESPACE, type ObserverRefusal, type ObserverStatus } from '../common/events/observer-events.ts';
import { publicRoundDetailView, publicRunView, publicStatusView, WITHHELD_REASON, type RoundDetailView, type StatusView } from '../server/http/index.ts';
import { ADMIN_TOKEN, READ_HEADERS, READ_TOKEN, startClient, startTestServer, type TestServer } from './rounds-fixtures.ts';

/**
 * The read rule (server/auth/read-access.ts) over a real server on port 0
 * after a real round of two clients: --read-api private answers 401 without a
 * token on every route with per-client data; public answers them with no
 * client id anywhere, the observer stream included; the read and admin tokens
 * get the full view; wrong tokens are refused and throttled per address with
 * the admin guesses, on the routes and on the dashboard's feed.
 */
const PER_CLIENT_ROUTES = ['/api/status', '/api/runs', '/api/rounds', '/api/rounds/1', '/api/rounds/latest', '/api/observer'];
/** No per-client data: open in both modes (docs/security.md says why). */
const OPEN_ROUTES = ['/api/health', '/metrics', '/api/rounds/1/model/model.json', '/api/rounds/1/model/weights.bin'];
const CLIENT_ID = /client-\d/;

async function finishedRound(overrides: Parameters<typeof startTestServer>[1] = {}, beforeClients?: (t: TestServer) => Promise<void>): Promise<TestServer> {
  const t = await startTestServer({ rounds: 1, minClients: 2, roundTimeoutMs: 120_000 }, overrides);
  await beforeClients?.(t);
  const clients = [await startClient(t.url, 0), await startClient(t.url, 1)];
  try {
    await t.waitFor((e) => e.type === 'runFinished', 180_000);
  } finally {
    for (const c of clients) c.client.close();
  }
  return t;
}

function get(url: string, token?: string): Promise<Response> {
  return fetch(url, token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } });
}

/** Connects an observer; resolves with it and every status it hears, or rejects with the refusal. */
function observe(url: string, token?: string): Promise<{ socket: Socket; statuses: ObserverStatus[]; frames: string[] }> {
  return new Promise((resolve, reject) => {
    const socket = io(`${url}${OBSERVER_NAMESPACE}`, { transports: ['websocket'], ...(token === undefined ? {} : { auth: { token }, query: { token } }), reconnection: false, forceNew: true, timeout: 5_000 });
    const statuses: ObserverStatus[] = [];
    const frames: string[] = [];
    socket.onAny((event: string, payload: unknown) => {
      frames.push(`${event} ${JSON.stringify(payload)}`);
      if (event === 'status') statuses.push(payload as ObserverStatus);
    });
    socket.once('status', () => resolve({ socket, statuses, frames }));
    socket.once('connect_error', (err: Error) => {
      socket.close();
      reject(handshakeRefusalOf(err) ?? err);
    });
  });
}

/** One GET from `localAddress` (127.0.0.2 is another peer on Linux loopback). */
function getFrom(url: string, path: string, token: string, localAddress: string): Promise<{ status: number; retryAfter: string | undefined }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path, localAddress, headers: { authorization: `Bearer ${token}` } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('--read-api private: every per-client route answers 401 without a token, the read and admin tokens read everything', { timeout: 300_000 }, async () => {
  const t = await finishedRound();
  try {
    for (const path of PER_CLIENT_ROUTES) {
      const none = await get(`${t.url}${path}`);
      const text = await none.text();
      assert.equal(none.status, 401, path);
      assert.equal(none.headers.get('www-authenticate'), 'Bearer realm="fedfuse-read"', path);
      const body = JSON.parse(text) as { error: { code: string; message: string } };
      assert.deepEqual(Object.keys(body), ['error'], `${path}: the error and nothing else`);
      assert.equal(body.error.code, 'unauthenticated', path);
      assert.doesNotMatch(text, CLIENT_ID, path);
      for (const token of [READ_TOKEN, ADMIN_TOKEN]) {
        const full = await get(`${t.url}${path}`, token);
        assert.equal(full.status, 200, `${path} with ${token}`);
        assert.equal(full.headers.get('x-fedfuse-view'), 'full', path);
        await full.arrayBuffer();
      }
    }
    const detail = (await (await get(`${t.url}/api/rounds/1`, READ_TOKEN)).json()) as RoundDetailView;
    assert.deepEqual(detail.updates.map((u) => u.clientId).sort(), ['client-0', 'client-1'], 'the full view names the clients');
    const observer = (await (await get(`${t.url}/api/observer`, ADMIN_TOKEN)).json()) as ObserverStatus;
    assert.deepEqual(observer.clients.map((c) => c.clientId), ['client-0', 'client-1']);
    for (const path of OPEN_ROUTES) {
      const res = await get(`${t.url}${path}`);
      assert.equal(res.status, 200, path);
      assert.doesNotMatch(Buffer.from(await res.arrayBuffer()).toString('latin1'), CLIENT_ID, path);
    }
    await assert.rejects(observe(t.url), (e: ObserverRefusal) => e.code === 'unauthenticated');
    assert.match(t.refusals.at(-1)?.message ?? '', /needs the read token/, 'refused on the upgrade request, and the server says why');
    const reader = await observe(t.url, READ_TOKEN);
    assert.equal(reader.statuses[0]!.view, 'full');
    assert.equal(reader.statuses[0]!.clients.length, 2);
    reader.socket.close();
  } finally {
    await t.close();
  }
});

test('--read-api public: without a token the same routes and the observer stream carry no client id; with one, the full view', { timeout: 300_000 }, async () => {
  let stranger: Awaited<ReturnType<typeof observe>> | null = null;
  let reader: Awaited<ReturnType<typeof observe>> | null = null;
  const t = await finishedRound({ readApi: { mode: 'public', readToken: READ_TOKEN } }, async (server) => {
    // Both observers hear the whole round: a status after every join, upload and phase.
    stranger = await observe(server.url);
    reader = await observe(server.url, READ_TOKEN);
  });
  try {
    for (const path of PER_CLIENT_ROUTES) {
      const res = await get(`${t.url}${path}`);
      const text = await res.text();
      assert.equal(res.status, 200, path);
      assert.equal(res.headers.get('x-fedfuse-view'), 'public', path);
      assert.doesNotMatch(text, CLIENT_ID, `${path} names no client: ${text.slice(0, 300)}`);
      assert.doesNotMatch(text, /"(updates|metrics|clientMetrics)":|"(sampledClients|connectedClients)":\[|"clients":\[[^\]]/, `${path} has no per-client field (counts stay)`);
      const full = await get(`${t.url}${path}`, READ_TOKEN);
      assert.equal(full.headers.get('x-fedfuse-view'), 'full', path);
      await full.arrayBuffer();
    }
    const detail = (await (await get(`${t.url}/api/rounds/1`)).json()) as Record<string, unknown>;
    assert.equal(detail['participants'], 2, 'the aggregates stay');
    assert.equal(detail['state'], 'done');
    const status = (await (await get(`${t.url}/api/status`)).json()) as Record<string, unknown>;
    assert.equal(typeof status['connectedClientCount'], 'number');

    const s = stranger as Awaited<ReturnType<typeof observe>> | null;
    const r = reader as Awaited<ReturnType<typeof observe>> | null;
    assert.ok(s !== null && r !== null);
    assert.ok(s.statuses.length >= 3, `the stranger heard the round (${s.statuses.length} statuses)`);
    assert.ok(s.statuses.some((x) => x.connectedClients === 2 && x.phase === 'training'), 'counts are public');
    for (const frame of s.frames) assert.doesNotMatch(frame, CLIENT_ID, `an observer without a token heard: ${frame.slice(0, 200)}`);
    assert.ok(s.statuses.every((x) => x.view === 'public' && x.clients.length === 0));
    assert.ok(r.statuses.some((x) => x.view === 'full' && x.clients.some((c) => c.clientId === 'client-1')), 'the reader in the same namespace hears each client');
    s.socket.close();
    r.socket.close();
  } finally {
    await t.close();
  }
});

test('the public views withhold failure reasons (they name screened-out clients) and drop every id list', () => {
  const reason = 'screening rejected all 2 updates (client-0: screened out (distance_ratio): ...; client-1: ...)';
  const run = { id: 'r', state: 'failed' as const, currentRound: 0, createdAt: 1, endedAt: 2, failureReason: `round 1 failed 3 times; last reason: ${reason}`, config: { rounds: 1 } };
  assert.equal(publicRunView(run).failureReason, WITHHELD_REASON);
  assert.equal(publicRunView({ ...run, failureReason: null }).failureReason, null);
  const detail: RoundDetailView = {
    round: 1, attempt: 2, state: 'failed', aggregator: 'kf-linear', fusionSeconds: null, participants: 2, evaluations: [], failureReason: reason, openedAt: 1, closedAt: 2,
    deadline: 3, sampledClients: ['client-0', 'client-1'], metrics: { failures: [{ clientId: 'client-0' }] },
    updates: [{ clientId: 'client-0', numExamples: 10, bytes: 5, receivedAt: 1, hasAttribution: false, clientMetrics: { accuracy: 0.5 } }],
    previousAttempts: [{ attempt: 1, failedAt: 1, reason }],
  };
  assert.doesNotMatch(JSON.stringify(publicRoundDetailView(detail)), CLIENT_ID);
  const status: StatusView = { runId: 'r', round: 1, state: 'training', connectedClients: ['client-0'], sampledClients: ['client-0'], updatesReceived: 0, deadlineUnixMs: 5, roundsPlanned: 1, run };
  const open = publicStatusView(status);
  assert.doesNotMatch(JSON.stringify(open), CLIENT_ID);
  assert.equal(open.connectedClientCount, 1);
});

test('a wrong token is refused in both modes and throttled per address with the admin guesses: routes, the dashboard feed, the admin routes', { timeout: 60_000 }, async () => {
  const t = await startTestServer({ rounds: 1, minClients: 5 }, { adminGuessLimit: { burst: 5, perMinute: 1 } });
  const open = await startTestServer({ rounds: 1, minClients: 5 }, { readApi: { mode: 'public', readToken: READ_TOKEN } });
  try {
    const wrong = await get(`${open.url}/api/rounds`, 'not-the-read-token');
    assert.equal(wrong.status, 401, 'public mode refuses a wrong token rather than serving the public view');
    await wrong.arrayBuffer();

    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await get(`${t.url}/api/rounds`, `guess-${i}`);
      statuses.push(res.status);
      if (res.status === 429) assert.ok(Number(res.headers.get('retry-after')) >= 1, 'Retry-After');
      await res.arrayBuffer();
    }
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429, 429, 429, 429, 429, 429, 429]);
    const right = await get(`${t.url}/api/rounds`, READ_TOKEN);
    assert.equal(right.status, 429, 'an address out of guesses is refused before any comparison, right token or not');
    assert.equal(((await right.json()) as { error: { code: string } }).error.code, 'rate_limited');
    const admin = await fetch(`${t.url}/api/run/stop`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    assert.equal(admin.status, 429, 'read guesses and admin guesses share the bucket');
    await admin.arrayBuffer();
    await assert.rejects(observe(t.url, READ_TOKEN), (e: ObserverRefusal) => e.code === 'unauthenticated');
    assert.match(t.refusals.at(-1)?.message ?? '', /too many failed token attempts/, 'the dashboard feed is behind the same throttle');
    assert.equal((await getFrom(t.url, '/api/rounds', READ_TOKEN, '127.0.0.2')).status, 200, 'another address reads');
  } finally {
    await t.close();
    await open.close();
  }
});

test("wrong tokens at the dashboard's feed count as guesses too: after the burst the right token is refused there and on the routes", { timeout: 60_000 }, async () => {
  const t = await startTestServer({ rounds: 1, minClients: 5 }, { adminGuessLimit: { burst: 3, perMinute: 1 } });
  try {
    for (let i = 0; i < 3; i++) {
      await assert.rejects(observe(t.url, `wrong-${i}`), (e: ObserverRefusal) => e.code === 'unauthenticated');
      assert.match(t.refusals.at(-1)?.message ?? '', /not valid/);
    }
    await assert.rejects(observe(t.url, READ_TOKEN), (e: ObserverRefusal) => e.code === 'unauthenticated');
    assert.match(t.refusals.at(-1)?.message ?? '', /too many failed token attempts/);
    const res = await fetch(`${t.url}/api/observer`, { headers: READ_HEADERS });
    assert.equal(res.status, 429);
    assert.ok(Number(res.headers.get('retry-after')) >= 1);
    await res.arrayBuffer();
  } finally {
    await t.close();
  }
});
