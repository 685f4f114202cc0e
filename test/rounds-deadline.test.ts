import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RoundTask, ClientUpdate } from '../common/wire/index.ts';
import { READ_HEADERS, startClient, startTestServer } from './rounds-fixtures.ts';

/** A client that takes its task and never answers. */
const silent = (): Promise<ClientUpdate> => new Promise<ClientUpdate>(() => {});

test('a client that never answers: the round closes at the deadline with the other two', { timeout: 90_000 }, async () => {
  const t = await startTestServer({ rounds: 1, minClients: 3, roundTimeoutMs: 4_000, quorum: 2 });
  const clients = [await startClient(t.url, 0), await startClient(t.url, 1), await startClient(t.url, 2, { train: silent })];
  try {
    const done = await t.waitFor((e) => e.type === 'roundCompleted' || e.type === 'roundFailed', 60_000);
    assert.equal(done.type, 'roundCompleted');
    const run = (await t.store.latestRun())!;
    const round = (await t.store.getRound(run.id, 1))!;
    assert.equal(round.state, 'done');
    assert.ok(round.closedAt! - round.openedAt >= 4_000 - 50, 'it waited for the deadline');
    assert.deepEqual((await t.store.listUpdates(run.id, 1)).map((u) => u.clientId).sort(), ['client-0', 'client-1']);
    const metrics = round.metrics as { failures: Array<{ clientId: string; reason: string }>; closedBecause: string };
    assert.deepEqual(metrics.failures, [{ clientId: 'client-2', reason: 'no update before the deadline' }]);
    assert.equal(metrics.closedBecause, 'deadline');
  } finally {
    for (const { client } of clients) client.close();
    await t.close();
  }
});

test('with a quorum of three the round fails with its reason recorded, and the server keeps serving', { timeout: 90_000 }, async () => {
  const t = await startTestServer({ rounds: 1, minClients: 3, roundTimeoutMs: 3_000, quorum: 3, maxAttempts: 2 });
  const clients = [await startClient(t.url, 0), await startClient(t.url, 1), await startClient(t.url, 2, { train: silent })];
  try {
    const finished = await t.waitFor((e) => e.type === 'runFinished', 60_000);
    assert.equal(finished.type === 'runFinished' && finished.state, 'failed');
    const run = (await t.store.latestRun())!;
    assert.equal(run.state, 'failed');
    const failures = (await t.store.listRoundFailures(run.id));
    assert.equal(failures.length, 2, 'both attempts failed');
    for (const f of failures) assert.match(f.reason, /2 of 3 sampled clients answered, the quorum is 3/);
    // Not hung: the HTTP API answers and reports the failure.
    const status = (await (await fetch(`${t.url}/api/status`, { headers: READ_HEADERS })).json()) as { state: string; run: { failureReason: string } };
    assert.equal(status.state, 'failed');
    assert.match(status.run.failureReason, /failed 2 times/);
  } finally {
    for (const { client } of clients) client.close();
    await t.close();
  }
});

test('a client that drops out mid-round and comes back gets its task again', { timeout: 90_000 }, async () => {
  const t = await startTestServer({ rounds: 1, minClients: 2, roundTimeoutMs: 30_000 });
  let firstTask: RoundTask | null = null;
  let release: () => void = () => {};
  const held = new Promise<void>((r) => (release = r));
  const a = await startClient(t.url, 0);
  const b = await startClient(t.url, 1, {
    train: async (task) => {
      firstTask ??= task;
      await held;
      return new Promise<ClientUpdate>(() => {});
    },
  });
  try {
    await t.waitFor((e) => e.type === 'roundOpened');
    await t.waitFor((e) => e.type === 'updateAccepted' && e.clientId === 'client-0');
    b.client.close();
    release();
    // Reconnect as the same client with a normal trainer: it gets round 1's task and completes the round.
    const again = await startClient(t.url, 1);
    await t.waitFor((e) => e.type === 'roundCompleted', 60_000);
    assert.ok(firstTask !== null);
    assert.ok(again.events.some((e) => e.type === 'task' && e.round === 1), 'the returning client received the task of round 1 again');
    const run = (await t.store.latestRun())!;
    assert.deepEqual((await t.store.listUpdates(run.id, 1)).map((u) => u.clientId).sort(), ['client-0', 'client-1']);
    again.client.close();
  } finally {
    a.client.close();
    b.client.close();
    await t.close();
  }
});
