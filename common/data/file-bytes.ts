import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { FedfuseError } from '../errors/index.ts';

/**
 * Reads a whole file. A missing or unreadable file is the caller's mistake
 * (a wrong path), so it becomes 'invalid_argument'; what the bytes say is
 * checked by the format readers, which use 'bad_message'.
 */
export function readFileBytes(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (cause) {
    const reason = existsSync(file) ? 'cannot be read' : 'does not exist';
    throw new FedfuseError('invalid_argument', `${file} ${reason}`, { cause });
  }
}

/** True when the bytes start with the gzip magic number 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * The file's bytes, gunzipped when they are gzip data. Compression is
 * recognised by the magic number, not the file name, so `x.gz` that was
 * already unpacked and a gzip file without `.gz` both read correctly.
 */
export function readMaybeGzipped(file: string): Buffer {
  const bytes = readFileBytes(file);
  if (!isGzip(bytes)) return bytes;
  try {
    return gunzipSync(bytes);
  } catch (cause) {
    throw new FedfuseError('bad_message', `${file}: corrupt or truncated gzip data (${cause instanceof Error ? cause.message : String(cause)})`, { cause });
  }
}
