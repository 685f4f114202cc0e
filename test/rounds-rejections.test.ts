import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClientUpdate, RoundTask, WireMessage } from '../common/wire/index.ts';
import { mintClientToken } from '../server/auth/index.ts';
import { SECRET, startTestServer, tinyMlp } from './rounds-fixtures.ts';
import { connectRaw, hello, type RawPeer } from './raw-protocol-client.ts';
import { EMPTY_RECORDS } from '../common/records/index.ts';

function updateFor(task: RoundTask, clientId: string, overrides: Partial<ClientUpdate> = {}): ClientUpdate {
  return {
    type: 'clientUpdate',
    runId: task.runId,
    round: task.round,
    clientId,
    model: task.model,
    attribution: null,
    numExamples: 100,
    metrics: { loss: 1, accuracy: 0.5, trainSeconds: 0.1, attributionSeconds: 0 },
    records: EMPTY_RECORDS,
    localSteps: 0,
    ...overrides,
  };
}

function code(reply: WireMessage): string {
  return reply.type === 'error' ? reply.code : reply.type;
}

test('stale, future, duplicate, unsampled, impersonating and pre-hello updates get typed errors and change nothing', { timeout: 60_000 }, async () => {
  const t = await startTestServer({ rounds: 2, minClients: 2, roundTimeoutMs: 30_000 });
  const peers: RawPeer[] = [];
  try {
    const a = await connectRaw(t.url, mintClientToken(SECRET, 'a'));
    const b = await connectRaw(t.url, mintClientToken(SECRET, 'b'));
    peers.push(a, b);
    // Before hello: the server does not know who this is.
    const early = await a.send(updateFor({ runId: 'x', round: 1, model: tinyMlp() } as RoundTask, 'a'));
    assert.equal(code(early), 'unknown_client');
    assert.equal((await a.send(hello('a'))).type, 'welcome');
    assert.equal((await b.send(hello('b'))).type, 'welcome');
    const task = await a.nextTask();
    await b.nextTask();
    const runId = task.runId;

    // A third client joins after the round opened: not sampled.
    const c = await connectRaw(t.url, mintClientToken(SECRET, 'c'));
    peers.push(c);
    assert.equal((await c.send(hello('c'))).type, 'welcome');
    const cases: Array<[RawPeer, ClientUpdate, string]> = [
      [a, updateFor(task, 'a', { round: 0 }), 'wrong_round'],
      [a, updateFor(task, 'a', { round: 2 }), 'wrong_round'],
      [a, updateFor(task, 'a', { runId: 'another-run' }), 'wrong_round'],
      [a, updateFor(task, 'b'), 'unauthenticated'],
      [c, updateFor(task, 'c'), 'not_sampled'],
      [a, updateFor(task, 'a', { numExamples: 0 }), 'invalid_argument'],
      [a, updateFor(task, 'a', { numExamples: 2_000_000_000 }), 'invalid_argument'],
      [a, updateFor(task, 'a', { model: { ...task.model, spec: { ...task.model.spec, outputActivation: 'linear' } } }), 'shape_mismatch'],
    ];
    for (const [peer, update, expected] of cases) {
      assert.equal(code(await peer.send(update)), expected, `${JSON.stringify({ round: update.round, run: update.runId, client: update.clientId, n: update.numExamples })}`);
    }
    assert.equal((await t.store.countUpdates(runId, 1)), 0, 'nothing was stored by the refused updates');

    // The first good update is acknowledged; the same again is a duplicate and changes nothing.
    const ack = await a.send(updateFor(task, 'a'));
    assert.equal(ack.type, 'ack');
    assert.equal(code(await a.send(updateFor(task, 'a', { numExamples: 999 }))), 'duplicate');
    assert.equal((await t.store.countUpdates(runId, 1)), 1);
    assert.equal((await t.store.getUpdate(runId, 1, 'a'))?.numExamples, 100, 'the duplicate did not overwrite the stored update');

    // Garbage and the wrong message kind.
    assert.equal(code(await a.sendRaw(new Uint8Array([1, 2, 3, 250, 251]))), 'bad_message');
    assert.equal(code(await a.sendRaw('a string, not bytes')), 'bad_message');
    assert.equal(code(await a.send({ type: 'welcome', runId, currentRound: 0, serverVersion: 'x', runFinished: false, dataCarve: null })), 'bad_message');
    // A client hello claiming another id than its token.
    assert.equal(code(await c.send(hello('a'))), 'unauthenticated');
    assert.equal((await t.store.countUpdates(runId, 1)), 1);
  } finally {
    for (const p of peers) p.close();
    await t.close();
  }
});

test('a bad, foreign or expired token is refused at the handshake with the typed error', { timeout: 30_000 }, async () => {
  const t = await startTestServer();
  try {
    const tokens = [
      'not-a-token',
      mintClientToken('some-other-secret-of-length', 'a'),
      mintClientToken(SECRET, 'a', { issuedAtMs: Date.now() - 2000, expiresAtMs: Date.now() - 1000 }),
      '',
    ];
    for (const token of tokens) {
      await assert.rejects(connectRaw(t.url, token), (e: Error & { data?: { code: string } }) => e.data?.code === 'unauthenticated');
    }
    assert.equal((await t.store.listClients()).length, 0, 'no refused connection reached the store');
  } finally {
    await t.close();
  }
});
