import * as tf from '@tensorflow/tfjs';
import { requireShippedWasmKernel, runSingleOutput, wasmBackendOf } from './wasm-kernel-registry.ts';

/**
 * The shipped wasm BatchMatMul (and _FusedMatMul) is about 10x slower when
 * transposeA or transposeB is set than when the operand is transposed first
 * (facts.md: 430 ms vs 42 ms for 785x1000 @ 1000x800), and backprop of every
 * Dense layer sets those flags. Materialising the transpose with the wasm
 * Transpose kernel and multiplying without flags gives the same numbers fast.
 */

function swapLastTwoAxes(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return perm;
}

/**
 * Wraps a matmul kernel: operands flagged for transposition are transposed by
 * the wasm Transpose kernel, the shipped kernel runs with both flags false, and
 * the transposed copies are freed before returning.
 */
export function transposeOperandsFirst(shipped: tf.KernelFunc): tf.KernelFunc {
  const transpose = requireShippedWasmKernel(tf.Transpose);
  return (args) => {
    const attrs = args.attrs ?? {};
    const transposeA = attrs['transposeA'] === true;
    const transposeB = attrs['transposeB'] === true;
    const { a, b } = args.inputs;
    if ((!transposeA && !transposeB) || a === undefined || b === undefined) return shipped(args);

    const backend = wasmBackendOf(args);
    const transposed: tf.TensorInfo[] = [];
    const materialise = (x: tf.TensorInfo): tf.TensorInfo => {
      const t = runSingleOutput(transpose, { inputs: { x }, backend, attrs: { perm: swapLastTwoAxes(x.shape.length) } });
      transposed.push(t);
      return t;
    };
    try {
      return shipped({
        inputs: { ...args.inputs, a: transposeA ? materialise(a) : a, b: transposeB ? materialise(b) : b },
        backend,
        attrs: { ...attrs, transposeA: false, transposeB: false },
      });
    } finally {
      for (const t of transposed) backend.disposeData(t.dataId);
    }
  };
}
