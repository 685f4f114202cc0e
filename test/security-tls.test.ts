import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FedfuseClient, type ClientTls } from '../client/index.ts';
import { mintClientToken } from '../server/auth/index.ts';
import { plaintextWarning, readTlsFiles } from '../server/tls/index.ts';
import { CHILD_SECRET, smallServerArgs } from './faults-fixtures.ts';
import { SECRET, smallMnistSplit, startTestServer } from './rounds-fixtures.ts';
import { BIN, freePort, listeningUrl, startServerProcess } from './server-process.ts';
import { makeTestPki, type TestPki } from './tls-fixtures.ts';

/**
 * TLS (issue 16): the server speaks https and wss itself with --tls-cert and
 * --tls-key, the SDK and `fedfuse client` trust a custom CA, and with --tls-ca
 * a connection without a client certificate that CA signed is refused in the
 * TLS handshake. Certificates are made at test time (tls-fixtures.ts).
 */

interface HttpsAnswer {
  readonly status: number;
  readonly body: string;
  readonly hsts: string | undefined;
}

/** One https GET; rejects with the TLS error when the handshake fails. */
function httpsGet(url: string, options: { ca?: string; cert?: string; key?: string } = {}): Promise<HttpsAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { ...options, agent: false, timeout: 5_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, hsts: res.headers['strict-transport-security'] }));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}

/** What a plain-HTTP request to the port gets back (the raw bytes, until the server closes). */
function plainHttpAnswer(url: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) }, () => socket.write(`GET /api/health HTTP/1.1\r\nHost: ${hostname}\r\n\r\n`));
    let data = '';
    socket.on('data', (c: Buffer) => (data += c.toString('latin1')));
    socket.on('error', () => {});
    socket.on('close', () => resolve(data));
    setTimeout(() => socket.destroy(), 5_000).unref();
  });
}

function tlsClient(url: string, id: string, tls: ClientTls): FedfuseClient {
  const data = smallMnistSplit().clients[0]!;
  return new FedfuseClient(url, mintClientToken(SECRET, id), {
    clientId: id,
    data: { images: data.images, labels: data.labels, count: data.count },
    reconnectDelayMs: 100,
    reconnectDelayMaxMs: 300,
    tls,
  });
}

let pki: TestPki;
test.before(() => {
  pki = makeTestPki();
});
test.after(() => pki.remove());

test('https and wss: the URL is https, a client trusting the CA completes a round, nothing answers in clear', { timeout: 120_000 }, async () => {
  const t = await startTestServer({ rounds: 1, minClients: 1 }, { tls: readTlsFiles({ cert: pki.serverCertFile, key: pki.serverKeyFile, ca: null }) });
  try {
    assert.match(t.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    const health = await httpsGet(`${t.url}/api/health`, { ca: pki.ca });
    assert.equal(health.status, 200);
    assert.equal(health.hsts, 'max-age=31536000', 'browsers are told to keep to https');
    // The system's CAs do not know ours, nor does a stranger's CA: the handshake fails, no request is sent.
    await assert.rejects(httpsGet(`${t.url}/api/health`), /self[- ]signed|unable to (verify|get)/i);
    await assert.rejects(httpsGet(`${t.url}/api/health`, { ca: pki.otherCa }), /self[- ]signed|unable to (verify|get)/i);
    // Plain HTTP on the TLS port gets no HTTP answer (no token or model could be read or written in clear).
    assert.doesNotMatch(await plainHttpAnswer(t.url), /HTTP\/1\.1 200/);

    const stranger = tlsClient(t.url, 'no-ca', { ca: pki.otherCa });
    await assert.rejects(stranger.connect(1_500), /could not connect/);
    stranger.close();
    assert.ok(!t.events.some((e) => e.type === 'clientJoined'), 'the client without the CA never joined');

    const client = tlsClient(t.url, 'with-ca', { ca: pki.ca });
    try {
      await client.connect(10_000);
      await client.whenRunFinished();
      assert.equal(client.latestGlobalModel()?.round, 1);
      assert.ok(t.events.some((e) => e.type === 'roundCompleted'));
    } finally {
      client.close();
    }
  } finally {
    await t.close();
  }
});

test('--tls-ca: a connection without a client certificate the CA signed is refused in the handshake', { timeout: 60_000 }, async () => {
  const t = await startTestServer({ rounds: 1, minClients: 5 }, { tls: readTlsFiles({ cert: pki.serverCertFile, key: pki.serverKeyFile, ca: pki.caFile }) });
  try {
    await assert.rejects(httpsGet(`${t.url}/api/health`, { ca: pki.ca }), /certificate|alert|socket hang up|ECONNRESET/i);
    assert.equal((await httpsGet(`${t.url}/api/health`, { ca: pki.ca, cert: pki.clientCert, key: pki.clientKey })).status, 200);

    const withoutCert = tlsClient(t.url, 'no-cert', { ca: pki.ca });
    await assert.rejects(withoutCert.connect(1_500), /could not connect/);
    withoutCert.close();

    const withCert = tlsClient(t.url, 'with-cert', { ca: pki.ca, cert: pki.clientCert, key: pki.clientKey });
    try {
      await withCert.connect(10_000);
      await t.waitFor((e) => e.type === 'clientJoined' && e.clientId === 'with-cert', 10_000);
      assert.ok(!t.events.some((e) => e.type === 'clientJoined' && e.clientId === 'no-cert'));
    } finally {
      withCert.close();
    }
  } finally {
    await t.close();
  }
});

test('TLS files: each wrong combination or file is one line naming its flag, and never prints the key', () => {
  assert.equal(readTlsFiles({ cert: null, key: null, ca: null }), null);
  assert.throws(() => readTlsFiles({ cert: pki.serverCertFile, key: null, ca: null }), /--tls-cert needs --tls-key/);
  assert.throws(() => readTlsFiles({ cert: null, key: pki.serverKeyFile, ca: null }), /--tls-key needs --tls-cert/);
  assert.throws(() => readTlsFiles({ cert: null, key: null, ca: pki.caFile }), /--tls-ca needs --tls-cert and --tls-key/);
  assert.throws(() => readTlsFiles({ cert: join(pki.dir, 'missing.pem'), key: pki.serverKeyFile, ca: null }), /cannot read --tls-cert .*missing\.pem: ENOENT/);
  assert.throws(() => readTlsFiles({ cert: pki.serverKeyFile, key: pki.serverKeyFile, ca: null }), /--tls-cert .* is not a PEM file with a CERTIFICATE/);
  let message = '';
  try {
    readTlsFiles({ cert: pki.serverCertFile, key: pki.clientKeyFile, ca: null });
  } catch (e) {
    message = (e as Error).message;
  }
  assert.match(message, /do not make a TLS identity/);
  assert.doesNotMatch(message, /PRIVATE KEY|\n/);
  assert.ok(!message.includes(pki.clientKey.split('\n')[1]!), 'no key material in the message');
});

test('fedfuse server --tls-cert/--tls-key and fedfuse client --ca: a round over wss from the command line', { timeout: 300_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fedfuse-tls-cli-'));
  const port = await freePort();
  const server = startServerProcess(smallServerArgs(port, join(dir, 'fedfuse.sqlite'), ['--rounds', '1', '--min-clients', '1', '--tls-cert', pki.serverCertFile, '--tls-key', pki.serverKeyFile]));
  try {
    assert.equal(await listeningUrl(server), `https://127.0.0.1:${port}`);
    const token = mintClientToken(CHILD_SECRET, 'cli-client');
    const run = (extra: readonly string[]): Promise<{ code: number | null; output: string }> =>
      new Promise((resolve) => {
        const child = spawn(process.execPath, [BIN, 'client', '--server', `https://127.0.0.1:${port}`, '--data', 'mnist', '--partition', 'iid', '--client-index', '0', '--num-clients', '10', '--calibration-size', '100', '--test-size', '200', ...extra], {
          env: { ...process.env, FEDFUSE_TOKEN: token },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let output = '';
        child.stdout.on('data', (c: Buffer) => (output += c.toString()));
        child.stderr.on('data', (c: Buffer) => (output += c.toString()));
        child.once('exit', (code) => resolve({ code, output }));
      });
    const misuse = await run(['--cert', pki.clientCertFile]);
    assert.equal(misuse.code, 2, misuse.output);
    assert.match(misuse.output, /--cert and --key go together/);
    const done = await run(['--ca', pki.caFile]);
    assert.equal(done.code, 0, done.output);
    assert.match(done.output, /run finished at round 1/);
  } finally {
    await server.kill();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a non-loopback address without TLS gets a warning that tokens cross the network in clear; loopback or TLS none', () => {
  const tls = readTlsFiles({ cert: pki.serverCertFile, key: pki.serverKeyFile, ca: null });
  assert.match(plaintextWarning('0.0.0.0', null) ?? '', /listening on 0\.0\.0\.0 without TLS: tokens, the admin token and models cross the network in clear/);
  assert.match(plaintextWarning('10.0.0.5', null) ?? '', /--tls-cert/);
  assert.equal(plaintextWarning('127.0.0.1', null), null);
  assert.equal(plaintextWarning('localhost', null), null);
  assert.equal(plaintextWarning('0.0.0.0', tls), null);
});
