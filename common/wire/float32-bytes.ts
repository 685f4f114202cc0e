import { FedfuseError } from '../errors/index.ts';

/**
 * Float32 values <-> little-endian bytes, the tensor encoding of the protocol.
 *
 * Typed arrays use the host's byte order. Every machine we run on is
 * little-endian, so the fast path is a plain byte view or copy; the DataView
 * path keeps a big-endian host correct instead of silently byte-swapping
 * every weight. Tests exercise both paths through the `hostIsLittleEndian`
 * parameter.
 */
export const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * The values as little-endian bytes. On a little-endian host this is a view
 * of `values` (no copy): protobufjs copies it into the message buffer while
 * encoding, so the view must simply not outlive a synchronous encode.
 */
export function float32ToLittleEndianBytes(values: Float32Array, hostIsLittleEndian = HOST_IS_LITTLE_ENDIAN): Uint8Array {
  if (hostIsLittleEndian) return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i]!, true);
  return out;
}

/**
 * Float32 values from little-endian bytes, always in a fresh buffer: protobufjs
 * hands out `bytes` fields as views into the received frame, at offsets that
 * need not be multiples of 4 (a Float32Array view there throws a RangeError),
 * and a view would keep the whole frame alive as long as the weights.
 */
export function float32FromLittleEndianBytes(bytes: Uint8Array, what: string, hostIsLittleEndian = HOST_IS_LITTLE_ENDIAN): Float32Array {
  if (bytes.byteLength % 4 !== 0) {
    throw new FedfuseError('shape_mismatch', `${what}: ${bytes.byteLength} bytes is not a whole number of float32 values`);
  }
  if (hostIsLittleEndian) {
    const copy = new Uint8Array(bytes.byteLength);
    copy.set(bytes);
    return new Float32Array(copy.buffer);
  }
  const out = new Float32Array(bytes.byteLength / 4);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}
