import type * as tf from '@tensorflow/tfjs';
import { FedfuseError } from '../errors/index.ts';

/**
 * Decodes the binary weights of a TF.js model (the concatenation of all shard
 * files, in manifest order) into float32 arrays by weight name, without
 * tensors. Follows tfjs-core's decodeWeights: values are laid out back to back
 * in the order of the weight specs; quantized weights (uint8/uint16 affine,
 * float16) are expanded to float32. Non-float weights (int32, bool, string:
 * e.g. an optimizer's step counter) are stepped over, since no supported layer
 * uses them.
 */
export interface DecodedWeight {
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

type WeightsManifestEntry = tf.io.WeightsManifestEntry;

const BYTES_PER_VALUE: Record<string, number> = { float32: 4, int32: 4, bool: 1, complex64: 8, uint8: 1, uint16: 2, float16: 2 };

export function decodeFloatWeights(specs: readonly WeightsManifestEntry[], data: Uint8Array): Map<string, DecodedWeight> {
  const out = new Map<string, DecodedWeight>();
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let offset = 0;
  for (const spec of specs) {
    if (!Array.isArray(spec.shape) || !spec.shape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw new FedfuseError('invalid_argument', `weight "${spec.name}": shape ${JSON.stringify(spec.shape)} is not a list of sizes`);
    }
    const size = spec.shape.reduce((a, b) => a * b, 1);
    if (spec.dtype === 'string') {
      // Each string is a uint32 little-endian byte length followed by its bytes.
      for (let i = 0; i < size; i++) {
        need(spec, offset + 4, data.byteLength);
        offset += 4 + view.getUint32(offset, true);
      }
      need(spec, offset, data.byteLength);
      continue;
    }
    const storedAs = spec.quantization?.dtype ?? spec.dtype;
    const bytesPerValue = BYTES_PER_VALUE[storedAs];
    if (bytesPerValue === undefined) throw new FedfuseError('invalid_argument', `weight "${spec.name}": unknown dtype ${storedAs}`);
    const bytes = size * bytesPerValue;
    need(spec, offset + bytes, data.byteLength);
    if (spec.dtype === 'float32') {
      if (out.has(spec.name)) throw new FedfuseError('invalid_argument', `weight "${spec.name}" appears twice in the weights manifest`);
      out.set(spec.name, { shape: [...spec.shape], values: decodeFloat32(spec, view, offset, size) });
    }
    offset += bytes;
  }
  return out;
}

function need(spec: WeightsManifestEntry, end: number, available: number): void {
  if (end > available) {
    throw new FedfuseError('invalid_argument', `weight data too short: "${spec.name}" ends at byte ${end}, the weight files hold ${available} bytes`);
  }
}

function decodeFloat32(spec: WeightsManifestEntry, view: DataView, offset: number, size: number): Float32Array {
  const values = new Float32Array(size);
  const q = spec.quantization;
  if (q === undefined) {
    for (let i = 0; i < size; i++) values[i] = view.getFloat32(offset + 4 * i, true);
  } else if (q.dtype === 'uint8' || q.dtype === 'uint16') {
    if (typeof q.scale !== 'number' || typeof q.min !== 'number') {
      throw new FedfuseError('invalid_argument', `weight "${spec.name}": ${q.dtype} quantization without min and scale`);
    }
    for (let i = 0; i < size; i++) {
      const v = q.dtype === 'uint8' ? view.getUint8(offset + i) : view.getUint16(offset + 2 * i, true);
      values[i] = v * q.scale + q.min;
    }
  } else if (q.dtype === 'float16') {
    for (let i = 0; i < size; i++) values[i] = float16ToNumber(view.getUint16(offset + 2 * i, true));
  } else {
    // The manifest is parsed JSON, so the dtype can be anything despite the declared union (narrowed to never here).
    throw new FedfuseError('invalid_argument', `weight "${spec.name}": unknown quantization ${String((q as { dtype: unknown }).dtype)}`);
  }
  return values;
}

/** IEEE 754 half precision to a JS number. */
export function float16ToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}
