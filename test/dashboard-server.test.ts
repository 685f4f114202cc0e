import { test } from 'node:test';
import assert from 'node:assert/strict';
import { io, type Socket } from 'socket.io-client';
import { decodeNpy } from '../common/data/npy-codec.ts';
import { carveHoldout, loadEmbeddedMnist, parsePartitionScheme, partition } from '../common/data/index.ts';
import { handshakeRefusalOf } from '../common/events/index.ts';
import { OBSERVER_NAMESPACE, type ObserverRefusal, type ObserverStatus } from '../common/events/observer-events.ts';
import { DASHBOARD_CSP, JOIN_CSP, defaultWebAssets, missingBuild, type DashboardAccessMode } from '../server/dashboard/index.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureWebBuild } from './browser-fixtures.ts';
import { CHILD_READ_TOKEN, smallServerArgs } from './faults-fixtures.ts';
import { freePort, listeningUrl, startServerProcess } from './server-process.ts';
import { READ_HEADERS, READ_TOKEN, startClient, startTestServer, type TestServer } from './rounds-fixtures.ts';

/**
 * The dashboard's server side over real sockets and HTTP: --dashboard on|off,
 * who may read it under the read rule (--read-api private by default: the read
 * or admin token; test/security-read-api.test.ts has the public view), the observer namespace (read-only, never a model),
 * the pages' headers, CORS on the model routes, and the demo data.
 */
const ADMIN = 'admin-token'; // rounds-fixtures' admin token
const DEMO = { splitSeed: 1, calibrationSize: 100, testSize: 300 };

function server(access: DashboardAccessMode, extra: Parameters<typeof startTestServer>[1] = {}, run: Parameters<typeof startTestServer>[0] = { rounds: 1, minClients: 1 }): Promise<TestServer> {
  return startTestServer(run, { dashboard: { access, demo: DEMO }, ...extra });
}

/** Connects an observer; resolves with its first status, or rejects with the refusal's data (or the error). */
function observe(url: string, token?: string): Promise<{ socket: Socket; first: ObserverStatus }> {
  return new Promise((resolve, reject) => {
    // As the page does: the token on the connection request (checked before a session exists) and in auth.
    const socket = io(`${url}${OBSERVER_NAMESPACE}`, { transports: ['websocket'], ...(token === undefined ? {} : { auth: { token }, query: { token } }), reconnection: false, timeout: 5_000 });
    socket.once('status', (first: ObserverStatus) => resolve({ socket, first }));
    socket.once('connect_error', (err: Error) => {
      socket.close();
      reject(handshakeRefusalOf(err) ?? err);
    });
  });
}

test('--dashboard off: no pages, no /api/observer, no observer namespace; the API is unchanged', async () => {
  const t = await server('off');
  try {
    for (const path of ['/', '/join', '/assets/dashboard.js', '/api/observer', '/api/join/info']) {
      const res = await fetch(`${t.url}${path}`);
      assert.equal(res.status, 404, path);
      assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'not_found');
    }
    // No dashboard: a connection without a client token is refused on its HTTP request, before any session.
    await assert.rejects(observe(t.url), (e: ObserverRefusal) => e.code === 'unauthenticated');
    assert.equal((await fetch(`${t.url}/api/status`, { headers: READ_HEADERS })).status, 200);
  } finally {
    await t.close();
  }
});

test('--read-api private (the default): the pages load, their data needs the read or admin token', async () => {
  ensureWebBuild();
  const t = await server('on');
  try {
    assert.equal((await fetch(`${t.url}/`)).status, 200, 'the page holds no data and loads without a token');
    const none = await fetch(`${t.url}/api/observer`);
    assert.equal(none.status, 401);
    assert.equal(none.headers.get('www-authenticate'), 'Bearer realm="fedfuse-read"');
    assert.equal((await fetch(`${t.url}/api/observer`, { headers: { authorization: 'Bearer wrong' } })).status, 401);
    const ok = await fetch(`${t.url}/api/observer`, { headers: { authorization: `Bearer ${ADMIN}` } });
    assert.equal(ok.status, 200);
    assert.equal(((await ok.json()) as ObserverStatus).roundsPlanned, 1);
    const read = await fetch(`${t.url}/api/observer`, { headers: READ_HEADERS });
    assert.equal(read.status, 200, 'the read token reads it too');
    assert.equal(((await read.json()) as ObserverStatus).view, 'full');

    await assert.rejects(observe(t.url), (e: ObserverRefusal) => e.code === 'unauthenticated');
    await assert.rejects(observe(t.url, 'wrong'), (e: ObserverRefusal) => e.code === 'unauthenticated');
    assert.ok(t.refusals.some((r) => r.stage === 'handshake' && /not valid/.test(r.message)), 'the server logged why');
    const { socket, first } = await observe(t.url, ADMIN);
    assert.equal(first.phase, 'waiting_for_clients');
    socket.close();
    const byReader = await observe(t.url, READ_TOKEN);
    assert.equal(byReader.first.view, 'full');
    byReader.socket.close();
  } finally {
    await t.close();
  }
});

test('--read-api private without a read or admin token configured refuses every reader with a reason', async () => {
  const t = await server('on', { adminToken: null, readApi: { mode: 'private', readToken: null } });
  try {
    const res = await fetch(`${t.url}/api/observer`, { headers: { authorization: 'Bearer anything' } });
    assert.equal(res.status, 401);
    assert.match(((await res.json()) as { error: { message: string } }).error.message, /no read or admin token configured/);
  } finally {
    await t.close();
  }
});

test('the observer namespace follows a round with statuses and a notice, carries no model and takes no input', { timeout: 60_000 }, async () => {
  const t = await server('on', {}, { rounds: 2, minClients: 1 });
  let observer: Socket | null = null;
  let client: Awaited<ReturnType<typeof startClient>> | null = null;
  try {
    const connected = await observe(t.url, READ_TOKEN);
    observer = connected.socket;
    const statuses: ObserverStatus[] = [connected.first];
    const notices: unknown[] = [];
    let binary = false;
    observer.onAny((event: string, payload: unknown) => {
      if (event === 'status') statuses.push(payload as ObserverStatus);
      if (event === 'roundClosed') notices.push(payload);
      if (containsBinary(payload)) binary = true;
    });
    const bytesBefore = observer.io.engine.transport.name;
    assert.equal(bytesBefore, 'websocket');
    client = await startClient(t.url, 0);
    await t.waitFor((e) => e.type === 'runFinished');
    await new Promise((r) => setTimeout(r, 300));
    const runId = t.server.orchestrator.liveStatus().runId!;
    assert.deepEqual(notices, [
      { runId, round: 1, outcome: 'done' },
      { runId, round: 2, outcome: 'done' },
    ]);
    assert.ok(statuses.some((s) => s.phase === 'training' && s.round === 1 && s.sampledClients === 1), 'a status showed round 1 training');
    const trainingClient = statuses.flatMap((s) => s.clients).find((c) => c.state === 'training');
    assert.equal(trainingClient?.clientId, 'client-0');
    const last = statuses.at(-1)!;
    assert.equal(last.phase, 'finished');
    assert.equal(last.clients[0]?.state, 'uploaded');
    assert.equal(last.clients[0]?.lastUpdateRound, 2);
    assert.ok((last.clients[0]?.lastUpdateBytes ?? 0) > 10_000, 'the update size is reported');
    assert.equal(binary, false, 'no binary payload (a model) ever reached the observer');
    const largest = Math.max(...statuses.map((s) => JSON.stringify(s).length));
    assert.ok(largest < 2_000, `statuses stay small (${largest} characters), far from a model's ${last.clients[0]?.lastUpdateBytes} bytes`);

    // Read-only: an observer that emits anything is disconnected.
    const gone = new Promise<string>((resolve) => observer!.once('disconnect', resolve));
    observer.emit('envelope', new Uint8Array([1, 2, 3]));
    assert.equal(await gone, 'io server disconnect');
  } finally {
    observer?.close();
    client?.client.close();
    await t.close();
  }
});

test('a handshake with a bad token is counted for the dashboard without a client id', async () => {
  const t = await server('on');
  try {
    const bad = io(t.url, { transports: ['websocket'], auth: { token: 'garbage' }, reconnection: false });
    await new Promise((resolve) => bad.once('connect_error', resolve));
    bad.close();
    const status = (await (await fetch(`${t.url}/api/observer`, { headers: READ_HEADERS })).json()) as ObserverStatus;
    assert.deepEqual(status.handshakeRefusals, { unauthenticated: 1 });
    assert.deepEqual(status.clients, []);
  } finally {
    await t.close();
  }
});

test('pages and assets carry the strict CSP; the wasm files come from node_modules', async () => {
  ensureWebBuild();
  assert.equal(missingBuild(defaultWebAssets()), null);
  const t = await server('on');
  try {
    const pages: Array<[string, string, RegExp]> = [
      ['/', DASHBOARD_CSP, /text\/html/],
      ['/join', JOIN_CSP, /text\/html/],
      ['/assets/dashboard.js', DASHBOARD_CSP, /javascript/],
      ['/assets/join.js', JOIN_CSP, /javascript/],
      ['/assets/style.css', DASHBOARD_CSP, /text\/css/],
    ];
    for (const [path, csp, type] of pages) {
      const res = await fetch(`${t.url}${path}`);
      assert.equal(res.status, 200, path);
      assert.equal(res.headers.get('content-security-policy'), csp, path);
      assert.match(res.headers.get('content-type') ?? '', type, path);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      await res.arrayBuffer();
    }
    assert.doesNotMatch(DASHBOARD_CSP, /unsafe-inline|unsafe-eval|\*/);
    assert.doesNotMatch(JOIN_CSP, /unsafe-inline|'unsafe-eval'|\*/);
    const wasm = await fetch(`${t.url}/join/wasm/tfjs-backend-wasm-simd.wasm`);
    assert.equal(wasm.status, 200);
    assert.equal(wasm.headers.get('content-type'), 'application/wasm');
    const bytes = new Uint8Array(await wasm.arrayBuffer());
    assert.deepEqual([...bytes.subarray(0, 4)], [0x00, 0x61, 0x73, 0x6d], 'a WebAssembly module');
    for (const path of ['/assets/../package.json', '/assets/secret.txt', '/join/wasm/package.json', '/join/wasm/..%2F..%2Fpackage.json']) {
      assert.equal((await fetch(`${t.url}${path}`)).status, 404, path);
    }
  } finally {
    await t.close();
  }
});

test('--cors-origin: the model routes answer the listed origin, other routes and origins get no CORS header', { timeout: 60_000 }, async () => {
  const t = await server('on', { corsOrigins: ['https://viewer.example'] });
  const plain = await server('on');
  try {
    const from = (origin: string) => ({ headers: { origin } });
    const model = await fetch(`${t.url}/api/rounds/0/model/model.json`, from('https://viewer.example'));
    assert.equal(model.headers.get('access-control-allow-origin'), 'https://viewer.example');
    await model.arrayBuffer();
    const weights = await fetch(`${t.url}/api/rounds/0/model/weights.bin`, from('https://viewer.example'));
    assert.equal(weights.headers.get('access-control-allow-origin'), 'https://viewer.example');
    await weights.arrayBuffer();
    const preflight = await fetch(`${t.url}/api/rounds/0/model/model.json`, { method: 'OPTIONS', headers: { origin: 'https://viewer.example', 'access-control-request-method': 'GET' } });
    assert.equal(preflight.status, 204);
    const other = await fetch(`${t.url}/api/rounds/0/model/model.json`, from('https://evil.example'));
    assert.equal(other.headers.get('access-control-allow-origin'), null);
    await other.arrayBuffer();
    const rounds = await fetch(`${t.url}/api/rounds`, from('https://viewer.example'));
    assert.equal(rounds.headers.get('access-control-allow-origin'), null, 'only the model routes');
    await rounds.arrayBuffer();
    const none = await fetch(`${plain.url}/api/rounds/0/model/model.json`, from('https://viewer.example'));
    assert.equal(none.headers.get('access-control-allow-origin'), null, 'no CORS without --cors-origin');
    await none.arrayBuffer();
  } finally {
    await t.close();
    await plain.close();
  }
});

test('the demo data is the part `fedfuse client --partition` would take, and bad parts are one-line errors', async () => {
  const t = await server('on');
  try {
    const info = (await (await fetch(`${t.url}/api/join/info`)).json()) as { inputShape: number[]; classes: number; demo: { available: boolean } };
    assert.deepEqual(info.inputShape, [784]);
    assert.equal(info.classes, 10);
    assert.equal(info.demo.available, true);
    const images = decodeNpy(new Uint8Array(await (await fetch(`${t.url}/api/join/demo/images.npy?index=2&of=5&partition=dirichlet:0.5`)).arrayBuffer()), 'images');
    const labels = decodeNpy(new Uint8Array(await (await fetch(`${t.url}/api/join/demo/labels.npy?index=2&of=5&partition=dirichlet:0.5`)).arrayBuffer()), 'labels');
    const ds = loadEmbeddedMnist();
    const holdout = carveHoldout(ds.labels, { testSize: DEMO.testSize, calibrationSize: DEMO.calibrationSize, seed: DEMO.splitSeed });
    const expected = partition(ds.labels, 5, parsePartitionScheme('dirichlet:0.5'), DEMO.splitSeed, holdout.rest)[2]!;
    assert.deepEqual(images.shape, [expected.length, 28, 28, 1]);
    assert.deepEqual([...labels.data], expected.map((i) => ds.labels[i]));
    const first = expected[0]!;
    assert.deepEqual([...images.data.subarray(0, 784)], [...ds.images.subarray(first * 784, (first + 1) * 784)]);
    const heldOut = new Set([...holdout.test, ...holdout.calibration]);
    assert.ok(expected.every((i) => !heldOut.has(i)), "the server's calibration and test samples are left out");

    for (const [query, pattern] of [
      ['index=5&of=5', /index must be an integer in \[0, 4\]/],
      ['of=0', /of must be an integer in \[1, 1000\]/],
      ['partition=bogus', /partition|scheme/i],
      ['samples=-1', /samples must be/],
    ] as const) {
      const res = await fetch(`${t.url}/api/join/demo/images.npy?${query}`);
      assert.equal(res.status, 400, query);
      const message = ((await res.json()) as { error: { message: string } }).error.message;
      assert.match(message, pattern);
      assert.doesNotMatch(message, /\n|at .*\.ts/, 'one line, no stack');
    }
  } finally {
    await t.close();
  }
  const noDemo = await startTestServer({ rounds: 1, minClients: 1 }, { dashboard: { access: 'on', demo: null } });
  try {
    const res = await fetch(`${noDemo.url}/api/join/demo/images.npy`);
    assert.equal(res.status, 404);
    assert.match(((await res.json()) as { error: { message: string } }).error.message, /does not train on them/);
  } finally {
    await noDemo.close();
  }
});

test('fedfuse server: --dashboard and --cors-origin from the command line; a wrong value exits 2 with one line', { timeout: 300_000 }, async () => {
  ensureWebBuild();
  const dir = mkdtempSync(join(tmpdir(), 'fedfuse-dashboard-cli-'));
  try {
    const bad = startServerProcess(smallServerArgs(0, join(dir, 'bad.sqlite'), ['--dashboard', 'bogus']));
    const code = await new Promise<number | null>((resolve) => bad.child.once('exit', resolve));
    assert.equal(code, 2);
    const stderr = bad.lines.filter((l) => l.startsWith('[stderr]'));
    assert.equal(stderr.length, 1, stderr.join('\n'));
    assert.match(stderr[0]!, /--dashboard: must be one of on, off, got "bogus"/);
    // The old access modes say what they are now: the read rule decides.
    const old = startServerProcess(smallServerArgs(0, join(dir, 'old.sqlite'), ['--dashboard', 'public']));
    assert.equal(await new Promise<number | null>((resolve) => old.child.once('exit', resolve)), 2);
    const oldStderr = old.lines.filter((l) => l.startsWith('[stderr]'));
    assert.equal(oldStderr.length, 1, oldStderr.join('\n'));
    assert.match(oldStderr[0]!, /--dashboard on --read-api public/);

    const port = await freePort();
    const server = startServerProcess(
      smallServerArgs(port, join(dir, 'fedfuse.sqlite'), ['--dashboard', 'on', '--admin-token', 'cli-admin-token', '--cors-origin', 'https://viewer.example']),
    );
    try {
      await listeningUrl(server);
      const url = `http://127.0.0.1:${port}`;
      assert.equal((await fetch(`${url}/`)).status, 200);
      assert.equal((await fetch(`${url}/api/observer`)).status, 401, 'private by default, on loopback too');
      assert.equal((await fetch(`${url}/api/status`)).status, 401);
      assert.equal((await fetch(`${url}/api/observer`, { headers: { authorization: 'Bearer cli-admin-token' } })).status, 200);
      assert.equal((await fetch(`${url}/api/observer`, { headers: { authorization: `Bearer ${CHILD_READ_TOKEN}` } })).status, 200, 'the --read-token reads it');
      const model = await fetch(`${url}/api/rounds/0/model/model.json`, { headers: { origin: 'https://viewer.example' } });
      assert.equal(model.headers.get('access-control-allow-origin'), 'https://viewer.example');
      await model.arrayBuffer();
    } finally {
      await server.kill();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

function containsBinary(value: unknown): boolean {
  if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) return true;
  if (Array.isArray(value)) return value.some(containsBinary);
  if (value !== null && typeof value === 'object') return Object.values(value).some(containsBinary);
  return false;
}
