import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { encodeEnvelope, type WireMessage } from '../common/wire/index.ts';
import { mintClientToken } from '../server/auth/index.ts';
import { decodeModelBlob } from '../server/rounds/index.ts';
import { mutate, mutation } from './byte-mutations.ts';
import { assertTypedReply, replyCode, uniformScores, updateFor } from './hostile-fixtures.ts';
import { connectRaw, hello, type RawPeer } from './raw-protocol-client.ts';
import { SECRET, startTestServer } from './rounds-fixtures.ts';
import { oneOfEachMessage } from './wire-fixtures.ts';

/**
 * Time-bounded fuzzing of the live server over a real socket (the decoder
 * alone is fuzzed in test/wire-fuzz.test.ts). The fuzzing client is sampled in
 * an open round, so a mutated update that still decodes goes through every
 * check of the orchestrator and may be stored. Properties: every message is
 * answered through its acknowledgement with an ack, a welcome or a typed
 * error that is not 'internal'; the connection is never dropped for it;
 * whatever was stored decodes; the server answers HTTP afterwards. Garbage
 * below the protocol (socket.io packets that do not parse) may cost the
 * sender its connection, never the server.
 */

const PHASE_MS = 2_000;
const FUZZ = { numRuns: 1_000_000, interruptAfterTimeLimit: PHASE_MS, markInterruptAsFailure: false } as const;

/** Anything socket.io can carry as the envelope event's argument. */
const anyPayload: fc.Arbitrary<unknown> = fc.oneof(
  fc.uint8Array({ maxLength: 2048 }),
  fc.string({ maxLength: 200 }),
  fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null)),
  fc.jsonValue({ maxDepth: 3 }),
  fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 3 }),
  fc.record({ bytes: fc.uint8Array({ maxLength: 64 }) }),
);

function tally(counts: Map<string, number>, reply: WireMessage): void {
  const code = replyCode(reply);
  counts.set(code, (counts.get(code) ?? 0) + 1);
}

async function answers(peer: RawPeer): Promise<boolean> {
  try {
    await peer.sendRaw(new Uint8Array([0xff]), 2_000);
    return true;
  } catch {
    return false;
  }
}

const shown = (counts: Map<string, number>): string => [...counts].map(([k, v]) => `${k} ${v}`).join(', ');

test('random payloads and mutated valid envelopes over a real socket get an ack or a typed error, and never crash the server', { timeout: 60_000 }, async (ctx) => {
  const t = await startTestServer({ rounds: 1, minClients: 2, roundTimeoutMs: 60_000 });
  const peers: RawPeer[] = [];
  try {
    const fuzzer = await connectRaw(t.url, mintClientToken(SECRET, 'fuzzer'));
    const idle = await connectRaw(t.url, mintClientToken(SECRET, 'idle'));
    peers.push(fuzzer, idle);
    assert.equal((await fuzzer.send(hello('fuzzer'))).type, 'welcome');
    assert.equal((await idle.send(hello('idle'))).type, 'welcome'); // sampled, never answers: the round stays open
    const task = await fuzzer.nextTask();
    const valid = updateFor(task, 'fuzzer', { attribution: { method: 'grad-x-act', samplesUsed: 10, layers: uniformScores(task) } });
    const seeds = [
      encodeEnvelope(valid),
      encodeEnvelope({ type: 'clientHello', clientId: 'fuzzer', softwareVersion: 'f', numExamples: 100, labelHistogram: new Array<number>(10).fill(10), widthCapacity: null }),
      ...oneOfEachMessage().map(encodeEnvelope),
    ];

    const random = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(anyPayload, async (payload) => {
        const reply = await fuzzer.sendRaw(payload);
        assertTypedReply(reply, `payload ${JSON.stringify(payload)?.slice(0, 200)}`);
        tally(random, reply);
      }),
      FUZZ,
    );

    const mutated = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: seeds.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 }), async (which, mutations) => {
        const reply = await fuzzer.sendRaw(mutate(seeds[which]!, mutations));
        assertTypedReply(reply, `mutation ${JSON.stringify(mutations)} of seed ${which}`);
        tally(mutated, reply);
      }),
      FUZZ,
    );
    assert.ok(fuzzer.socket.connected, 'no envelope cost the fuzzer its connection');

    // Below the protocol: raw engine.io messages that socket.io must parse as packets.
    let sent = 0;
    let dropped = 0;
    let peer = await connectRaw(t.url, mintClientToken(SECRET, 'raw-0'));
    const deadline = Date.now() + PHASE_MS;
    const rawPackets = fc.sample(fc.oneof(fc.string({ maxLength: 64 }), fc.constantFrom('2', '5', '6', '451-', '40{', '42["envelope"', '43', '4999999999999999999[')), 20_000);
    for (const packet of rawPackets) {
      if (Date.now() > deadline) break;
      peer.socket.io.engine.write(packet);
      sent++;
      // A request after each packet tells whether the connection survived it.
      const alive = peer.socket.connected && (await answers(peer));
      if (!alive) {
        dropped++;
        peer.close();
        peer = await connectRaw(t.url, mintClientToken(SECRET, `raw-${dropped}`));
      }
    }
    peer.close();

    // Whatever the fuzzer got stored decodes; the server still takes and answers a valid update.
    const stored = (await t.store.getUpdate(task.runId, 1, 'fuzzer'));
    if (stored !== undefined) decodeModelBlob(stored.model, 'the fuzzer\'s stored update');
    const last = replyCode(await fuzzer.send(valid));
    assert.ok(last === 'ack' || last === 'duplicate', `a valid update after the fuzzing: ${last}`);
    assert.equal((await fetch(`${t.url}/api/health`)).status, 200);

    const total = (m: Map<string, number>): number => [...m.values()].reduce((a, b) => a + b, 0);
    assert.ok(total(random) > 50 && total(mutated) > 50, 'each phase ran a meaningful number of messages');
    ctx.diagnostic(`random payloads: ${total(random)} in ${PHASE_MS / 1000} s (${shown(random)})`);
    ctx.diagnostic(`mutated envelopes: ${total(mutated)} in ${PHASE_MS / 1000} s (${shown(mutated)})`);
    ctx.diagnostic(`raw socket.io packets: ${sent} sent, ${dropped} cost the sender its connection`);
  } finally {
    for (const p of peers) p.close();
    await t.close();
  }
});
