import { test } from 'node:test';
import assert from 'node:assert/strict';
import { io } from 'socket.io-client';
import type { ErrorCode } from '../common/errors/index.ts';
import { EMPTY_RECORDS } from '../common/records/index.ts';
import { encodeEnvelope, MAX_MESSAGE_BYTES, PROTOCOL_VERSION, type ClientUpdate, type WireMessage } from '../common/wire/index.ts';
import { fedfuse } from '../common/wire/generated/fedfuse.js';
import { mintClientToken } from '../server/auth/index.ts';
import { craftUpdateBytes, replyCode, updateFor } from './hostile-fixtures.ts';
import { connectRaw, hello, type RawPeer } from './raw-protocol-client.ts';
import { SECRET, startTestServer, tinyMlp, type TestServer } from './rounds-fixtures.ts';

/**
 * Every refusal is counted in fedfuse_uploads_total{result="rejected",code}
 * and logged with the client id (when a token verified), the code and the
 * peer's address: handshakes, the envelope decoder, the transport's own checks,
 * the orchestrator's, and socket.io cutting an oversized frame. Real server,
 * real sockets, real protobuf bytes; each case must raise its code's counter
 * by exactly one and leave every other code's counter alone.
 */

/** socket.io refuses a frame above maxHttpBufferSize = MAX_MESSAGE_BYTES + this (server/app.ts). */
const SOCKET_FRAME_SLACK_BYTES = 1024 * 1024;

async function rejectedCounts(url: string): Promise<Map<string, number>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const counts = new Map<string, number>();
  for (const m of text.matchAll(/^fedfuse_uploads_total\{result="rejected",code="([a-z_]+)"\} (\d+)$/gm)) counts.set(m[1]!, Number(m[2]));
  return counts;
}

/** Runs `act`, then checks that exactly `code`'s counter rose by one and that the refusal was logged as expected. */
async function expectRefusal(t: TestServer, code: ErrorCode, stage: string, clientId: string | null, act: () => Promise<unknown>): Promise<void> {
  const before = await rejectedCounts(t.url);
  const logged = t.refusals.length;
  await act();
  // A connection-stage refusal is reported when socket.io has closed the socket: give it a moment.
  for (let i = 0; i < 100 && t.refusals.length === logged; i++) await new Promise((r) => setTimeout(r, 20));
  const after = await rejectedCounts(t.url);
  for (const [c, n] of after) assert.equal(n - (before.get(c) ?? 0), c === code ? 1 : 0, `${code}: the counter of ${c} moved by ${n - (before.get(c) ?? 0)}`);
  assert.equal(t.refusals.length, logged + 1, `${code}: one refusal logged`);
  const r = t.refusals.at(-1)!;
  assert.equal(r.code, code);
  assert.equal(r.stage, stage);
  assert.equal(r.clientId, clientId);
  assert.match(r.remoteAddress, /127\.0\.0\.1/);
  assert.ok(r.message.length > 0);
}

function sendExpecting(peer: RawPeer, bytes: Uint8Array | string, code: string, timeoutMs?: number): () => Promise<void> {
  return async () => {
    const reply: WireMessage = await peer.sendRaw(bytes, timeoutMs);
    assert.equal(replyCode(reply), code, reply.type === 'error' ? reply.message : reply.type);
  };
}

test('every refusal raises fedfuse_uploads_total{result="rejected",code} and is logged', { timeout: 120_000 }, async () => {
  const t = await startTestServer({ rounds: 1, minClients: 2, roundTimeoutMs: 60_000, quorum: 2 }, { connectionRateLimit: { maxConnections: 2, windowMs: 60_000 } });
  const peers: RawPeer[] = [];
  try {
    // Handshakes: a forged token (no client id known) and a client over its connection rate (id known).
    await expectRefusal(t, 'unauthenticated', 'handshake', null, () => assert.rejects(connectRaw(t.url, 'forged.token')));
    for (let i = 0; i < 2; i++) (await connectRaw(t.url, mintClientToken(SECRET, 'flood'))).close();
    await expectRefusal(t, 'unavailable', 'handshake', 'flood', () => assert.rejects(connectRaw(t.url, mintClientToken(SECRET, 'flood'))));

    const mallory = await connectRaw(t.url, mintClientToken(SECRET, 'mallory'));
    peers.push(mallory);
    // The transport's own checks, before any hello.
    const early: ClientUpdate = {
      type: 'clientUpdate',
      runId: 'any',
      round: 1,
      clientId: 'mallory',
      model: tinyMlp(),
      attribution: null,
      numExamples: 100,
      metrics: { loss: 1, accuracy: 0.5, trainSeconds: 0.1, attributionSeconds: 0 },
      records: EMPTY_RECORDS,
      localSteps: 0,
    };
    await expectRefusal(t, 'unknown_client', 'message', 'mallory', sendExpecting(mallory, encodeEnvelope(early), 'unknown_client'));
    await expectRefusal(t, 'unauthenticated', 'message', 'mallory', sendExpecting(mallory, encodeEnvelope(hello('trent')), 'unauthenticated'));
    await expectRefusal(t, 'bad_message', 'message', 'mallory', sendExpecting(mallory, 'a string, not bytes', 'bad_message'));
    await expectRefusal(t, 'bad_message', 'message', 'mallory', async () => {
      mallory.socket.emit('not-the-envelope', 1);
      await new Promise((r) => setTimeout(r, 50));
    });
    const histogram = fedfuse.v1.Envelope.encode({ protocolVersion: PROTOCOL_VERSION, clientHello: { clientId: 'mallory', softwareVersion: 'x', numExamples: 10, labelHistogram: [1, 2, 3] } }).finish();
    await expectRefusal(t, 'invalid_argument', 'message', 'mallory', sendExpecting(mallory, histogram, 'invalid_argument'));

    // Two clients say hello: the round opens with both sampled.
    const trent = await connectRaw(t.url, mintClientToken(SECRET, 'trent'));
    peers.push(trent);
    assert.equal((await mallory.send(hello('mallory'))).type, 'welcome');
    assert.equal((await trent.send(hello('trent'))).type, 'welcome');
    const task = await mallory.nextTask();
    const valid = updateFor(task, 'mallory');

    // The envelope decoder.
    await expectRefusal(t, 'bad_message', 'message', 'mallory', sendExpecting(mallory, Uint8Array.from([0xff, 0xff, 0xff, 0x01]), 'bad_message'));
    await expectRefusal(t, 'non_finite', 'message', 'mallory', sendExpecting(mallory, craftUpdateBytes(valid, (b) => new DataView(b.model!.tensors![0]!.data!.buffer).setFloat32(0, Number.NaN, true)), 'non_finite'));
    await expectRefusal(t, 'shape_mismatch', 'message', 'mallory', sendExpecting(mallory, craftUpdateBytes(valid, (b) => void (b.model!.tensors![0]!.data = b.model!.tensors![0]!.data!.subarray(4))), 'shape_mismatch'));
    await expectRefusal(t, 'too_large', 'message', 'mallory', sendExpecting(mallory, new Uint8Array(MAX_MESSAGE_BYTES + 1), 'too_large', 60_000));

    // The orchestrator.
    await expectRefusal(t, 'wrong_round', 'message', 'mallory', sendExpecting(mallory, encodeEnvelope({ ...valid, round: 7 }), 'wrong_round'));
    assert.equal((await mallory.send(valid)).type, 'ack');
    await expectRefusal(t, 'duplicate', 'message', 'mallory', sendExpecting(mallory, encodeEnvelope(valid), 'duplicate'));
    const oscar = await connectRaw(t.url, mintClientToken(SECRET, 'oscar'));
    peers.push(oscar);
    assert.equal((await oscar.send(hello('oscar'))).type, 'welcome');
    await expectRefusal(t, 'not_sampled', 'message', 'oscar', sendExpecting(oscar, encodeEnvelope(updateFor(task, 'oscar')), 'not_sampled'));

    // socket.io cuts a frame above its buffer limit: no reply can go out, the refusal is still counted.
    await expectRefusal(t, 'too_large', 'connection', 'oscar', async () => {
      const closed = new Promise<string>((resolve) => oscar.socket.once('disconnect', resolve));
      await assert.rejects(oscar.sendRaw(new Uint8Array(MAX_MESSAGE_BYTES + SOCKET_FRAME_SLACK_BYTES + 1), 60_000));
      await closed;
    });
    assert.equal((await t.store.hasUpdate(task.runId, 1, 'oscar')), false);
  } finally {
    for (const p of peers) p.close();
    await t.close();
  }
});

test('a refused handshake over a plain socket.io client is counted too (polling transport, when enabled)', { timeout: 30_000 }, async () => {
  const t = await startTestServer({ rounds: 1, minClients: 2 }, { connectionLimits: { allowPolling: true } });
  try {
    await expectRefusal(t, 'unauthenticated', 'handshake', null, async () => {
      const socket = io(t.url, { auth: { token: 'nope' }, reconnection: false, forceNew: true });
      await new Promise<void>((resolve) => socket.once('connect_error', () => resolve()));
      socket.disconnect();
    });
  } finally {
    await t.close();
  }
});
