import { Router } from 'express';
import { FedfuseError } from '../../common/errors/index.ts';

/**
 * GET /api/token-check with `Authorization: Bearer <client token>`: 204 when
 * the token would open a connection, else 401 with the reason. A browser
 * cannot read why its WebSocket upgrade was refused, so the SDK asks here
 * (client/socket-io-connection.ts). It tells no more than the upgrade's
 * status already does (valid or not); the reason is for the token's holder.
 */
export function tokenCheckRoute(refusal: (token: string | null) => string | null): Router {
  const router = Router();
  router.get('/api/token-check', (req, res) => {
    const header = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(req.get('authorization') ?? '');
    const why = refusal(header === null ? null : header[1]!);
    if (why !== null) throw new FedfuseError('unauthenticated', why);
    res.status(204).end();
  });
  return router;
}
