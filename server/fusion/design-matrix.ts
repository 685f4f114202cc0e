import type { Conv2dLayerSpec } from '../../common/model/spec.ts';
import { outputSize } from '../../common/model/spec.ts';
import type { SeededRandom } from '../../common/random/index.ts';

/**
 * The design matrix X of a level: the fused model's input to the layer, one
 * row per sample (Dense) or per (sample, output position) (Conv2D, im2col),
 * plus a column of ones when the layer has a bias. Its column order is the
 * kernel's row order in TF.js layout, so least-squares weights reshape
 * directly into the kernel: Dense [in, out]; Conv2D [kh, kw, inC, out], i.e.
 * column (ky·kw + kx)·inC + c.
 */
export interface DesignMatrix {
  readonly values: Float32Array;
  readonly rows: number;
  readonly columns: number;
}

/**
 * `budget` distinct row indices out of `total`, drawn uniformly from `random`
 * and sorted (so gathers walk memory forward); null when every row fits.
 */
export function sampleRows(total: number, budget: number, random: SeededRandom): Int32Array | null {
  if (total <= budget) return null;
  // Partial Fisher–Yates: the first `budget` entries become a uniform sample.
  const all = new Int32Array(total);
  for (let i = 0; i < total; i++) all[i] = i;
  for (let i = 0; i < budget; i++) {
    const j = i + random.int(total - i);
    const t = all[i]!;
    all[i] = all[j]!;
    all[j] = t;
  }
  return all.slice(0, budget).sort();
}

/** Dense layer: the input rows, with a ones column appended when `withBias`. */
export function denseDesignMatrix(input: Float32Array, samples: number, features: number, withBias: boolean): DesignMatrix {
  if (!withBias) return { values: input, rows: samples, columns: features };
  const columns = features + 1;
  const values = new Float32Array(samples * columns);
  for (let r = 0; r < samples; r++) {
    values.set(input.subarray(r * features, (r + 1) * features), r * columns);
    values[r * columns + features] = 1;
  }
  return { values, rows: samples, columns };
}

/** TF's padding before the first row/column: half of the total 'same' padding, rounded down. */
export function samePaddingBefore(inSize: number, outSize: number, kernel: number, stride: number): number {
  return Math.floor(Math.max((outSize - 1) * stride + kernel - inSize, 0) / 2);
}

/**
 * Conv2D layer: im2col rows of the NHWC input [samples, h, w, c] for the
 * output positions `rows` (index (sample·outH + oy)·outW + ox; null = all), in
 * that order. Padding cells are zeros, as in TF.
 */
export function convDesignMatrix(
  input: Float32Array,
  samples: number,
  inputShape: readonly number[],
  layer: Conv2dLayerSpec,
  rows: Int32Array | null,
): DesignMatrix {
  const [h, w, c] = [inputShape[0]!, inputShape[1]!, inputShape[2]!];
  const k = layer.kernelSize;
  const s = layer.strides;
  const outH = outputSize(h, k, s, layer.padding);
  const outW = outputSize(w, k, s, layer.padding);
  const padTop = layer.padding === 'same' ? samePaddingBefore(h, outH, k, s) : 0;
  const padLeft = layer.padding === 'same' ? samePaddingBefore(w, outW, k, s) : 0;
  const count = rows === null ? samples * outH * outW : rows.length;
  const columns = k * k * c + (layer.useBias ? 1 : 0);
  const values = new Float32Array(count * columns);
  for (let t = 0; t < count; t++) {
    const row = rows === null ? t : rows[t]!;
    const n = Math.floor(row / (outH * outW));
    const position = row - n * outH * outW;
    const oy = Math.floor(position / outW);
    const ox = position - oy * outW;
    const out = t * columns;
    for (let ky = 0; ky < k; ky++) {
      const iy = oy * s - padTop + ky;
      if (iy < 0 || iy >= h) continue;
      for (let kx = 0; kx < k; kx++) {
        const ix = ox * s - padLeft + kx;
        if (ix < 0 || ix >= w) continue;
        const from = ((n * h + iy) * w + ix) * c;
        values.set(input.subarray(from, from + c), out + (ky * k + kx) * c);
      }
    }
    if (layer.useBias) values[out + columns - 1] = 1;
  }
  return { values, rows: count, columns };
}
