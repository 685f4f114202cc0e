import type { Request, Response } from 'express';
import { FedfuseError } from '../../common/errors/index.ts';
import { isReadRefusal, type ReadAccess, type ReadView } from '../auth/index.ts';
import { ApiError } from './api-error.ts';

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/** The token of an Authorization header, null when there is none; a malformed header counts as a (wrong) token, not as none. */
export function presentedBearer(header: string | undefined): string | null {
  if (header === undefined || header === '') return null;
  return BEARER.exec(header)?.[1] ?? header;
}

/**
 * The view a request to a route with per-client data gets (server/auth/read-access.ts),
 * or the typed JSON error: 401 with WWW-Authenticate, or 429 with Retry-After
 * after too many wrong tokens from the address.
 */
export function readViewOf(access: ReadAccess, req: Request, res: Response): ReadView {
  const decision = access.decide(presentedBearer(req.get('authorization')), req.socket.remoteAddress ?? 'unknown');
  if (!isReadRefusal(decision)) return decision.view;
  if (decision.code === 'rate_limited') {
    res.set('Retry-After', String(decision.retryAfterSeconds ?? 60));
    throw new ApiError('rate_limited', decision.message);
  }
  res.set('WWW-Authenticate', 'Bearer realm="fedfuse-read"');
  throw new FedfuseError('unauthenticated', decision.message);
}
