/**
 * The socket.io event maps, shared by the server and the client SDK so both
 * ends are type-checked against one definition. fedfuse uses a single event:
 * every payload is one binary protobuf Envelope (common/wire), so the message
 * types live in one place (proto/fedfuse.proto) and socket.io only carries
 * bytes. A client-to-server envelope is always answered through the
 * acknowledgement with an envelope too: Welcome, Ack or Error.
 */
export const ENVELOPE_EVENT = 'envelope';

export type EnvelopeBytes = Uint8Array | ArrayBuffer;

export interface ClientToServerEvents {
  envelope: (bytes: EnvelopeBytes, ack: (reply: EnvelopeBytes) => void) => void;
}

export interface ServerToClientEvents {
  envelope: (bytes: EnvelopeBytes) => void;
}

/** Handshake auth payload a client sends (socket.io `auth` option). */
export interface HandshakeAuth {
  readonly token: string;
}

/** The `data` of the connect_error a refused handshake gets. */
export interface HandshakeRefusal {
  readonly code: string;
  readonly message: string;
}

/** Normalises what socket.io delivers (Buffer in Node, ArrayBuffer in browsers) to a Uint8Array. */
export function envelopeBytes(payload: unknown): Uint8Array | null {
  if (payload instanceof Uint8Array) return payload;
  if (payload instanceof ArrayBuffer) return new Uint8Array(payload);
  return null;
}
