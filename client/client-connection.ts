import type { HandshakeRefusal } from '../common/events/index.ts';

/**
 * What FedfuseClient needs from a transport, and nothing else (disco's
 * EventConnection idea): open and close, one request answered through an
 * acknowledgement, and four kinds of notification. The client's protocol
 * logic (hello, tasks, uploads kept until acknowledged) lives in
 * FedfuseClient and runs unchanged in Node and in a browser; the socket.io
 * binding is socket-io-connection.ts.
 *
 * Every `on...` returns a function that removes the listener again.
 */
export interface ClientConnection {
  readonly connected: boolean;
  /** Starts connecting (and reconnecting with backoff after a drop) until close(). */
  open(): void;
  close(): void;
  /** Sends one envelope; resolves with what the server answered through the acknowledgement (raw, not yet checked). */
  request(envelope: Uint8Array, timeoutMs: number): Promise<unknown>;
  onConnected(listener: () => void): Unsubscribe;
  onDisconnected(listener: (reason: string) => void): Unsubscribe;
  /** The server refused the handshake (bad token, rate limit): its typed reason. */
  onRefused(listener: (refusal: HandshakeRefusal) => void): Unsubscribe;
  /** An envelope the server sent on its own (a task, a global model), raw. */
  onEnvelope(listener: (payload: unknown) => void): Unsubscribe;
}

export type Unsubscribe = () => void;

/** Reconnection backoff shared by the transport and the client's own retries. */
export interface Backoff {
  /** First delay, ms. */
  readonly reconnectDelayMs: number;
  /** Cap, ms. */
  readonly reconnectDelayMaxMs: number;
}

/**
 * TLS of a Node client (a browser uses its own trust store and certificates;
 * these are ignored there). PEM text, so the SDK needs no file system.
 */
export interface ClientTls {
  /** CA(s) to trust for the server's certificate instead of the system's (a private CA or a self-signed server). */
  readonly ca?: string;
  /** A client certificate and its key, for a server started with `--tls-ca`. */
  readonly cert?: string;
  readonly key?: string;
}

/** What a transport is built with besides the URL and the token. */
export interface ConnectionSettings extends Backoff {
  /** Default null: the system's CAs, no client certificate. */
  readonly tls: ClientTls | null;
}
