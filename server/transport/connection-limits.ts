import { FedfuseError } from '../../common/errors/index.ts';

/**
 * What a peer may hold on the server before (and regardless of) proving who
 * it is. Each is a `fedfuse server` option (server/config/server-options.ts).
 */
export interface ConnectionLimits {
  /** Open TCP connections from one remote address (HTTP, WebSocket, TLS handshakes). Default 32. */
  readonly maxConnectionsPerAddress: number;
  /** Open TCP connections in total. Default 1,000. */
  readonly maxConnections: number;
  /**
   * HTTP long-polling as a socket.io transport besides WebSocket. Default
   * off: polling keeps session buffers per request and needs no upgrade, so
   * it is opt-in for networks that block WebSockets.
   */
  readonly allowPolling: boolean;
  /** Time for a request's headers to arrive (slowloris). Default 10 s. */
  readonly headersTimeoutMs: number;
  /** Time for a whole request to arrive. Default 30 s. */
  readonly requestTimeoutMs: number;
  /**
   * Largest HTTP header block, and largest frame of a socket.io session
   * opened without a client token (dashboard observers, who send
   * nothing). Default 16 KiB. Sessions with a client token take frames up to
   * the envelope limit (common/wire MAX_MESSAGE_BYTES).
   */
  readonly preAuthMaxBytes: number;
}

export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = {
  maxConnectionsPerAddress: 32,
  maxConnections: 1000,
  allowPolling: false,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  preAuthMaxBytes: 16 * 1024,
};

/** The defaults overridden by `partial`, checked (one typed line per wrong value). */
export function resolveConnectionLimits(partial: Partial<ConnectionLimits> = {}): ConnectionLimits {
  const limits = { ...DEFAULT_CONNECTION_LIMITS, ...partial };
  const positiveInteger = (key: keyof ConnectionLimits): void => {
    const v = limits[key];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1) throw new FedfuseError('invalid_argument', `connection limit ${key} must be an integer >= 1, got ${String(v)}`);
  };
  positiveInteger('maxConnectionsPerAddress');
  positiveInteger('maxConnections');
  positiveInteger('headersTimeoutMs');
  positiveInteger('requestTimeoutMs');
  positiveInteger('preAuthMaxBytes');
  if (limits.maxConnectionsPerAddress > limits.maxConnections) {
    throw new FedfuseError('invalid_argument', `maxConnectionsPerAddress (${limits.maxConnectionsPerAddress}) cannot exceed maxConnections (${limits.maxConnections})`);
  }
  if (limits.headersTimeoutMs > limits.requestTimeoutMs) {
    throw new FedfuseError('invalid_argument', `the headers timeout (${limits.headersTimeoutMs} ms) cannot exceed the request timeout (${limits.requestTimeoutMs} ms)`);
  }
  if (limits.preAuthMaxBytes < 1024) throw new FedfuseError('invalid_argument', `preAuthMaxBytes must be at least 1024 (an HTTP request's headers), got ${limits.preAuthMaxBytes}`);
  return limits;
}
