import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isFedfuseError } from '../common/errors/index.ts';
import { SeededRandom } from '../common/random/index.ts';
import { float32FromLittleEndianBytes, float32ToLittleEndianBytes, HOST_IS_LITTLE_ENDIAN } from '../common/wire/index.ts';
import { randomFiniteFloats } from './wire-fixtures.ts';

/** Little-endian bytes computed arithmetically from the bit patterns, independent of the host's byte order. */
function referenceLittleEndian(values: Float32Array): Uint8Array {
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  const out = new Uint8Array(values.length * 4);
  bits.forEach((b, i) => {
    out[4 * i] = b & 0xff;
    out[4 * i + 1] = (b >>> 8) & 0xff;
    out[4 * i + 2] = (b >>> 16) & 0xff;
    out[4 * i + 3] = b >>> 24;
  });
  return out;
}

function bitsOf(values: Float32Array): Uint32Array {
  return new Uint32Array(values.buffer, values.byteOffset, values.length);
}

describe('float32 <-> little-endian bytes', () => {
  const values = randomFiniteFloats(257, new SeededRandom(11));

  test('host byte order detection agrees with an independent probe', () => {
    assert.equal(HOST_IS_LITTLE_ENDIAN, new Uint8Array(new Uint16Array([0x0102]).buffer)[0] === 0x02);
  });

  for (const host of [true, false]) {
    const path = host ? 'little-endian host path' : 'big-endian host path (DataView)';

    test(`${path}: encodes to the arithmetic little-endian reference`, () => {
      assert.deepEqual(float32ToLittleEndianBytes(values, host), referenceLittleEndian(values));
    });

    test(`${path}: decodes bit-exactly, from an odd offset in a larger buffer`, () => {
      const frame = new Uint8Array(3 + values.length * 4 + 2);
      frame.set(referenceLittleEndian(values), 3);
      const decoded = float32FromLittleEndianBytes(frame.subarray(3, 3 + values.length * 4), 'test', host);
      assert.deepEqual(bitsOf(decoded), bitsOf(values));
    });

    test(`${path}: the decoded values do not alias the received bytes`, () => {
      const bytes = referenceLittleEndian(values);
      const decoded = float32FromLittleEndianBytes(bytes, 'test', host);
      bytes.fill(0);
      assert.deepEqual(bitsOf(decoded), bitsOf(values));
      assert.equal(decoded.byteOffset, 0);
    });
  }

  test('a byte length that is not a multiple of 4 is a shape_mismatch', () => {
    for (const n of [1, 2, 3, 5, 4099]) {
      assert.throws(() => float32FromLittleEndianBytes(new Uint8Array(n), 'scores'), (e) => isFedfuseError(e, 'shape_mismatch'));
    }
  });

  test('empty input gives an empty array', () => {
    assert.equal(float32FromLittleEndianBytes(new Uint8Array(0), 'empty').length, 0);
    assert.equal(float32ToLittleEndianBytes(new Float32Array(0)).length, 0);
  });
});
