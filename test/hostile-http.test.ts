import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { assertJsonError, fetchJson, rawGet } from './http-fixtures.ts';
import { startTestServer, type TestServer } from './rounds-fixtures.ts';

/**
 * Hostile HTTP on the composed server (express and socket.io on one port, as
 * `fedfuse server` runs). The routes' own refusals (malformed JSON bodies,
 * path traversal, bad round numbers, missing or wrong admin token) are proven
 * route by route against createHttpApi in test/http-api.test.ts,
 * test/http-model-download.test.ts and test/http-admin.test.ts; here, a sample
 * of them through the full server, plus what only the full server decides:
 * oversized headers, big unauthenticated bodies, socket.io's own paths.
 */

const ADMIN = 'admin-token'; // startTestServer's admin token

/** One raw request; resolves with the status and body, or with the error code when the server cuts the connection. */
function rawRequest(baseUrl: string, options: http.RequestOptions, body?: Buffer): Promise<{ status: number; text: string } | { error: string }> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve) => {
    const req = http.request({ host: hostname, port, ...options }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
    });
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
    req.end(body);
  });
}

describe('hostile HTTP requests to the composed server', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer({ minClients: 5 });
  });
  after(() => t.close());

  const post = (token: string | null, body: string): RequestInit => ({
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token === null ? {} : { authorization: `Bearer ${token}` }) },
    body,
  });

  test('malformed JSON, unknown routes, path traversal and a missing admin token get JSON errors', async () => {
    assertJsonError(await fetchJson(`${t.url}/api/tokens`, post(ADMIN, '{"clientId":')), 400, 'bad_message');
    assertJsonError(await fetchJson(`${t.url}/api/tokens`, post(null, '{"clientId":"c1"}')), 401, 'unauthenticated');
    assertJsonError(await fetchJson(`${t.url}/api/run/stop`, post(null, '')), 401, 'unauthenticated');
    assertJsonError(await fetchJson(`${t.url}/api/run/stop`, post('wrong', '')), 401, 'unauthenticated');
    assertJsonError(await fetchJson(`${t.url}/api/no-such-route`), 404, 'not_found');
    assertJsonError(await rawGet(t.url, '/api/rounds/0/model/../../../../package.json'), 404, 'not_found');
    assertJsonError(await rawGet(t.url, '/api/rounds/%2e%2e%2f%2e%2e%2fpackage.json/model/weights.bin'), 400, 'invalid_argument');
    assertJsonError(await rawGet(t.url, '/api/rounds/0/model/..%2f..%2f..%2fpackage.json'), 404, 'not_found');
    // The run goes on: a refused stop did not stop it, and round 0's model is served.
    assert.equal((await t.server.orchestrator.currentRun())?.state, 'running');
    assert.equal((await fetch(`${t.url}/api/rounds/0/model/model.json`)).status, 200);
  });

  test('64 KiB of headers get 431 from Node, and the server keeps serving', async () => {
    const res = await rawRequest(t.url, { path: '/api/health', headers: { 'x-junk': 'x'.repeat(64 * 1024) } });
    assert.ok('status' in res ? res.status === 431 : res.error === 'ECONNRESET', `431 or a reset, got ${JSON.stringify(res).slice(0, 200)}`);
    assert.equal((await fetch(`${t.url}/api/health`)).status, 200);
  });

  test('a 20 MB body to an admin route without the token is refused with 401 and never parsed', async () => {
    const body = Buffer.alloc(20 * 1024 * 1024, 0x7b); // '{{{{...'
    const res = await rawRequest(t.url, { path: '/api/tokens', method: 'POST', headers: { 'content-type': 'application/json', 'content-length': body.byteLength } }, body);
    // Node may reset the connection once the 401 is out while the client is still sending: both are a refusal.
    if ('status' in res) assertJsonError({ status: res.status, contentType: 'application/json', text: res.text }, 401, 'unauthenticated');
    else assert.match(res.error, /ECONNRESET|EPIPE/);
    assert.equal((await fetch(`${t.url}/api/health`)).status, 200);
  });

  test('a 30 MB body behind a refused request is not read: the server stops reading once the 401 is out and closes within ~1 s', async () => {
    let serverRead = 0;
    const count = (socket: import('node:net').Socket): void => void socket.once('close', () => (serverRead += socket.bytesRead));
    t.server.httpServer.on('connection', count);
    try {
      const { hostname, port } = new URL(t.url);
      const socket = net.connect({ host: hostname, port: Number(port) });
      await new Promise((resolve) => socket.once('connect', resolve));
      socket.on('error', () => {});
      let answer = '';
      socket.on('data', (d: Buffer) => (answer += d.toString('latin1')));
      const started = Date.now();
      const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(Date.now() - started)));
      socket.write(`POST /api/tokens HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${30 * 1024 * 1024}\r\n\r\n`);
      const chunk = Buffer.alloc(64 * 1024, 0x7b);
      const pump = (): void => {
        while (!socket.destroyed && socket.write(chunk)) {
          if (socket.bytesWritten > 30 * 1024 * 1024) return;
        }
        if (!socket.destroyed) socket.once('drain', pump);
      };
      pump();
      const ms = await closed;
      await new Promise((r) => setImmediate(r));
      assert.match(answer, /^HTTP\/1\.1 401/, 'the refusal reached the peer');
      assert.ok(ms < 5_000, `closed after ${ms} ms`);
      // Before the guard Node read (and discarded) the whole body to keep the connection alive: 30 MB.
      assert.ok(serverRead < 8 * 1024 * 1024, `the server read ${(serverRead / 1048576).toFixed(1)} MB of the 30 MB body`);
    } finally {
      t.server.httpServer.off('connection', count);
    }
  });

  test('socket.io\'s own path refuses unknown transports and protocol versions, and the API still answers', async () => {
    for (const path of ['/socket.io/?EIO=4&transport=carrier-pigeon', '/socket.io/?EIO=99&transport=polling', '/socket.io/?EIO=4&transport=polling&sid=forged']) {
      const res = await rawGet(t.url, path);
      assert.equal(res.status, 400, `${path}: ${res.text}`);
    }
    assert.equal((await fetch(`${t.url}/api/health`)).status, 200);
  });
});
