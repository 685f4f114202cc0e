import { STATUS_CODES, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import type { Socket } from 'node:net';
import { REFUSAL_HTTP_STATUS } from '../../common/events/index.ts';
import type { ErrorCode } from '../../common/errors/index.ts';
import { ConnectionCaps, normaliseAddress } from './connection-caps.ts';
import { isConnectionRefusal, type ConnectionGate } from './connection-gate.ts';
import type { Refusal } from './refusal.ts';

export interface HttpServerGuardDeps {
  /** The server socket.io is already attached to (its request and upgrade listeners are wrapped). */
  readonly server: HttpServer | HttpsServer;
  readonly caps: ConnectionCaps;
  readonly gate: ConnectionGate;
  /** socket.io's path, `/socket.io/`. */
  readonly ioPath: string;
  readonly onRefused: (refusal: Refusal) => void;
  /** How long a connection over a cap may wait for its request to be answered with 503 before it is cut. Default 1 s. */
  readonly overCapGraceMs?: number;
}

/**
 * Puts the connection caps and the token check in front of everything the
 * HTTP server does:
 * - every TCP connection is counted per remote address and in total as it
 *   arrives; one over a cap is not served: its request (or WebSocket upgrade)
 *   is answered `503 {"error":{"code":"unavailable",...}}` and it is closed
 *   within `overCapGraceMs` whatever it sends;
 * - a WebSocket upgrade that would open a socket.io session must pass the
 *   ConnectionGate first; a refused one is answered with its HTTP status (401,
 *   429) and a JSON body and closed, before engine.io sees it, so no session
 *   and no frame buffer ever exists for it. (engine.io's allowRequest asks
 *   the same gate, which covers polling when it is enabled.)
 */
export function guardHttpServer(deps: HttpServerGuardDeps): void {
  const { server, caps, gate } = deps;
  const graceMs = deps.overCapGraceMs ?? 1000;
  const overCap = new Map<string, string>();

  server.prependListener('connection', (socket: Socket) => {
    const address = normaliseAddress(socket.remoteAddress);
    const why = caps.open(address);
    if (why === null) {
      socket.once('close', () => caps.close(address));
      return;
    }
    const key = connectionKey(socket);
    overCap.set(key, why);
    deps.onRefused({ stage: 'handshake', code: 'unavailable', message: why, clientId: null, remoteAddress: address });
    const timer = setTimeout(() => socket.destroy(), graceMs);
    timer.unref();
    socket.once('close', () => {
      clearTimeout(timer);
      overCap.delete(key);
    });
  });

  const requestListeners = server.listeners('request') as Array<(req: IncomingMessage, res: ServerResponse) => void>;
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const why = overCap.get(connectionKey(req.socket));
    if (why !== undefined) {
      const body = errorJson('unavailable', why);
      res.writeHead(REFUSAL_HTTP_STATUS.overCapacity, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), Connection: 'close', 'Retry-After': '5', 'Cache-Control': 'no-store' });
      res.end(body);
      return;
    }
    for (const listener of requestListeners) listener.call(server, req, res);
  });

  const upgradeListeners = server.listeners('upgrade') as Array<(req: IncomingMessage, socket: Duplex, head: Buffer) => void>;
  server.removeAllListeners('upgrade');
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const why = overCap.get(connectionKey(req.socket));
    if (why !== undefined) return refuseUpgrade(socket, REFUSAL_HTTP_STATUS.overCapacity, 'unavailable', why);
    if (opensSession(req, deps.ioPath)) {
      const decision = gate.admit(req);
      if (isConnectionRefusal(decision)) {
        deps.onRefused({ stage: 'handshake', code: decision.code, message: decision.message, clientId: decision.clientId, remoteAddress: normaliseAddress(req.socket.remoteAddress) });
        return refuseUpgrade(socket, decision.status, decision.code, decision.message);
      }
    }
    for (const listener of upgradeListeners) listener.call(server, req, socket, head);
  });
}

/** A request on socket.io's path without a session id: it would create a session. */
function opensSession(req: IncomingMessage, ioPath: string): boolean {
  const url = req.url ?? '';
  if (!url.startsWith(ioPath)) return false;
  const q = url.indexOf('?');
  return q < 0 || !new URLSearchParams(url.slice(q + 1)).has('sid');
}

function connectionKey(socket: Socket): string {
  return `${socket.remoteAddress ?? '?'}|${socket.remotePort ?? '?'}`;
}

function errorJson(code: ErrorCode, message: string): string {
  return JSON.stringify({ error: { code, message } });
}

/** Answers an upgrade with a plain HTTP error and closes the connection; whatever the peer sends after it is never read. */
function refuseUpgrade(socket: Duplex, status: number, code: ErrorCode, message: string): void {
  socket.on('error', () => {});
  const body = errorJson(code, message);
  if (socket.writable) {
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Refused'}\r\nConnection: close\r\nContent-Type: application/json\r\nCache-Control: no-store\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }
  const timer = setTimeout(() => socket.destroy(), 1000);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
}
