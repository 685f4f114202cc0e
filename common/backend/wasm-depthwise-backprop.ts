import * as tf from '@tensorflow/tfjs';
import { FedfuseError } from '../errors/index.ts';
import { checkConvAttrs, float32View, isFourTuple } from './wasm-conv2d-patches.ts';
import { wasmBackendOf } from './wasm-kernel-registry.ts';

/**
 * The two depthwise-convolution gradient kernels the shipped wasm backend
 * lacks (so no model with a DepthwiseConv2D could train there, nor be
 * attributed through). Depth multiplier m, NHWC, dilation 1; with
 * x[n, ih, iw, c] under output (oh, ow) at ih = oh·sh + fh − top:
 *
 *   dW[fh, fw, c, q] = Σ_{n, oh, ow} x[n, ih, iw, c] · dy[n, oh, ow, c·m + q]
 *   dx[n, ih, iw, c] = Σ_{fh, fw, q} W[fh, fw, c, q] · dy[n, oh, ow, c·m + q]
 *
 * Plain JS loops over the heap views: a depthwise layer does k²·C work per
 * output position (C times less than a full conv), so no matrix product is
 * needed to keep it off the critical path.
 */

interface DepthwiseArgs {
  inputs: { x?: tf.TensorInfo; dy?: tf.TensorInfo; filter?: tf.TensorInfo };
  backend: object;
  attrs?: {
    strides?: number | [number, number];
    pad?: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
    dilations?: number | [number, number];
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
    inputShape?: number[];
    filterShape?: number[];
    dataFormat?: string;
  };
}

function depthwiseInfo(kernel: string, xShape: readonly number[], filterShape: readonly number[], attrs: DepthwiseArgs['attrs'], dy: tf.TensorInfo): tf.backend_util.Conv2DInfo {
  const { strides, pad } = attrs ?? {};
  if (strides === undefined || pad === undefined) throw new FedfuseError('invalid_argument', `${kernel} needs attributes strides and pad`);
  if (!isFourTuple([...xShape]) || !isFourTuple([...filterShape])) throw new FedfuseError('shape_mismatch', `${kernel} needs rank-4 shapes`);
  const info = tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    strides,
    1,
    pad,
    attrs?.dimRoundingMode,
    true,
    'channelsLast',
  );
  const expectedDy = [info.batchSize, info.outHeight, info.outWidth, info.outChannels];
  if (dy.shape.some((d, i) => d !== expectedDy[i])) throw new FedfuseError('shape_mismatch', `${kernel}: dy has shape [${dy.shape}], the convolution gives [${expectedDy}]`);
  return info;
}

/** Calls visit(xIndex, wIndex, dyIndex) for every (input cell, filter cell, output) triple of the convolution. */
function forEachTap(info: tf.backend_util.Conv2DInfo, visit: (xAt: number, wAt: number, dyAt: number) => void): void {
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, filterHeight: FH, filterWidth: FW } = info;
  const m = info.outChannels / C;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  for (let n = 0; n < N; n++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        const dyBase = ((n * OH + oh) * OW + ow) * info.outChannels;
        for (let fh = 0; fh < FH; fh++) {
          const ih = oh * info.strideHeight + fh - top;
          if (ih < 0 || ih >= H) continue;
          for (let fw = 0; fw < FW; fw++) {
            const iw = ow * info.strideWidth + fw - left;
            if (iw < 0 || iw >= W) continue;
            const xBase = ((n * H + ih) * W + iw) * C;
            const wBase = (fh * FW + fw) * C * m;
            for (let c = 0; c < C; c++) for (let q = 0; q < m; q++) visit(xBase + c, wBase + c * m + q, dyBase + c * m + q);
          }
        }
      }
    }
  }
}

export function wasmDepthwiseBackpropFilter(): tf.KernelFunc {
  const kernel = (args: DepthwiseArgs): tf.TensorInfo => {
    const backend = wasmBackendOf(args);
    const { x, dy } = args.inputs;
    if (x === undefined || dy === undefined) throw new FedfuseError('invalid_argument', 'DepthwiseConv2dNativeBackpropFilter needs inputs x and dy');
    checkConvAttrs('DepthwiseConv2dNativeBackpropFilter', args.attrs ?? {}, [x, dy]);
    const filterShape = args.attrs?.filterShape;
    if (filterShape === undefined) throw new FedfuseError('invalid_argument', 'DepthwiseConv2dNativeBackpropFilter needs attribute filterShape');
    const info = depthwiseInfo('DepthwiseConv2dNativeBackpropFilter', x.shape, filterShape, args.attrs, dy);
    const dw = backend.makeOutput([...filterShape], 'float32');
    const out = float32View(backend, dw).fill(0);
    const xs = float32View(backend, x);
    const dys = float32View(backend, dy);
    forEachTap(info, (xAt, wAt, dyAt) => {
      out[wAt]! += xs[xAt]! * dys[dyAt]!;
    });
    return dw;
  };
  // As for the conv kernels: tfjs erases inputs and attrs to string maps; every field used is checked above.
  return kernel as unknown as tf.KernelFunc;
}

export function wasmDepthwiseBackpropInput(): tf.KernelFunc {
  const kernel = (args: DepthwiseArgs): tf.TensorInfo => {
    const backend = wasmBackendOf(args);
    const { dy, filter } = args.inputs;
    if (dy === undefined || filter === undefined) throw new FedfuseError('invalid_argument', 'DepthwiseConv2dNativeBackpropInput needs inputs dy and filter');
    checkConvAttrs('DepthwiseConv2dNativeBackpropInput', args.attrs ?? {}, [dy, filter]);
    const inputShape = args.attrs?.inputShape;
    if (inputShape === undefined) throw new FedfuseError('invalid_argument', 'DepthwiseConv2dNativeBackpropInput needs attribute inputShape');
    const info = depthwiseInfo('DepthwiseConv2dNativeBackpropInput', inputShape, filter.shape, args.attrs, dy);
    const dx = backend.makeOutput([...inputShape], 'float32');
    const out = float32View(backend, dx).fill(0);
    const ws = float32View(backend, filter);
    const dys = float32View(backend, dy);
    forEachTap(info, (xAt, wAt, dyAt) => {
      out[xAt]! += ws[wAt]! * dys[dyAt]!;
    });
    return dx;
  };
  return kernel as unknown as tf.KernelFunc;
}
