import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mintClientToken } from '../server/auth/index.ts';
import { openStore, type SqliteAsyncRoundStore } from '../server/store/index.ts';
import { perturbed, replyCode, updateFor } from './hostile-fixtures.ts';
import { connectRaw, hello, type RawPeer } from './raw-protocol-client.ts';
import { SECRET, startTestServer } from './rounds-fixtures.ts';

/**
 * The round server writes updates through the async store's group commit
 * (SQLite). A long commit window makes the moments visible: an
 * acknowledgement comes only once the batch holding the update has
 * committed; updates that arrive together share one transaction; and an
 * update still being written when the round's deadline fires is waited for
 * and fused, while one sent after the round began closing is refused with
 * wrong_round and stored nowhere.
 */
async function joined(url: string, ids: readonly string[]): Promise<RawPeer[]> {
  const peers = await Promise.all(ids.map((id) => connectRaw(url, mintClientToken(SECRET, id))));
  for (const [k, p] of peers.entries()) assert.equal((await p.send(hello(ids[k]!))).type, 'welcome');
  return peers;
}

const sleepUntil = (at: number): Promise<void> => new Promise((r) => setTimeout(r, Math.max(0, at - Date.now())));

test('acknowledged only after the group commit; updates arriving together share one transaction', { timeout: 60_000 }, async () => {
  const WINDOW_MS = 800;
  let store: SqliteAsyncRoundStore | null = null;
  const t = await startTestServer({ rounds: 1, minClients: 3, roundTimeoutMs: 30_000 }, {}, undefined, {
    openStore: async (path) => (store = (await openStore(path, { groupCommit: { windowMs: WINDOW_MS } })) as SqliteAsyncRoundStore),
  });
  const ids = ['a', 'b', 'c'];
  let peers: RawPeer[] = [];
  try {
    peers = await joined(t.url, ids);
    const tasks = await Promise.all(peers.map((p) => p.nextTask()));
    const sentAt = Date.now();
    const replies = await Promise.all(
      peers.map(async (p, k) => {
        const reply = await p.send(updateFor(tasks[k]!, ids[k]!, { model: perturbed(tasks[k]!.model, k + 1) }));
        return { code: replyCode(reply), afterMs: Date.now() - sentAt };
      }),
    );
    assert.deepEqual(replies.map((r) => r.code), ['ack', 'ack', 'ack']);
    // The first update opened the window; none was acknowledged before the window's commit.
    for (const r of replies) assert.ok(r.afterMs >= WINDOW_MS - 100, `acknowledged ${r.afterMs} ms after sending, before the commit window of ${WINDOW_MS} ms`);
    const stats = store!.groupCommitStatistics();
    assert.equal(stats.items, 3);
    assert.ok(stats.largestBatch >= 2, `updates sent together shared a transaction (${JSON.stringify(stats)})`);
    const done = await t.waitFor((e) => e.type === 'roundCompleted');
    assert.ok(done.type === 'roundCompleted');
    assert.deepEqual([...done.participants].sort(), ids);
  } finally {
    for (const p of peers) p.close();
    await t.close();
  }
});

test('an update being written when the deadline fires is fused; one sent after closing began is refused and stored nowhere', { timeout: 60_000 }, async () => {
  const WINDOW_MS = 2_500;
  const t = await startTestServer({ rounds: 1, minClients: 2, roundTimeoutMs: 4_000, quorum: 1 }, {}, undefined, {
    openStore: (path) => openStore(path, { groupCommit: { windowMs: WINDOW_MS } }),
  });
  let peers: RawPeer[] = [];
  try {
    peers = await joined(t.url, ['a', 'b']);
    const [taskA, taskB] = await Promise.all(peers.map((p) => p.nextTask()));
    const deadline = taskA!.deadlineUnixMs;
    // a's update reaches the store 600 ms before the deadline and stays in the commit window until well after it.
    await sleepUntil(deadline - 600);
    const replyA = peers[0]!.send(updateFor(taskA!, 'a', { model: perturbed(taskA!.model, 1) }));
    // The deadline has fired: the round is closing, waiting for a's write.
    await sleepUntil(deadline + 700);
    const replyB = await peers[1]!.send(updateFor(taskB!, 'b', { model: perturbed(taskB!.model, 2) }));
    assert.equal(replyCode(replyB), 'wrong_round');
    assert.ok(replyB.type === 'error' && /no longer takes updates \(closing\)/.test(replyB.message), JSON.stringify(replyB));
    assert.equal(replyCode(await replyA), 'ack', 'a was acknowledged once its write committed');

    const done = await t.waitFor((e) => e.type === 'roundCompleted' || e.type === 'roundFailed');
    assert.ok(done.type === 'roundCompleted', JSON.stringify(done));
    assert.deepEqual(done.participants, ['a'], 'the update in flight at the deadline was collected');
    const runId = taskA!.runId;
    assert.deepEqual((await t.store.listUpdates(runId, 1)).map((u) => u.clientId), ['a']);
    assert.equal(await t.store.hasUpdate(runId, 1, 'b'), false, 'the refused update changed nothing');
    const round = (await t.store.getRound(runId, 1))!;
    assert.equal((round.metrics as { closedBecause: string }).closedBecause, 'deadline');
    assert.equal(t.events.filter((e) => e.type === 'roundCompleted').length, 1);
  } finally {
    for (const p of peers) p.close();
    await t.close();
  }
});
