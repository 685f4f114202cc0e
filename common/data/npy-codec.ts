import { FedfuseError } from '../errors/index.ts';
import { formatNpyHeader, parseNpyHeader } from './npy-header.ts';

/**
 * NumPy .npy files (format versions 1.0, 2.0 and 3.0), the way Python users
 * hand us data sets: `np.save('images.npy', x)`. Supported: little-endian,
 * C-order arrays of float32, float64, uint8, int32 and int64. Everything else
 * (big-endian, Fortran order, other or structured dtypes) is rejected with a
 * message that says what to convert to, never silently misread.
 *
 * Bytes in, bytes out, with no Node API, so a browser client decodes the
 * files a person picks with the same code (npy-format.ts adds the files).
 */
export type NpyArray =
  | { readonly dtype: 'float32'; readonly shape: readonly number[]; readonly data: Float32Array }
  | { readonly dtype: 'float64'; readonly shape: readonly number[]; readonly data: Float64Array }
  | { readonly dtype: 'uint8'; readonly shape: readonly number[]; readonly data: Uint8Array }
  | { readonly dtype: 'int32'; readonly shape: readonly number[]; readonly data: Int32Array }
  | { readonly dtype: 'int64'; readonly shape: readonly number[]; readonly data: BigInt64Array };

export type NpyDtype = NpyArray['dtype'];
export type NpyData = NpyArray['data'];

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"
/** numpy pads the preamble (magic, version, length, header) to a multiple of 64 bytes. */
const ALIGNMENT = 64;

const DTYPES: readonly { dtype: NpyDtype; kind: string; size: number }[] = [
  { dtype: 'float32', kind: 'f4', size: 4 },
  { dtype: 'float64', kind: 'f8', size: 8 },
  { dtype: 'uint8', kind: 'u1', size: 1 },
  { dtype: 'int32', kind: 'i4', size: 4 },
  { dtype: 'int64', kind: 'i8', size: 8 },
];

export function decodeNpy(bytes: Uint8Array, source: string): NpyArray {
  assertLittleEndianHost();
  const bad = (why: string): FedfuseError => new FedfuseError('bad_message', `${source}: not a valid .npy file: ${why}`);
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) throw bad('missing the \\x93NUMPY magic string');
  const major = bytes[6]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerStart: number;
  let headerLength: number;
  if (major === 1) {
    headerStart = 10;
    headerLength = view.getUint16(8, true);
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) throw bad('truncated preamble');
    headerStart = 12;
    headerLength = view.getUint32(8, true);
  } else {
    throw bad(`format version ${major}.${bytes[7]} is not supported (1.0, 2.0, 3.0 are)`);
  }
  const dataStart = headerStart + headerLength;
  if (bytes.length < dataStart) throw bad(`truncated header (needs ${dataStart} bytes, the file has ${bytes.length})`);
  const text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(headerStart, dataStart));
  const header = parseNpyHeader(text, source);
  if (header.fortranOrder) {
    throw new FedfuseError('bad_message', `${source}: Fortran-order arrays are not supported; save it with np.save(path, np.ascontiguousarray(x))`);
  }
  const type = dtypeOfDescr(header.descr, source);
  const count = header.shape.reduce((a, b) => a * b, 1);
  const expected = dataStart + count * type.size;
  if (bytes.length < expected) throw bad(`truncated: shape (${header.shape.join(', ')}) of ${type.dtype} needs ${expected} bytes, the file has ${bytes.length}`);
  if (bytes.length > expected) throw bad(`${bytes.length - expected} bytes after the data that shape (${header.shape.join(', ')}) describes`);
  // Copy: the data offset need not be a multiple of the element size within the Buffer's memory.
  const buffer = new Uint8Array(bytes.subarray(dataStart, expected)).buffer;
  const shape = header.shape;
  switch (type.dtype) {
    case 'float32':
      return { dtype: type.dtype, shape, data: new Float32Array(buffer) };
    case 'float64':
      return { dtype: type.dtype, shape, data: new Float64Array(buffer) };
    case 'uint8':
      return { dtype: type.dtype, shape, data: new Uint8Array(buffer) };
    case 'int32':
      return { dtype: type.dtype, shape, data: new Int32Array(buffer) };
    case 'int64':
      return { dtype: type.dtype, shape, data: new BigInt64Array(buffer) };
  }
}

export function encodeNpy(data: NpyData, shape: readonly number[]): Uint8Array {
  assertLittleEndianHost();
  if (shape.some((d) => !Number.isSafeInteger(d) || d < 0)) {
    throw new FedfuseError('invalid_argument', `shape must hold non-negative integers, got [${shape.join(', ')}]`);
  }
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) throw new FedfuseError('invalid_argument', `shape [${shape.join(', ')}] has ${count} elements, data has ${data.length}`);
  const type = DTYPES.find((t) => t.dtype === dtypeOfData(data))!;
  const descr = `${type.size === 1 ? '|' : '<'}${type.kind}`;
  const dict = formatNpyHeader({ descr, fortranOrder: false, shape: [...shape] });
  // The header ends with '\n' and is padded with spaces so the data starts on a 64-byte boundary.
  const preamble = (lengthField: number): number => MAGIC.length + 2 + lengthField;
  const lengthField = preamble(2) + dict.length + 1 <= 0xffff ? 2 : 4;
  const unpadded = preamble(lengthField) + dict.length + 1;
  const headerText = dict + ' '.repeat((ALIGNMENT - (unpadded % ALIGNMENT)) % ALIGNMENT) + '\n';
  const dataStart = preamble(lengthField) + headerText.length;
  const bytes = new Uint8Array(dataStart + data.byteLength);
  bytes.set(MAGIC, 0);
  bytes[6] = lengthField === 2 ? 1 : 2;
  bytes[7] = 0;
  const view = new DataView(bytes.buffer);
  if (lengthField === 2) view.setUint16(8, headerText.length, true);
  else view.setUint32(8, headerText.length, true);
  bytes.set(new TextEncoder().encode(headerText), preamble(lengthField));
  bytes.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), dataStart);
  return bytes;
}

function dtypeOfData(data: NpyData): NpyDtype {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof Uint8Array) return 'uint8';
  if (data instanceof Int32Array) return 'int32';
  return 'int64';
}

function dtypeOfDescr(descr: string, source: string): { dtype: NpyDtype; size: number } {
  const m = /^([<>|=]?)([a-zA-Z]\d+)$/.exec(descr);
  const type = m ? DTYPES.find((t) => t.kind === m[2]) : undefined;
  if (!m || !type) {
    throw new FedfuseError('bad_message', `${source}: dtype '${descr}' is not supported; use float32, float64, uint8, int32 or int64 (x.astype(np.float32))`);
  }
  // '=' is native order, which assertLittleEndianHost made sure is little-endian.
  if (m[1] === '>' && type.size > 1) {
    throw new FedfuseError('bad_message', `${source}: big-endian dtype '${descr}' is not supported; save x.astype(x.dtype.newbyteorder('<'))`);
  }
  return type;
}

/** Typed arrays use the host's byte order; we read and write little-endian files by plain copies. */
function assertLittleEndianHost(): void {
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new FedfuseError('internal', '.npy support assumes a little-endian host');
}
