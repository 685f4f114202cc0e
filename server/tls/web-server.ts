import { createServer as createHttpServer, type RequestListener, type Server as HttpServer, type ServerOptions } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { isLoopbackHost } from '../dashboard/dashboard-access.ts';
import type { TlsSettings } from './tls-files.ts';

export type WebServer = HttpServer | HttpsServer;

export interface WebServerLimits {
  readonly headersTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly maxHeaderBytes: number;
}

/**
 * The one listening server: plain HTTP, or HTTPS (and so wss) when TLS
 * settings are given. The request timeouts apply to both; over TLS the
 * handshake must also finish within the headers timeout (Node's default is
 * 120 s, long enough to hold a connection place doing nothing), and with a
 * client CA a connection without a certificate it signed is refused during
 * the handshake, before any HTTP is read.
 */
export function createWebServer(limits: WebServerLimits, tls: TlsSettings | null, app: RequestListener): WebServer {
  const options: ServerOptions = {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    maxHeaderSize: limits.maxHeaderBytes,
    // Node checks the two timeouts on this interval (default 30 s, which would stretch a 10 s headers timeout to 40 s).
    connectionsCheckingInterval: Math.max(250, Math.min(5_000, Math.floor(limits.headersTimeoutMs / 4))),
  };
  if (tls === null) return createHttpServer(options, app);
  return createHttpsServer(
    {
      ...options,
      cert: tls.cert,
      key: tls.key,
      handshakeTimeout: limits.headersTimeoutMs,
      minVersion: 'TLSv1.2',
      ...(tls.clientCa === null ? {} : { ca: tls.clientCa, requestCert: true, rejectUnauthorized: true }),
    },
    app,
  );
}

/** `https` for a TLS server, else `http`. */
export function schemeOf(server: WebServer): 'http' | 'https' {
  // tls.Server (and so https.Server) has setSecureContext; http.Server has not.
  return typeof (server as { setSecureContext?: unknown }).setSecureContext === 'function' ? 'https' : 'http';
}

/** The start-up warning for a server reachable beyond this machine without TLS, or null. */
export function plaintextWarning(host: string, tls: TlsSettings | null): string | null {
  if (tls !== null || isLoopbackHost(host)) return null;
  return `listening on ${host} without TLS: tokens, the admin token and models cross the network in clear; use --tls-cert and --tls-key, or a TLS proxy in front (README "Deployment")`;
}

