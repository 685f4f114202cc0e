import { writeFileSync } from 'node:fs';
import { readFileBytes } from './file-bytes.ts';
import { decodeNpy, encodeNpy, type NpyArray, type NpyData } from './npy-codec.ts';

/** .npy files on disk; the format itself is npy-codec.ts. */
export * from './npy-codec.ts';

export function readNpy(file: string): NpyArray {
  return decodeNpy(readFileBytes(file), file);
}

/** Writes `data` with the given shape as a .npy file (version 1.0, or 2.0 for a header over 64 KiB). */
export function writeNpy(file: string, data: NpyData, shape: readonly number[]): void {
  writeFileSync(file, encodeNpy(data, shape));
}
