import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mintClientToken } from '../server/auth/index.ts';
import { join } from 'node:path';
import { CHILD_SECRET, smallServerArgs } from './faults-fixtures.ts';
import { BIN, freePort, listeningUrl, startServerProcess } from './server-process.ts';
import { SECRET } from './rounds-fixtures.ts';
import { makeTempDir } from './store-fixtures.ts';

/** Runs the real `fedfuse` command as a child process; resolves with its exit code, output and wall time. */
function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 240_000): Promise<{ code: number | null; out: string; err: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`fedfuse ${args.join(' ')} did not exit within ${timeoutMs} ms; stdout:\n${out}\nstderr:\n${err}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err, ms: Date.now() - started });
    });
  });
}

/** The last line of the output (the backend line comes first on stderr). */
function lastLine(text: string): string {
  return text.trimEnd().split('\n').at(-1) ?? '';
}

// Regression: after "could not connect within 30000 ms" the socket kept reconnecting and the process never exited;
// and nothing was printed while it tried.
test('fedfuse client says it is connecting, and exits non-zero once the connect timeout passes', { timeout: 300_000 }, async () => {
  const port = await freePort(); // nothing listens there
  const token = mintClientToken(SECRET, 'lonely');
  const r = await runCli(['client', '--server', `http://127.0.0.1:${port}`, '--token', token, '--data', 'mnist', '--connect-timeout', '1.5']);
  assert.notEqual(r.code, 0, r.out + r.err);
  assert.match(r.out, new RegExp(`lonely: connecting to http://127\\.0\\.0\\.1:${port} \\(giving up after 1\\.5 s\\)`));
  assert.equal(lastLine(r.err), 'fedfuse: error (unavailable): could not connect within 1500 ms');
  // The exit follows the timeout at once (the process start and the data load take a few seconds on a busy machine).
  assert.ok(r.ms < 120_000, `exited after ${r.ms} ms`);
});

test('fedfuse client --num-clients 0 blames --num-clients, not --client-index', { timeout: 300_000 }, async () => {
  const token = mintClientToken(SECRET, 'a');
  const r = await runCli(['client', '--server', 'http://127.0.0.1:9', '--token', token, '--data', 'mnist', '--partition', 'iid', '--client-index', '0', '--num-clients', '0']);
  assert.equal(r.code, 2);
  assert.equal(lastLine(r.err), 'fedfuse: error (invalid_argument): --num-clients must be at least 1 (got 0)');
});

test('fedfuse token without a secret says that no secret is set', { timeout: 300_000 }, async () => {
  const r = await runCli(['token', '--client', 'a'], { FEDFUSE_SECRET: '' });
  assert.equal(r.code, 2);
  assert.equal(r.err, 'fedfuse: error (invalid_argument): no secret set (FEDFUSE_SECRET, --secret-file or --secret)\n');
  const short = await runCli(['token', '--client', 'a', '--secret', 'short']);
  assert.match(short.err, /too weak/);
});

// Regression: a client repeating the server's carve flags by hand could get --test-size wrong unnoticed and train on
// the server's test set. The server says its carve in Welcome; a client partitioning the same data set checks it.
test('fedfuse client refuses to train when its carve differs from the one the server says in Welcome', { timeout: 300_000 }, async () => {
  const { dir, cleanup } = makeTempDir('fedfuse-carve-');
  const port = await freePort();
  const server = startServerProcess(smallServerArgs(port, join(dir, 'f.sqlite')));
  try {
    const url = await listeningUrl(server, 240_000);
    const token = mintClientToken(CHILD_SECRET, 'carver');
    const partitionFlags = ['--data', 'mnist', '--partition', 'iid', '--client-index', '0', '--num-clients', '2', '--split-seed', '0', '--calibration-size', '100'];
    const r = await runCli(['client', '--server', url, '--token', token, ...partitionFlags, '--test-size', '500']);
    assert.equal(r.code, 2, r.out + r.err);
    assert.equal(
      lastLine(r.err),
      'fedfuse: error (invalid_argument): the server carves mnist with --split-seed 0 --calibration-size 100 --test-size 200, ' +
        "but this client was given --test-size 500: its part could hold the server's test samples; use the server's values",
    );
  } finally {
    await server.kill();
    cleanup();
  }
});
