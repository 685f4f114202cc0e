import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeEnvelope, type RoundTask } from '../common/wire/index.ts';
import { mintClientToken } from '../server/auth/index.ts';
import type { OrchestratorEvent } from '../server/rounds/index.ts';
import { openRoundStore, SqliteAsyncRoundStore, type RoundStore, type SqliteRoundStore } from '../server/store/index.ts';
import { perturbed, replyCode, until, updateFor } from './hostile-fixtures.ts';
import { connectRaw, hello, type RawPeer } from './raw-protocol-client.ts';
import { READ_HEADERS, SECRET, startClient, startTestServer, type TestServer } from './rounds-fixtures.ts';
import { switchableStore, type SwitchableStore } from './switchable-store.ts';

/**
 * The disk fills up or the database becomes read-only under a running
 * in-process server. The failure is real SQLite: a second connection to the
 * same file, opened with maxSizeBytes (max_page_count clamps to the current
 * size, so nothing may grow) or readonly, is swapped in at an exact moment and
 * the original swapped back later. The server must say why (a typed error to
 * the client, a failure reason in the store, or when even that cannot be
 * written a roundFailed event), keep serving HTTP, retry without spinning,
 * and finish the round once the disk is usable again. A store that cannot
 * even be read must not take the process down from a timer or a socket event.
 */

interface StorageFixture {
  readonly t: TestServer;
  readonly switchable: SwitchableStore;
  readonly original: SqliteRoundStore;
  /** A second connection to the database file: full (nothing may grow), read-only, or unreadable (closed: every call fails). */
  openBroken(kind: 'full' | 'readonly' | 'unreadable'): SqliteRoundStore;
  close(): Promise<void>;
}

async function startStorageFixture(): Promise<StorageFixture> {
  let switchable: SwitchableStore | null = null;
  let original: SqliteRoundStore | null = null;
  let dbPath = '';
  const t = await startTestServer({ rounds: 1, minClients: 2, roundTimeoutMs: 30_000, maxAttempts: 3 }, {}, undefined, {
    openStore: (path) => {
      dbPath = path;
      original = openRoundStore(path);
      switchable = switchableStore(original);
      // The server's async store (group commit) over the switchable connection: each batch goes to the connection in use.
      return new SqliteAsyncRoundStore(switchable.store as SqliteRoundStore);
    },
  });
  const broken: SqliteRoundStore[] = [];
  return {
    t,
    switchable: switchable!,
    original: original!,
    openBroken(kind) {
      const store = openRoundStore(dbPath, kind === 'full' ? { maxSizeBytes: 1 } : { readonly: true });
      if (kind === 'unreadable') store.close();
      else broken.push(store);
      return store;
    },
    async close() {
      switchable!.use(original!); // t.close() closes the connection in use
      await t.close();
      for (const s of broken) s.close();
    },
  };
}

async function joinTwoPeers(t: TestServer): Promise<{ peers: RawPeer[]; task: RoundTask }> {
  const peers = [await connectRaw(t.url, mintClientToken(SECRET, 'a')), await connectRaw(t.url, mintClientToken(SECRET, 'b'))];
  for (const [i, p] of peers.entries()) assert.equal((await p.send(hello(i === 0 ? 'a' : 'b'))).type, 'welcome');
  const tasks = await Promise.all(peers.map((p) => p.nextTask()));
  return { peers, task: tasks[0]! };
}

async function uploadBoth(peers: RawPeer[], task: RoundTask): Promise<string[]> {
  return Promise.all(peers.map(async (p, i) => replyCode(await p.send(updateFor(task, i === 0 ? 'a' : 'b', { model: perturbed(task.model, i + 1) })))));
}

const isFinal = (e: OrchestratorEvent): boolean => e.type === 'roundCompleted' || e.type === 'runFinished';

async function healthAndStatus(url: string): Promise<[number, number]> {
  return [(await fetch(`${url}/api/health`)).status, (await fetch(`${url}/api/status`, { headers: READ_HEADERS })).status];
}

describe('the disk full or the database read-only under a running server', { timeout: 60_000 }, () => {
  test('full while an update is stored: the client is told unavailable, nothing is stored, and the SDK sends it again once there is room', async () => {
    const f = await startStorageFixture();
    const clients: Array<Awaited<ReturnType<typeof startClient>>> = [];
    try {
      f.switchable.beforeFirstCall('recordUpdates', () => f.switchable.use(f.openBroken('full')));
      clients.push(await startClient(f.t.url, 0), await startClient(f.t.url, 1));
      const rejected = await f.t.waitFor((e) => e.type === 'updateRejected');
      assert.ok(rejected.type === 'updateRejected');
      assert.equal(rejected.code, 'unavailable');
      assert.match(rejected.message, /recordUpdates? failed: disk or database size limit full/);
      const runId = (await f.t.store.latestRun())!.id;
      assert.equal((await f.t.store.hasUpdate(runId, 1, rejected.clientId)), false, 'nothing of the refused update was stored');
      assert.deepEqual(await healthAndStatus(f.t.url), [200, 200]);

      f.switchable.use(f.original); // space is back
      const done = await f.t.waitFor((e) => e.type === 'roundCompleted' || e.type === 'roundFailed', 20_000);
      assert.equal(done.type, 'roundCompleted', JSON.stringify(done));
      const refusedClient = clients[Number(rejected.clientId.slice('client-'.length))]!;
      await until('the refused client has the new global model', () => refusedClient.client.latestGlobalModel() !== null, 10_000);
      const kinds = refusedClient.events.filter((e) => e.type === 'uploadRefused' || e.type === 'uploaded').map((e) => e.type);
      // Refused one or more times (the SDK retries with its backoff while the disk is full; how many
      // retries fit before the test frees space depends on the machine's load), then taken exactly once.
      assert.ok(kinds.length >= 2 && kinds.at(-1) === 'uploaded' && kinds.slice(0, -1).every((k) => k === 'uploadRefused'), `the SDK was told, kept its update and sent it again: ${kinds.join(', ')}`);
      assert.equal((await f.t.store.integrityCheck()), 'ok');
    } finally {
      for (const c of clients) c.client.close();
      await f.close();
    }
  });

  test('read-only when a client says hello: it is told unavailable, and the SDK says hello again until it is taken', async () => {
    const f = await startStorageFixture();
    const clients: Array<Awaited<ReturnType<typeof startClient>>> = [];
    try {
      const readonly = f.openBroken('readonly');
      f.switchable.beforeFirstCall('upsertClient', () => f.switchable.use(readonly));
      clients.push(await startClient(f.t.url, 0));
      await until('client-0 was refused', () => clients[0]!.events.some((e) => e.type === 'refused' && e.code === 'unavailable'), 10_000);
      assert.equal((await f.t.store.getClient('client-0')), undefined);
      f.switchable.use(f.original);
      clients.push(await startClient(f.t.url, 1));
      const done = await f.t.waitFor(isFinal, 20_000);
      assert.equal(done.type, 'roundCompleted', 'client-0 got in on a later hello and took part');
      assert.deepEqual((await f.t.store.listUpdates((await f.t.store.latestRun())!.id, 1)).map((u) => u.clientId).sort(), ['client-0', 'client-1']);
    } finally {
      for (const c of clients) c.client.close();
      await f.close();
    }
  });

  test('unreadable when a client leaves mid-round: the leave needs no store read, the server keeps serving, and completes the round once readable', async () => {
    const f = await startStorageFixture();
    let peers: RawPeer[] = [];
    try {
      const joined = await joinTwoPeers(f.t);
      peers = joined.peers;
      assert.equal(replyCode(await peers[0]!.send(updateFor(joined.task, 'a', { model: perturbed(joined.task.model, 1) }))), 'ack');
      // a leaves while the store cannot be read. Who has answered is kept in memory (each update is added once
      // its write is durable), so the disconnect handler's "has everyone answered?" reads nothing.
      f.switchable.use(f.openBroken('unreadable'));
      peers[0]!.close();
      await f.t.waitFor((e) => e.type === 'clientLeft');
      assert.equal((await fetch(`${f.t.url}/api/health`)).status, 200, 'the process is alive and serving');
      assert.equal((await fetch(`${f.t.url}/api/status`, { headers: READ_HEADERS })).status, 503, 'a read that needs the store says it is unavailable');
      assert.deepEqual(f.t.events.filter((e) => e.type === 'storageError'), [], 'the leave read nothing');

      f.switchable.use(f.original);
      assert.equal(replyCode(await peers[1]!.send(updateFor(joined.task, 'b', { model: perturbed(joined.task.model, 2) }))), 'ack');
      const done = await f.t.waitFor(isFinal, 20_000);
      assert.equal(done.type, 'roundCompleted', JSON.stringify(done));
      assert.deepEqual((await f.t.store.listUpdates(joined.task.runId, 1)).map((u) => u.clientId).sort(), ['a', 'b']);
    } finally {
      for (const p of peers) p.close();
      await f.close();
    }
  });

  test('full when the fused model is committed: the round fails with the reason recorded, and the retried attempt completes once there is room', async () => {
    const f = await startStorageFixture();
    let peers: RawPeer[] = [];
    try {
      const joined = await joinTwoPeers(f.t);
      peers = joined.peers;
      f.switchable.beforeFirstCall('completeRound', () => f.switchable.use(f.openBroken('full')));
      assert.deepEqual(await uploadBoth(peers, joined.task), ['ack', 'ack']);
      const failed = await f.t.waitFor((e) => e.type === 'roundFailed');
      assert.ok(failed.type === 'roundFailed');
      assert.match(failed.reason, /round 1 could not be aggregated: unavailable: store completeRound failed: disk or database size limit full/);
      const runId = joined.task.runId;
      const failures = (await f.t.store.listRoundFailures(runId));
      assert.deepEqual(failures.map((x) => [x.round, x.attempt, x.reason]), [[1, 1, failed.reason]], 'the reason is in the store');
      assert.equal((await f.t.store.getRun(runId))?.currentRound, 0, 'no half-committed round');
      assert.equal((await f.t.store.getGlobalModel(runId, 1)), undefined);
      assert.deepEqual(await healthAndStatus(f.t.url), [200, 200]);
      assert.match(await (await fetch(`${f.t.url}/api/rounds/1`, { headers: READ_HEADERS })).text(), /disk or database size limit full/, 'the reason is served over HTTP');

      f.switchable.use(f.original);
      const retried = await Promise.all(peers.map((p) => p.nextTask()));
      assert.ok(retried[0]!.deadlineUnixMs !== joined.task.deadlineUnixMs, 'a new attempt of round 1, with its own deadline');
      assert.deepEqual(await uploadBoth(peers, retried[0]!), ['ack', 'ack']);
      const done = await f.t.waitFor(isFinal, 20_000);
      assert.equal(done.type, 'roundCompleted');
      assert.equal((await f.t.store.getRound(runId, 1))?.attempt, 2);
      assert.equal((await f.t.store.integrityCheck()), 'ok');
    } finally {
      for (const p of peers) p.close();
      await f.close();
    }
  });

  test('read-only when the round closes: even the failure cannot be recorded; the server keeps serving, retries every 2 s, and completes the round once writable', async () => {
    const f = await startStorageFixture();
    let peers: RawPeer[] = [];
    try {
      const joined = await joinTwoPeers(f.t);
      peers = joined.peers;
      const runId = joined.task.runId;
      f.switchable.beforeFirstCall('setRoundState', () => f.switchable.use(f.openBroken('readonly')));
      assert.deepEqual(await uploadBoth(peers, joined.task), ['ack', 'ack'], JSON.stringify(f.t.events.filter((x) => x.type !== 'phase')));

      const unrecorded = (e: OrchestratorEvent): boolean => e.type === 'roundFailed' && /recording the failure failed: unavailable: .*read-only/.test(e.reason);
      await f.t.waitFor(unrecorded).catch((e: unknown) => {
        throw new Error(`${String(e)}: ${JSON.stringify(f.t.events.filter((x) => x.type !== 'phase'))}`);
      });
      const firstAt = Date.now();
      await f.t.waitFor((e) => f.t.events.filter(unrecorded).length >= 2 && e.type === 'roundFailed', 10_000);
      const gapMs = Date.now() - firstAt;
      assert.ok(gapMs >= 1_500, `it waited before retrying (${gapMs} ms), it did not spin`);
      assert.deepEqual(await healthAndStatus(f.t.url), [200, 200], 'reads still work');
      assert.equal((await f.t.store.getRound(runId, 1))?.state, 'open', 'the round is kept, not lost');
      assert.equal((await f.t.store.countUpdates(runId, 1)), 2, 'with both updates');
      // Uploads are refused meanwhile with the typed code, and change nothing.
      assert.equal(replyCode(await peers[0]!.sendRaw(encodeEnvelope(updateFor(joined.task, 'a')))), 'duplicate');

      f.switchable.use(f.original);
      const done = await f.t.waitFor(isFinal, 20_000);
      assert.equal(done.type, 'roundCompleted');
      assert.equal((await f.t.store.getRound(runId, 1))?.state, 'done');
      assert.equal((await f.t.store.getRound(runId, 1))?.attempt, 1, 'the same attempt, not a new one');
      assert.deepEqual((await f.t.store.listRoundFailures(runId)), []);
      assert.equal((await f.t.store.integrityCheck()), 'ok');
    } finally {
      for (const p of peers) p.close();
      await f.close();
    }
  });
});
