import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { connect, type Socket } from 'node:net';

/**
 * The attackers and probes of scripts/bench-security.ts: raw TCP peers from
 * chosen loopback addresses (127.0.0.0/8 is all local on Linux, so each
 * address is another peer for the per-address cap), a health prober, and an
 * RSS sampler reading /proc.
 */

/** The resident set of a process in MB (VmRSS, all threads), from /proc. */
export function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return line === undefined ? Number.NaN : Number(line.replace(/\D+/g, '')) / 1024;
}

export interface RssSampler {
  stop(): { baselineMb: number; peakMb: number; growthMb: number };
}

/** Samples RSS every `everyMs` from now; the baseline is the first sample. */
export function sampleRss(pid: number, everyMs = 50): RssSampler {
  const baselineMb = rssMb(pid);
  let peakMb = baselineMb;
  const timer = setInterval(() => {
    try {
      peakMb = Math.max(peakMb, rssMb(pid));
    } catch {
      // the process ended: keep the peak
    }
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return { baselineMb, peakMb, growthMb: peakMb - baselineMb };
    },
  };
}

export interface Latencies {
  readonly count: number;
  readonly failed: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

export function summarise(samples: readonly number[], failed: number): Latencies {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number): number => (sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!);
  return { count: sorted.length, failed, p50Ms: at(0.5), p99Ms: at(0.99), maxMs: sorted.at(-1) ?? Number.NaN };
}

/** One GET from `localAddress`; the status (0 when the connection failed) and the time to the whole answer. */
export function timedGet(url: string, path: string, options: { localAddress?: string; agent?: Agent; headers?: Record<string, string>; timeoutMs?: number; method?: string } = {}): Promise<{ status: number; ms: number; retryAfter?: string }> {
  const { hostname, port } = new URL(url);
  const started = performance.now();
  return new Promise((resolve) => {
    const req = request(
      { host: hostname, port, path, method: options.method ?? 'GET', localAddress: options.localAddress ?? '127.0.0.1', agent: options.agent ?? false, headers: options.headers ?? {}, timeout: options.timeoutMs ?? 10_000 },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started, ...(res.headers['retry-after'] !== undefined ? { retryAfter: String(res.headers['retry-after']) } : {}) }));
        res.on('error', () => resolve({ status: 0, ms: performance.now() - started }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ status: 0, ms: performance.now() - started }));
    req.end();
  });
}

export interface HealthProber {
  stop(): Promise<Latencies>;
}

/** GET /api/health one after another (keep-alive, from `localAddress`), every `gapMs`, until stopped. */
export function probeHealth(url: string, localAddress: string, gapMs = 20): HealthProber {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const samples: number[] = [];
  let failed = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const r = await timedGet(url, '/api/health', { localAddress, agent });
      if (r.status === 200) samples.push(r.ms);
      else failed++;
      await new Promise((resolve) => setTimeout(resolve, gapMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      agent.destroy();
      return summarise(samples, failed);
    },
  };
}

export function tcp(url: string, localAddress: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port), localAddress });
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** What one attacker's requests look like before its 30 MB: a WebSocket upgrade without a token, or a POST of a 30 MB JSON body. */
export type FloodKind = 'upgrade' | 'post';

function floodHead(url: string, kind: FloodKind, bodyBytes: number): string {
  const host = new URL(url).host;
  if (kind === 'upgrade') {
    return `GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`;
  }
  return `POST /api/tokens HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: ${bodyBytes}\r\n\r\n`;
}

export interface FloodTotals {
  connections: number;
  /** Bytes the kernel took from the attackers (what reached the server's socket buffers at most). */
  bytesWritten: number;
  /** Connections the server answered before closing (401, 413, 503...), by status. */
  statuses: Record<string, number>;
}

/**
 * One attacker: connects from `localAddress`, sends its request head and then
 * tries to push `bytes` as fast as the socket takes them, until the server
 * closes the connection; again and again until stopped.
 */
export function floodUntilStopped(url: string, localAddress: string, kind: FloodKind, bytes: number, totals: FloodTotals, stopped: () => boolean): Promise<void> {
  const chunk = Buffer.alloc(64 * 1024, 0x41);
  const once = async (): Promise<void> => {
    let socket: Socket;
    try {
      socket = await tcp(url, localAddress);
    } catch {
      await new Promise((r) => setTimeout(r, 50));
      return;
    }
    totals.connections++;
    let answer = '';
    socket.on('data', (d: Buffer) => {
      if (answer.length < 64) answer += d.toString('latin1');
    });
    await new Promise<void>((resolve) => {
      let sent = 0;
      const finish = (): void => {
        totals.bytesWritten += socket.bytesWritten;
        const status = /^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 'none';
        totals.statuses[status] = (totals.statuses[status] ?? 0) + 1;
        socket.destroy();
        resolve();
      };
      socket.once('close', finish);
      socket.on('error', () => {});
      const pump = (): void => {
        while (sent < bytes && !socket.destroyed) {
          sent += chunk.length;
          if (!socket.write(chunk)) {
            socket.once('drain', pump);
            return;
          }
        }
        // Everything handed over: wait for the server to close (or give up after 10 s).
        setTimeout(() => socket.destroy(), 10_000).unref();
      };
      socket.write(floodHead(url, kind, bytes));
      pump();
    });
  };
  return (async () => {
    while (!stopped()) await once();
  })();
}

/** `count` connections from `localAddress` that each send a request line and some headers, never the blank line ending them. */
export async function halfOpen(url: string, localAddress: string, count: number): Promise<{ sockets: Socket[]; answered: Map<Socket, string>; closedAt: Map<Socket, number> }> {
  const sockets: Socket[] = [];
  const answered = new Map<Socket, string>();
  const closedAt = new Map<Socket, number>();
  const host = new URL(url).host;
  await Promise.all(
    Array.from({ length: count }, async () => {
      let socket: Socket;
      try {
        socket = await tcp(url, localAddress);
      } catch {
        return;
      }
      sockets.push(socket);
      socket.on('error', () => {});
      socket.on('data', (d: Buffer) => answered.set(socket, (answered.get(socket) ?? '') + d.toString('latin1')));
      socket.once('close', () => closedAt.set(socket, Date.now()));
      socket.write(`GET /api/health HTTP/1.1\r\nHost: ${host}\r\nX-Slow: `);
    }),
  );
  return { sockets, answered, closedAt };
}
