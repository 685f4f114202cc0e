import { createHmac, timingSafeEqual, createHash, randomBytes } from 'node:crypto';
import { FedfuseError } from '../../common/errors/index.ts';
import { checkSecretStrength } from './secret-strength.ts';

/**
 * Client tokens signed with the server's secret (HMAC-SHA256), rather than a
 * configured list of tokens: an operator enrolling hundreds of edge devices
 * mints tokens offline (`fedfuse token`), the server keeps no table of valid
 * tokens, and each token is bound to one client id (a client cannot upload
 * under another's name). Each token carries a random id, its issue time and
 * an expiry (default 30 days), so one token, or every token of a client
 * issued until now, can be revoked (token-revocations.ts) without rotating
 * the secret.
 *
 * Format: `ff2.<base64url(JSON {c: clientId, i: tokenId, t: issuedAtMs, e: expiresAtMs})>.<base64url(hmac)>`.
 * `ff1` tokens (no id, no issue time, often no expiry) are refused with a
 * message saying to mint a new one.
 */
const PREFIX = 'ff2';
const CLIENT_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
const TOKEN_ID_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;

/** A token's lifetime when its minter does not say: 30 days. */
export const DEFAULT_TOKEN_LIFETIME_MS = 30 * 24 * 3600 * 1000;
/** Ten years: longer is almost certainly a unit mistake (milliseconds sent as seconds). */
export const MAX_TOKEN_LIFETIME_MS = 10 * 365 * 24 * 3600 * 1000;

export interface ClientTokenClaims {
  readonly clientId: string;
  /** Random, 22 base64url characters (128 bits); what a single-token revocation names. */
  readonly tokenId: string;
  /** Unix milliseconds. */
  readonly issuedAtMs: number;
  /** Unix milliseconds, after issuedAtMs. */
  readonly expiresAtMs: number;
}

export interface MintOptions {
  /** Default now. */
  readonly issuedAtMs?: number;
  /** Default issuedAtMs + DEFAULT_TOKEN_LIFETIME_MS. */
  readonly expiresAtMs?: number;
  /** Default random. */
  readonly tokenId?: string;
}

export function isValidClientId(id: string): boolean {
  return CLIENT_ID_PATTERN.test(id);
}

export function isValidTokenId(id: string): boolean {
  return TOKEN_ID_PATTERN.test(id);
}

function sign(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(`${PREFIX}.${payload}`).digest('base64url');
}

export function mintClientToken(secret: string, clientId: string, options: MintOptions = {}): string {
  return mintClientTokenWithClaims(secret, clientId, options).token;
}

/** The token and what it claims (for `fedfuse token --json` and POST /api/tokens). */
export function mintClientTokenWithClaims(secret: string, clientId: string, options: MintOptions = {}): { token: string; claims: ClientTokenClaims } {
  checkSecretStrength(secret, 'the client-token secret');
  if (!isValidClientId(clientId)) {
    throw new FedfuseError('invalid_argument', `client id "${clientId.slice(0, 80)}" must be 1-64 characters of letters, digits, '.', '_' or '-'`);
  }
  const issuedAtMs = options.issuedAtMs ?? Date.now();
  const expiresAtMs = options.expiresAtMs ?? issuedAtMs + DEFAULT_TOKEN_LIFETIME_MS;
  const tokenId = options.tokenId ?? randomBytes(16).toString('base64url');
  if (!Number.isSafeInteger(issuedAtMs) || issuedAtMs < 0) throw new FedfuseError('invalid_argument', 'the issue time must be a non-negative integer of unix milliseconds');
  if (!Number.isSafeInteger(expiresAtMs) || expiresAtMs <= issuedAtMs) throw new FedfuseError('invalid_argument', 'the expiry must be an integer of unix milliseconds after the issue time');
  if (expiresAtMs - issuedAtMs > MAX_TOKEN_LIFETIME_MS) throw new FedfuseError('invalid_argument', 'a token may live at most ten years');
  if (!isValidTokenId(tokenId)) throw new FedfuseError('invalid_argument', 'a token id must be 16-64 base64url characters');
  const payload = Buffer.from(JSON.stringify({ c: clientId, i: tokenId, t: issuedAtMs, e: expiresAtMs })).toString('base64url');
  return { token: `${PREFIX}.${payload}.${sign(secret, payload)}`, claims: { clientId, tokenId, issuedAtMs, expiresAtMs } };
}

/** Returns the token's claims, or throws FedfuseError('unauthenticated') saying why (never echoing the token). */
export function verifyClientToken(secret: string, token: unknown, nowMs: number): ClientTokenClaims {
  if (typeof token !== 'string' || token.length === 0) throw new FedfuseError('unauthenticated', 'no client token presented');
  if (token.length > 1024) throw new FedfuseError('unauthenticated', 'client token is malformed');
  const parts = token.split('.');
  if (parts.length === 3 && parts[0] === 'ff1') {
    throw new FedfuseError('unauthenticated', 'client token is of the old ff1 format (no id or issue time, so it cannot be revoked); mint a new one with `fedfuse token`');
  }
  if (parts.length !== 3 || parts[0] !== PREFIX) throw new FedfuseError('unauthenticated', 'client token is malformed');
  const payload = parts[1]!;
  // The signature is checked before the payload is parsed: an attacker's bytes never reach JSON.parse.
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
  const { c, i, t, e } = claims as { c?: unknown; i?: unknown; t?: unknown; e?: unknown };
  if (
    typeof c !== 'string' || !isValidClientId(c) || typeof i !== 'string' || !isValidTokenId(i) ||
    typeof t !== 'number' || !Number.isSafeInteger(t) || t < 0 || typeof e !== 'number' || !Number.isSafeInteger(e) || e <= t
  ) {
    throw new FedfuseError('unauthenticated', 'client token is malformed');
  }
  if (e <= nowMs) throw new FedfuseError('unauthenticated', `client token for "${c}" expired at ${new Date(e).toISOString()}`);
  return { clientId: c, tokenId: i, issuedAtMs: t, expiresAtMs: e };
}

/** Constant-time comparison of a presented admin token with the configured one. */
export function adminTokenMatches(configured: string, presented: unknown): boolean {
  if (typeof presented !== 'string' || configured.length === 0) return false;
  // Hash both so timingSafeEqual gets equal lengths and the length is not leaked.
  const a = createHash('sha256').update(configured).digest();
  const b = createHash('sha256').update(presented).digest();
  return timingSafeEqual(a, b);
}
