import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { initNetwork, parseArchitecture } from '../common/model/index.ts';
import { explicitServerConfig } from '../server/config/index.ts';
import { encodeModelBlob } from '../server/rounds/index.ts';
import { openRoundStore } from '../server/store/index.ts';
import { CHILD_READ_HEADERS, smallServerArgs } from './faults-fixtures.ts';
import { BIN, freePort, listeningUrl, startServerProcess } from './server-process.ts';
import { makeTempDir } from './store-fixtures.ts';

/**
 * `fedfuse server` as a newcomer meets it, as a real child process: a port in
 * use is one line and writes no run; a database whose run finished shows that
 * run on the next start instead of silently starting another; SIGTERM exits
 * within 5 s although a peer holds a half-open connection.
 */

function exitOf(child: ReturnType<typeof spawn>): Promise<{ code: number | null; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, ms: Date.now() - started })));
}

test('a port in use is one line naming the port, and no run row is written', { timeout: 300_000 }, async () => {
  const { dir, cleanup } = makeTempDir('fedfuse-port-');
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const port = (blocker.address() as { port: number }).port;
  try {
    const db = join(dir, 'f.sqlite');
    const child = spawn(process.execPath, [BIN, 'server', ...smallServerArgs(port, db)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    const { code } = await exitOf(child);
    assert.equal(code, 2, err);
    assert.equal(err.trimEnd().split('\n').at(-1), `fedfuse: error (unavailable): port ${port} is in use; pick another --port`);
    assert.doesNotMatch(err, /^\s+at /m, 'no stack trace');
    const store = openRoundStore(db);
    try {
      assert.deepEqual(store.listRuns(), [], 'no run was created');
    } finally {
      store.close();
    }
  } finally {
    blocker.close();
    cleanup();
  }
});

test('a finished run is shown on the next start, not replaced; contradicting flags are refused', { timeout: 300_000 }, async () => {
  const { dir, cleanup } = makeTempDir('fedfuse-finished-');
  const db = join(dir, 'f.sqlite');
  const port = await freePort();
  // The database of a 1-round run that finished, recorded as `fedfuse server` records it.
  const { config } = explicitServerConfig({ flags: { ...flagsOf(smallServerArgs(port, db)), rounds: '1' }, env: {} });
  const seeded = openRoundStore(db);
  const initial = initNetwork(parseArchitecture('mlp:16', [28, 28, 1], 10), 0);
  seeded.createRun({ id: 'finished-run', config: JSON.parse(JSON.stringify({ ...config, secret: undefined })), modelSpec: JSON.parse(JSON.stringify(initial.spec)), initialModel: encodeModelBlob(initial) });
  seeded.setRunState('finished-run', 'finished');
  seeded.close();
  try {
    const server = startServerProcess(smallServerArgs(port, db));
    try {
      const url = await listeningUrl(server, 240_000);
      const status = (await (await fetch(`${url}/api/status`, { headers: CHILD_READ_HEADERS })).json()) as { runId: string; state: string; round: number; roundsPlanned: number };
      assert.deepEqual([status.runId, status.state, status.round, status.roundsPlanned], ['finished-run', 'finished', 0, 1]);
      const { runs } = (await (await fetch(`${url}/api/runs`, { headers: CHILD_READ_HEADERS })).json()) as { runs: { id: string }[] };
      assert.deepEqual(runs.map((r) => r.id), ['finished-run'], 'no new run');
      assert.ok(server.lines.some((l) => l.includes('run finished-run finished after round 0: shown as it ended')));
    } finally {
      await server.kill('SIGTERM');
    }
    const contradicting = spawn(process.execPath, [BIN, 'server', ...smallServerArgs(port, db, ['--rounds', '3'])], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    contradicting.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    assert.equal((await exitOf(contradicting)).code, 2);
    assert.match(err.trimEnd().split('\n').at(-1)!, /^fedfuse: error \(invalid_argument\): run finished-run \(finished, round 0\) was started with other settings: --rounds is 3, the run has 1\./);
  } finally {
    cleanup();
  }
});

test('SIGTERM exits within 5 s while a peer holds a half-open connection', { timeout: 300_000 }, async () => {
  const { dir, cleanup } = makeTempDir('fedfuse-sigterm-');
  const port = await freePort();
  const server = startServerProcess([...smallServerArgs(port, join(dir, 'f.sqlite')), '--headers-timeout', '60', '--request-timeout', '120']);
  try {
    await listeningUrl(server, 240_000);
    // Half a request: headers never finished, so the HTTP server would wait for it until its timeouts.
    const peer = connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => peer.once('connect', resolve));
    peer.write('GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    peer.on('error', () => {});
    await new Promise((r) => setTimeout(r, 300));
    const exited = exitOf(server.child);
    server.child.kill('SIGTERM');
    const { code, ms } = await exited;
    peer.destroy();
    assert.equal(code, 0, server.lines.slice(-5).join('\n'));
    assert.ok(ms < 5_000, `exited ${ms} ms after SIGTERM`);
  } finally {
    await server.kill();
    cleanup();
  }
});

/** `--calibration-size 100` -> { calibrationSize: '100' }, as commander hands the flags over. */
function flagsOf(args: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < args.length; i += 2) out[args[i]!.slice(2).replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase())] = args[i + 1]!;
  return out;
}

