import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { FedfuseError } from '../errors/index.ts';
import { readMaybeGzipped } from './file-bytes.ts';

/**
 * The IDX format of MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/):
 * two zero bytes, a type code, the number of dimensions, then each dimension
 * as a big-endian uint32, then the values, big-endian, in row-major order.
 * Files are usually gzipped; readers detect that by the magic bytes.
 */
export type IdxArray =
  | { readonly dtype: 'uint8'; readonly shape: readonly number[]; readonly data: Uint8Array }
  | { readonly dtype: 'int8'; readonly shape: readonly number[]; readonly data: Int8Array }
  | { readonly dtype: 'int16'; readonly shape: readonly number[]; readonly data: Int16Array }
  | { readonly dtype: 'int32'; readonly shape: readonly number[]; readonly data: Int32Array }
  | { readonly dtype: 'float32'; readonly shape: readonly number[]; readonly data: Float32Array }
  | { readonly dtype: 'float64'; readonly shape: readonly number[]; readonly data: Float64Array };

export type IdxDtype = IdxArray['dtype'];

interface IdxType {
  readonly dtype: IdxDtype;
  readonly code: number;
  readonly size: number;
}

const IDX_TYPES: readonly IdxType[] = [
  { dtype: 'uint8', code: 0x08, size: 1 },
  { dtype: 'int8', code: 0x09, size: 1 },
  { dtype: 'int16', code: 0x0b, size: 2 },
  { dtype: 'int32', code: 0x0c, size: 4 },
  { dtype: 'float32', code: 0x0d, size: 4 },
  { dtype: 'float64', code: 0x0e, size: 8 },
];

/** Images of an IDX image file (3 dimensions: count x rows x cols, unsigned bytes). */
export interface IdxImages {
  readonly count: number;
  readonly rows: number;
  readonly cols: number;
  /** count*rows*cols raw pixel values 0..255, row-major. */
  readonly pixels: Uint8Array;
}

/** Reads any IDX file (gzipped or plain), checking the header against the file length. */
export function readIdx(file: string): IdxArray {
  return decodeIdx(readMaybeGzipped(file), file);
}

/** Reads an IDX image file: unsigned bytes, 3 dimensions. */
export function readIdxImages(file: string): IdxImages {
  const array = readIdx(file);
  if (array.dtype !== 'uint8' || array.shape.length !== 3) {
    throw new FedfuseError('bad_message', `${file}: expected an IDX image file (uint8, 3 dimensions), found ${array.dtype} [${array.shape.join(', ')}]`);
  }
  return { count: array.shape[0]!, rows: array.shape[1]!, cols: array.shape[2]!, pixels: array.data };
}

/** Reads an IDX label file: unsigned bytes, 1 dimension. */
export function readIdxLabels(file: string): Int32Array {
  const array = readIdx(file);
  if (array.dtype !== 'uint8' || array.shape.length !== 1) {
    throw new FedfuseError('bad_message', `${file}: expected an IDX label file (uint8, 1 dimension), found ${array.dtype} [${array.shape.join(', ')}]`);
  }
  return Int32Array.from(array.data);
}

/** Parses IDX bytes (already gunzipped); `source` names them in error messages. */
export function decodeIdx(bytes: Uint8Array, source: string): IdxArray {
  const corrupt = (why: string): FedfuseError => new FedfuseError('bad_message', `${source}: not a valid IDX file: ${why}`);
  if (bytes.length < 4) throw corrupt(`${bytes.length} bytes is shorter than the 4-byte magic number`);
  if (bytes[0] !== 0 || bytes[1] !== 0) throw corrupt('the magic number does not start with two zero bytes');
  const type = IDX_TYPES.find((t) => t.code === bytes[2]);
  if (!type) throw corrupt(`unknown type code 0x${bytes[2]!.toString(16)}`);
  const ndim = bytes[3]!;
  if (ndim === 0) throw corrupt('zero dimensions');
  const headerLength = 4 + 4 * ndim;
  if (bytes.length < headerLength) throw corrupt(`truncated header (${bytes.length} of ${headerLength} bytes)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape = Array.from({ length: ndim }, (_, d) => view.getUint32(4 + 4 * d, false));
  const count = shape.reduce((a, b) => a * b, 1);
  const expected = headerLength + count * type.size;
  if (bytes.length < expected) throw corrupt(`truncated: dimensions [${shape.join(', ')}] need ${expected} bytes, the file has ${bytes.length}`);
  if (bytes.length > expected) throw corrupt(`${bytes.length - expected} bytes after the data that dimensions [${shape.join(', ')}] describe`);
  return decodeValues(type.dtype, shape, bytes, view, headerLength, count);
}

/**
 * Values as a native-endian typed array. Bytes are returned as a view into
 * `bytes` (the decoded file, which nothing else holds) to spare a copy of up
 * to 47 MB; wider types are converted from big-endian into new arrays.
 */
function decodeValues(dtype: IdxDtype, shape: number[], bytes: Uint8Array, view: DataView, offset: number, count: number): IdxArray {
  switch (dtype) {
    case 'uint8':
      return { dtype, shape, data: new Uint8Array(bytes.buffer, bytes.byteOffset + offset, count) };
    case 'int8':
      return { dtype, shape, data: new Int8Array(bytes.buffer, bytes.byteOffset + offset, count) };
    case 'int16': {
      const data = new Int16Array(count);
      for (let i = 0; i < count; i++) data[i] = view.getInt16(offset + 2 * i, false);
      return { dtype, shape, data };
    }
    case 'int32': {
      const data = new Int32Array(count);
      for (let i = 0; i < count; i++) data[i] = view.getInt32(offset + 4 * i, false);
      return { dtype, shape, data };
    }
    case 'float32': {
      const data = new Float32Array(count);
      for (let i = 0; i < count; i++) data[i] = view.getFloat32(offset + 4 * i, false);
      return { dtype, shape, data };
    }
    case 'float64': {
      const data = new Float64Array(count);
      for (let i = 0; i < count; i++) data[i] = view.getFloat64(offset + 8 * i, false);
      return { dtype, shape, data };
    }
  }
}

/** Encodes an array as IDX bytes (not compressed). */
export function encodeIdx(array: IdxArray): Uint8Array {
  const type = IDX_TYPES.find((t) => t.dtype === array.dtype)!;
  const count = array.shape.reduce((a, b) => a * b, 1);
  if (array.shape.length === 0 || array.shape.length > 255 || array.shape.some((d) => !Number.isInteger(d) || d < 0 || d > 0xffffffff)) {
    throw new FedfuseError('invalid_argument', `IDX needs 1 to 255 dimensions of uint32 size, got [${array.shape.join(', ')}]`);
  }
  if (count !== array.data.length) {
    throw new FedfuseError('invalid_argument', `shape [${array.shape.join(', ')}] has ${count} elements, data has ${array.data.length}`);
  }
  const headerLength = 4 + 4 * array.shape.length;
  const bytes = new Uint8Array(headerLength + count * type.size);
  const view = new DataView(bytes.buffer);
  bytes[2] = type.code;
  bytes[3] = array.shape.length;
  array.shape.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  for (let i = 0; i < count; i++) {
    const at = headerLength + i * type.size;
    const v = array.data[i]!;
    switch (array.dtype) {
      case 'uint8':
        view.setUint8(at, v);
        break;
      case 'int8':
        view.setInt8(at, v);
        break;
      case 'int16':
        view.setInt16(at, v, false);
        break;
      case 'int32':
        view.setInt32(at, v, false);
        break;
      case 'float32':
        view.setFloat32(at, v, false);
        break;
      case 'float64':
        view.setFloat64(at, v, false);
        break;
    }
  }
  return bytes;
}

/** Writes an array as an IDX file, gzipped when asked (as the MNIST distribution files are). */
export function writeIdx(file: string, array: IdxArray, options: { gzip?: boolean } = {}): void {
  const bytes = encodeIdx(array);
  writeFileSync(file, options.gzip ? gzipSync(bytes) : bytes);
}
