import express, { Router } from 'express';
import { mintClientToken } from '../auth/index.ts';
import { ApiError } from './api-error.ts';
import { requireAdmin } from './require-admin.ts';
import { parseTokenRequest } from './token-request.ts';

/** What the HTTP API can ask the round server to do. */
export interface HttpApiActions {
  /** Stops the current run; resolves when it has stopped. */
  stopRun(): Promise<void>;
}

export interface TokenView {
  readonly token: string;
  readonly clientId: string;
  /** Unix ms; 0 = never. */
  readonly expiresAtMs: number;
}

/** POST /api/run/stop and POST /api/tokens, behind the admin token. */
export interface AdminRoutesOptions {
  readonly adminToken: string | null;
  readonly secret: string | undefined;
  readonly actions: HttpApiActions;
  readonly now: () => number;
  readonly jsonBodyLimitBytes: number;
}

export function adminRoutes(options: AdminRoutesOptions): Router {
  const router = Router();
  const admin = requireAdmin(options.adminToken);
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
    const expiresAtMs = request.expiresInSeconds === null ? 0 : options.now() + request.expiresInSeconds * 1000;
    const body: TokenView = { token: mintClientToken(options.secret, request.clientId, expiresAtMs), clientId: request.clientId, expiresAtMs };
    res.json(body);
  });

  return router;
}
