import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeLocalUpdate } from '../client/index.ts';
import type { ClientUpdate, RoundTask } from '../common/wire/index.ts';
import { smallMnistSplit, startClient, startTestServer } from './rounds-fixtures.ts';
import { scaled } from './screening-fixtures.ts';

/** A malicious client: trains honestly, then uploads its weights multiplied by 100. */
function scaledBy100(index: number): (task: RoundTask) => Promise<ClientUpdate> {
  const data = smallMnistSplit().clients[index]!;
  return async (task) => {
    const update = await computeLocalUpdate(task, `client-${index}`, { images: data.images, labels: data.labels, count: data.count }, index);
    return { ...update, model: scaled(update.model, 100) };
  };
}

test('a real server screens out a x100 update: stored for the audit, not fused, its reason in the round metrics', { timeout: 120_000 }, async () => {
  const t = await startTestServer({ rounds: 1, minClients: 3 });
  const clients = [await startClient(t.url, 0), await startClient(t.url, 1), await startClient(t.url, 2, { train: scaledBy100(2) })];
  try {
    await t.waitFor((e) => e.type === 'runFinished', 100_000);
    const run = (await t.store.latestRun())!;
    assert.equal(run.state, 'finished');
    const round = (await t.store.getRound(run.id, 1))!;
    assert.equal(round.state, 'done');
    // Kept in the store, so the decision can be checked later.
    assert.ok((await t.store.hasUpdate(run.id, 1, 'client-2')));
    const metrics = round.metrics as { aggregation: { screening: { rejected: { clientId: string; rule: string; reason: string }[]; updates: unknown[] } } };
    const { rejected, updates } = metrics.aggregation.screening;
    assert.deepEqual(rejected.map((r) => [r.clientId, r.rule]), [['client-2', 'far_from_global']]);
    assert.match(rejected[0]!.reason, /x the global model's norm/);
    assert.equal(updates.length, 3);
    assert.deepEqual((updates as { clientId: string; rejected: string | null }[]).map((u) => [u.clientId, u.rejected]).sort(), [
      ['client-0', null],
      ['client-1', null],
      ['client-2', 'far_from_global'],
    ]);
    // The round's record names only the fused clients as participants; the screened-out one is a failure.
    const record = round.metrics as { participants: string[]; failures: { clientId: string; reason: string }[] };
    assert.deepEqual([...record.participants].sort(), ['client-0', 'client-1']);
    assert.deepEqual(record.failures.map((f) => f.clientId), ['client-2']);
    assert.match(record.failures[0]!.reason, /^screened out \(far_from_global\)/);
  } finally {
    for (const { client } of clients) client.close();
    await t.close();
  }
});
