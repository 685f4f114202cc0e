import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs';
import { wasmConv2DBackpropFilter } from './wasm-conv2d-backprop-filter.ts';
import { wasmConv2DBackpropInput } from './wasm-conv2d-backprop-input.ts';
import { biasPerMatrix } from './wasm-fused-matmul-batched-bias.ts';
import { replaceWasmKernel, restoreWasmKernel } from './wasm-kernel-registry.ts';
import { transposeOperandsFirst } from './wasm-matmul-transpose-first.ts';
import { wasmMaxPoolGrad } from './wasm-max-pool-grad.ts';
import { wasmDepthwiseBackpropFilter, wasmDepthwiseBackpropInput } from './wasm-depthwise-backprop.ts';

/**
 * Fills the gaps of the shipped wasm backend (TF.js 4.22) that matter to us:
 * - BatchMatMul / _FusedMatMul with a transpose flag: a ~10x slower path,
 *   replaced by transpose-then-multiply (wasm-matmul-transpose-first.ts).
 * - _FusedMatMul with a bias on batched operands: wrong bias entries,
 *   computed one matrix at a time instead (wasm-fused-matmul-batched-bias.ts).
 * - Conv2DBackpropFilter: not registered, so CNNs cannot train; added
 *   (wasm-conv2d-backprop-filter.ts).
 * - Conv2DBackpropInput: correct but a plain loop, the slowest step of CNN
 *   training; replaced by a matMul + col2im (wasm-conv2d-backprop-input.ts).
 * - MaxPoolGrad: wrong for windows whose values are all negative; replaced
 *   (wasm-max-pool-grad.ts).
 * The other kernels a small CNN needs in model.fit (Conv2D, MaxPool, Step
 * for the ReLU gradient, ...) are shipped and give the cpu backend's results
 * (test/backend-conv2d-gradients.test.ts, test/backend-cnn-training.test.ts).
 * - DepthwiseConv2dNativeBackpropFilter / BackpropInput: not registered
 *   either; added (wasm-depthwise-backprop.ts).
 *
 * Call before tf.setBackend('wasm') (select-backend.ts does), since the
 * shipped kernels bind their C++ functions when the backend initialises.
 * Calling it again does nothing.
 */
export function installWasmKernelFixes(): void {
  replaceWasmKernel(tf.BatchMatMul, (shipped) => transposeOperandsFirst(required(tf.BatchMatMul, shipped)));
  replaceWasmKernel(tf._FusedMatMul, (shipped) => transposeOperandsFirst(biasPerMatrix(required(tf._FusedMatMul, shipped))));
  replaceWasmKernel(tf.Conv2DBackpropFilter, () => wasmConv2DBackpropFilter());
  replaceWasmKernel(tf.Conv2DBackpropInput, () => wasmConv2DBackpropInput());
  replaceWasmKernel(tf.MaxPoolGrad, () => wasmMaxPoolGrad());
  replaceWasmKernel(tf.DepthwiseConv2dNativeBackpropFilter, () => wasmDepthwiseBackpropFilter());
  replaceWasmKernel(tf.DepthwiseConv2dNativeBackpropInput, () => wasmDepthwiseBackpropInput());
}

function required(name: string, shipped: tf.KernelConfig | undefined): tf.KernelFunc {
  if (shipped === undefined) throw new Error(`wasm kernel ${name} is not registered`);
  return shipped.kernelFunc;
}

/** The kernels installWasmKernelFixes replaces or adds. */
export const FIXED_WASM_KERNELS: readonly string[] = [
  tf.BatchMatMul,
  tf._FusedMatMul,
  tf.Conv2DBackpropFilter,
  tf.Conv2DBackpropInput,
  tf.MaxPoolGrad,
  tf.DepthwiseConv2dNativeBackpropFilter,
  tf.DepthwiseConv2dNativeBackpropInput,
];

/**
 * Puts the shipped kernels back (Conv2DBackpropFilter becomes unregistered
 * again). For benchmarks and tests that measure the shipped behaviour.
 */
export function uninstallWasmKernelFixes(): void {
  for (const name of FIXED_WASM_KERNELS) restoreWasmKernel(name);
}
