import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '../common/backend/index.ts';
import { computeLocalUpdate, type FedfuseClient, type ClientEvent } from '../client/index.ts';
import type { RoundTask } from '../common/wire/index.ts';
import { openStore } from '../server/store/index.ts';
import { SECRET, smallMnistSplit, startClient } from './rounds-fixtures.ts';
import { freePort, listeningUrl, startServerProcess, type ServerProcess } from './server-process.ts';
import { testDatabase, type TestBackend } from './service-fixtures.ts';

/**
 * kill -9 of a real server process at three moments, then a restart on the
 * same database and port: the run continues at the same round, every update
 * a client saw acknowledged is still stored, and no round is completed twice.
 * On SQLite (group commit) and on PostgreSQL (`--db postgres://...`, a schema
 * of the test's own).
 */
function serverArgs(port: number, db: string): string[] {
  return [
    '--port', String(port), '--db', db, '--secret', SECRET, '--model', 'mlp:16', '--rounds', '3', '--min-clients', '3',
    '--calibration-size', '100', '--test-size', '200', '--round-timeout', '120', '--attribution', 'grad-x-act',
    '--attribution-samples', '50', '--log-level', 'debug', '--run-id', 'crash-run',
  ];
}

type Moment = 'receiving' | 'fusing' | 'broadcasting';

const isEvent = (type: string, extra: (j: Record<string, unknown>) => boolean = () => true) => (_l: string, j: Record<string, unknown> | null) =>
  j !== null && j['event'] === type && extra(j);

async function scenario(moment: Moment, backend: TestBackend = 'sqlite'): Promise<void> {
  await initBackend();
  const dir = mkdtempSync(join(tmpdir(), `fedfuse-crash-${moment}-`));
  const database = await testDatabase(backend, dir, `crash_${moment}`);
  const db = database.location;
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let server: ServerProcess = startServerProcess(serverArgs(port, db));
  await listeningUrl(server);

  // Client 2 holds its round-2 upload until released, so round 2 can be caught half-received.
  let release: () => void = () => {};
  const held = new Promise<void>((r) => (release = r));
  const split = smallMnistSplit();
  const slowTrain = async (task: RoundTask) => {
    const d = split.clients[2]!;
    const update = await computeLocalUpdate(task, 'client-2', { images: d.images, labels: d.labels, count: d.count }, 2);
    if (moment === 'receiving' && task.round === 2) await held;
    return update;
  };
  const clients: Array<{ client: FedfuseClient; events: ClientEvent[] }> = [];
  try {
    clients.push(await startClient(url, 0), await startClient(url, 1), await startClient(url, 2, { train: slowTrain }));

    if (moment === 'receiving') {
      await server.waitForLine(isEvent('updateAccepted', (j) => j['round'] === 2 && j['received'] === 2));
    } else if (moment === 'fusing') {
      await server.waitForLine(isEvent('phase', (j) => j['round'] === 2 && j['phase'] === 'aggregating'));
    } else {
      await server.waitForLine(isEvent('roundCompleted', (j) => j['round'] === 2));
    }
    await server.kill('SIGKILL');

    // What the clients saw acknowledged before the kill must be on disk.
    const acknowledged = clients.flatMap(({ events }, i) => events.filter((e) => e.type === 'uploaded').map((e) => ({ clientId: `client-${i}`, round: (e as { round: number }).round })));
    const check = await openStore(db);
    assert.equal(await check.integrityCheck(), 'ok');
    for (const a of acknowledged) {
      const completed = ((await check.getRun('crash-run'))?.currentRound ?? 0) >= a.round;
      assert.ok(completed || (await check.hasUpdate('crash-run', a.round, a.clientId)), `acknowledged update of ${a.clientId} for round ${a.round} survived the kill`);
    }
    const roundAtKill = (await check.getRun('crash-run'))!.currentRound;
    await check.close();
    if (moment === 'broadcasting') assert.equal(roundAtKill, 2, 'the kill came after round 2 was committed');
    else assert.equal(roundAtKill, 1, 'the kill came before round 2 was committed');

    server = startServerProcess(serverArgs(port, db));
    await server.waitForLine(isEvent('runStarted', (j) => j['resumed'] === true && j['runId'] === 'crash-run' && j['currentRound'] === roundAtKill));
    release();
    await server.waitForLine(isEvent('runFinished'), 90_000);
    await server.kill('SIGTERM');

    const store = await openStore(db);
    try {
      const run = (await store.getRun('crash-run'))!;
      assert.equal(run.state, 'finished');
      assert.equal(run.currentRound, 3);
      const rounds = await store.listRounds('crash-run');
      assert.deepEqual(rounds.map((r) => [r.round, r.state]), [[1, 'done'], [2, 'done'], [3, 'done']]);
      assert.equal((await store.listRoundFailures('crash-run')).length, 0, 'no round had to be retried');
      for (const r of [1, 2, 3]) assert.equal(await store.countUpdates('crash-run', r), 3, `round ${r} kept all three updates`);
      assert.equal(await store.integrityCheck(), 'ok');
      const completions = server.lines.filter((l) => l.includes('"event":"roundCompleted"'));
      assert.ok(completions.length <= 3 - roundAtKill, `the restarted server committed only the rounds left (${completions.length})`);
    } finally {
      await store.close();
    }
  } finally {
    release();
    for (const { client } of clients) client.close();
    await server.kill('SIGKILL');
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

// Each scenario takes 40-100 s under the shared machine's load (two server start-ups, three rounds).
describe('SIGKILL of the server and a restart on the same database', { timeout: 480_000 }, () => {
  test('while receiving uploads', () => scenario('receiving'));
  test('while fusing', () => scenario('fusing'));
  test('while broadcasting the new global model', () => scenario('broadcasting'));
  test('PostgreSQL: while receiving uploads', () => scenario('receiving', 'postgres'));
});
