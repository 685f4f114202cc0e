import { io, type Socket } from 'socket.io-client';
import { ENVELOPE_EVENT, envelopeBytes, handshakeRefusalOf } from '../common/events/index.ts';
import { decodeEnvelope, encodeEnvelope, type RoundTask, type WireMessage } from '../common/wire/index.ts';

/**
 * A bare socket.io peer that speaks the protocol by hand, so tests can send
 * exactly the (bad) bytes they mean to, with no SDK logic in between.
 */
export interface RawPeer {
  readonly socket: Socket;
  readonly received: WireMessage[];
  /** Sends raw bytes (or anything) and decodes the acknowledgement. */
  sendRaw(payload: unknown, timeoutMs?: number): Promise<WireMessage>;
  send(msg: WireMessage, timeoutMs?: number): Promise<WireMessage>;
  nextTask(timeoutMs?: number): Promise<RoundTask>;
  close(): void;
}

export function connectRaw(url: string, token: string): Promise<RawPeer> {
  // The token on the WebSocket's HTTP request, where the server checks it (server/transport/connection-gate.ts).
  const socket = io(url, { extraHeaders: { authorization: `Bearer ${token}` }, transports: ['websocket'], reconnection: false, forceNew: true });
  const received: WireMessage[] = [];
  const listeners: Array<() => void> = [];
  socket.on(ENVELOPE_EVENT, (payload: unknown) => {
    const bytes = envelopeBytes(payload);
    if (bytes === null) return;
    received.push(decodeEnvelope(bytes));
    for (const l of [...listeners]) l();
  });
  const peer: RawPeer = {
    socket,
    received,
    async sendRaw(payload, timeoutMs = 10_000) {
      const reply: unknown = await socket.timeout(timeoutMs).emitWithAck(ENVELOPE_EVENT, payload as Uint8Array);
      const bytes = envelopeBytes(reply);
      if (bytes === null) throw new Error('the server acknowledged with something other than an envelope');
      return decodeEnvelope(bytes);
    },
    send(msg, timeoutMs) {
      return peer.sendRaw(encodeEnvelope(msg), timeoutMs);
    },
    nextTask(timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const task = received.find((m): m is RoundTask => m.type === 'roundTask');
          if (task === undefined) return false;
          received.splice(received.indexOf(task), 1);
          resolve(task);
          return true;
        };
        if (check()) return;
        const timer = setTimeout(() => reject(new Error('no task arrived')), timeoutMs);
        const listener = (): void => {
          if (check()) {
            clearTimeout(timer);
            listeners.splice(listeners.indexOf(listener), 1);
          }
        };
        listeners.push(listener);
      });
    },
    close() {
      socket.disconnect();
    },
  };
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(peer));
    socket.once('connect_error', (err: Error) => {
      socket.disconnect();
      // data: the refusal, from the namespace (socket.io's data) or from the HTTP status of a refused connection request.
      reject(Object.assign(new Error(err.message), { data: handshakeRefusalOf(err) ?? undefined }));
    });
  });
}

export function hello(clientId: string, numExamples = 100): WireMessage {
  return { type: 'clientHello', clientId, softwareVersion: 'raw-test', numExamples, labelHistogram: null, widthCapacity: null };
}
