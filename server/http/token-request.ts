import { FedfuseError } from '../../common/errors/index.ts';
import { isValidClientId } from '../auth/index.ts';

/** The body of POST /api/tokens, validated. */
export interface TokenRequest {
  readonly clientId: string;
  /** null: the default lifetime (30 days). */
  readonly expiresInSeconds: number | null;
}

/** Ten years: longer is almost certainly a unit mistake (milliseconds sent as seconds). */
export const MAX_TOKEN_LIFETIME_SECONDS = 10 * 365 * 24 * 3600;

const FIELDS = new Set(['clientId', 'expiresInSeconds']);

/** Throws invalid_argument naming the first problem; unknown fields are refused so that a misspelt expiry is not silently dropped. */
export function parseTokenRequest(body: unknown): TokenRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new FedfuseError('invalid_argument', 'expected a JSON object body {"clientId": string, "expiresInSeconds"?: integer} with Content-Type: application/json');
  }
  const unknownField = Object.keys(body).find((k) => !FIELDS.has(k));
  if (unknownField !== undefined) throw new FedfuseError('invalid_argument', `unknown field "${unknownField.slice(0, 40)}"`);
  const { clientId, expiresInSeconds } = body as { clientId?: unknown; expiresInSeconds?: unknown };
  if (typeof clientId !== 'string' || !isValidClientId(clientId)) {
    throw new FedfuseError('invalid_argument', "clientId must be 1-64 characters of letters, digits, '.', '_' or '-'");
  }
  if (expiresInSeconds === undefined || expiresInSeconds === null) return { clientId, expiresInSeconds: null };
  if (typeof expiresInSeconds !== 'number' || !Number.isSafeInteger(expiresInSeconds) || expiresInSeconds < 1 || expiresInSeconds > MAX_TOKEN_LIFETIME_SECONDS) {
    throw new FedfuseError('invalid_argument', `expiresInSeconds must be an integer from 1 to ${MAX_TOKEN_LIFETIME_SECONDS}`);
  }
  return { clientId, expiresInSeconds };
}
