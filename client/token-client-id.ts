import { FedfuseError } from '../common/errors/index.ts';

/**
 * The client id a token was minted for, read without verifying the signature
 * (only the server can; the client just needs to know its own name). Token
 * format: see server/auth/client-token.ts.
 */
export function clientIdFromToken(token: string): string {
  const payload = token.split('.')[1];
  try {
    const claims = JSON.parse(decodeBase64Url(payload ?? '')) as { c?: unknown };
    if (typeof claims.c === 'string' && claims.c !== '') return claims.c;
  } catch {
    // fall through to the typed error
  }
  throw new FedfuseError('invalid_argument', 'the token is not a fedfuse client token (mint one with `fedfuse token --client ID`)');
}

/** base64url to UTF-8 text with the web APIs (atob, TextDecoder) that Node and browsers share, so the SDK bundles for a browser. */
function decodeBase64Url(text: string): string {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (ch) => ch.charCodeAt(0)));
}
