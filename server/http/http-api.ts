import cors from 'cors';
import express, { type Router } from 'express';
import type { Registry } from 'prom-client';
import { AdminGuessLimiter, checkSecretStrength, ReadAccess, type AdminGuessLimit } from '../auth/index.ts';
import { FEDFUSE_VERSION } from '../cli/version.ts';
import type { AsyncRoundStore } from '../store/index.ts';
import { adminRoutes, type HttpApiActions } from './admin-routes.ts';
import { jsonErrorHandler, jsonNotFound } from './error-responses.ts';
import { GlobalModelFilesCache } from './global-model-files.ts';
import { healthRoute } from './health-route.ts';
import { securityHeaders } from './security-headers.ts';
import type { LiveStatus } from './live-status.ts';
import { metricsRoute } from './metrics-route.ts';
import { modelRoutes } from './model-routes.ts';
import { roundsRoutes } from './rounds-routes.ts';
import { statusRoute } from './status-route.ts';
import { unreadBodyGuard } from './unread-body-guard.ts';

export interface HttpApiDeps {
  /** Read only, by every GET route; each request awaits its reads, so a commit in progress never blocks the event loop. */
  readonly store: AsyncRoundStore;
  /** The orchestrator's live view, read on every request. */
  readonly liveStatus: () => LiveStatus;
  readonly metrics: { readonly registry: Registry };
  /** Guards the mutating routes; null disables them (403). */
  readonly adminToken: string | null;
  /** The client-token signing secret (>= 16 characters); without it POST /api/tokens is disabled (403). */
  readonly secret?: string;
  readonly actions: HttpApiActions;
  /** Default: a line on stderr. Receives unexpected errors (500s) with their stack; the client sees only 'internal error'. */
  readonly log?: (line: string) => void;
  /** Default 16. How many converted global models to keep in memory. */
  readonly modelCacheEntries?: number;
  /** Default Date.now. The clock for token expiries. */
  readonly now?: () => number;
  /**
   * Origins whose pages may fetch the round models cross-origin (CORS), so a
   * TF.js page served elsewhere can `tf.loadLayersModel` them; `*` for any.
   * Default none. Only the model routes answer with CORS headers.
   */
  readonly corsOrigins?: readonly string[];
  /** Failed admin-token attempts allowed per remote address (auth/admin-guess-limiter.ts); defaults there. */
  readonly adminGuessLimit?: Partial<AdminGuessLimit>;
  /** A limiter shared with other admin-token checks; default one of the API's own. */
  readonly adminGuesses?: AdminGuessLimiter;
  /**
   * Who reads the routes with per-client data (server/auth/read-access.ts).
   * Default private: only the admin token reads them (share `adminGuesses`
   * with it so that read and admin guesses count in one bucket).
   */
  readonly readAccess?: ReadAccess;
  /** Served over TLS: adds Strict-Transport-Security. Default false. */
  readonly tls?: boolean;
  /** More routes, answered before the JSON 404 and with the same JSON errors (the dashboard's pages). */
  readonly routes?: readonly Router[];
}

/** JSON request bodies are small admin commands; anything bigger is a mistake or an attack. */
export const JSON_BODY_LIMIT_BYTES = 16 * 1024;

/**
 * The HTTP side of the round server: read-only JSON about runs and rounds,
 * global models in TF.js format, Prometheus metrics, and admin commands.
 *
 * Returns a complete express application that answers every request,
 * unknown routes included (JSON 404), so that no request ever gets express's
 * HTML error page. Give it to `http.createServer(app)` (socket.io attached to
 * the same server answers /socket.io/ before express sees it), or mount it
 * last with `parent.use(app)`.
 */
export function createHttpApi(deps: HttpApiDeps): express.Express {
  // Fail at startup, not at the first mint: a weak secret is a configuration error.
  if (deps.secret !== undefined) checkSecretStrength(deps.secret, 'the client-token secret');
  const log = deps.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const app = express();
  app.disable('x-powered-by');
  app.use(securityHeaders({ tls: deps.tls ?? false }));
  app.use(unreadBodyGuard(JSON_BODY_LIMIT_BYTES));

  const guesses = deps.adminGuesses ?? new AdminGuessLimiter(deps.adminGuessLimit, deps.now);
  const readAccess = deps.readAccess ?? new ReadAccess({ mode: 'private', readToken: null, adminToken: deps.adminToken, guesses });

  app.use(healthRoute(FEDFUSE_VERSION));
  app.use(statusRoute(deps.store, deps.liveStatus, readAccess));
  app.use(roundsRoutes(deps.store, deps.liveStatus, readAccess));
  const origins = deps.corsOrigins ?? [];
  if (origins.length > 0) {
    app.use('/api/rounds/:n/model', cors({ origin: origins.includes('*') ? '*' : [...origins], methods: ['GET', 'HEAD'], maxAge: 600 }));
  }
  app.use(modelRoutes(deps.store, deps.liveStatus, new GlobalModelFilesCache(deps.modelCacheEntries)));
  app.use(metricsRoute(deps.metrics.registry));
  app.use(
    adminRoutes({
      adminToken: deps.adminToken,
      secret: deps.secret,
      actions: deps.actions,
      now: deps.now ?? Date.now,
      jsonBodyLimitBytes: JSON_BODY_LIMIT_BYTES,
      guesses,
    }),
  );
  for (const router of deps.routes ?? []) app.use(router);

  app.use(jsonNotFound);
  app.use(jsonErrorHandler(log));
  return app;
}
