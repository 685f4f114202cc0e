import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initNetwork, mlpSpec } from '../common/model/index.ts';
import { SeededRandom } from '../common/random/index.ts';
import { encodeEnvelope, MAX_MESSAGE_BYTES, PROTOCOL_VERSION, type ClientUpdate, type WireMessage } from '../common/wire/index.ts';
import { fedfuse } from '../common/wire/generated/fedfuse.js';
import { mintClientToken } from '../server/auth/index.ts';
import { assertTypedReply, craftUpdateBytes, float32Bytes, replyCode, uniformScores, until, updateFor } from './hostile-fixtures.ts';
import { connectRaw, hello, type RawPeer } from './raw-protocol-client.ts';
import { SECRET, startClient, startTestServer } from './rounds-fixtures.ts';

/**
 * The hostile-input catalogue of docs/reliability.md, over a real socket to a
 * real server: each message gets its typed error, nothing of it is stored,
 * and two honest clients (real SDK, real training) complete their round while
 * the attacks run. What test/rounds-rejections.test.ts already proves (stale,
 * future and duplicate updates, unsampled, impersonation, pre-hello, bad
 * tokens, num_examples 0 and 2e9) is not repeated here.
 */

/** socket.io refuses a frame above maxHttpBufferSize = MAX_MESSAGE_BYTES + this (server/app.ts). */
const SOCKET_FRAME_SLACK_BYTES = 1024 * 1024;

test('hostile messages get typed errors and store nothing while two honest clients complete their round', { timeout: 120_000 }, async () => {
  const t = await startTestServer({ rounds: 1, minClients: 3, roundTimeoutMs: 60_000, quorum: 2, reconnectGraceMs: 200 });
  const peers: RawPeer[] = [];
  const honest: Awaited<ReturnType<typeof startClient>>[] = [];
  try {
    // Mallory holds a valid token and is sampled, so her updates reach every check of the orchestrator.
    const mallory = await connectRaw(t.url, mintClientToken(SECRET, 'mallory'));
    peers.push(mallory);
    const hugeHistogram = fedfuse.v1.Envelope.encode({
      protocolVersion: PROTOCOL_VERSION,
      clientHello: { clientId: 'mallory', softwareVersion: 'x', numExamples: 10, labelHistogram: new Array<number>(100_000).fill(1) },
    }).finish();
    assert.equal(replyCode(await mallory.sendRaw(hugeHistogram)), 'invalid_argument', 'a label histogram of 100,000 classes for a 10-class model');
    assert.equal((await t.store.getClient('mallory')), undefined, 'the refused hello was not stored');
    assert.equal((await mallory.send(hello('mallory'))).type, 'welcome');

    honest.push(await startClient(t.url, 0), await startClient(t.url, 1));
    const task = await mallory.nextTask();
    const runId = task.runId;
    const valid = updateFor(task, 'mallory', { attribution: { method: 'grad-x-act', samplesUsed: 10, layers: uniformScores(task) } });
    const validBytes = encodeEnvelope(valid);
    const craft = (edit: (body: fedfuse.v1.IClientUpdate) => void): Uint8Array => craftUpdateBytes(valid, edit);
    const setFirstWeight = (value: number) => (body: fedfuse.v1.IClientUpdate) => {
      new DataView(body.model!.tensors![0]!.data!.buffer).setFloat32(0, value, true);
    };
    const setScores = (layer: number, values: Float32Array) => (body: fedfuse.v1.IClientUpdate) => {
      body.attribution!.layers![layer]!.scores = float32Bytes(values);
    };
    const widths = uniformScores(task).map((s) => s.length);
    const withRecordTensor = (name: string, shape: number[], values: Float32Array) => (body: fedfuse.v1.IClientUpdate) => {
      body.records = { arrays: [{ name: 'scaffold.c_i', tensors: [{ name, shape, dtype: fedfuse.v1.DType.DTYPE_FLOAT32, data: float32Bytes(values) }] }] };
    };
    const otherSpecModel = initNetwork(mlpSpec(784, [8], 10), 5);

    // Eve is authenticated but not sampled and never says hello; she sends garbage until the round is over.
    const eve = await connectRaw(t.url, mintClientToken(SECRET, 'eve'));
    peers.push(eve);
    let roundOver = false;
    const eveReplies: WireMessage[] = [];
    const rng = new SeededRandom(7);
    const eveLoop = (async () => {
      while (!roundOver) {
        const junk = Uint8Array.from({ length: 1 + rng.int(512) }, () => rng.int(256));
        eveReplies.push(await eve.sendRaw(junk));
        eveReplies.push(await eve.sendRaw(validBytes.subarray(0, rng.int(validBytes.byteLength))));
      }
    })();

    // The replay: client-0's own update, byte for byte, sent on Mallory's connection.
    await until('client-0 has trained', () => honest[0]!.events.some((e) => e.type === 'trained'));
    const trained = honest[0]!.events.find((e) => e.type === 'trained');
    const replayed = encodeEnvelope((trained as { update: ClientUpdate }).update);

    const cases: Array<[string, Uint8Array, string]> = [
      ['random bytes', Uint8Array.from({ length: 1024 }, () => rng.int(256)), 'bad_message'],
      ['a truncated envelope', validBytes.subarray(0, Math.floor(validBytes.byteLength / 2)), 'bad_message'],
      ['an empty message', new Uint8Array(0), 'bad_message'],
      ['a RoundTask sent by a client', encodeEnvelope(task), 'bad_message'],
      ['a GlobalModel sent by a client', encodeEnvelope({ type: 'globalModel', runId, round: 1, model: task.model, final: true, separateTrainingModel: false }), 'bad_message'],
      ['an Ack sent by a client', encodeEnvelope({ type: 'ack', runId, round: 1, accepted: 'clientUpdate', message: '' }), 'bad_message'],
      ['an Error sent by a client', encodeEnvelope({ type: 'error', code: 'internal', message: 'x', round: 1 }), 'bad_message'],
      ['a model of another architecture (hidden width 8, not 16)', encodeEnvelope({ ...valid, model: otherSpecModel, attribution: null }), 'shape_mismatch'],
      ['a kernel 4 bytes shorter than its shape', craft((b) => void (b.model!.tensors![0]!.data = b.model!.tensors![0]!.data!.subarray(4))), 'shape_mismatch'],
      ['a kernel whose shape claims one more column', craft((b) => void (b.model!.tensors![0]!.shape = [784, 17])), 'shape_mismatch'],
      ['a tensor whose shape overflows (2^32-1 x 2^32-1)', craft((b) => void (b.model!.tensors![0]!.shape = [0xffffffff, 0xffffffff])), 'shape_mismatch'],
      ['a NaN weight', craft(setFirstWeight(Number.NaN)), 'non_finite'],
      ['an infinite weight', craft(setFirstWeight(Number.POSITIVE_INFINITY)), 'non_finite'],
      ['a NaN importance', craft(setScores(0, Float32Array.from({ length: widths[0]! }, (_, i) => (i === 3 ? Number.NaN : 1)))), 'non_finite'],
      ['a negative importance', craft(setScores(0, Float32Array.from({ length: widths[0]! }, (_, i) => (i === 3 ? -1 : 1)))), 'invalid_argument'],
      ['all-zero importances', craft(setScores(1, new Float32Array(widths[1]!))), 'invalid_argument'],
      ['importances for 17 neurons in a 16-neuron layer', craft(setScores(0, new Float32Array(widths[0]! + 1).fill(1))), 'shape_mismatch'],
      ['importances for one layer of two', craft((b) => void b.attribution!.layers!.pop()), 'shape_mismatch'],
      ['an unknown attribution method', craft((b) => void (b.attribution!.method = 'astrology')), 'invalid_argument'],
      ['a NaN training loss', craft((b) => void (b.metrics!.loss = Number.NaN)), 'non_finite'],
      ['num_examples -1 (a uint32 on the wire: 4294967295)', craft((b) => void (b.numExamples = -1)), 'invalid_argument'],
      ['num_examples one above maxNumExamples (10^7 + 1)', craft((b) => void (b.numExamples = 10_000_001)), 'invalid_argument'],
      ['another client\'s update replayed byte for byte', replayed, 'unauthenticated'],
      [`protocol version ${PROTOCOL_VERSION + 1}`, fedfuse.v1.Envelope.encode({ ...fedfuse.v1.Envelope.decode(validBytes), protocolVersion: PROTOCOL_VERSION + 1 }).finish(), 'bad_message'],
      ['protocol version 1 (before round records)', fedfuse.v1.Envelope.encode({ ...fedfuse.v1.Envelope.decode(validBytes), protocolVersion: 1 }).finish(), 'bad_message'],
      // Records (ClientUpdate.records): checked against the update's model at the boundary.
      ['a record tensor with a NaN', craft(withRecordTensor('layer1/bias', [10], Float32Array.from({ length: 10 }, (_, i) => (i === 2 ? Number.NaN : 0)))), 'non_finite'],
      ['a model-named record tensor of another shape than the model\'s', craft(withRecordTensor('layer0/kernel', [784, 8], new Float32Array(784 * 8))), 'shape_mismatch'],
      ['a record tensor for a layer the model does not have', craft(withRecordTensor('layer7/kernel', [1], new Float32Array(1))), 'shape_mismatch'],
      ['record tensors beyond 4 values per model parameter', craft(withRecordTensor('bulk', [4 * 12_730 + 65_537], new Float32Array(4 * 12_730 + 65_537))), 'too_large'],
      ['a record name with a space', craft(withRecordTensor('my tensor', [1], new Float32Array(1))), 'bad_message'],
      ['the same record twice', craft((b) => void (b.records = { arrays: [{ name: 'a', tensors: [] }, { name: 'a', tensors: [] }] })), 'bad_message'],
      ['a config entry without a value', craft((b) => void (b.records = { configs: [{ name: 'c', entries: [{ key: 'k' }] }] })), 'bad_message'],
      ['a config number that is infinite', craft((b) => void (b.records = { configs: [{ name: 'c', entries: [{ key: 'k', number: Number.POSITIVE_INFINITY }] }] })), 'non_finite'],
    ];
    for (const [what, bytes, expected] of cases) {
      const reply = await mallory.sendRaw(bytes);
      assert.equal(replyCode(reply), expected, `${what}: ${reply.type === 'error' ? reply.message : reply.type}`);
    }
    // An envelope with no acknowledgement callback is processed and dropped; the connection still answers.
    mallory.socket.emit('envelope', Uint8Array.from([1, 2, 3]));
    assert.equal(replyCode(await mallory.sendRaw(new Uint8Array([0xff]))), 'bad_message');
    assert.equal((await t.store.hasUpdate(runId, 1, 'mallory')), false, 'nothing Mallory sent was stored');

    // Size: between the decoder's limit and socket.io's, a typed too_large; beyond socket.io's, the connection is closed.
    const bulky = await connectRaw(t.url, mintClientToken(SECRET, 'bulky'));
    peers.push(bulky);
    assert.equal(replyCode(await bulky.sendRaw(new Uint8Array(MAX_MESSAGE_BYTES + 1), 60_000)), 'too_large');
    const closed = new Promise<string>((resolve) => bulky.socket.once('disconnect', resolve));
    await assert.rejects(bulky.sendRaw(new Uint8Array(MAX_MESSAGE_BYTES + SOCKET_FRAME_SLACK_BYTES + 1), 60_000));
    assert.equal(await closed, 'transport close', 'socket.io closed the connection of an oversized frame');

    // Mallory leaves; the round closes with the two honest updates once the reconnect grace has passed.
    mallory.close();
    const done = await t.waitFor((e) => e.type === 'roundCompleted' || e.type === 'roundFailed');
    roundOver = true;
    await eveLoop;
    assert.equal(done.type, 'roundCompleted');
    assert.deepEqual(done.type === 'roundCompleted' && [...done.participants].sort(), ['client-0', 'client-1']);
    assert.deepEqual((await t.store.listUpdates(runId, 1)).map((u) => u.clientId).sort(), ['client-0', 'client-1'], 'only the honest updates were stored');
    for (const [i, h] of honest.entries()) {
      await until(`client-${i} has the final model`, () => h.client.latestGlobalModel()?.final === true);
      assert.ok(h.events.some((e) => e.type === 'uploaded'), `client-${i} saw its upload acknowledged`);
    }
    assert.ok(eveReplies.length >= 2, 'Eve kept attacking during the round');
    for (const reply of eveReplies) assertTypedReply(reply, 'Eve');
    assert.ok(eveReplies.every((r) => r.type === 'error'), 'none of Eve\'s garbage was accepted');
    assert.deepEqual((await t.store.listClients()).map((c) => c.id).sort(), ['client-0', 'client-1', 'mallory'], 'Eve and bulky never said hello: not stored');
    assert.equal((await fetch(`${t.url}/api/health`)).status, 200);
  } finally {
    for (const p of peers) p.close();
    for (const h of honest) h.client.close();
    await t.close();
  }
});
