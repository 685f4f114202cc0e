import { createHmac, timingSafeEqual, createHash } from 'node:crypto';
import { FedfuseError } from '../../common/errors/index.ts';

/**
 * Client tokens signed with the server's secret (HMAC-SHA256), rather than a
 * configured list of tokens: an operator enrolling hundreds of edge devices
 * mints tokens offline (`fedfuse token`), the server keeps no token table in
 * sync, each token is bound to one client id (a client cannot upload under
 * another's name) and can carry an expiry. The price: a single token cannot be
 * revoked before it expires except by rotating the secret.
 *
 * Format: `ff1.<base64url(JSON {c: clientId, e: expiresAtMs | 0})>.<base64url(hmac)>`
 */
const PREFIX = 'ff1';
const CLIENT_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

export interface ClientTokenClaims {
  readonly clientId: string;
  /** Unix milliseconds; 0 = never expires. */
  readonly expiresAtMs: number;
}

export function isValidClientId(id: string): boolean {
  return CLIENT_ID_PATTERN.test(id);
}

function sign(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(`${PREFIX}.${payload}`).digest('base64url');
}

export function mintClientToken(secret: string, clientId: string, expiresAtMs = 0): string {
  if (secret.length < 16) throw new FedfuseError('invalid_argument', 'the server secret must be at least 16 characters');
  if (!isValidClientId(clientId)) {
    throw new FedfuseError('invalid_argument', `client id "${clientId}" must be 1-64 characters of letters, digits, '.', '_' or '-'`);
  }
  if (!Number.isSafeInteger(expiresAtMs) || expiresAtMs < 0) throw new FedfuseError('invalid_argument', 'expiry must be a non-negative integer of unix milliseconds');
  const payload = Buffer.from(JSON.stringify({ c: clientId, e: expiresAtMs })).toString('base64url');
  return `${PREFIX}.${payload}.${sign(secret, payload)}`;
}

/** Returns the token's claims, or throws FedfuseError('unauthenticated') saying why. */
export function verifyClientToken(secret: string, token: unknown, nowMs: number): ClientTokenClaims {
  if (typeof token !== 'string' || token.length === 0) throw new FedfuseError('unauthenticated', 'no client token presented');
  if (token.length > 1024) throw new FedfuseError('unauthenticated', 'client token is malformed');
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== PREFIX) throw new FedfuseError('unauthenticated', 'client token is malformed');
  const payload = parts[1]!;
  const expected = Buffer.from(sign(secret, payload));
  const given = Buffer.from(parts[2]!);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    throw new FedfuseError('unauthenticated', 'client token signature is invalid');
  }
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw new FedfuseError('unauthenticated', 'client token is malformed');
  }
  if (typeof claims !== 'object' || claims === null) throw new FedfuseError('unauthenticated', 'client token is malformed');
  const { c, e } = claims as { c?: unknown; e?: unknown };
  if (typeof c !== 'string' || !isValidClientId(c) || typeof e !== 'number' || !Number.isSafeInteger(e) || e < 0) {
    throw new FedfuseError('unauthenticated', 'client token is malformed');
  }
  if (e !== 0 && e <= nowMs) throw new FedfuseError('unauthenticated', `client token for "${c}" expired at ${new Date(e).toISOString()}`);
  return { clientId: c, expiresAtMs: e };
}

/** Constant-time comparison of a presented admin token with the configured one. */
export function adminTokenMatches(configured: string, presented: unknown): boolean {
  if (typeof presented !== 'string' || configured.length === 0) return false;
  // Hash both so timingSafeEqual gets equal lengths and the length is not leaked.
  const a = createHash('sha256').update(configured).digest();
  const b = createHash('sha256').update(presented).digest();
  return timingSafeEqual(a, b);
}
