export * from './select-backend.ts';
// wasm-kernel-fixes.ts is not re-exported: it imports @tensorflow/tfjs-backend-wasm,
// which select-backend.ts loads only when the wasm backend is chosen. Benchmarks
// and tests that need installWasmKernelFixes/uninstallWasmKernelFixes import it directly.
