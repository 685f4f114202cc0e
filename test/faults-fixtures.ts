import { readFileSync } from 'node:fs';

/**
 * Helpers of the fault tests that run a real `fedfuse server` child process
 * (test/server-process.ts). Kept free of imports of the server itself, so a
 * test that only talks to a child process does not load TF.js.
 */

/** The child server's client-token secret. */
export const CHILD_SECRET = 'child-secret-0123456789abcdef';
/** Reads the per-client routes of a server started with smallServerArgs. */
export const CHILD_READ_TOKEN = 'child-read-token-for-tests';
export const CHILD_READ_HEADERS: Readonly<Record<string, string>> = { authorization: `Bearer ${CHILD_READ_TOKEN}` };

/** A predicate for ServerProcess.waitForLine: the JSON log line of orchestrator event `type`, optionally with more conditions. */
export const isEvent =
  (type: string, extra: (j: Record<string, unknown>) => boolean = () => true) =>
  (_line: string, json: Record<string, unknown> | null): boolean =>
    json !== null && json['event'] === type && extra(json);

/** Flags for a small, fast `fedfuse server` on `port` and `db`; `extra` flags are appended and win. */
export function smallServerArgs(port: number, db: string, extra: readonly string[] = []): string[] {
  return [
    '--port', String(port), '--db', db, '--secret', CHILD_SECRET, '--model', 'mlp:16', '--calibration-size', '100', '--test-size', '200',
    '--round-timeout', '120', '--log-level', 'debug', '--read-token', CHILD_READ_TOKEN, ...extra,
  ];
}

/** Linux reports CPU time in clock ticks of 1/USER_HZ s; USER_HZ is 100 on every mainstream architecture. */
const USER_HZ = 100;

/**
 * CPU time (user + system, all threads) a process has used so far, in
 * seconds, from /proc/<pid>/stat (fields 14 and 15). Only Linux; the
 * resolution is 10 ms.
 */
export function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) is in parentheses and may contain spaces: count fields after its closing one.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return (utime + stime) / USER_HZ;
}

/** CPU seconds `pid` uses over the next `ms` milliseconds of wall time. */
export async function cpuSecondsOver(pid: number, ms: number): Promise<number> {
  const before = processCpuSeconds(pid);
  await new Promise((r) => setTimeout(r, ms));
  return processCpuSeconds(pid) - before;
}
