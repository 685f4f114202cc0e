import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { main } from '../server/cli/main.ts';

/** Running `fedfuse fuse` for the tests: as a real child process, or in-process through main(). */
export const BIN = fileURLToPath(new URL('../server/cli/bin.mjs', import.meta.url));

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `node server/cli/bin.mjs fuse ...args`: the real exit code and both streams. */
export function runFuseProcess(args: readonly string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, 'fuse', ...args], { encoding: 'utf8', timeout: 120_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * main(['node', 'fedfuse', 'fuse', ...args]) in this process, with stderr
 * captured. Only for runs that fail before writing to stdout: the test
 * runner reports through this process's stdout, so stdout is left alone.
 */
export async function runFuseInProcessExpectingFailure(args: readonly string[]): Promise<{ code: number; stderr: string }> {
  const chunks: string[] = [];
  const original = process.stderr.write;
  process.stderr.write = ((chunk: string | Uint8Array): boolean => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  }) as typeof process.stderr.write;
  try {
    const code = await main(['node', 'fedfuse', 'fuse', ...args]);
    return { code, stderr: chunks.join('') };
  } finally {
    process.stderr.write = original;
  }
}

export interface PrintedAccuracy {
  readonly model: string;
  readonly correct: number;
  readonly count: number;
  readonly percent: string;
}

/** The rows of the accuracy table `fedfuse fuse --eval` prints. */
export function parseAccuracyTable(stdout: string): PrintedAccuracy[] {
  const rows: PrintedAccuracy[] = [];
  for (const line of stdout.split('\n')) {
    const m = /^ {2}(parent \d+|fused \([a-z-]+\)|ensemble of the \d+ parents) .*\s(\d+)\/(\d+)\s+(\d+\.\d\d)%$/.exec(line);
    if (m !== null) rows.push({ model: m[1]!, correct: Number(m[2]), count: Number(m[3]), percent: m[4]! });
  }
  return rows;
}
