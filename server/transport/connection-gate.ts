import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { FedfuseError, isFedfuseError, type ErrorCode } from '../../common/errors/index.ts';
import { REFUSAL_HTTP_STATUS } from '../../common/events/index.ts';
import { verifyClientToken, type ClientTokenClaims } from '../auth/index.ts';
import type { ConnectionRateLimiter } from './connection-rate-limiter.ts';

/** Who a socket.io session was opened for, decided on its first HTTP request. */
export type SessionPrincipal =
  | {
      readonly kind: 'client';
      readonly claims: ClientTokenClaims;
      /** First 16 hex digits of the token's SHA-256: recorded with the client, never the token. */
      readonly tokenFingerprint: string;
    }
  | { readonly kind: 'observer' };

export interface ConnectionRefusal {
  readonly status: number;
  readonly code: ErrorCode;
  readonly message: string;
  /** The client id of a token that verified but was refused later (rate, revocation); else null. */
  readonly clientId: string | null;
}

export interface ConnectionGateDeps {
  readonly secret: string;
  readonly now: () => number;
  readonly rateLimiter: ConnectionRateLimiter;
  /**
   * Whether a request without a client token may open an observer session
   * (the dashboard's read-only feed): null when it may, else why not. Absent:
   * no observer sessions at all.
   */
  readonly observerRefusal?: (bearer: string | null, request: IncomingMessage) => string | null;
  /** Why verified claims may not connect (revoked), or null. */
  readonly claimsRefusal?: (claims: ClientTokenClaims) => string | null;
}

/**
 * Decides, from the HTTP request that would open a socket.io session (the
 * WebSocket upgrade, or polling's first GET), whether the session may exist:
 * before engine.io allocates anything for it (no session, no frame buffer).
 * A client presents its token as `Authorization: Bearer <token>` (Node) or as
 * the `token` query parameter (browsers cannot set headers on a WebSocket).
 */
export class ConnectionGate {
  private readonly decided = new WeakMap<IncomingMessage, SessionPrincipal>();

  constructor(private readonly deps: ConnectionGateDeps) {}

  /** The principal, or a refusal. Remembers the principal on the request for principalOf. */
  admit(req: IncomingMessage): SessionPrincipal | ConnectionRefusal {
    const known = this.decided.get(req);
    if (known !== undefined) return known;
    const decision = this.decide(req);
    if (!('status' in decision)) this.decided.set(req, decision);
    return decision;
  }

  /** The principal admit() gave the session's request; undefined when it never passed the gate. */
  principalOf(req: IncomingMessage): SessionPrincipal | undefined {
    return this.decided.get(req);
  }

  /** Why a client token would be refused (signature, expiry, revocation), or null; no rate is counted. */
  tokenRefusal(token: string | null): string | null {
    if (token === null || token === '') return 'no client token presented';
    try {
      const claims = verifyClientToken(this.deps.secret, token, this.deps.now());
      return this.deps.claimsRefusal?.(claims) ?? null;
    } catch (e) {
      return isFedfuseError(e) ? e.message : 'client token refused';
    }
  }

  private decide(req: IncomingMessage): SessionPrincipal | ConnectionRefusal {
    const bearer = presentedToken(req);
    if (bearer === null || !looksLikeClientToken(bearer)) {
      if (this.deps.observerRefusal !== undefined) {
        const why = this.deps.observerRefusal(bearer, req);
        if (why === null) return { kind: 'observer' };
        return refusal('unauthenticated', bearer === null ? `no client token presented; ${why}` : why, null);
      }
      return refusal('unauthenticated', bearer === null ? 'no client token presented (Authorization: Bearer <token>, or ?token= from a browser)' : 'client token is malformed', null);
    }
    let claims: ClientTokenClaims;
    try {
      claims = verifyClientToken(this.deps.secret, bearer, this.deps.now());
    } catch (e) {
      return refusal('unauthenticated', isFedfuseError(e) ? e.message : 'client token refused', null);
    }
    const revoked = this.deps.claimsRefusal?.(claims) ?? null;
    if (revoked !== null) return refusal('unauthenticated', revoked, claims.clientId);
    try {
      this.deps.rateLimiter.admit(claims.clientId, this.deps.now());
    } catch (e) {
      const err = isFedfuseError(e) ? e : new FedfuseError('unavailable', 'connection refused');
      return { status: REFUSAL_HTTP_STATUS.rateLimited, code: err.code, message: err.message, clientId: claims.clientId };
    }
    return { kind: 'client', claims, tokenFingerprint: tokenFingerprint(bearer) };
  }
}

function refusal(code: ErrorCode, message: string, clientId: string | null): ConnectionRefusal {
  return { status: REFUSAL_HTTP_STATUS.unauthenticated, code, message, clientId };
}

export function isConnectionRefusal(d: SessionPrincipal | ConnectionRefusal): d is ConnectionRefusal {
  return 'status' in d;
}

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;
const MAX_TOKEN_CHARS = 2048;

/** The token a request presents: `Authorization: Bearer`, else the `token` query parameter; null when neither. */
export function presentedToken(req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  if (typeof header === 'string' && header !== '') {
    const match = BEARER.exec(header);
    return match === null ? '' : match[1]!.slice(0, MAX_TOKEN_CHARS);
  }
  const url = req.url ?? '';
  const q = url.indexOf('?');
  if (q < 0) return null;
  const token = new URLSearchParams(url.slice(q + 1)).get('token');
  return token === null || token === '' ? null : token.slice(0, MAX_TOKEN_CHARS);
}

function looksLikeClientToken(token: string): boolean {
  return /^ff\d\./.test(token);
}

export function tokenFingerprint(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 16);
}
