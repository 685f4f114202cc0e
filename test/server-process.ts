import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/**
 * A real `fedfuse server` child process for tests that must kill it
 * (SIGKILL) and start it again on the same database and port.
 */
export const BIN = fileURLToPath(new URL('../server/cli/bin.mjs', import.meta.url));

export interface ServerProcess {
  readonly child: ChildProcess;
  readonly lines: string[];
  /** Resolves with the first stdout line (parsed as JSON when it is) matching the predicate, including lines already seen. */
  waitForLine(predicate: (line: string, json: Record<string, unknown> | null) => boolean, timeoutMs?: number): Promise<string>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function parse(line: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(line);
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** `fedfuse <command> ...args` (default `server`; `dashboard` for the read-only viewer). */
export function startServerProcess(args: readonly string[], env: NodeJS.ProcessEnv = {}, command = 'server'): ServerProcess {
  const child = spawn(process.execPath, [BIN, command, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  const lines: string[] = [];
  const waiters: Array<{ predicate: (l: string, j: Record<string, unknown> | null) => boolean; resolve: (l: string) => void }> = [];
  let buffered = '';
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    buffered += chunk;
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      lines.push(line);
      const json = parse(line);
      for (const w of [...waiters]) {
        if (w.predicate(line, json)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(line);
        }
      }
    }
  });
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => lines.push(`[stderr] ${chunk.trimEnd()}`));
  return {
    child,
    lines,
    waitForLine(predicate, timeoutMs = 60_000) {
      const seen = lines.find((l) => predicate(l, parse(l)));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`server never printed the awaited line; last lines:\n${lines.slice(-15).join('\n')}`)), timeoutMs);
        const onExit = (): void => {
          clearTimeout(timer);
          reject(new Error(`server exited before the awaited line; last lines:\n${lines.slice(-15).join('\n')}`));
        };
        child.once('exit', onExit);
        waiters.push({
          predicate,
          resolve: (l) => {
            clearTimeout(timer);
            child.off('exit', onExit);
            resolve(l);
          },
        });
      });
    },
    kill(signal = 'SIGKILL') {
      return new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      });
    },
  };
}

/** Waits for the server's `listening` log line (JSON, like every line it prints) and returns its URL. */
export async function listeningUrl(server: ServerProcess, timeoutMs = 180_000): Promise<string> {
  const line = await server.waitForLine((_l, j) => j?.['event'] === 'listening' && typeof j['url'] === 'string', timeoutMs);
  return String((JSON.parse(line) as { url: string }).url);
}
