import * as tf from '@tensorflow/tfjs';

/**
 * Picks the fastest TF.js backend that loads here: tfjs-node (native) when its
 * optional install succeeded, else WebAssembly, else plain JS. On machines
 * without internet tfjs-node never installs (its install script downloads
 * libtensorflow), so it is loaded with a dynamic import inside try/catch.
 */
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';
export type BackendPreference = BackendName | 'auto';

export const BACKEND_ENV_VAR = 'FEDFUSE_BACKEND';

let chosen: Promise<BackendName> | null = null;

export function parseBackendPreference(value: string | undefined): BackendPreference {
  if (value === undefined || value === '' || value === 'auto') return 'auto';
  if (value === 'tensorflow' || value === 'node' || value === 'tfjs-node') return 'tensorflow';
  if (value === 'wasm' || value === 'cpu') return value;
  throw new RangeError(`unknown backend "${value}": use auto, tensorflow, wasm or cpu`);
}

async function tryTensorflow(): Promise<boolean> {
  try {
    // The package name is held in a variable so TypeScript does not require its typings.
    const name = '@tensorflow/tfjs-node';
    await import(name);
    return await tf.setBackend('tensorflow');
  } catch {
    return false;
  }
}

async function tryWasm(): Promise<boolean> {
  try {
    await import('@tensorflow/tfjs-backend-wasm');
    const { installWasmKernelFixes } = await import('./wasm-kernel-fixes.ts');
    installWasmKernelFixes();
    return await tf.setBackend('wasm');
  } catch {
    return false;
  }
}

async function select(preference: BackendPreference, log: (line: string) => void): Promise<BackendName> {
  const order: BackendName[] = preference === 'auto' ? ['tensorflow', 'wasm', 'cpu'] : [preference];
  for (const name of order) {
    const ok = name === 'tensorflow' ? await tryTensorflow() : name === 'wasm' ? await tryWasm() : await tf.setBackend('cpu');
    if (ok) {
      await tf.ready();
      log(`fedfuse: TF.js backend ${name}${preference === 'auto' ? '' : ' (forced)'}`);
      return name;
    }
  }
  throw new Error(`TF.js backend "${preference}" could not be initialised`);
}

/**
 * Initialises the backend once per process (later calls return the first
 * result). Preference: the argument, else $FEDFUSE_BACKEND, else auto.
 */
export function initBackend(
  preference: BackendPreference = parseBackendPreference(process.env[BACKEND_ENV_VAR]),
  log: (line: string) => void = () => {},
): Promise<BackendName> {
  chosen ??= select(preference, log);
  return chosen;
}
