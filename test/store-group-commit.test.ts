import assert from 'node:assert/strict';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { isFedfuseError } from '../common/errors/index.ts';
import { GroupCommitQueue, openRoundStore, SqliteAsyncRoundStore } from '../server/store/index.ts';
import { assertRejectsCode, assertSameBytes, makeTempDir, patternBytes, seedOpenRoundAsync } from './store-fixtures.ts';

const temp = makeTempDir('store-group-commit');
after(temp.cleanup);
let fileCount = 0;
const freshPath = (): string => path.join(temp.dir, `db-${++fileCount}.sqlite`);

function openAsync(file: string, windowMs = 20, extra: { maxSizeBytes?: number; maxBatchItems?: number } = {}): SqliteAsyncRoundStore {
  const sqlite = openRoundStore(file, extra.maxSizeBytes === undefined ? {} : { maxSizeBytes: extra.maxSizeBytes });
  return new SqliteAsyncRoundStore(sqlite, { windowMs, ...(extra.maxBatchItems === undefined ? {} : { maxBatchItems: extra.maxBatchItems }) });
}

const update = (runId: string, clientId: string, seed: number, bytes = 50_000) => ({ runId, round: 1, clientId, numExamples: 10, model: patternBytes(bytes, seed) });

describe('SQLite group commit', () => {
  test('updates arriving within the window share one transaction, and each is durable when it resolves', async () => {
    const file = freshPath();
    const store = openAsync(file);
    const reader = openRoundStore(file, { readonly: true });
    try {
      const { runId, clientIds } = await seedOpenRoundAsync(store, { clients: 8 });
      const seen: number[] = [];
      await Promise.all(
        clientIds.map((id, i) =>
          store.recordUpdate(update(runId, id, i + 1)).then(() => {
            // Another connection to the file sees it the moment it resolves: it was committed first.
            assert.equal(reader.hasUpdate(runId, 1, id), true, `${id} resolved before it was committed`);
            seen.push(i);
          }),
        ),
      );
      assert.equal(seen.length, 8);
      assert.deepEqual(store.groupCommitStatistics(), { batches: 1, items: 8, largestBatch: 8 });
      assert.equal(reader.countUpdates(runId, 1), 8);
      assertSameBytes(reader.getUpdate(runId, 1, 'c5')?.model, patternBytes(50_000, 5));
    } finally {
      reader.close();
      await store.close();
    }
  });

  test('a refused update fails alone: the rest of its batch is stored', async () => {
    const store = openAsync(':memory:');
    try {
      const { runId } = await seedOpenRoundAsync(store, { clients: 3 });
      await store.recordUpdate(update(runId, 'c1', 1));
      const results = await Promise.allSettled([
        store.recordUpdate(update(runId, 'c2', 2)),
        store.recordUpdate(update(runId, 'c1', 9)), // a second update from c1
        store.recordUpdate(update(runId, 'ghost', 3)), // never said hello
        store.recordUpdate({ ...update(runId, 'c3', 4), round: 2 }), // round never opened
        store.recordUpdate(update(runId, 'c3', 5)),
      ]);
      const codes = results.map((r) => (r.status === 'fulfilled' ? 'ok' : isFedfuseError(r.reason) ? r.reason.code : String(r.reason)));
      assert.deepEqual(codes, ['ok', 'duplicate', 'unknown_client', 'wrong_round', 'ok']);
      assert.equal(store.groupCommitStatistics().largestBatch, 5);
      assert.deepEqual((await store.listUpdates(runId, 1)).map((u) => u.clientId).sort(), ['c1', 'c2', 'c3']);
      assertSameBytes((await store.getUpdate(runId, 1, 'c1'))?.model, patternBytes(50_000, 1), 'the first c1 update, untouched');
    } finally {
      await store.close();
    }
  });

  test('a batch that fills the disk is refused whole; nothing of it is stored and the store goes on', async () => {
    const store = openAsync(freshPath(), 20, { maxSizeBytes: 3_000_000 });
    try {
      const { runId } = await seedOpenRoundAsync(store, { clients: 4 });
      const results = await Promise.allSettled(['c1', 'c2', 'c3'].map((id, i) => store.recordUpdate(update(runId, id, i + 1, 1_300_000))));
      for (const r of results) {
        assert.equal(r.status, 'rejected');
        assert.ok(isFedfuseError(r.reason, 'unavailable') && /full/.test(r.reason.message), String(r.reason));
      }
      assert.equal(await store.countUpdates(runId, 1), 0);
      await store.recordUpdate(update(runId, 'c4', 4, 1_300_000));
      assert.deepEqual((await store.listUpdates(runId, 1)).map((u) => u.clientId), ['c4']);
      assert.equal(await store.integrityCheck(), 'ok');
    } finally {
      await store.close();
    }
  });

  test('a write made after a queued update takes effect after it (the queue is committed first)', async () => {
    const store = openAsync(':memory:', 10_000);
    try {
      const { runId } = await seedOpenRoundAsync(store, { clients: 2 });
      const pending = store.recordUpdate(update(runId, 'c1', 1));
      // Without the flush the round would be aggregating before the update is written, and the update refused.
      await store.setRoundState(runId, 1, 'aggregating');
      await pending;
      assert.deepEqual((await store.listUpdates(runId, 1)).map((u) => u.clientId), ['c1']);
      await assertRejectsCode(() => store.recordUpdate(update(runId, 'c2', 2)), 'wrong_round', /aggregating/);
    } finally {
      await store.close();
    }
  });

  test('a full batch is committed without waiting out the window; close commits what is queued', async () => {
    const store = openAsync(':memory:', 60_000, { maxBatchItems: 3 });
    const { runId } = await seedOpenRoundAsync(store, { clients: 4 });
    const started = Date.now();
    await Promise.all(['c1', 'c2', 'c3'].map((id, i) => store.recordUpdate(update(runId, id, i + 1))));
    assert.ok(Date.now() - started < 5_000, 'the batch waited for the 60 s window');
    const last = store.recordUpdate(update(runId, 'c4', 4));
    await store.close();
    await last;
    await assertRejectsCode(() => store.recordUpdate(update(runId, 'c4', 5)), 'unavailable', /closed/);
  });

  test('GroupCommitQueue: when the commit itself throws, every item of the batch is rejected with its error', async () => {
    const queue = new GroupCommitQueue<number, number>(
      () => {
        throw new Error('disk on fire');
      },
      () => 1,
      { windowMs: 1 },
    );
    const results = await Promise.allSettled([queue.submit(1), queue.submit(2)]);
    assert.deepEqual(results.map((r) => (r.status === 'rejected' ? (r.reason as Error).message : 'ok')), ['disk on fire', 'disk on fire']);
  });
});
