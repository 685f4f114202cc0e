import { FedfuseError } from '../../common/errors/index.ts';

export interface ConnectionRateLimit {
  /** Connections one client id may open per window. Default 20. */
  readonly maxConnections: number;
  /** Default 10 s. */
  readonly windowMs: number;
}

export const DEFAULT_CONNECTION_RATE_LIMIT: ConnectionRateLimit = { maxConnections: 20, windowMs: 10_000 };

/**
 * Refuses a client id that opens connections faster than a real client
 * reconnecting with backoff would (a flood, or a crash loop). Sliding window
 * per client id; memory is bounded by forgetting ids whose window is empty.
 */
export class ConnectionRateLimiter {
  private readonly recent = new Map<string, number[]>();
  private readonly limit: ConnectionRateLimit;

  constructor(limit: Partial<ConnectionRateLimit> = {}) {
    this.limit = { ...DEFAULT_CONNECTION_RATE_LIMIT, ...limit };
  }

  /** Throws FedfuseError('unavailable') when the client is over its rate. */
  admit(clientId: string, nowMs: number): void {
    const since = nowMs - this.limit.windowMs;
    const times = (this.recent.get(clientId) ?? []).filter((t) => t > since);
    if (times.length >= this.limit.maxConnections) {
      this.recent.set(clientId, times);
      throw new FedfuseError('unavailable', `client "${clientId}" opened more than ${this.limit.maxConnections} connections in ${this.limit.windowMs / 1000} s; try again later`);
    }
    times.push(nowMs);
    this.recent.set(clientId, times);
    if (this.recent.size > 10_000) this.forgetIdle(since);
  }

  private forgetIdle(since: number): void {
    for (const [id, times] of this.recent) if (times.every((t) => t <= since)) this.recent.delete(id);
  }
}
