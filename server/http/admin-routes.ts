import express, { Router } from 'express';
import { FedfuseError } from '../../common/errors/index.ts';
import { DEFAULT_TOKEN_LIFETIME_MS, isValidClientId, isValidTokenId, mintClientTokenWithClaims, type AdminGuessLimiter } from '../auth/index.ts';
import { ApiError } from './api-error.ts';
import { requireAdmin } from './require-admin.ts';
import { parseTokenRequest } from './token-request.ts';

/** What the HTTP API can ask the round server to do. */
export interface HttpApiActions {
  /** Stops the current run; resolves when it has stopped. */
  stopRun(): Promise<void>;
  /**
   * Revokes one token of a client (tokenId) or every token issued to it until
   * now (null): stored, then every live session it covers is cut. Resolves
   * with the revocation and how many sessions were cut.
   */
  revokeTokens?(clientId: string, tokenId: string | null): Promise<RevocationView>;
}

export interface RevocationView {
  readonly clientId: string;
  readonly tokenId: string | null;
  readonly revokedAtMs: number;
  readonly disconnected: number;
}

export interface TokenView {
  readonly token: string;
  readonly clientId: string;
  readonly tokenId: string;
  readonly issuedAtMs: number;
  readonly expiresAtMs: number;
}

/** POST /api/run/stop, POST /api/tokens and POST /api/tokens/revoke, behind the admin token. */
export interface AdminRoutesOptions {
  readonly adminToken: string | null;
  readonly secret: string | undefined;
  readonly actions: HttpApiActions;
  readonly now: () => number;
  readonly jsonBodyLimitBytes: number;
  readonly guesses: AdminGuessLimiter;
}

export function adminRoutes(options: AdminRoutesOptions): Router {
  const router = Router();
  const admin = requireAdmin(options.adminToken, options.guesses);
  // Parsed after the admin check, so that an unauthenticated caller gets 401
  // whatever it sends and its body is never read.
  const jsonBody = express.json({ limit: options.jsonBodyLimitBytes });

  router.post('/api/run/stop', admin, async (_req, res) => {
    await options.actions.stopRun();
    res.json({ stopped: true });
  });

  router.post('/api/tokens', admin, jsonBody, (req, res) => {
    if (options.secret === undefined) {
      throw new ApiError('forbidden', 'minting client tokens is disabled because no client-token secret is configured');
    }
    const request = parseTokenRequest(req.body);
    const issuedAtMs = options.now();
    const lifetimeMs = request.expiresInSeconds === null ? DEFAULT_TOKEN_LIFETIME_MS : request.expiresInSeconds * 1000;
    const { token, claims } = mintClientTokenWithClaims(options.secret, request.clientId, { issuedAtMs, expiresAtMs: issuedAtMs + lifetimeMs });
    const body: TokenView = { token, ...claims };
    res.json(body);
  });

  router.post('/api/tokens/revoke', admin, jsonBody, async (req, res) => {
    const { clientId, tokenId } = parseRevokeRequest(req.body);
    if (options.actions.revokeTokens === undefined) throw new ApiError('forbidden', 'this server cannot revoke tokens');
    res.json(await options.actions.revokeTokens(clientId, tokenId));
  });

  return router;
}

const REVOKE_FIELDS = new Set(['clientId', 'tokenId']);

/** `{"clientId": string, "tokenId"?: string}`; unknown fields refused. */
function parseRevokeRequest(body: unknown): { clientId: string; tokenId: string | null } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new FedfuseError('invalid_argument', 'expected a JSON object body {"clientId": string, "tokenId"?: string} with Content-Type: application/json');
  }
  const unknownField = Object.keys(body).find((k) => !REVOKE_FIELDS.has(k));
  if (unknownField !== undefined) throw new FedfuseError('invalid_argument', `unknown field "${unknownField.slice(0, 40)}"`);
  const { clientId, tokenId } = body as { clientId?: unknown; tokenId?: unknown };
  if (typeof clientId !== 'string' || !isValidClientId(clientId)) throw new FedfuseError('invalid_argument', "clientId must be 1-64 characters of letters, digits, '.', '_' or '-'");
  if (tokenId === undefined || tokenId === null) return { clientId, tokenId: null };
  if (typeof tokenId !== 'string' || !isValidTokenId(tokenId)) throw new FedfuseError('invalid_argument', 'tokenId must be 16-64 base64url characters (the id `fedfuse token --json` printed)');
  return { clientId, tokenId };
}
