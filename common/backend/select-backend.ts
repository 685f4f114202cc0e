import * as tf from '@tensorflow/tfjs';
import { FedfuseError } from '../errors/index.ts';

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

/** Reads a preference ($FEDFUSE_BACKEND, a CLI flag); unknown values are rejected with `invalid_argument`. */
export function parseBackendPreference(value: string | undefined): BackendPreference {
  if (value === undefined || value === '' || value === 'auto') return 'auto';
  if (value === 'tensorflow' || value === 'node' || value === 'tfjs-node') return 'tensorflow';
  if (value === 'wasm' || value === 'cpu') return value;
  throw new FedfuseError('invalid_argument', `unknown TF.js backend "${value}" (${BACKEND_ENV_VAR}): use auto, tensorflow, wasm or cpu`);
}

function reason(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Each attempt returns null on success, else why it failed. */
async function tryTensorflow(): Promise<string | null> {
  try {
    // The package name is held in a variable so TypeScript does not require its typings.
    const name = '@tensorflow/tfjs-node';
    await import(name);
    return (await tf.setBackend('tensorflow')) ? null : 'tf.setBackend("tensorflow") failed';
  } catch (e) {
    return `@tensorflow/tfjs-node not available: ${reason(e)}`;
  }
}

async function tryWasm(): Promise<string | null> {
  try {
    await import('@tensorflow/tfjs-backend-wasm');
    // The wasm backend as shipped cannot train CNNs and is slow on transposed
    // matmuls; the fixes must be registered before the backend initialises.
    const { installWasmKernelFixes } = await import('./wasm-kernel-fixes.ts');
    installWasmKernelFixes();
    return (await tf.setBackend('wasm')) ? null : 'tf.setBackend("wasm") failed';
  } catch (e) {
    return `wasm backend not available: ${reason(e)}`;
  }
}

async function tryCpu(): Promise<string | null> {
  return (await tf.setBackend('cpu')) ? null : 'tf.setBackend("cpu") failed';
}

const attempts: Record<BackendName, () => Promise<string | null>> = { tensorflow: tryTensorflow, wasm: tryWasm, cpu: tryCpu };

async function select(preference: BackendPreference, log: (line: string) => void): Promise<BackendName> {
  const order: BackendName[] = preference === 'auto' ? ['tensorflow', 'wasm', 'cpu'] : [preference];
  const failures: string[] = [];
  for (const name of order) {
    const failure = await attempts[name]();
    if (failure === null) {
      await tf.ready();
      // tfjs-node missing is the normal case without internet; a wasm failure
      // means 20x slower training on cpu, so that one is worth saying.
      const fellBack = failures.filter((f) => !f.startsWith('@tensorflow/tfjs-node'));
      const note = fellBack.length > 0 ? ` (after: ${fellBack.join('; ')})` : '';
      log(`fedfuse: TF.js backend ${name}${preference === 'auto' ? '' : ' (forced)'}${note}`);
      return name;
    }
    failures.push(failure);
  }
  throw new FedfuseError('unavailable', `TF.js backend "${preference}" could not be initialised: ${failures.join('; ')}`);
}

/** Writes the one line naming the chosen backend to stderr (stdout may carry a command's output). */
export function logToStderr(line: string): void {
  process.stderr.write(`${line}\n`);
}

/**
 * Initialises the backend once per process: later calls return the first
 * result, whatever they ask for, and the choice is logged once.
 * Preference: the argument, else $FEDFUSE_BACKEND, else auto.
 */
export function initBackend(
  preference: BackendPreference = parseBackendPreference(process.env[BACKEND_ENV_VAR]),
  log: (line: string) => void = logToStderr,
): Promise<BackendName> {
  chosen ??= select(preference, log);
  return chosen;
}
