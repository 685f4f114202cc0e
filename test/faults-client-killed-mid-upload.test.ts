import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initNetwork, mlpSpec } from '../common/model/index.ts';
import { decodeEnvelope, encodeEnvelope } from '../common/wire/index.ts';
import { mintClientToken } from '../server/auth/index.ts';
import { encodeModelBlob, type OrchestratorEvent } from '../server/rounds/index.ts';
import { perturbed, replyCode, updateFor } from './hostile-fixtures.ts';
import { connectRaw, hello, type RawPeer } from './raw-protocol-client.ts';
import { connectRawWebSocket, type RawWebSocketPeer } from './raw-websocket-peer.ts';
import { SECRET, startTestServer } from './rounds-fixtures.ts';

/**
 * A client whose connection dies while its update is on the wire. The peer
 * is written on a bare TCP socket (test/raw-websocket-peer.ts) so the cut
 * lands exactly where chosen: half-way through the update's WebSocket frame,
 * one byte before its end, or right after its last byte (before the
 * acknowledgement can come back). An update is either stored whole or absent;
 * one stored without its acknowledgement reaching the client is answered
 * 'duplicate' when the client re-sends it, during its round or after, which
 * the SDK counts as delivered.
 */
test('an upload cut mid-frame leaves nothing; one cut right after its last byte is stored whole, and its re-send is a duplicate', { timeout: 90_000 }, async () => {
  // 784-256-10: an update of ~0.8 MB, several TCP segments and socket buffers long.
  const model = initNetwork(mlpSpec(784, [256], 10), 3);
  const t = await startTestServer({ rounds: 1, minClients: 2, roundTimeoutMs: 60_000, quorum: 2, reconnectGraceMs: 60_000 }, {}, undefined, { initialModel: model });
  const peers: RawPeer[] = [];
  const cutPeers: RawWebSocketPeer[] = [];
  const token = mintClientToken(SECRET, 'a');
  const leftTimes = (n: number) => (e: OrchestratorEvent): boolean => e.type === 'clientLeft' && t.events.filter((x) => x.type === 'clientLeft' && x.clientId === 'a').length >= n;
  const joinA = async (): Promise<RawWebSocketPeer> => {
    const a = await connectRawWebSocket(t.url, token);
    cutPeers.push(a);
    assert.equal(decodeEnvelope(await a.request(encodeEnvelope(hello('a')))).type, 'welcome');
    return a;
  };
  try {
    const b = await connectRaw(t.url, mintClientToken(SECRET, 'b'));
    peers.push(b);
    assert.equal((await b.send(hello('b'))).type, 'welcome');
    let a = await joinA();
    const task = await b.nextTask();
    const runId = task.runId;
    const update = updateFor(task, 'a', { model: perturbed(task.model, 1) });
    const bytes = encodeEnvelope(update);
    assert.ok(bytes.byteLength > 800_000, `a big envelope (${bytes.byteLength} bytes)`);
    const frameLength = a.binaryFrameLength(bytes);

    // Cut half-way through the frame, then one byte before its end: nothing is stored.
    const cuts = [Math.floor(frameLength / 2), frameLength - 1];
    for (const [i, cut] of cuts.entries()) {
      if (i > 0) a = await joinA();
      await a.sendPartially(bytes, cut);
      a.destroy();
      await t.waitFor(leftTimes(i + 1));
      assert.equal((await t.store.hasUpdate(runId, 1, 'a')), false, `nothing stored after a cut at byte ${cut} of ${frameLength}`);
    }
    assert.equal(t.events.filter((e) => e.type === 'updateAccepted' || e.type === 'updateRejected').length, 0, 'the server never saw a message');

    // The whole frame, then the connection ends before the acknowledgement can come back: stored whole.
    a = await joinA();
    await a.sendAndHangUp(bytes);
    await t.waitFor(leftTimes(cuts.length + 1));
    // Its write may end after the disconnect (a group commit, an await of the store): stored it is, once durable.
    await t.waitFor((e) => e.type === 'updateAccepted' && e.clientId === 'a', 10_000);
    const stored = (await t.store.getUpdate(runId, 1, 'a'));
    assert.ok(stored !== undefined, 'the complete update was stored');
    assert.deepEqual(Buffer.from(stored.model), Buffer.from(encodeModelBlob(update.model)), 'byte for byte what was sent');

    // The client comes back and re-sends what it never saw acknowledged: duplicate, i.e. delivered.
    const again = await connectRaw(t.url, token);
    peers.push(again);
    assert.equal((await again.send(hello('a'))).type, 'welcome');
    assert.equal(replyCode(await again.send(update)), 'duplicate');

    assert.equal(replyCode(await b.send(updateFor(task, 'b', { model: perturbed(task.model, 2) }))), 'ack');
    const done = await t.waitFor((e) => e.type === 'roundCompleted' || e.type === 'roundFailed');
    assert.equal(done.type, 'roundCompleted', JSON.stringify(done));
    assert.deepEqual((await t.store.listUpdates(runId, 1)).map((u) => u.clientId).sort(), ['a', 'b']);
    // Re-sent once its round is over (the ack lost to a crash, say), it is still 'duplicate', not 'wrong_round'.
    assert.equal(replyCode(await again.send(update)), 'duplicate');
    assert.equal((await t.store.integrityCheck()), 'ok');
  } finally {
    for (const p of cutPeers) p.destroy();
    for (const p of peers) p.close();
    await t.close();
  }
});
