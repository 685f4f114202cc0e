import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isFedfuseError, type ErrorCode } from '../common/errors/index.ts';
import { SeededRandom } from '../common/random/index.ts';
import {
  decodeEnvelope,
  encodeEnvelope,
  envelopeToProto,
  MAX_MESSAGE_BYTES,
  PROTOCOL_VERSION,
  WIRE_MESSAGE_TYPES,
  type MessageOf,
  type WireMessage,
} from '../common/wire/index.ts';
import { fedfuse } from '../common/wire/generated/fedfuse.js';
import { wellFormedString } from '../common/wire/field-checks.ts';
import { mlpSpec } from '../common/model/spec.ts';
import { oneOfEachMessage, randomNetwork, SMALL_MLP_SPEC } from './wire-fixtures.ts';

/** A number no enum of the protocol defines (typed `number` so TypeScript lets it into an enum field). */
const UNKNOWN_ENUM_VALUE: number = 13;

function rejects(code: ErrorCode, fn: () => unknown): void {
  assert.throws(fn, (e) => {
    assert.ok(isFedfuseError(e), `expected a FedfuseError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    return true;
  });
}

function encodeProto(proto: fedfuse.v1.IEnvelope): Uint8Array {
  return fedfuse.v1.Envelope.encode(proto).finish();
}

/** Encode a valid message, edit its protobuf form, return the real bytes. */
function editedBytes(msg: WireMessage, edit: (env: fedfuse.v1.IEnvelope) => void): Uint8Array {
  const proto = envelopeToProto(msg);
  edit(proto);
  return encodeProto(proto);
}

function messageOfType<T extends WireMessage['type']>(type: T): MessageOf<T> {
  const found = oneOfEachMessage().find((m): m is MessageOf<T> => m.type === type);
  assert.ok(found, type);
  return found;
}

describe('every message kind round trips', () => {
  const messages = oneOfEachMessage();

  test('the fixtures cover every kind', () => {
    assert.deepEqual([...new Set(messages.map((m) => m.type))].sort(), [...WIRE_MESSAGE_TYPES].sort());
  });

  for (const msg of messages) {
    test(`${msg.type}${'clientId' in msg ? ` (${msg.clientId})` : ''}${msg.type === 'error' ? ` (${msg.code})` : ''}`, () => {
      const bytes = encodeEnvelope(msg);
      assert.deepStrictEqual(decodeEnvelope(bytes), msg);
      // The first field on the wire is protocol_version (field 1, varint) = PROTOCOL_VERSION.
      assert.deepEqual([...bytes.subarray(0, 2)], [0x08, PROTOCOL_VERSION]);
    });
  }
});

describe('malformed bytes', () => {
  test('every proper prefix of a client update is a bad_message', () => {
    const bytes = encodeEnvelope(messageOfType('clientUpdate'));
    assert.ok(bytes.length > 500);
    for (let n = 0; n < bytes.length; n++) rejects('bad_message', () => decodeEnvelope(bytes.subarray(0, n)));
  });

  test('garbage is a bad_message', () => {
    const cases = [
      new Uint8Array(64).fill(0xff),
      new Uint8Array([0x08]),
      new Uint8Array([0x0f]), // wire type 7 does not exist
      new Uint8Array([0x08, 0x01, 0x6a, 0xff, 0xff, 0xff, 0xff, 0x0f]), // client_update claiming 4 GiB
      Buffer.from('{"type":"clientHello","clientId":"x"}'),
    ];
    for (const bytes of cases) rejects('bad_message', () => decodeEnvelope(bytes));
  });

  test('random bytes only ever fail with a FedfuseError', () => {
    const rng = new SeededRandom(99);
    for (let i = 0; i < 2000; i++) {
      const bytes = Uint8Array.from({ length: rng.int(200) }, () => rng.int(256));
      try {
        decodeEnvelope(bytes);
      } catch (e) {
        assert.ok(isFedfuseError(e), String(e));
        assert.notEqual(e.code, 'internal', e.message);
      }
    }
  });

  test('an empty buffer is a bad_message (version 0, no body)', () => {
    rejects('bad_message', () => decodeEnvelope(new Uint8Array(0)));
  });
});

describe('envelope checks', () => {
  const hello = messageOfType('clientHello');

  test('wrong or missing protocol version -> bad_message', () => {
    for (const version of [0, PROTOCOL_VERSION + 1, 0xffffffff]) {
      rejects('bad_message', () => decodeEnvelope(editedBytes(hello, (env) => { env.protocolVersion = version; })));
    }
  });

  test('no body -> bad_message', () => {
    rejects('bad_message', () => decodeEnvelope(encodeProto({ protocolVersion: PROTOCOL_VERSION })));
  });

  test('only an unknown body field (a newer peer) -> bad_message', () => {
    const known = encodeProto({ protocolVersion: PROTOCOL_VERSION });
    const unknownField = new Uint8Array([0xfa, 0x01, 0x02, 0x08, 0x01]); // field 31, length 2
    rejects('bad_message', () => decodeEnvelope(Buffer.concat([known, unknownField])));
  });

  test('two bodies (concatenated envelopes) -> bad_message', () => {
    const two = Buffer.concat([encodeEnvelope(hello), encodeEnvelope(messageOfType('ack'))]);
    rejects('bad_message', () => decodeEnvelope(two));
  });

  test('over the size limit -> too_large, before parsing', () => {
    rejects('too_large', () => decodeEnvelope(new Uint8Array(MAX_MESSAGE_BYTES + 1)));
  });

  test('encoding a model over the size limit -> too_large', () => {
    const units = MAX_MESSAGE_BYTES / 4 + 1;
    const spec = mlpSpec(1, [], units);
    const model = {
      spec,
      layers: [{ kernel: new Float32Array(units), kernelShape: [1, units], bias: new Float32Array(units) }],
    };
    rejects('too_large', () => encodeEnvelope({ type: 'globalModel', runId: 'r', round: 1, model, final: false, separateTrainingModel: false }));
  });

  test('unencodable numbers -> invalid_argument on encode', () => {
    rejects('invalid_argument', () => encodeEnvelope({ type: 'welcome', runId: 'r', currentRound: -1, serverVersion: '', runFinished: false, dataCarve: null }));
    rejects('invalid_argument', () => encodeEnvelope({ type: 'welcome', runId: 'r', currentRound: 1.5, serverVersion: '', runFinished: false, dataCarve: null }));
    rejects('invalid_argument', () => encodeEnvelope({ ...hello, labelHistogram: [1, 2 ** 32] }));
    rejects('invalid_argument', () => encodeEnvelope({ ...messageOfType('roundTask'), deadlineUnixMs: 2 ** 53 }));
  });
});

describe('required fields and values', () => {
  test('empty ids -> bad_message', () => {
    rejects('bad_message', () => decodeEnvelope(editedBytes(messageOfType('clientHello'), (env) => { env.clientHello!.clientId = ''; })));
    rejects('bad_message', () => decodeEnvelope(editedBytes(messageOfType('clientUpdate'), (env) => { env.clientUpdate!.clientId = ''; })));
    rejects('bad_message', () => decodeEnvelope(editedBytes(messageOfType('roundTask'), (env) => { env.roundTask!.runId = ''; })));
  });

  test('non-ASCII strings round trip; invalid UTF-8 becomes U+FFFD, the same for Buffer and Uint8Array input', () => {
    const hello = { ...messageOfType('clientHello'), clientId: 'capteur-é-🛰️', softwareVersion: 'abc' };
    assert.deepStrictEqual(decodeEnvelope(encodeEnvelope(hello)), hello);
    const bytes = Buffer.from(encodeEnvelope(hello));
    const at = bytes.indexOf('abc');
    assert.ok(at > 0);
    bytes[at] = 0xed; // would start a 3-byte sequence for a surrogate code point: invalid UTF-8
    for (const input of [bytes, Uint8Array.from(bytes)]) {
      const got = decodeEnvelope(input) as MessageOf<'clientHello'>;
      assert.ok(got.softwareVersion.includes('\ufffd'), JSON.stringify(got.softwareVersion));
      assert.ok(got.softwareVersion.endsWith('c'));
      assert.deepStrictEqual(decodeEnvelope(encodeEnvelope(got)), got);
    }
  });

  test('a lone surrogate in a string field is refused (what a non-Node decoder makes of invalid UTF-8)', () => {
    rejects('bad_message', () => wellFormedString('ab\ud8a3c', 'field'));
    rejects('bad_message', () => wellFormedString('\udc00', 'field'));
    assert.equal(wellFormedString('🛰️ ok', 'field'), '🛰️ ok');
    assert.equal(wellFormedString(undefined, 'field'), '');
  });

  test('missing sub-messages -> bad_message', () => {
    rejects('bad_message', () => decodeEnvelope(editedBytes(messageOfType('roundTask'), (env) => { env.roundTask!.globalModel = null; })));
    rejects('bad_message', () => decodeEnvelope(editedBytes(messageOfType('roundTask'), (env) => { env.roundTask!.training = null; })));
    rejects('bad_message', () => decodeEnvelope(editedBytes(messageOfType('clientUpdate'), (env) => { env.clientUpdate!.model = null; })));
    rejects('bad_message', () => decodeEnvelope(editedBytes(messageOfType('clientUpdate'), (env) => { env.clientUpdate!.metrics = null; })));
    rejects('bad_message', () => decodeEnvelope(editedBytes(messageOfType('globalModel'), (env) => { env.globalModel!.model = null; })));
  });

  test('unspecified or unknown enums -> bad_message', () => {
    rejects('bad_message', () => decodeEnvelope(editedBytes(messageOfType('error'), (env) => { env.error!.code = 0; })));
    rejects('bad_message', () => decodeEnvelope(editedBytes(messageOfType('error'), (env) => { env.error!.code = UNKNOWN_ENUM_VALUE; })));
    rejects('bad_message', () => decodeEnvelope(editedBytes(messageOfType('ack'), (env) => { env.ack!.accepted = 0; })));
    rejects('bad_message', () => decodeEnvelope(editedBytes(messageOfType('roundTask'), (env) => { env.roundTask!.training!.optimizer = UNKNOWN_ENUM_VALUE; })));
  });

  test('training config out of range -> invalid_argument, non-finite -> non_finite', () => {
    const task = messageOfType('roundTask');
    const edit = (f: (t: fedfuse.v1.ITrainingConfig) => void) => () => decodeEnvelope(editedBytes(task, (env) => f(env.roundTask!.training!)));
    rejects('invalid_argument', edit((t) => { t.epochs = 0; }));
    rejects('invalid_argument', edit((t) => { t.batchSize = 0; }));
    rejects('invalid_argument', edit((t) => { t.learningRate = 0; }));
    rejects('invalid_argument', edit((t) => { t.proximalMu = -0.5; }));
    rejects('invalid_argument', edit((t) => { t.attributionMethod = 'deeplift-v9'; }));
    rejects('non_finite', edit((t) => { t.learningRate = NaN; }));
    rejects('non_finite', edit((t) => { t.proximalMu = Infinity; }));
  });

  test('metrics: NaN -> non_finite, accuracy above 1 or negative time -> invalid_argument', () => {
    const upd = messageOfType('clientUpdate');
    const edit = (f: (m: fedfuse.v1.ITrainingMetrics) => void) => () => decodeEnvelope(editedBytes(upd, (env) => f(env.clientUpdate!.metrics!)));
    rejects('non_finite', edit((m) => { m.loss = NaN; }));
    rejects('invalid_argument', edit((m) => { m.accuracy = 1.5; }));
    rejects('invalid_argument', edit((m) => { m.trainSeconds = -1; }));
  });

  test('a deadline beyond 2^53 ms -> bad_message; one just below survives', () => {
    const task = messageOfType('roundTask');
    rejects('bad_message', () => decodeEnvelope(editedBytes(task, (env) => {
      // 2^53 as the {low, high} pair protobufjs' writer reads (the generated typings name a Long class we do not import).
      env.roundTask!.deadlineUnixMs = { low: 0, high: 0x00200000, unsigned: true } as fedfuse.v1.IRoundTask['deadlineUnixMs'];
    })));
    const max = Number.MAX_SAFE_INTEGER;
    const got = decodeEnvelope(encodeEnvelope({ ...task, deadlineUnixMs: max })) as MessageOf<'roundTask'>;
    assert.equal(got.deadlineUnixMs, max);
  });

  test('a client update for a model with NaN weights -> non_finite', () => {
    const net = randomNetwork(SMALL_MLP_SPEC, 8);
    const kernel = new Float32Array(net.layers[0]!.kernel);
    kernel[3] = NaN;
    const poisoned = { ...net, layers: [{ ...net.layers[0]!, kernel }, ...net.layers.slice(1)] };
    rejects('non_finite', () => decodeEnvelope(encodeEnvelope({ ...messageOfType('clientUpdate'), model: poisoned })));
  });
});

// Type-level checks, verified by `tsc --noEmit`: MessageOf narrows to exactly one kind.
const narrowed: MessageOf<'ack'>['type'] = 'ack';
void narrowed;
// @ts-expect-error a welcome is not a client update
const wrongKind: MessageOf<'clientUpdate'> = { type: 'welcome', runId: 'r', currentRound: 1, serverVersion: '', runFinished: false, dataCarve: null };
void wrongKind;
