import * as tf from '@tensorflow/tfjs';
import { FedfuseError } from '../errors/index.ts';
import { isFourTuple } from './wasm-conv2d-patches.ts';
import { wasmBackendOf } from './wasm-kernel-registry.ts';

/**
 * MaxPoolGrad for the wasm backend. The shipped one sends the gradient of a
 * window whose values are all negative to the window's first cell instead of
 * its maximum (measured: x = [-4, -3, -2, -1] in one 2x2 window gives
 * dx = [1, 0, 0, 0]). After a ReLU that never matters; max-pooling anything
 * that can be negative (a linear or tanh layer, attribution baselines) gets
 * wrong gradients. This one routes each output's gradient to the first
 * maximum of its window, as the cpu backend does.
 */

interface MaxPoolGradArgs {
  inputs: { dy?: tf.TensorInfo; input?: tf.TensorInfo; output?: tf.TensorInfo };
  backend: object;
  attrs?: Partial<tf.MaxPoolGradAttrs>;
}

function maxPoolGrad(args: MaxPoolGradArgs): tf.TensorInfo {
  const backend = wasmBackendOf(args);
  const { dy, input } = args.inputs;
  const { filterSize, strides, pad, dimRoundingMode } = args.attrs ?? {};
  if (dy === undefined || input === undefined) throw new FedfuseError('invalid_argument', 'MaxPoolGrad needs inputs dy and input');
  if (filterSize === undefined || strides === undefined || pad === undefined) {
    throw new FedfuseError('invalid_argument', 'MaxPoolGrad needs attributes filterSize, strides and pad');
  }
  if (dy.dtype !== 'float32' || input.dtype !== 'float32') {
    throw new FedfuseError('invalid_argument', `MaxPoolGrad on wasm needs float32 tensors, got ${dy.dtype} and ${input.dtype}`);
  }
  if (!isFourTuple(input.shape)) throw new FedfuseError('shape_mismatch', `MaxPoolGrad needs a rank-4 input, got [${input.shape}]`);
  const info = tf.backend_util.computePool2DInfo(input.shape, filterSize, strides, 1, pad, dimRoundingMode);
  const expectedDy = [info.batchSize, info.outHeight, info.outWidth, info.outChannels];
  if (dy.shape.length !== 4 || dy.shape.some((d, i) => d !== expectedDy[i])) {
    throw new FedfuseError('shape_mismatch', `MaxPoolGrad: dy has shape [${dy.shape}], the pooling gives [${expectedDy}]`);
  }

  const dx = backend.makeOutput([...input.shape], 'float32');
  // Views after the allocation: makeOutput may grow (and detach) the wasm heap.
  const out = backend.typedArrayFromHeap(dx);
  const x = backend.typedArrayFromHeap(input);
  const g = backend.typedArrayFromHeap(dy);
  out.fill(0);
  const { inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = info;
  const FH = info.effectiveFilterHeight;
  const FW = info.effectiveFilterWidth;
  // Per output pixel, all channels at once: the window's pixels are read
  // contiguously (NHWC), keeping each channel's running maximum.
  const best = new Float32Array(C);
  const at = new Int32Array(C);
  let o = 0;
  for (let n = 0; n < info.batchSize; n++) {
    for (let oh = 0; oh < OH; oh++) {
      const h0 = oh * info.strideHeight - info.padInfo.top;
      const hBegin = Math.max(0, h0);
      const hEnd = Math.min(H, h0 + FH);
      for (let ow = 0; ow < OW; ow++, o += C) {
        const w0 = ow * info.strideWidth - info.padInfo.left;
        const wBegin = Math.max(0, w0);
        const wEnd = Math.min(W, w0 + FW);
        best.fill(Number.NEGATIVE_INFINITY);
        at.fill(-1);
        for (let ih = hBegin; ih < hEnd; ih++) {
          for (let iw = wBegin; iw < wEnd; iw++) {
            const pixel = ((n * H + ih) * W + iw) * C;
            for (let c = 0; c < C; c++) {
              const v = x[pixel + c] ?? Number.NaN;
              if (v > (best[c] ?? Number.POSITIVE_INFINITY)) {
                best[c] = v;
                at[c] = pixel + c;
              }
            }
          }
        }
        // A window of NaN or -Infinity only has no maximum and passes no gradient (as on cpu).
        for (let c = 0; c < C; c++) {
          const i = at[c] ?? -1;
          if (i >= 0) out[i] = (out[i] ?? 0) + (g[o + c] ?? 0);
        }
      }
    }
  }
  return dx;
}

export function wasmMaxPoolGrad(): tf.KernelFunc {
  // KernelFunc erases inputs and attrs to string maps; the registry calls this
  // kernel by name with MaxPoolGrad's inputs and attrs, which maxPoolGrad checks.
  return maxPoolGrad as unknown as tf.KernelFunc;
}
