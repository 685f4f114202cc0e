import type { IncomingMessage } from 'node:http';
import { isConnectionRefusal, type ConnectionGate } from './connection-gate.ts';
import type { Refusal } from './refusal.ts';

/**
 * engine.io's `allowRequest` through the connection gate, for every server
 * that opens socket.io sessions (the run's server and the read-only viewer):
 * a refused request is reported once and answered with its code, before any
 * session exists.
 */
export function gatedAllowRequest(gate: ConnectionGate, onRefused: (refusal: Refusal) => void) {
  return (req: IncomingMessage, callback: (err: string | null | undefined, success: boolean) => void): void => {
    const decision = gate.admit(req);
    if (!isConnectionRefusal(decision)) return callback(null, true);
    onRefused({ stage: 'handshake', code: decision.code, message: decision.message, clientId: decision.clientId, remoteAddress: req.socket.remoteAddress ?? 'unknown' });
    callback(`${decision.code}: ${decision.message}`, false);
  };
}
