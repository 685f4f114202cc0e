import { io, type Socket } from 'socket.io-client';
import { ENVELOPE_EVENT, type ClientToServerEvents, type HandshakeRefusal, type ServerToClientEvents } from '../common/events/index.ts';
import type { Backoff, ClientConnection, Unsubscribe } from './client-connection.ts';

/**
 * ClientConnection over socket.io (websocket only), the same in Node and in a
 * browser: the token travels in the handshake's `auth`, envelopes as binary
 * on ENVELOPE_EVENT, answers through socket.io acknowledgements.
 */
export function createSocketIoConnection(url: string, token: string, backoff: Backoff): ClientConnection {
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(url, {
    auth: { token },
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

  socket.on('connect_error', (err: Error & { data?: HandshakeRefusal }) => {
    // Refused by the server's middleware (bad token, rate limit): socket.io does not retry these by itself.
    if (err.data?.code === 'unavailable' && !closed && refusalRetry === null) {
      refusalRetry = setTimeout(() => {
        refusalRetry = null;
        if (!closed) socket.connect();
      }, backoff.reconnectDelayMaxMs);
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
    onRefused: (listener) =>
      listen('connect_error', (err: Error & { data?: HandshakeRefusal }) => {
        // Without data it is a transport error (server unreachable): socket.io retries by itself.
        if (err.data !== undefined) listener(err.data);
      }),
    onEnvelope: (listener) => listen(ENVELOPE_EVENT, listener),
  };
}
