import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/**
 * Replacing kernels of the wasm backend in TF.js's global kernel registry, in
 * a way that can be done twice without wrapping a wrapper and undone (so a
 * benchmark can measure before and after in one process).
 */

export const WASM = 'wasm';

/** Our replacement kernel functions, mapped to the config they replaced (undefined: none was registered). */
const replaced = new WeakMap<tf.KernelFunc, tf.KernelConfig | undefined>();

export function registeredWasmKernel(kernelName: string): tf.KernelConfig | undefined {
  // getKernel's typings promise a config, but it returns undefined for an unregistered kernel.
  const config: tf.KernelConfig | undefined = tf.getKernel(kernelName, WASM);
  return config;
}

/** The wasm kernel as shipped, whether or not we have replaced it since. */
export function shippedWasmKernel(kernelName: string): tf.KernelConfig | undefined {
  const current = registeredWasmKernel(kernelName);
  if (current !== undefined && replaced.has(current.kernelFunc)) return replaced.get(current.kernelFunc);
  return current;
}

export function isReplacedWasmKernel(kernelName: string): boolean {
  const current = registeredWasmKernel(kernelName);
  return current !== undefined && replaced.has(current.kernelFunc);
}

/**
 * Registers `build(shipped)` as the wasm kernel `kernelName`, keeping the
 * shipped kernel's setupFunc and disposeFunc (the shipped kernels bind their
 * C++ entry points in setupFunc, which runs when the backend initialises).
 * A kernel we already replaced is left alone.
 */
export function replaceWasmKernel(
  kernelName: string,
  build: (shipped: tf.KernelConfig | undefined) => tf.KernelFunc,
): void {
  if (isReplacedWasmKernel(kernelName)) return;
  const shipped = registeredWasmKernel(kernelName);
  const kernelFunc = build(shipped);
  replaced.set(kernelFunc, shipped);
  if (shipped !== undefined) tf.unregisterKernel(kernelName, WASM);
  const config: tf.KernelConfig = { kernelName, backendName: WASM, kernelFunc };
  if (shipped?.setupFunc !== undefined) config.setupFunc = shipped.setupFunc;
  if (shipped?.disposeFunc !== undefined) config.disposeFunc = shipped.disposeFunc;
  tf.registerKernel(config);
}

/** Puts the shipped kernel back (or none, if none was shipped). */
export function restoreWasmKernel(kernelName: string): void {
  const current = registeredWasmKernel(kernelName);
  if (current === undefined || !replaced.has(current.kernelFunc)) return;
  const shipped = replaced.get(current.kernelFunc);
  tf.unregisterKernel(kernelName, WASM);
  if (shipped !== undefined) tf.registerKernel(shipped);
}

/**
 * The backend argument of a wasm kernel. KernelFunc types it as `{}`; the
 * registry only ever calls a 'wasm' kernel with the wasm backend.
 */
export function wasmBackendOf(args: { backend: object }): BackendWasm {
  return args.backend as BackendWasm;
}

/** Runs a kernel that has one output (the kernels we call all do). */
export function runSingleOutput(kernel: tf.KernelFunc, args: Parameters<tf.KernelFunc>[0]): tf.TensorInfo {
  const out = kernel(args);
  if (Array.isArray(out)) {
    throw new Error(`kernel returned ${out.length} outputs where one was expected`);
  }
  return out;
}

/** A kernel we need from the shipped wasm backend; missing means a TF.js version we were not written for. */
export function requireShippedWasmKernel(kernelName: string): tf.KernelFunc {
  const config = shippedWasmKernel(kernelName);
  if (config === undefined) {
    throw new Error(`wasm kernel ${kernelName} is not registered: import @tensorflow/tfjs-backend-wasm first`);
  }
  return config.kernelFunc;
}
