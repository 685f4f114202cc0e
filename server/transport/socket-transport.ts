import type { Server, Socket } from 'socket.io';
import { FedfuseError, isFedfuseError } from '../../common/errors/index.ts';
import {
  ENVELOPE_EVENT,
  envelopeBytes,
  type ClientToServerEvents,
  type EnvelopeBytes,
  type HandshakeRefusal,
  type ServerToClientEvents,
} from '../../common/events/index.ts';
import { decodeEnvelope, encodeEnvelope, type WireMessage } from '../../common/wire/index.ts';
import type { ClientChannel, RoundOrchestrator } from '../rounds/index.ts';
import type { ClientTokenClaims } from '../auth/index.ts';
import type { ConnectionGate } from './connection-gate.ts';
import type { Refusal } from './refusal.ts';

export interface SocketData {
  clientId: string;
  claims: ClientTokenClaims;
  tokenFingerprint: string;
  /** Set once the client's hello has been taken. */
  joined: boolean;
}

export type FedfuseIoServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type FedfuseSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export interface SocketTransportDeps {
  readonly io: FedfuseIoServer;
  readonly orchestrator: RoundOrchestrator;
  /** Decided who each session is for on its HTTP request (token, revocation, rate); the namespace reads its answer. */
  readonly gate: ConnectionGate;
  /** Told of every refusal (handshake, envelope, connection cut for its size) and every byte moved, for logs and metrics. */
  readonly onRefused?: (refusal: Refusal) => void;
  readonly onBytesSent?: (bytes: number) => void;
  /** Default Date.now: the clock token expiries are measured on. */
  readonly now?: () => number;
}

/** What the rest of the server can do to live client sessions. */
export interface ClientSessions {
  /**
   * Ends every live session whose token `covers` (a revocation): an error
   * envelope `unauthenticated` with `message`, then the connection is closed
   * by the server (socket.io does not reconnect after that). Returns how many.
   */
  cut(covers: (claims: ClientTokenClaims) => boolean, message: string): number;
}

/** setTimeout's longest delay (about 24.8 days); longer expiries are waited for in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Binds socket.io to the orchestrator: authenticates the handshake, decodes
 * every envelope at the boundary, answers each one through its ack with an
 * envelope (Welcome, Ack or Error), and never lets a peer's bad bytes throw
 * past this file.
 */
export function attachSocketTransport(deps: SocketTransportDeps): ClientSessions {
  const { io, orchestrator, gate } = deps;
  const now = deps.now ?? Date.now;
  const sockets = new Map<string, FedfuseSocket>();

  const cutSession = (socket: FedfuseSocket, message: string): void => {
    const err = new FedfuseError('unauthenticated', message);
    deps.onRefused?.({ stage: 'connection', code: err.code, message: err.message, clientId: socket.data.clientId, remoteAddress: socket.handshake.address });
    socket.emit(ENVELOPE_EVENT, encodeEnvelope({ type: 'error', code: err.code, message: err.message, round: null }));
    socket.disconnect(true);
  };

  // The token was verified on the session's HTTP request (ConnectionGate, before engine.io made a session);
  // here the client namespace only takes sessions that were opened with a client token.
  io.use((socket, next) => {
    const principal = gate.principalOf(socket.request);
    if (principal?.kind === 'client') {
      socket.data.clientId = principal.claims.clientId;
      socket.data.claims = principal.claims;
      socket.data.tokenFingerprint = principal.tokenFingerprint;
      socket.data.joined = false;
      next();
    } else {
      const err = new FedfuseError('unauthenticated', 'this connection was opened without a client token (send it as "Authorization: Bearer <token>" or ?token= on the connection request)');
      deps.onRefused?.({ stage: 'handshake', code: err.code, message: err.message, clientId: null, remoteAddress: socket.handshake.address });
      const refusal = Object.assign(new Error(`${err.code}: ${err.message}`), { data: { code: err.code, message: err.message } satisfies HandshakeRefusal });
      next(refusal);
    }
  });

  io.on('connection', (socket) => {
    const clientId = socket.data.clientId;
    // One live connection per client id: a newer one replaces the older.
    const previous = sockets.get(clientId);
    if (previous !== undefined && previous.id !== socket.id) previous.disconnect(true);
    sockets.set(clientId, socket);

    // The token's expiry ends the session, whenever it falls.
    let expiry: ReturnType<typeof setTimeout> | null = null;
    const armExpiry = (): void => {
      const left = socket.data.claims.expiresAtMs - now();
      if (left <= 0) return cutSession(socket, `client token for "${clientId}" expired at ${new Date(socket.data.claims.expiresAtMs).toISOString()}; the session ended`);
      expiry = setTimeout(armExpiry, Math.min(left, MAX_TIMER_MS));
      expiry.unref();
    };
    armExpiry();

    const channel: ClientChannel = {
      send(bytes) {
        socket.emit(ENVELOPE_EVENT, bytes);
        deps.onBytesSent?.(bytes.byteLength);
      },
    };

    const refused = (stage: Refusal['stage'], err: FedfuseError): void => {
      deps.onRefused?.({ stage, code: err.code, message: err.message, clientId, remoteAddress: socket.handshake.address });
    };

    socket.on(ENVELOPE_EVENT, (payload: EnvelopeBytes, ack?: (reply: EnvelopeBytes) => void) => {
      const reply = (msg: WireMessage): void => {
        if (typeof ack === 'function') ack(encodeEnvelope(msg));
      };
      void handleEnvelope(socket, channel, payload)
        .then(reply)
        .catch((e: unknown) => {
          const err = isFedfuseError(e) ? e : new FedfuseError('internal', e instanceof Error ? e.message : String(e));
          refused('message', err);
          reply({ type: 'error', code: err.code, message: err.message, round: null });
        });
    });

    // An event other than the envelope has no handler and no answer: still a refusal, counted.
    socket.onAny((event: unknown) => {
      if (event !== ENVELOPE_EVENT) refused('message', new FedfuseError('bad_message', `unknown event ${JSON.stringify(String(event)).slice(0, 80)}; every message is an "${ENVELOPE_EVENT}"`));
    });

    socket.on('disconnect', (reason, description) => {
      // A WebSocket frame over maxHttpBufferSize makes socket.io cut the connection (ws: "Max payload size exceeded").
      if (reason === 'transport error' && /max payload size exceeded/i.test(describe(description))) {
        refused('connection', new FedfuseError('too_large', 'a frame exceeded the size limit; the connection was closed'));
      }
      if (expiry !== null) clearTimeout(expiry);
      if (sockets.get(clientId) === socket) sockets.delete(clientId);
      if (socket.data.joined) orchestrator.clientLeft(clientId, channel);
    });
  });

  return {
    cut(covers, message) {
      let count = 0;
      for (const socket of [...sockets.values()]) {
        if (!covers(socket.data.claims)) continue;
        cutSession(socket, message);
        count++;
      }
      return count;
    },
  };

  async function handleEnvelope(socket: FedfuseSocket, channel: ClientChannel, payload: unknown): Promise<WireMessage> {
    const bytes = envelopeBytes(payload);
    if (bytes === null) throw new FedfuseError('bad_message', 'an envelope must be sent as binary');
    const msg = decodeEnvelope(bytes);
    const clientId = socket.data.clientId;
    switch (msg.type) {
      case 'clientHello': {
        if (msg.clientId !== clientId) {
          throw new FedfuseError('unauthenticated', `hello names client "${msg.clientId}" but the token is for "${clientId}"`);
        }
        if (!Number.isSafeInteger(msg.numExamples) || msg.numExamples < 0) {
          throw new FedfuseError('invalid_argument', `num_examples must be a non-negative integer, got ${msg.numExamples}`);
        }
        const welcome = await orchestrator.clientJoined(
          { clientId, numExamples: msg.numExamples, labelHistogram: msg.labelHistogram, widthCapacity: msg.widthCapacity, tokenFingerprint: socket.data.tokenFingerprint },
          channel,
        );
        socket.data.joined = true;
        // The connection closed while the hello was being stored: its disconnect handler ran before the
        // client counted as joined, so tell the orchestrator now, or it would keep a client that is gone.
        if (socket.disconnected) orchestrator.clientLeft(clientId, channel);
        return welcome;
      }
      case 'clientUpdate': {
        if (!socket.data.joined) throw new FedfuseError('unknown_client', `client "${clientId}" must say hello before sending updates`);
        return orchestrator.submitUpdate(clientId, msg, bytes.byteLength);
      }
      default:
        throw new FedfuseError('bad_message', `a client may not send a ${msg.type} message`);
    }
  }
}

function describe(description: unknown): string {
  if (description instanceof Error) return `${description.message} ${String((description as Error & { description?: unknown }).description ?? '')}`;
  return String(description ?? '');
}
