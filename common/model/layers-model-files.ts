import type * as tf from '@tensorflow/tfjs';

/**
 * The two files of a TF.js Layers model, held in memory: model.json's parsed
 * content and the bytes of its weights. This is how fedfuse stores models
 * (a SQLite row) and serves them (GET model.json, GET weights.bin); the stock
 * `tf.loadLayersModel` reads exactly this layout.
 *
 * `weightData` is the concatenation of every shard of every manifest group, in
 * manifest order (what tfjs calls ModelArtifacts.weightData). Files fedfuse
 * writes have one group with one shard, WEIGHTS_FILE_NAME.
 */
export interface LayersModelFiles {
  readonly modelJson: tf.io.ModelJSON;
  readonly weightData: Uint8Array;
}

export const MODEL_JSON_FILE_NAME = 'model.json';
export const WEIGHTS_FILE_NAME = 'weights.bin';

/** Joins weight shards (or tfjs's list of weight buffers) into one byte array, in order. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.byteLength;
  }
  return out;
}
