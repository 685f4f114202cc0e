import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import { ERROR_CODES, isFedfuseError } from '../common/errors/index.ts';
import {
  activationMapping,
  dtypeMapping,
  errorCodeMapping,
  messageKindMapping,
  optimizerMapping,
  outputActivationMapping,
  paddingMapping,
  WIRE_MESSAGE_TYPES,
  type EnumMapping,
} from '../common/wire/index.ts';
import { fedfuse } from '../common/wire/generated/fedfuse.js';

const PROTO_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'proto', 'fedfuse.proto');

/** Named values of a generated enum object (protobufjs keeps names as own keys, numbers on the prototype). */
function protoEnumValues(protoEnum: object): [string, number][] {
  return Object.entries(protoEnum).filter((entry): entry is [string, number] => typeof entry[1] === 'number');
}

describe('ErrorCode', () => {
  test('every ERROR_CODES entry maps to the proto value of the same name and back', () => {
    for (const code of ERROR_CODES) {
      const protoValue = errorCodeMapping.toProto(code);
      const byName = protoEnumValues(fedfuse.v1.ErrorCode).find(([name]) => name === `ERROR_CODE_${code.toUpperCase()}`);
      assert.ok(byName, `proto has no ERROR_CODE_${code.toUpperCase()}`);
      assert.equal(protoValue, byName[1], code);
      assert.equal(errorCodeMapping.fromProto(protoValue, 'test'), code);
    }
  });

  test('every proto ErrorCode except UNSPECIFIED is a FedfuseError code', () => {
    const values = protoEnumValues(fedfuse.v1.ErrorCode).filter(([name]) => name !== 'ERROR_CODE_UNSPECIFIED');
    assert.equal(values.length, ERROR_CODES.length);
    for (const [, value] of values) assert.ok((ERROR_CODES as readonly string[]).includes(errorCodeMapping.fromProto(value, 'test')));
  });
});

const ALL_MAPPINGS: [EnumMapping<string, number>, object][] = [
  [errorCodeMapping, fedfuse.v1.ErrorCode],
  [activationMapping, fedfuse.v1.Activation],
  [paddingMapping, fedfuse.v1.Padding],
  [outputActivationMapping, fedfuse.v1.OutputActivation],
  [optimizerMapping, fedfuse.v1.Optimizer],
  [messageKindMapping, fedfuse.v1.MessageKind],
  [dtypeMapping, fedfuse.v1.DType],
];

describe('every enum mapping', () => {
  for (const [mapping, protoEnum] of ALL_MAPPINGS) {
    test(`${mapping.protoEnumName}: each non-zero proto value round trips, 0 and unknown values are bad_message`, () => {
      const values = protoEnumValues(protoEnum);
      assert.ok(values.some(([name, v]) => v === 0 && name.endsWith('_UNSPECIFIED')), 'value 0 is *_UNSPECIFIED');
      const seen = new Set<string>();
      for (const [, v] of values.filter(([, v]) => v !== 0)) {
        const domain = mapping.fromProto(v, 'test');
        assert.ok(!seen.has(domain), `${domain} decoded twice`);
        seen.add(domain);
        assert.equal(mapping.toProto(domain), v);
      }
      for (const bad of [0, null, undefined, 1000, -1]) {
        assert.throws(() => mapping.fromProto(bad, 'field'), (e) => isFedfuseError(e, 'bad_message'), String(bad));
      }
    });
  }
});

describe('message kinds', () => {
  test('WIRE_MESSAGE_TYPES are exactly the Envelope body cases of the .proto file, in order', () => {
    const root = protobuf.loadSync(PROTO_FILE);
    const envelope = root.lookupType('fedfuse.v1.Envelope');
    const body = envelope.oneofs?.['body'];
    assert.ok(body);
    assert.deepEqual(body.fieldsArray.map((f) => f.name), [...WIRE_MESSAGE_TYPES]);
  });

  test('each message kind has a MessageKind value named after it', () => {
    for (const type of WIRE_MESSAGE_TYPES) {
      const name = `MESSAGE_KIND_${type.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
      const byName = protoEnumValues(fedfuse.v1.MessageKind).find(([n]) => n === name);
      assert.ok(byName, name);
      assert.equal(messageKindMapping.toProto(type), byName[1]);
    }
  });
});
