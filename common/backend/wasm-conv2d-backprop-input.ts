import * as tf from '@tensorflow/tfjs';
import { FedfuseError } from '../errors/index.ts';
import { PATCH_BUDGET_FLOATS, addPatchesInto, checkConvAttrs, float32View, geometryOf, isFourTuple, samplesPerChunk } from './wasm-conv2d-patches.ts';
import { requireShippedWasmKernel, runSingleOutput, wasmBackendOf } from './wasm-kernel-registry.ts';

/**
 * Conv2DBackpropInput for the wasm backend. The shipped kernel is correct but
 * a plain loop: it took ~45 of ~100 ms per batch of 64 when training the small
 * CNN (profiled with tf.profile). The input gradient of a convolution is
 *
 *   patch gradients = dy · Wᵀ      ([n·oh·ow, o] · [o, fh·fw·c], one wasm BatchMatMul)
 *   dx = the patch gradients added back onto the pixels they cover (col2im, in JS)
 *
 * which is the adjoint of the im2col view the forward convolution computes.
 */

interface Conv2DBackpropInputArgs {
  inputs: { dy?: tf.TensorInfo; filter?: tf.TensorInfo };
  backend: object;
  attrs?: Partial<tf.Conv2DBackpropInputAttrs> & { dilations?: number | [number, number] };
}

function validated(args: Conv2DBackpropInputArgs) {
  const { dy, filter } = args.inputs;
  const attrs = args.attrs ?? {};
  if (dy === undefined || filter === undefined) throw new FedfuseError('invalid_argument', 'Conv2DBackpropInput needs inputs dy and filter');
  checkConvAttrs('Conv2DBackpropInput', attrs, [dy, filter]);
  const { inputShape, strides, pad } = attrs;
  if (inputShape === undefined || strides === undefined || pad === undefined) {
    throw new FedfuseError('invalid_argument', 'Conv2DBackpropInput needs attributes inputShape, strides and pad');
  }
  const [fh = 0, fw = 0, fc = 0, fo = 0] = filter.shape;
  if (!isFourTuple(inputShape)) throw new FedfuseError('shape_mismatch', `Conv2DBackpropInput needs a rank-4 inputShape, got [${inputShape}]`);
  const info = tf.backend_util.computeConv2DInfo(inputShape, [fh, fw, fc, fo], strides, 1, pad, attrs.dimRoundingMode, false, 'channelsLast');
  const expectedDy = [info.batchSize, info.outHeight, info.outWidth, info.outChannels];
  if (dy.shape.some((d, i) => d !== expectedDy[i])) {
    throw new FedfuseError('shape_mismatch', `Conv2DBackpropInput: dy has shape [${dy.shape}], the convolution gives [${expectedDy}]`);
  }
  return { dy, filter, info, inputShape };
}

/**
 * Builds the kernel; `batchMatMul` is the (shipped) wasm BatchMatMul it
 * multiplies with, `patchBudgetFloats` bounds the patch gradients held at once.
 */
export function makeConv2DBackpropInput(batchMatMul: tf.KernelFunc, patchBudgetFloats = PATCH_BUDGET_FLOATS): tf.KernelFunc {
  const kernel = (args: Conv2DBackpropInputArgs): tf.TensorInfo => {
    const backend = wasmBackendOf(args);
    const { dy, filter, info, inputShape } = validated(args);
    const g = geometryOf(info);
    const positions = g.outHeight * g.outWidth;
    const cells = g.filterHeight * g.filterWidth * g.inChannels;
    const outChannels = info.outChannels;
    const chunk = samplesPerChunk(g, patchBudgetFloats);

    const dx = backend.makeOutput([...inputShape], 'float32');
    // Wᵀ: the filter is [cells, o] row-major; tiny, so transposed here rather than by a kernel.
    const filterT = backend.makeOutput([outChannels, cells], 'float32');
    {
      const w = float32View(backend, filter);
      const wT = float32View(backend, filterT);
      for (let k = 0; k < cells; k++) for (let o = 0; o < outChannels; o++) wT[o * cells + k] = w[k * outChannels + o] ?? 0;
      float32View(backend, dx).fill(0);
    }
    try {
      for (let n0 = 0; n0 < info.batchSize; n0 += chunk) {
        const n1 = Math.min(info.batchSize, n0 + chunk);
        const rows = (n1 - n0) * positions;
        const whole = n0 === 0 && n1 === info.batchSize;
        const dyChunk = whole ? { dataId: dy.dataId, shape: [rows, outChannels], dtype: dy.dtype } : backend.makeOutput([rows, outChannels], 'float32');
        let patchGradients: tf.TensorInfo;
        try {
          if (!whole) float32View(backend, dyChunk).set(float32View(backend, dy).subarray(n0 * positions * outChannels, n1 * positions * outChannels));
          patchGradients = runSingleOutput(batchMatMul, { inputs: { a: dyChunk, b: filterT }, backend, attrs: { transposeA: false, transposeB: false } });
        } finally {
          if (!whole) backend.disposeData(dyChunk.dataId);
        }
        addPatchesInto(float32View(backend, patchGradients), g, n0, n1, float32View(backend, dx));
        backend.disposeData(patchGradients.dataId);
      }
    } finally {
      backend.disposeData(filterT.dataId);
    }
    return dx;
  };
  // tfjs's KernelFunc erases inputs and attrs to string maps; the registry calls
  // this kernel by name with Conv2DBackpropInput's inputs and attrs only, and
  // validated() checks every field it uses (tfjs's own kernels make the same cast).
  return kernel as unknown as tf.KernelFunc;
}

export function wasmConv2DBackpropInput(): tf.KernelFunc {
  return makeConv2DBackpropInput(requireShippedWasmKernel(tf.BatchMatMul));
}
