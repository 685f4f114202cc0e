import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { FedfuseError } from '../errors/index.ts';

/**
 * The im2col view of an NHWC convolution with dilation 1, shared by our wasm
 * Conv2DBackpropFilter and Conv2DBackpropInput: a "patch" is the
 * filterHeight x filterWidth x inChannels block of input under one output
 * position (n, oh, ow), zeros where it hangs over the padding. Both gradients
 * become one wasm matrix product plus a JS loop that moves data between the
 * image and its patches.
 */

/** At most this many floats of patches at once (16 MB); larger batches are split by samples and summed. */
export const PATCH_BUDGET_FLOATS = 1 << 22;

/** Geometry of one convolution (NHWC, dilation 1). */
export interface PatchGeometry {
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outHeight: number;
  outWidth: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  padTop: number;
  padLeft: number;
}

export function geometryOf(info: tf.backend_util.Conv2DInfo): PatchGeometry {
  return {
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    inChannels: info.inChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
}

/**
 * Writes patchesᵀ for samples [firstSample, endSample) of `x` (NHWC, flat)
 * into `out`, row-major [filterHeight·filterWidth·inChannels, samples·outHeight·outWidth].
 * Padding cells are zeros.
 */
export function writeTransposedPatches(
  x: Float32Array,
  g: PatchGeometry,
  firstSample: number,
  endSample: number,
  out: Float32Array,
): void {
  const { inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = g;
  const { strideHeight: sh, strideWidth: sw } = g;
  const columns = (endSample - firstSample) * OH * OW;
  // One pass per filter cell (fh, fw) writes the C rows of its channels together:
  // each input pixel's channels are read once, contiguously, and every row is
  // written front to back. (Row by row, the boundary work and the tiny fills
  // of padding cost more than the copying.)
  for (let fh = 0; fh < g.filterHeight; fh++) {
    for (let fw = 0; fw < g.filterWidth; fw++) {
      const firstRow = (fh * g.filterWidth + fw) * C * columns;
      let column = 0;
      for (let n = firstSample; n < endSample; n++) {
        for (let oh = 0; oh < OH; oh++) {
          const ih = oh * sh + fh - g.padTop;
          const rowInside = ih >= 0 && ih < H;
          const pixelRow = (n * H + ih) * W;
          for (let ow = 0; ow < OW; ow++, column++) {
            const iw = ow * sw + fw - g.padLeft;
            const at = firstRow + column;
            if (rowInside && iw >= 0 && iw < W) {
              const from = (pixelRow + iw) * C;
              for (let c = 0; c < C; c++) out[at + c * columns] = x[from + c] ?? 0;
            } else {
              for (let c = 0; c < C; c++) out[at + c * columns] = 0;
            }
          }
        }
      }
    }
  }
}

/**
 * The adjoint of writing patches: adds each patch, from `patches` row-major
 * [samples·outHeight·outWidth, filterHeight·filterWidth·inChannels] for
 * samples [firstSample, endSample), back onto the image `dx` (NHWC, flat) at
 * the pixels it came from; cells over the padding are dropped.
 */
export function addPatchesInto(
  patches: Float32Array,
  g: PatchGeometry,
  firstSample: number,
  endSample: number,
  dx: Float32Array,
): void {
  const { inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, filterHeight: FH, filterWidth: FW } = g;
  const cells = FH * FW * C;
  let patch = 0;
  for (let n = firstSample; n < endSample; n++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++, patch += cells) {
        // The filter columns inside the image; for each filter row they cover
        // one contiguous run of (fw, c) in the patch and in the image.
        const iw0 = ow * g.strideWidth - g.padLeft;
        const begin = Math.max(0, -iw0) * C;
        const end = Math.min(FW, W - iw0) * C;
        for (let fh = 0; fh < FH; fh++) {
          const ih = oh * g.strideHeight + fh - g.padTop;
          if (ih < 0 || ih >= H) continue;
          const to = ((n * H + ih) * W + iw0) * C;
          const from = patch + fh * FW * C;
          for (let j = begin; j < end; j++) dx[to + j] = (dx[to + j] ?? 0) + (patches[from + j] ?? 0);
        }
      }
    }
  }
}

/** How many samples' patches fit the budget (at least one). */
export function samplesPerChunk(g: PatchGeometry, budgetFloats: number): number {
  const perSample = g.outHeight * g.outWidth * g.filterHeight * g.filterWidth * g.inChannels;
  return Math.max(1, Math.floor(budgetFloats / Math.max(1, perSample)));
}

/**
 * A float32 tensor's memory on the wasm heap. Take views after the last
 * makeOutput: an allocation may grow the heap and detach older views.
 */
export function float32View(backend: BackendWasm, t: tf.TensorInfo): Float32Array {
  const view = backend.typedArrayFromHeap(t);
  if (!(view instanceof Float32Array)) throw new Error(`expected a float32 tensor, got ${t.dtype}`);
  return view;
}

export function isFourTuple(s: readonly number[]): s is [number, number, number, number] {
  return s.length === 4;
}

/** The attributes both backprop kernels support only in one form. */
export function checkConvAttrs(kernel: string, attrs: { dataFormat?: string; dilations?: number | [number, number] }, tensors: tf.TensorInfo[]): void {
  for (const t of tensors) {
    if (t.dtype !== 'float32') throw new FedfuseError('invalid_argument', `${kernel} on wasm needs float32 tensors, got ${t.dtype}`);
    if (!isFourTuple(t.shape)) throw new FedfuseError('shape_mismatch', `${kernel} needs rank-4 tensors, got [${t.shape}]`);
  }
  const dataFormat = attrs.dataFormat ?? 'NHWC';
  if (dataFormat !== 'NHWC') throw new FedfuseError('invalid_argument', `${kernel} on wasm supports dataFormat NHWC only, got ${dataFormat}`);
  const dilations = attrs.dilations ?? 1;
  if ((typeof dilations === 'number' ? [dilations] : dilations).some((d) => d !== 1)) {
    throw new FedfuseError('invalid_argument', `${kernel} on wasm supports dilation 1 only, got ${String(dilations)}`);
  }
}
