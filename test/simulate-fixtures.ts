import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { main } from '../server/cli/main.ts';

/** Running `fedfuse simulate` / `compare` for the tests: as a real child process, or in-process through main(). */
export const BIN = fileURLToPath(new URL('../server/cli/bin.mjs', import.meta.url));

/** A tiny experiment: 3 clients on 600 embedded digits, MLP 784-16-10, 2 rounds. Seconds, not minutes. */
export const TINY_EXPERIMENT = [
  '--clients', '3',
  '--model', 'mlp:16',
  '--rounds', '2',
  '--local-epochs', '1',
  '--client-samples', '600',
  '--calibration', '100',
  '--test-size', '300',
  '--attribution-samples', '50',
  '--partition', 'dirichlet:0.5',
] as const;

/**
 * How far two runs of the same command may differ in an accuracy. Measured
 * 0 (bit-identical): over repeated runs of this experiment, and in
 * scripts/bench-federated.ts's determinism check (10 clients, Dirichlet 0.1,
 * kf-linear and FedAvg, 3 rounds, twice: 27 stored accuracies, ensemble
 * accuracies and losses, largest difference 0). Fusion inputs are put in a
 * content-fixed order (server/simulation/canonical-parent-order.ts) and the
 * wasm backend is single-threaded and deterministic.
 */
export const DETERMINISM_TOLERANCE = 0;

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `node server/cli/bin.mjs ...args`: the real exit code and both streams. */
export function runCliProcess(args: readonly string[], timeoutMs = 120_000): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * main(['node', 'fedfuse', ...args]) in this process, with stderr captured.
 * Only for runs that fail before writing to stdout: the test runner reports
 * through this process's stdout, so stdout is left alone.
 */
export async function runCliInProcessExpectingFailure(args: readonly string[]): Promise<{ code: number; stderr: string }> {
  const chunks: string[] = [];
  const original = process.stderr.write;
  process.stderr.write = ((chunk: string | Uint8Array): boolean => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  }) as typeof process.stderr.write;
  try {
    const code = await main(['node', 'fedfuse', ...args]);
    return { code, stderr: chunks.join('') };
  } finally {
    process.stderr.write = original;
  }
}
