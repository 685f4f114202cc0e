import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isFedfuseError } from '../common/errors/index.ts';
import type { WireMessage } from '../common/wire/index.ts';
import { mintClientTokenWithClaims } from '../server/auth/index.ts';
import { resolveServerSecrets } from '../server/config/index.ts';
import { openRoundStore } from '../server/store/index.ts';
import { connectRaw, hello, type RawPeer } from './raw-protocol-client.ts';
import { SECRET, startTestServer } from './rounds-fixtures.ts';

/**
 * Tokens that expire and can be revoked (issue 16), over real sockets: a
 * revocation (POST /api/tokens/revoke) ends the live sessions it covers within
 * a second and the token can no longer connect, also after a restart on the
 * same database; a token that expires mid-session has its session ended at
 * its expiry; failed admin-token attempts are throttled per address; weak
 * secrets and readable secret files are refused without being echoed.
 */

const ADMIN = 'admin-token';

function mint(clientId: string, lifetimeMs?: number): { token: string; tokenId: string } {
  const issuedAtMs = Date.now();
  const { token, claims } = mintClientTokenWithClaims(SECRET, clientId, lifetimeMs === undefined ? { issuedAtMs } : { issuedAtMs, expiresAtMs: issuedAtMs + lifetimeMs });
  return { token, tokenId: claims.tokenId };
}

async function joined(url: string, clientId: string, token: string): Promise<RawPeer> {
  const peer = await connectRaw(url, token);
  assert.equal((await peer.send(hello(clientId))).type, 'welcome');
  return peer;
}

/** Resolves with the error envelope the server sent before closing, and when (ms since `since`). */
function sessionEnd(peer: RawPeer, since: number, timeoutMs = 10_000): Promise<{ error: WireMessage | undefined; afterMs: number; reason: string }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the session was not ended')), timeoutMs);
    peer.socket.once('disconnect', (reason: string) => {
      clearTimeout(timer);
      resolve({ error: peer.received.find((m) => m.type === 'error'), afterMs: Date.now() - since, reason });
    });
  });
}

async function revoke(url: string, body: unknown, admin = ADMIN): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${url}/api/tokens/revoke`, { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

async function refusedCode(url: string, token: string): Promise<string | undefined> {
  try {
    (await connectRaw(url, token)).close();
    return undefined;
  } catch (e) {
    return (e as Error & { data?: { code: string; message: string } }).data?.message ?? (e as Error).message;
  }
}

test('a revoked client is cut within 1 s, cannot reconnect, and a token minted afterwards works; one token alone too', { timeout: 180_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fedfuse-revoke-'));
  let t = await startTestServer({ rounds: 1, minClients: 5 }, {}, dir);
  try {
    const a = mint('alice');
    const b1 = mint('bob');
    const alice = await joined(t.url, 'alice', a.token);
    const bob = await joined(t.url, 'bob', b1.token);

    const ended = sessionEnd(alice, 0);
    const answer = await revoke(t.url, { clientId: 'alice' });
    const answeredAt = Date.now();
    assert.equal(answer.status, 200, JSON.stringify(answer.json));
    assert.equal(answer.json['disconnected'], 1);
    const end = await ended;
    // Measured from the answer (the cut happens before it is sent): on a loaded machine the request itself takes seconds.
    assert.ok(end.afterMs - answeredAt < 1_000, `cut ${end.afterMs - answeredAt} ms after the revocation was answered`);
    assert.equal(end.reason, 'io server disconnect', 'the server closed it (socket.io does not reconnect)');
    assert.equal(end.error?.type === 'error' && end.error.code, 'unauthenticated');
    assert.match(end.error?.type === 'error' ? end.error.message : '', /revoked/);
    assert.ok(bob.socket.connected, 'another client is untouched');

    assert.match((await refusedCode(t.url, a.token)) ?? 'connected', /revoked/);
    const later = mint('alice');
    (await joined(t.url, 'alice', later.token)).close();

    // One token of bob's: that session ends, his other token still connects.
    const b2 = mint('bob');
    const bobEnded = sessionEnd(bob, Date.now());
    assert.equal((await revoke(t.url, { clientId: 'bob', tokenId: b1.tokenId })).json['disconnected'], 1);
    await bobEnded;
    assert.match((await refusedCode(t.url, b1.token)) ?? 'connected', /revoked/);
    (await joined(t.url, 'bob', b2.token)).close();

    // Bad requests and a wrong admin token change nothing.
    assert.equal((await revoke(t.url, { clientId: 'bob', tokenId: 'short' })).status, 400);
    assert.equal((await revoke(t.url, { clientId: 'bob', extra: 1 })).status, 400);
    assert.equal((await revoke(t.url, { clientId: 'bob' }, 'wrong-admin-token')).status, 401);
    assert.equal(await refusedCode(t.url, b2.token), undefined);

    // Stored: a restart on the same database still refuses the revoked tokens.
    await t.close();
    t = await startTestServer({ rounds: 1, minClients: 5 }, {}, dir);
    assert.match((await refusedCode(t.url, a.token)) ?? 'connected', /revoked/);
    assert.match((await refusedCode(t.url, b1.token)) ?? 'connected', /revoked/);
    assert.equal(await refusedCode(t.url, b2.token), undefined);
  } finally {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a token that expires mid-session ends its session at its expiry with unauthenticated', { timeout: 30_000 }, async () => {
  const t = await startTestServer({ rounds: 1, minClients: 5 });
  try {
    const lifetimeMs = 1_500;
    const start = Date.now();
    const short = mint('short-lived', lifetimeMs);
    const peer = await joined(t.url, 'short-lived', short.token);
    const end = await sessionEnd(peer, start);
    assert.ok(end.afterMs >= lifetimeMs - 50, `ended after ${end.afterMs} ms, before the expiry`);
    assert.ok(end.afterMs < lifetimeMs + 1_000, `ended ${end.afterMs - lifetimeMs} ms after the expiry`);
    assert.equal(end.error?.type === 'error' && end.error.code, 'unauthenticated');
    assert.match(end.error?.type === 'error' ? end.error.message : '', /expired/);
    assert.match((await refusedCode(t.url, short.token)) ?? 'connected', /expired/);
  } finally {
    await t.close();
  }
});

/** One POST from `localAddress` (127.0.0.2 is another peer on Linux loopback). */
function postFrom(url: string, path: string, admin: string, localAddress: string): Promise<{ status: number; retryAfter: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { method: 'POST', localAddress, headers: { authorization: `Bearer ${admin}` }, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] as string | undefined }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('failed admin-token attempts are throttled per address: burst, then 429 with Retry-After even for the right token', { timeout: 180_000 }, async () => {
  const t = await startTestServer({ rounds: 1, minClients: 5 }, { adminGuessLimit: { burst: 5, perMinute: 5 } });
  try {
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push((await postFrom(t.url, '/api/run/stop', `guess-${i}-xxxxxxxx`, '127.0.0.1')).status);
    assert.equal(statuses.filter((s) => s === 401).length, 5, 'the burst');
    assert.equal(statuses.filter((s) => s === 429).length, 35);
    const right = await postFrom(t.url, '/api/tokens/revoke', ADMIN, '127.0.0.1');
    assert.equal(right.status, 429, 'a throttled address is not compared at all');
    assert.ok(Number(right.retryAfter) >= 1);
    // Another address is not throttled: its right token passes the check (and its empty body is then refused).
    assert.equal((await postFrom(t.url, '/api/tokens/revoke', ADMIN, '127.0.0.2')).status, 400);
    assert.equal((await postFrom(t.url, '/api/tokens/revoke', 'wrong', '127.0.0.2')).status, 401);
  } finally {
    await t.close();
  }
});

test('weak secrets and secret files others can read are refused, and never echoed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fedfuse-secrets-'));
  try {
    const none = { secret: null, secretFile: null, adminToken: null, adminTokenFile: null };
    for (const weak of ['aaaaaaaaaaaaaaaa', 'abcabcabcabcabcabcabcabc', '0123456789abcdef']) {
      assert.throws(
        () => resolveServerSecrets({ ...none, secret: weak }),
        (e) => isFedfuseError(e, 'invalid_argument') && /too weak/.test(e.message) && !e.message.includes(weak),
      );
    }
    assert.throws(() => resolveServerSecrets(none), /no secret set/);
    const strong = 'f3a1c0d9e8b7a6f5e4d3c2b1a0f9e8d7';
    assert.deepEqual(resolveServerSecrets({ ...none, secret: strong }), { secret: strong, adminToken: null });
    const file = join(dir, 'secret');
    writeFileSync(file, `${strong}\n`);
    chmodSync(file, 0o644);
    assert.throws(() => resolveServerSecrets({ ...none, secretFile: file }), (e) => isFedfuseError(e, 'invalid_argument') && /chmod 600/.test(e.message) && !e.message.includes(strong));
    chmodSync(file, 0o600);
    assert.equal(resolveServerSecrets({ ...none, secretFile: file }).secret, strong);
    assert.throws(() => resolveServerSecrets({ ...none, secret: strong, secretFile: file }), /not both/);
    assert.throws(() => resolveServerSecrets({ ...none, secret: strong, adminToken: 'short' }), (e) => isFedfuseError(e, 'invalid_argument') && !e.message.includes('short'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the SQLite database and its WAL and SHM files are created 0600; an existing readable file is narrowed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fedfuse-db-mode-'));
  const previous = process.umask(0o022);
  try {
    const path = join(dir, 'fedfuse.sqlite');
    const store = openRoundStore(path);
    store.createRun({ id: 'r', config: {}, modelSpec: {} });
    for (const file of [path, `${path}-wal`, `${path}-shm`]) assert.equal(statSync(file).mode & 0o777, 0o600, file);
    store.close();
    const old = join(dir, 'old.sqlite');
    writeFileSync(old, '');
    chmodSync(old, 0o644);
    openRoundStore(old).close();
    assert.equal(statSync(old).mode & 0o777, 0o600);
  } finally {
    process.umask(previous);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('security headers on every answer: JSON, errors and 404s are nosniff, no-store, run nothing; pages keep their own policy', { timeout: 30_000 }, async () => {
  const t = await startTestServer({ rounds: 1, minClients: 5 });
  try {
    for (const path of ['/api/health', '/api/rounds', '/api/rounds/999', '/api/nothing-here']) {
      const res = await fetch(`${t.url}${path}`);
      await res.arrayBuffer();
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff', path);
      assert.equal(res.headers.get('cache-control'), 'no-store', path);
      assert.match(res.headers.get('content-security-policy') ?? '', /^default-src 'none'; frame-ancestors 'none'/, path);
      assert.equal(res.headers.get('x-frame-options'), 'DENY', path);
      assert.equal(res.headers.get('referrer-policy'), 'no-referrer', path);
      assert.equal(res.headers.get('strict-transport-security'), null, 'no HSTS over plain HTTP');
    }
    const model = await fetch(`${t.url}/api/rounds/0/model/model.json`);
    await model.arrayBuffer();
    assert.equal(model.headers.get('cache-control'), 'no-cache', 'the model files keep their revalidation');
    assert.equal(model.headers.get('x-content-type-options'), 'nosniff');
  } finally {
    await t.close();
  }
});
