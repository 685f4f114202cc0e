import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RoundTask } from '../common/wire/index.ts';
import { mintClientToken } from '../server/auth/index.ts';
import { CHILD_READ_HEADERS, CHILD_SECRET, cpuSecondsOver, isEvent, smallServerArgs } from './faults-fixtures.ts';
import { perturbed, replyCode, updateFor } from './hostile-fixtures.ts';
import { connectRaw, hello, type RawPeer } from './raw-protocol-client.ts';
import { freePort, startServerProcess, type ServerProcess } from './server-process.ts';

/**
 * No client connected, before the first one ever came and after all of them
 * left in the middle of a round: a real `fedfuse server` process waits on
 * its timers and sockets. It must not spin (its CPU time over a few idle
 * seconds is measured from /proc), must not exit, and must carry on with the
 * open round when the clients come back.
 */

const IDLE_MS = 2_000;
/** 5% of one core: a server that polled or spun would use far more; an idle Node process uses ~0. */
const MAX_IDLE_CPU_SECONDS = 0.05 * (IDLE_MS / 1000);

async function joinAll(url: string, ids: readonly string[]): Promise<RawPeer[]> {
  const peers: RawPeer[] = [];
  for (const id of ids) {
    const p = await connectRaw(url, mintClientToken(CHILD_SECRET, id));
    peers.push(p);
    assert.equal((await p.send(hello(id))).type, 'welcome');
  }
  return peers;
}

async function uploadAll(peers: readonly RawPeer[], ids: readonly string[], tasks: readonly RoundTask[]): Promise<string[]> {
  return Promise.all(peers.map(async (p, i) => replyCode(await p.send(updateFor(tasks[i]!, ids[i]!, { model: perturbed(tasks[i]!.model, i + 10 * tasks[i]!.round) })))));
}

test('with no client connected the server idles without spinning or exiting, and resumes the open round when clients return', { timeout: 90_000 }, async (ctx) => {
  const dir = mkdtempSync(join(tmpdir(), 'fedfuse-idle-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const ids = ['a', 'b'];
  let peers: RawPeer[] = [];
  const server: ServerProcess = startServerProcess(smallServerArgs(port, join(dir, 'fedfuse.sqlite'), ['--rounds', '2', '--min-clients', '2', '--reconnect-grace', '1', '--run-id', 'idle-run']));
  try {
    await server.waitForLine(isEvent('listening'));
    const pid = server.child.pid!;
    await new Promise((r) => setTimeout(r, 500)); // let start-up work (worker thread, first GC) finish

    const neverConnected = await cpuSecondsOver(pid, IDLE_MS);

    peers = await joinAll(url, ids);
    assert.deepEqual(await uploadAll(peers, ids, await Promise.all(peers.map((p) => p.nextTask()))), ['ack', 'ack']);
    await server.waitForLine(isEvent('roundOpened', (j) => j['round'] === 2));
    await Promise.all(peers.map((p) => p.nextTask()));
    // Everyone leaves round 2 before answering; the measure spans the end of the reconnect grace (1 s).
    for (const p of peers) p.close();
    await server.waitForLine(isEvent('clientLeft', (e) => e['connected'] === 0));

    const allGone = await cpuSecondsOver(pid, IDLE_MS);
    assert.equal(server.child.exitCode, null, 'the server did not exit');
    assert.equal(server.child.signalCode, null);
    assert.equal((await fetch(`${url}/api/health`)).status, 200);
    const status = (await (await fetch(`${url}/api/status`, { headers: CHILD_READ_HEADERS })).json()) as { round: number; state: string; connectedClients: string[] };
    assert.deepEqual([status.round, status.state, status.connectedClients], [2, 'training', []], 'round 2 waits, open, for its clients');

    ctx.diagnostic(`idle CPU over ${IDLE_MS / 1000} s: ${neverConnected.toFixed(2)} s before any client, ${allGone.toFixed(2)} s with round 2 open and every client gone`);
    assert.ok(neverConnected <= MAX_IDLE_CPU_SECONDS, `before any client: ${neverConnected} s of CPU in ${IDLE_MS / 1000} s`);
    assert.ok(allGone <= MAX_IDLE_CPU_SECONDS, `all clients gone: ${allGone} s of CPU in ${IDLE_MS / 1000} s`);

    // They come back: each gets round 2's task again and the run finishes.
    peers = await joinAll(url, ids);
    const tasks = await Promise.all(peers.map((p) => p.nextTask()));
    assert.deepEqual(tasks.map((t) => t.round), [2, 2]);
    assert.deepEqual(await uploadAll(peers, ids, tasks), ['ack', 'ack']);
    await server.waitForLine(isEvent('runFinished', (j) => j['state'] === 'finished'));
  } finally {
    for (const p of peers) p.close();
    await server.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});
