import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import { encodeEnvelope, envelopeFromProto, envelopeToProto } from '../common/wire/index.ts';
import { fedfuse } from '../common/wire/generated/fedfuse.js';
import { oneOfEachMessage } from './wire-fixtures.ts';

/**
 * common/wire/generated is produced from proto/fedfuse.proto by pbjs/pbts and
 * committed. These tests load the .proto at runtime (reflection) and fail when
 * the generated code no longer matches it, i.e. someone edited the .proto and
 * forgot to regenerate.
 */
const PROTO_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'proto', 'fedfuse.proto');
const root = protobuf.loadSync(PROTO_FILE);
const ReflectionEnvelope = root.lookupType('fedfuse.v1.Envelope');

describe('generated code is up to date with proto/fedfuse.proto', () => {
  test('every enum has the same names and numbers', () => {
    const v1 = root.lookup('fedfuse.v1');
    assert.ok(v1 instanceof protobuf.Namespace);
    const reflectionEnums = v1.nestedArray.filter((n): n is protobuf.Enum => n instanceof protobuf.Enum);
    assert.ok(reflectionEnums.length >= 7);
    const generated: Record<string, unknown> = { ...fedfuse.v1 };
    for (const e of reflectionEnums) {
      const gen = generated[e.name];
      assert.ok(gen !== undefined && typeof gen === 'object' && gen !== null, `generated code lacks enum ${e.name}`);
      assert.deepEqual({ ...gen }, { ...e.values }, e.name);
    }
  });

  for (const msg of oneOfEachMessage()) {
    test(`${msg.type}: static and reflection encoders give the same bytes, and decode to the same message`, () => {
      const bytes = encodeEnvelope(msg);
      const proto = envelopeToProto(msg);
      assert.deepEqual(ReflectionEnvelope.encode(proto).finish(), bytes);
      // A reflection-decoded envelope has the generated one's plain shape; only its static type is generic.
      assert.deepStrictEqual(envelopeFromProto(ReflectionEnvelope.decode(bytes) as fedfuse.v1.IEnvelope), msg);
    });
  }
});
