import { io, type Socket } from 'socket.io-client';
import { ENVELOPE_EVENT, handshakeRefusalOf, type ClientToServerEvents, type HandshakeRefusal, type ServerToClientEvents } from '../common/events/index.ts';
import type { ClientConnection, ClientTls, ConnectionSettings, Unsubscribe } from './client-connection.ts';

/**
 * ClientConnection over socket.io (websocket only), the same in Node and in a
 * browser: the token travels on the WebSocket's HTTP request, where the
 * server checks it before any session exists (`Authorization: Bearer` from
 * Node; the `token` query parameter from a browser, which cannot set headers
 * on a WebSocket), envelopes as binary on ENVELOPE_EVENT, answers through
 * socket.io acknowledgements.
 */
export function createSocketIoConnection(url: string, token: string, settings: ConnectionSettings): ClientConnection {
  const backoff = settings;
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(url, {
    ...tokenOnRequest(token),
    ...tlsOptions(settings.tls),
    transports: ['websocket'],
    // Its own connection, never multiplexed with another socket of this process to the same server
    // (socket.io-client shares a Manager per URL otherwise, with the first socket's options).
    forceNew: true,
    reconnectionDelay: backoff.reconnectDelayMs,
    reconnectionDelayMax: backoff.reconnectDelayMaxMs,
    autoConnect: false,
  });
  let closed = false;
  let refusalRetry: ReturnType<typeof setTimeout> | null = null;
  let askingWhy = false;
  const refusedListeners = new Set<(refusal: HandshakeRefusal) => void>();

  const refused = (refusal: HandshakeRefusal, byMiddleware: boolean): void => {
    if (closed) return;
    // A refusal by the server's namespace middleware (err.data) is not retried by socket.io; one answered with an
    // HTTP status on the connection request is a transport error to socket.io, which retries it by itself.
    if (refusal.code === 'unavailable') {
      if (byMiddleware && refusalRetry === null) {
        refusalRetry = setTimeout(() => {
          refusalRetry = null;
          if (!closed) socket.connect();
        }, backoff.reconnectDelayMaxMs);
      }
    } else if (!byMiddleware) {
      // A refused token stays refused: stop socket.io's own retries (open() starts again).
      socket.disconnect();
    }
    for (const listener of [...refusedListeners]) listener(refusal);
  };

  socket.on('connect_error', (err: Error & { data?: unknown }) => {
    const refusal = handshakeRefusalOf(err);
    if (refusal !== null) return refused(refusal, err.data !== undefined);
    // A browser's WebSocket says nothing about a refused upgrade: ask the server over HTTP whether the token is the
    // reason (GET /api/token-check). Unreachable, or the token is fine: a transport error, socket.io retries.
    if (!runsInNode() && !askingWhy && !closed) {
      askingWhy = true;
      void tokenRefusal(url, token).then((why) => {
        askingWhy = false;
        if (why !== null) refused(why, false);
      });
    }
  });

  const listen = <A extends unknown[]>(event: string, listener: (...args: A) => void): Unsubscribe => {
    const untyped = socket as unknown as { on(e: string, l: (...args: A) => void): void; off(e: string, l: (...args: A) => void): void };
    untyped.on(event, listener);
    return () => untyped.off(event, listener);
  };

  return {
    get connected() {
      return socket.connected;
    },
    open() {
      closed = false;
      socket.connect();
    },
    close() {
      closed = true;
      if (refusalRetry !== null) clearTimeout(refusalRetry);
      refusalRetry = null;
      socket.disconnect();
    },
    request(envelope, timeoutMs) {
      return socket.timeout(timeoutMs).emitWithAck(ENVELOPE_EVENT, envelope);
    },
    onConnected: (listener) => listen('connect', listener),
    onDisconnected: (listener) => listen('disconnect', (reason: string) => listener(reason)),
    onRefused: (listener) => {
      refusedListeners.add(listener);
      return () => refusedListeners.delete(listener);
    },
    onEnvelope: (listener) => listen(ENVELOPE_EVENT, listener),
  };
}

function runsInNode(): boolean {
  return typeof (globalThis as { process?: { versions?: { node?: unknown } } }).process?.versions?.node === 'string';
}

/** Where the token goes on the connection's HTTP request: a header in Node, the query in a browser. */
function tokenOnRequest(token: string): { extraHeaders: Record<string, string> } | { query: Record<string, string> } {
  return runsInNode() ? { extraHeaders: { authorization: `Bearer ${token}` } } : { query: { token } };
}

/** socket.io-client hands these to Node's TLS (through ws); a browser has its own. Certificates are always verified. */
function tlsOptions(tls: ClientTls | null): { ca?: string; cert?: string; key?: string; rejectUnauthorized: true } | Record<string, never> {
  if (tls === null || !runsInNode()) return {};
  return {
    ...(tls.ca !== undefined ? { ca: tls.ca } : {}),
    ...(tls.cert !== undefined ? { cert: tls.cert } : {}),
    ...(tls.key !== undefined ? { key: tls.key } : {}),
    rejectUnauthorized: true,
  };
}

/** The server's reason for refusing the token (GET /api/token-check answers 401 with it), or null. */
async function tokenRefusal(url: string, token: string): Promise<HandshakeRefusal | null> {
  try {
    const res = await fetch(new URL('/api/token-check', url), { headers: { authorization: `Bearer ${token}` } });
    if (res.status !== 401) return null;
    const body = (await res.json()) as { error?: { code?: unknown; message?: unknown } };
    return { code: 'unauthenticated', message: typeof body.error?.message === 'string' ? body.error.message : 'the server refused the token' };
  } catch {
    return null;
  }
}
