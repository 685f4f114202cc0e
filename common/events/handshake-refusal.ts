import type { HandshakeRefusal } from './socket-events.ts';

/**
 * A connection the server refuses before any session exists (its token is
 * checked on the HTTP upgrade request, server/transport/connection-gate.ts)
 * is answered with an HTTP status instead of a socket.io packet, because
 * there is no socket.io session to carry one. The status says which code it
 * is; the JSON body repeats code and message for clients that can read it
 * (curl, fetch, a proxy's log; a WebSocket client in Node sees only the status).
 */
export const REFUSAL_HTTP_STATUS = {
  /** No token, a bad, expired or revoked one. */
  unauthenticated: 401,
  /** This client id connects faster than its rate (try again later). */
  rateLimited: 429,
  /** Connection caps (per address, in total): try again later. */
  overCapacity: 503,
} as const;

/** The code a refused connection's HTTP status stands for; null for statuses fedfuse does not send. */
export function refusalCodeOfStatus(status: number): 'unauthenticated' | 'unavailable' | null {
  if (status === REFUSAL_HTTP_STATUS.unauthenticated || status === 403) return 'unauthenticated';
  if (status === REFUSAL_HTTP_STATUS.rateLimited || status === REFUSAL_HTTP_STATUS.overCapacity) return 'unavailable';
  return null;
}

const UNEXPECTED_RESPONSE = /Unexpected server response: (\d{3})/;

/**
 * The refusal in a socket.io-client `connect_error`: the `data` of a refusal
 * by a namespace's middleware, or the HTTP status of an upgrade the server
 * refused (Node's WebSocket reports "Unexpected server response: 401"; a
 * browser reports nothing, so there the answer is null and the caller learns
 * the reason over HTTP, or retries). Null for a transport error.
 */
export function handshakeRefusalOf(err: unknown): HandshakeRefusal | null {
  if (typeof err !== 'object' || err === null) return null;
  const { data, description } = err as { data?: unknown; description?: unknown };
  if (typeof data === 'object' && data !== null && typeof (data as HandshakeRefusal).code === 'string') return data as HandshakeRefusal;
  const text = typeof description === 'object' && description !== null ? String((description as { message?: unknown }).message ?? '') : String(description ?? '');
  const match = UNEXPECTED_RESPONSE.exec(text);
  if (match === null) return null;
  const status = Number(match[1]);
  const code = refusalCodeOfStatus(status);
  if (code === null) return null;
  return {
    code,
    message:
      code === 'unauthenticated'
        ? `the server refused the connection (HTTP ${status}): the token is missing, invalid, expired or revoked`
        : `the server is at its connection limit or this client reconnects too fast (HTTP ${status}); try again later`,
  };
}
