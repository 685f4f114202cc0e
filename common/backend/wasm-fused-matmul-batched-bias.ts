import * as tf from '@tensorflow/tfjs';
import { runSingleOutput, wasmBackendOf } from './wasm-kernel-registry.ts';

/**
 * The shipped wasm _FusedMatMul adds the bias wrongly when the product has
 * more than one matrix (batch > 1) and more than one row: from the second row
 * on it uses the wrong bias entries (measured: off by bias[1] - bias[0]).
 * With one matrix it is right, so a batched product is computed as one tall
 * matrix when b is shared by the whole batch, else one matrix at a time.
 * tf.layers' Dense multiplies rank-2 inputs and never hits this; direct
 * tf.fused.matMul calls on rank-3 inputs do.
 */

function rank3(x: tf.TensorInfo): [number, number, number] {
  const [batch, rows, cols] = x.shape;
  if (x.shape.length !== 3 || batch === undefined || rows === undefined || cols === undefined) {
    throw new Error(`_FusedMatMul expects rank-3 operands, got [${x.shape}]`);
  }
  return [batch, rows, cols];
}

export function biasPerMatrix(shipped: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { a, b, bias } = args.inputs;
    const attrs = args.attrs ?? {};
    if (a === undefined || b === undefined || bias === undefined) return shipped(args);
    const [batchA, rowsA, colsA] = rank3(a);
    const [batchB] = rank3(b);
    const batch = Math.max(batchA, batchB);
    if (batch === 1) return shipped(args);

    const backend = wasmBackendOf(args);
    if (batchB === 1 && attrs['transposeA'] !== true) {
      // Stack a's matrices into one tall matrix; rows of a product do not interact.
      const tallA: tf.TensorInfo = { dataId: a.dataId, shape: [1, batchA * rowsA, colsA], dtype: a.dtype };
      const out = runSingleOutput(shipped, { ...args, inputs: { ...args.inputs, a: tallA } });
      const last = out.shape.at(-1) ?? 0;
      out.shape = [batchA, rowsA, last];
      return out;
    }

    const matrixOf = (x: tf.TensorInfo, i: number): tf.TensorInfo => {
      const [n, r, c] = rank3(x);
      const copy = backend.makeOutput([1, r, c], x.dtype);
      const from = (n === 1 ? 0 : i) * r * c;
      backend.typedArrayFromHeap(copy).set(backend.typedArrayFromHeap(x).subarray(from, from + r * c));
      return copy;
    };
    let out: tf.TensorInfo | undefined;
    for (let i = 0; i < batch; i++) {
      const ai = matrixOf(a, i);
      const bi = matrixOf(b, i);
      let product: tf.TensorInfo;
      try {
        product = runSingleOutput(shipped, { ...args, inputs: { ...args.inputs, a: ai, b: bi } });
      } finally {
        backend.disposeData(ai.dataId);
        backend.disposeData(bi.dataId);
      }
      const [, rows = 0, cols = 0] = product.shape;
      out ??= backend.makeOutput([batch, rows, cols], product.dtype);
      backend.typedArrayFromHeap(out).set(backend.typedArrayFromHeap(product), i * rows * cols);
      backend.disposeData(product.dataId);
    }
    if (out === undefined) throw new Error('unreachable: batch > 1');
    return out;
  };
}
