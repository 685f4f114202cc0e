import { FedfuseError } from '../common/errors/index.ts';

/**
 * The client id a token was minted for, read without verifying the signature
 * (only the server can; the client just needs to know its own name). Token
 * format: see server/auth/client-token.ts.
 */
export function clientIdFromToken(token: string): string {
  const payload = token.split('.')[1];
  try {
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as { c?: unknown };
    if (typeof claims.c === 'string' && claims.c !== '') return claims.c;
  } catch {
    // fall through to the typed error
  }
  throw new FedfuseError('invalid_argument', 'the token is not a fedfuse client token (mint one with `fedfuse token --client ID`)');
}
