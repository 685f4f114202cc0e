import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { installWasmKernelFixes } from '../../common/backend/wasm-kernel-fixes.ts';

export type BrowserBackend = 'webgl' | 'wasm' | 'cpu';
export type BrowserBackendPreference = BrowserBackend | 'auto';

/** Where the server serves the wasm backend's .wasm files (from its own node_modules; nothing from a CDN). */
export const WASM_FILES_PATH = '/join/wasm/';

/**
 * Picks the TF.js backend for a browser tab: WebGL where the browser offers
 * it (the GPU), else WebAssembly, else plain JS. The wasm backend gets the
 * same kernel fixes as in Node (common/backend: transpose-first matMul, conv
 * backprop), registered before it initialises.
 */
export async function initBrowserBackend(preference: BrowserBackendPreference): Promise<{ name: BrowserBackend; failures: string[] }> {
  const order: BrowserBackend[] = preference === 'auto' ? ['webgl', 'wasm', 'cpu'] : [preference];
  const failures: string[] = [];
  for (const name of order) {
    try {
      if (name === 'wasm') {
        setWasmPaths(WASM_FILES_PATH);
        installWasmKernelFixes();
      }
      if (await tf.setBackend(name)) {
        await tf.ready();
        return { name, failures };
      }
      failures.push(`${name}: not available in this browser`);
    } catch (e) {
      failures.push(`${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  throw new Error(`no TF.js backend could be started (${failures.join('; ')})`);
}
