import type { RequestHandler } from 'express';
import { FedfuseError } from '../../common/errors/index.ts';
import { adminTokenMatches, type AdminGuessLimiter } from '../auth/index.ts';
import { ApiError } from './api-error.ts';

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/**
 * Guards the mutating routes. With no admin token configured they are
 * disabled (403) rather than open: a server started without one must not be
 * stoppable by anyone who can reach the port. The comparison is
 * constant-time (adminTokenMatches), and an address that failed too often
 * (AdminGuessLimiter) is answered 429 with Retry-After before any comparison.
 * Neither the configured nor the presented token is ever part of a message.
 */
export function requireAdmin(adminToken: string | null, guesses: AdminGuessLimiter): RequestHandler {
  return (req, res, next) => {
    if (adminToken === null || adminToken.length === 0) {
      throw new ApiError(
        'forbidden',
        'administrative routes are disabled because no admin token is configured; start the server with an admin token to enable them',
      );
    }
    const address = req.socket.remoteAddress ?? 'unknown';
    const wait = guesses.retryAfterSeconds(address);
    if (wait > 0) {
      res.set('Retry-After', String(wait));
      throw new ApiError('rate_limited', `too many failed admin attempts from this address; try again in ${wait} s`);
    }
    const match = BEARER.exec(req.get('authorization') ?? '');
    if (match === null || !adminTokenMatches(adminToken, match[1])) {
      guesses.failed(address);
      res.set('WWW-Authenticate', 'Bearer realm="fedfuse-admin"');
      throw new FedfuseError(
        'unauthenticated',
        match === null ? 'this route needs the admin token: send "Authorization: Bearer <token>"' : 'the admin token is not valid',
      );
    }
    next();
  };
}
