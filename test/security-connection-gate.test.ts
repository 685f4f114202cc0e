import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { io } from 'socket.io-client';
import { handshakeRefusalOf } from '../common/events/index.ts';
import { OBSERVER_NAMESPACE } from '../common/events/observer-events.ts';
import { mintClientToken } from '../server/auth/index.ts';
import { connectRaw, hello } from './raw-protocol-client.ts';
import { SECRET, startTestServer, type TestServer } from './rounds-fixtures.ts';

/**
 * Nothing before authentication (issue 16), over real sockets: a connection
 * request without a valid token never becomes an engine.io session (no
 * session, no frame buffer), long-polling is off unless enabled, connection
 * caps per address and in total refuse the next connection with 503 and the
 * code `unavailable`, a half-open request is cut at the headers timeout, and a
 * session without a client token (a public dashboard's observer) takes only
 * small frames.
 */

interface RawResponse {
  readonly status: number;
  readonly body: string;
}

/** Opens a TCP connection from `localAddress` (127.0.0.2 is another peer on Linux loopback). */
function tcp(url: string, localAddress = '127.0.0.1'): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port), localAddress });
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Reads one HTTP response head and body (until close or Content-Length). */
function readResponse(socket: Socket, timeoutMs = 5_000): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    let data = Buffer.alloc(0);
    const timer = setTimeout(() => reject(new Error(`no response within ${timeoutMs} ms; got ${JSON.stringify(data.toString('latin1').slice(0, 200))}`)), timeoutMs);
    const finish = (): boolean => {
      const text = data.toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      if (end < 0) return false;
      const length = /content-length: (\d+)/i.exec(text.slice(0, end));
      if (length !== null && data.length < end + 4 + Number(length[1])) return false;
      clearTimeout(timer);
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), body: text.slice(end + 4) });
      return true;
    };
    socket.on('data', (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      finish();
    });
    socket.on('error', () => {});
    socket.once('close', () => {
      if (!finish()) {
        clearTimeout(timer);
        resolve({ status: 0, body: data.toString('latin1') });
      }
    });
  });
}

function upgradeRequest(url: string, headers: string[] = [], path = '/socket.io/?EIO=4&transport=websocket'): string {
  const { host } = new URL(url);
  return [`GET ${path} HTTP/1.1`, `Host: ${host}`, 'Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`, 'Sec-WebSocket-Version: 13', ...headers, '', ''].join('\r\n');
}

function closed(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    if (socket.destroyed) return resolve();
    socket.once('close', () => resolve());
  });
}

function engineSessions(t: TestServer): number {
  return t.server.io.engine.clientsCount;
}

test('a connection request without a valid token is answered 401 before any engine.io session exists', { timeout: 30_000 }, async () => {
  // Dashboard on and --read-api private: a request without a client token must bring the read or admin token to observe.
  const t = await startTestServer({ rounds: 1, minClients: 5 }, { dashboard: { access: 'on', demo: null } });
  let sessionsOpened = 0;
  t.server.io.engine.on('connection', () => sessionsOpened++);
  try {
    const cases: Array<[string, string[]]> = [
      ['no token', []],
      ['a token in socket.io auth only (too late: after the session)', []],
      ['a forged token', [`Authorization: Bearer ${mintClientToken('another-secret-0123456789abcdef', 'mallory')}`]],
      ['garbage', ['Authorization: Bearer ff1.garbage.x']],
      ['a bad query token', []],
    ];
    for (const [what, headers] of cases) {
      const socket = await tcp(t.url);
      const path = what === 'a bad query token' ? '/socket.io/?EIO=4&transport=websocket&token=ff1.x.y' : undefined;
      socket.write(upgradeRequest(t.url, headers, path));
      const res = await readResponse(socket);
      assert.equal(res.status, 401, what);
      assert.equal((JSON.parse(res.body) as { error: { code: string } }).error.code, 'unauthenticated', what);
      await closed(socket);
    }
    // A peer that sends a 30 MB frame right behind its refused upgrade: the server reads none of it and hangs up.
    const socket = await tcp(t.url);
    socket.on('error', () => {});
    const started = Date.now();
    socket.write(upgradeRequest(t.url));
    socket.write(Buffer.alloc(30 * 1024 * 1024, 0x41));
    const res = await readResponse(socket, 10_000);
    assert.equal(res.status, 401);
    await closed(socket);
    assert.ok(Date.now() - started < 5_000, `closed after ${Date.now() - started} ms`);

    assert.equal(sessionsOpened, 0, 'no engine.io session was ever created');
    assert.equal(engineSessions(t), 0);
    const codes = t.refusals.filter((r) => r.stage === 'handshake').map((r) => r.code);
    assert.equal(codes.length, cases.length + 1, 'each refusal was reported once');
    assert.deepEqual([...new Set(codes)], ['unauthenticated']);
  } finally {
    await t.close();
  }
});

test('a client token on the request (header from Node, ?token= from a browser) opens a session; one in socket.io auth alone does not', { timeout: 30_000 }, async () => {
  const t = await startTestServer({ rounds: 1, minClients: 5 });
  try {
    const peer = await connectRaw(t.url, mintClientToken(SECRET, 'header-client'));
    assert.equal((await peer.send(hello('header-client'))).type, 'welcome');
    peer.close();

    const viaQuery = io(t.url, { query: { token: mintClientToken(SECRET, 'query-client') }, transports: ['websocket'], reconnection: false, forceNew: true });
    await new Promise<void>((resolve, reject) => {
      viaQuery.once('connect', () => resolve());
      viaQuery.once('connect_error', reject);
    });
    viaQuery.disconnect();

    const authOnly = io(t.url, { auth: { token: mintClientToken(SECRET, 'auth-client') }, transports: ['websocket'], reconnection: false, forceNew: true });
    const err = await new Promise<Error>((resolve) => {
      authOnly.once('connect', () => resolve(new Error('connected')));
      authOnly.once('connect_error', resolve);
    });
    authOnly.disconnect();
    // Under the default public dashboard the request passes as an observer's, and the client namespace refuses it.
    assert.equal(handshakeRefusalOf(err)?.code, 'unauthenticated', String(err));
  } finally {
    await t.close();
  }
});

test('long-polling is off unless enabled', { timeout: 30_000 }, async () => {
  const token = mintClientToken(SECRET, 'poller');
  const poll = (url: string): Promise<Response> => fetch(`${url}/socket.io/?EIO=4&transport=polling`, { headers: { authorization: `Bearer ${token}` } });
  const off = await startTestServer({ rounds: 1, minClients: 5 });
  try {
    const res = await poll(off.url);
    assert.equal(res.status, 400, 'polling is not a transport by default');
    assert.equal(engineSessions(off), 0);
  } finally {
    await off.close();
  }
  const on = await startTestServer({ rounds: 1, minClients: 5 }, { connectionLimits: { allowPolling: true }, dashboard: { access: 'off', demo: null } });
  try {
    assert.equal((await poll(on.url)).status, 200, 'with allowPolling, a token holder polls');
    const refused = await fetch(`${on.url}/socket.io/?EIO=4&transport=polling`);
    assert.equal(refused.status, 403, 'without a token, polling is refused by allowRequest before a session');
    assert.equal(engineSessions(on), 1, 'only the token holder got a session');
  } finally {
    await on.close();
  }
});

test('the connection cap per address refuses the next connection with 503 unavailable; another address is still served', { timeout: 30_000 }, async () => {
  const t = await startTestServer({ rounds: 1, minClients: 5 }, { connectionLimits: { maxConnectionsPerAddress: 3, maxConnections: 10 } });
  const held: Socket[] = [];
  try {
    // Three half-open requests hold the address's quota.
    for (let i = 0; i < 3; i++) {
      const s = await tcp(t.url);
      s.on('error', () => {});
      s.write('GET /api/health HTTP/1.1\r\nHost: x\r\n');
      held.push(s);
    }
    const fourth = await tcp(t.url);
    fourth.write('GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n');
    const res = await readResponse(fourth);
    assert.equal(res.status, 503);
    const body = JSON.parse(res.body) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'unavailable');
    assert.match(body.error.message, /max-connections-per-address 3/);

    // A WebSocket client over the cap gets the typed code too.
    const ws = await connectRaw(t.url, mintClientToken(SECRET, 'capped')).then(
      () => null,
      (e: Error & { data?: { code: string } }) => e.data?.code,
    );
    assert.equal(ws, 'unavailable');

    // Another address is not affected.
    const other = await tcp(t.url, '127.0.0.2');
    other.write('GET /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    assert.equal((await readResponse(other)).status, 200);

    // Closing one frees a place.
    held.pop()!.destroy();
    await new Promise((r) => setTimeout(r, 100));
    const again = await tcp(t.url);
    again.write('GET /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    assert.equal((await readResponse(again)).status, 200);
    assert.ok(t.refusals.some((r) => r.code === 'unavailable' && r.remoteAddress === '127.0.0.1'));
  } finally {
    for (const s of held) s.destroy();
    await t.close();
  }
});

test('the total connection cap refuses the next connection from any address', { timeout: 30_000 }, async () => {
  const t = await startTestServer({ rounds: 1, minClients: 5 }, { connectionLimits: { maxConnectionsPerAddress: 2, maxConnections: 3 } });
  const held: Socket[] = [];
  try {
    for (const address of ['127.0.0.1', '127.0.0.1', '127.0.0.2']) {
      const s = await tcp(t.url, address);
      s.on('error', () => {});
      held.push(s);
    }
    const next = await tcp(t.url, '127.0.0.3');
    next.write('GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n');
    const res = await readResponse(next);
    assert.equal(res.status, 503);
    assert.match(res.body, /--max-connections 3/);
  } finally {
    for (const s of held) s.destroy();
    await t.close();
  }
});

test('a half-open request is cut at the headers timeout', { timeout: 30_000 }, async () => {
  const t = await startTestServer({ rounds: 1, minClients: 5 }, { connectionLimits: { headersTimeoutMs: 1_000, requestTimeoutMs: 2_000 } });
  try {
    const s = await tcp(t.url);
    s.on('error', () => {});
    const started = Date.now();
    s.write('GET /api/health HTTP/1.1\r\nHost: x\r\n');
    const res = await readResponse(s, 10_000);
    const ms = Date.now() - started;
    assert.equal(res.status, 408, `answered ${res.status} after ${ms} ms`);
    await closed(s);
    assert.ok(ms >= 900 && ms < 4_000, `cut after ${ms} ms (headers timeout 1 s, checked every 250 ms)`);
  } finally {
    await t.close();
  }
});

test("a session opened without a client token (a public dashboard's observer) is cut for a frame over the pre-auth cap", { timeout: 30_000 }, async () => {
  const t = await startTestServer({ rounds: 1, minClients: 5 }, { dashboard: { access: 'on', demo: null }, readApi: { mode: 'public', readToken: null }, connectionLimits: { preAuthMaxBytes: 4096 } });
  try {
    const observer = io(`${t.url}${OBSERVER_NAMESPACE}`, { transports: ['websocket'], reconnection: false, forceNew: true });
    await new Promise<void>((resolve, reject) => {
      observer.once('connect', () => resolve());
      observer.once('connect_error', reject);
    });
    const reason = new Promise<string>((resolve) => observer.once('disconnect', (r) => resolve(r)));
    // A frame of 64 KiB: far under the client limit, over this session's cap.
    (observer as unknown as { emit(e: string, b: Buffer): void }).emit('status', Buffer.alloc(64 * 1024));
    assert.equal(await reason, 'transport close');

    // A client-token session takes the same frame (it is answered, not cut).
    const peer = await connectRaw(t.url, mintClientToken(SECRET, 'big-frame'));
    const reply = await peer.sendRaw(Buffer.alloc(64 * 1024, 0xff));
    assert.equal(reply.type, 'error', 'decoded and refused as a bad envelope, not cut');
    assert.ok(peer.socket.connected);
    peer.close();
  } finally {
    await t.close();
  }
});

test('GET /api/token-check tells a browser why its token is refused (a refused WebSocket upgrade says nothing there)', { timeout: 30_000 }, async () => {
  const t = await startTestServer({ rounds: 1, minClients: 5 });
  try {
    const check = (token?: string): Promise<Response> => fetch(`${t.url}/api/token-check`, token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } });
    assert.equal((await check(mintClientToken(SECRET, 'fine'))).status, 204);
    const expired = await check(mintClientToken(SECRET, 'late', { issuedAtMs: Date.now() - 2000, expiresAtMs: Date.now() - 1000 }));
    assert.equal(expired.status, 401);
    const body = (await expired.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'unauthenticated');
    assert.match(body.error.message, /expired/);
    assert.equal((await check()).status, 401);
    assert.equal((await check('ff1.bad.sig')).status, 401);
  } finally {
    await t.close();
  }
});
