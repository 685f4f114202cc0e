import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClientUpdate, RoundTask, WireMessage } from '../common/wire/index.ts';
import { mintClientToken } from '../server/auth/index.ts';
import { encodeModelBlob } from '../server/rounds/index.ts';
import { openRoundStore } from '../server/store/index.ts';
import { CHILD_SECRET, isEvent, smallServerArgs } from './faults-fixtures.ts';
import { perturbed, replyCode, updateFor } from './hostile-fixtures.ts';
import { connectRaw, hello, type RawPeer } from './raw-protocol-client.ts';
import { freePort, startServerProcess, type ServerProcess } from './server-process.ts';

/**
 * SIGKILL of a real server process while it is writing client updates to
 * SQLite, again and again on the same database: eight clients upload ~0.8 MB
 * each at once, and the server is killed right after it logs the k-th
 * stored update, while the others are being received, decoded and written.
 * After every kill the file passes PRAGMA integrity_check, every update a
 * client saw acknowledged is there, and every stored update is byte for byte
 * what its client sent (never half). Restarted on the same file, the server
 * resumes the round; the clients re-send what was not acknowledged (a stored
 * one comes back 'duplicate', even once its round has closed) until all are
 * in and the round completes. The
 * kill during fusion is test/rounds-crash-resume.test.ts.
 */

const CLIENTS = Array.from({ length: 8 }, (_, i) => `w${i}`);
const KILL_AFTER_STORED = 2;
const RUN_ID = 'write-run';

const ATTEMPTS = 3;

/** One run of the scenario on a fresh database; returns what each kill found (empty if no life ended in a kill). */
async function killWhileWriting(ctx: { diagnostic(message: string): void }): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'fedfuse-kill-write-'));
  const db = join(dir, 'fedfuse.sqlite');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const args = smallServerArgs(port, db, [
    '--model', 'mlp:256', '--rounds', '1', '--min-clients', String(CLIENTS.length), '--reconnect-grace', '60',
    '--aggregator', 'fedavg', '--run-id', RUN_ID,
  ]);
  const acknowledged = new Set<string>();
  const sent = new Map<string, ClientUpdate>();
  let server: ServerProcess | null = null;
  let peers: RawPeer[] = [];
  const kills: string[] = [];
  try {
    // A life ends with a kill while updates are still coming, or, once fewer are left, with all of them in.
    for (let life = 1, killed = true; killed; life++) {
      assert.ok(life <= CLIENTS.length, 'every killed life stores at least one update, so this ends');
      killed = false;
      server = startServerProcess(args);
      await server.waitForLine(isEvent('listening'));
      const pending = CLIENTS.filter((id) => !acknowledged.has(id));
      // Everyone joins in the first life (the round needs them all to open); later, only those still owing an update.
      const byId = new Map<string, RawPeer>();
      for (const id of life === 1 ? CLIENTS : pending) {
        const p = await connectRaw(url, mintClientToken(CHILD_SECRET, id));
        byId.set(id, p);
        assert.equal((await p.send(hello(id))).type, 'welcome');
      }
      peers = [...byId.values()];
      if (life === 1) {
        const tasks = await Promise.all(CLIENTS.map((id) => byId.get(id)!.nextTask()));
        tasks.forEach((task: RoundTask, i) => sent.set(CLIENTS[i]!, updateFor(task, CLIENTS[i]!, { model: perturbed(task.model, i + 1) })));
      }
      // All at once; an upload cut by the kill gets no acknowledgement and is sent again in the next life.
      const settled = Promise.all(
        pending.map(async (id) => {
          let reply: WireMessage;
          try {
            reply = await byId.get(id)!.send(sent.get(id)!, 30_000);
          } catch {
            return;
          }
          const code = replyCode(reply);
          assert.ok(code === 'ack' || code === 'duplicate', `${id}: ${code}`);
          acknowledged.add(id);
        }),
      );
      const storedThisLife = (): number => server!.lines.filter((l) => l.includes('"event":"updateAccepted"')).length;
      const enoughStored = pending.length > KILL_AFTER_STORED ? server.waitForLine(() => storedThisLife() >= KILL_AFTER_STORED).then(() => true) : null;
      // With group commit one transaction can make a whole batch durable just before the kill, its acks unsent:
      // the next life then answers every re-send 'duplicate' (acknowledged now) and stores nothing new, so it ends
      // when they are all answered instead of waiting for stores that will not come.
      const killNow = enoughStored === null ? false : await Promise.race([enoughStored, settled.then(() => false)]);
      if (enoughStored !== null && !killNow) enoughStored.catch(() => {});
      if (killNow) {
        await server.kill('SIGKILL');
        killed = true;
        await settled;
        for (const p of peers) p.close();

        const store = openRoundStore(db);
        try {
          assert.equal(store.integrityCheck(), 'ok', `integrity after kill ${life}`);
          const stored = store.listUpdates(RUN_ID, 1).map((u) => u.clientId);
          for (const id of acknowledged) assert.ok(stored.includes(id), `acknowledged update of ${id} survived kill ${life}`);
          for (const id of stored) {
            const blob = store.getUpdate(RUN_ID, 1, id)!.model;
            assert.deepEqual(Buffer.from(blob), Buffer.from(encodeModelBlob(sent.get(id)!.model)), `${id}'s stored update is whole`);
          }
          kills.push(`kill ${life}: ${stored.length} stored, ${acknowledged.size} acknowledged`);
        } finally {
          store.close();
        }
      } else {
        await settled;
      }
    }
    // The last life has every update (the round may have closed on restart, before anyone reconnected).
    assert.equal(acknowledged.size, CLIENTS.length);
    await server!.waitForLine(isEvent('runFinished', (j) => j['state'] === 'finished'), 60_000);
    await server!.kill('SIGTERM');
    const store = openRoundStore(db);
    try {
      assert.equal(store.integrityCheck(), 'ok');
      assert.equal(store.getRound(RUN_ID, 1)?.state, 'done');
      assert.equal(store.countUpdates(RUN_ID, 1), CLIENTS.length);
      assert.deepEqual(store.listRoundFailures(RUN_ID), []);
    } finally {
      store.close();
    }
    ctx.diagnostic(kills.length > 0 ? kills.join('; ') : 'no life ended in a kill: every update was acknowledged first');
    return kills;
  } finally {
    for (const p of peers) p.close();
    await server?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

test('SIGKILL while updates are being written: integrity_check passes, nothing acknowledged is lost, nothing is stored half', { timeout: 300_000 }, async (ctx) => {
  // How many lives end in a kill depends on the machine's speed: with group commit one transaction can make
  // every upload durable and acknowledged before the k-th stored line reaches us, and then no kill happens.
  // A run without a kill still checked resume and integrity, but this test needs one kill mid-write: run again on a fresh database.
  const attempts: string[][] = [];
  while (attempts.length < ATTEMPTS) {
    const kills = await killWhileWriting(ctx);
    attempts.push(kills);
    if (kills.length >= 1) return;
  }
  assert.fail(`the server was never killed while updates were being written (${ATTEMPTS} runs, every update acknowledged before the kill)`);
});
