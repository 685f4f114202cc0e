import { randomBytes } from 'node:crypto';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server as IoServer } from 'socket.io';
import { FedfuseError } from '../common/errors/index.ts';
import type { ObserverStatus } from '../common/events/observer-events.ts';
import { AdminGuessLimiter, ReadAccess, type AdminGuessLimit, type ReadApiSettings, type ReadView } from './auth/index.ts';
import { createDashboardAccess, dashboardApiRoutes, defaultWebAssets, isDashboardRefusal, pageRoutes, type DashboardAccessMode, type WebAssets } from './dashboard/index.ts';
import { createHttpApi, type LiveStatus } from './http/index.ts';
import { createServerMetrics } from './metrics/index.ts';
import type { AsyncRoundStore } from './store/index.ts';
import {
  attachObserverNamespace,
  capSessionFrames,
  ConnectionCaps,
  ConnectionGate,
  ConnectionRateLimiter,
  guardHttpServer,
  gatedAllowRequest,
  presentedToken,
  resolveConnectionLimits,
  type ConnectionLimits,
  type EngineSocketLike,
  type ObserverFeed,
  type Refusal,
} from './transport/index.ts';

/**
 * The read-only viewer (`fedfuse dashboard --db FILE`): the dashboard, the
 * JSON API and the round models of a database's runs, with no run served.
 * The second composition root beside server/app.ts, built from the same
 * parts (HTTP API, pages, observer namespace, connection gate and caps) and
 * none of the round machinery: no orchestrator, no fusion, no client
 * namespace, the admin routes disabled. Nothing here writes; the CLI opens
 * the store read-only on top of that.
 */
export interface ViewerSettings {
  /** `on`, or `off` to serve the JSON API only; what the dashboard shows follows `readApi`. */
  readonly access: DashboardAccessMode;
  /** Who reads per-client data, as on the server (default private: the admin token only). */
  readonly readApi?: ReadApiSettings;
  /** Reads per-client data like the read token; it mutates nothing here (there is no run to stop and no secret to mint tokens with). */
  readonly adminToken: string | null;
  /** Failed token attempts allowed per remote address; defaults as on the server. */
  readonly guessLimit?: Partial<AdminGuessLimit>;
  /** Origins whose pages may load the round models cross-origin (`--cors-origin`). Default none. */
  readonly corsOrigins?: readonly string[];
  readonly connectionLimits?: Partial<ConnectionLimits>;
  readonly assets?: WebAssets;
  /** One line per refused connection; default silent. */
  readonly logRefusal?: (refusal: Refusal) => void;
  readonly now?: () => number;
}

export interface FedfuseViewer {
  readonly httpServer: HttpServer;
  /** Starts listening; resolves with the base URL (port 0 picks a free port). */
  listen(port?: number, host?: string): Promise<string>;
  /** Stops accepting and disconnects observers. Does not close the store. */
  close(): Promise<void>;
}

/** The phase the observer status names when no run is served: the page shows the stored runs, read-only. */
export const VIEWER_PHASE = 'read_only';

/** No run is live: the API falls back to the newest stored run, ?run= picks another. */
const NO_LIVE_RUN: LiveStatus = {
  runId: null,
  round: 0,
  state: 'finished',
  connectedClients: [],
  sampledClients: [],
  updatesReceived: 0,
  deadlineUnixMs: null,
  roundsPlanned: 0,
};

export function createViewerServer(store: AsyncRoundStore, settings: ViewerSettings): FedfuseViewer {
  const now = settings.now ?? Date.now;
  const readApi = settings.readApi ?? { mode: 'private', readToken: null };
  const guesses = new AdminGuessLimiter(settings.guessLimit, now);
  const readAccess = new ReadAccess({ mode: readApi.mode, readToken: readApi.readToken, adminToken: settings.adminToken, guesses });
  const access = createDashboardAccess(settings.access, readAccess);
  const handshakeRefusals = new Map<string, number>();
  // No run is served, so there is no client list in either view.
  const observerStatus = (view: ReadView): ObserverStatus => ({
    view,
    runId: null,
    round: 0,
    phase: VIEWER_PHASE,
    roundsPlanned: 0,
    deadlineUnixMs: null,
    serverTimeUnixMs: now(),
    connectedClients: 0,
    sampledClients: 0,
    updatesReceived: 0,
    clients: [],
    handshakeRefusals: Object.fromEntries(handshakeRefusals),
  });
  const app = createHttpApi({
    store,
    liveStatus: () => NO_LIVE_RUN,
    metrics: createServerMetrics(),
    // No admin routes: there is no run to stop, and no secret to mint client tokens with.
    adminToken: null,
    adminGuesses: guesses,
    readAccess,
    actions: { stopRun: () => Promise.reject(new FedfuseError('unavailable', 'this server only shows a database; no run is served')) },
    log: () => {},
    ...(settings.corsOrigins ? { corsOrigins: settings.corsOrigins } : {}),
    routes: [
      pageRoutes(settings.access, settings.assets ?? defaultWebAssets()),
      dashboardApiRoutes({
        access,
        observerStatus,
        currentRun: () => store.latestRun(),
        demo: { settings: null, reason: 'this server only shows a database: no run takes clients' },
      }),
    ],
  });
  const limits = resolveConnectionLimits(settings.connectionLimits);
  const httpServer = createServer({ headersTimeout: limits.headersTimeoutMs, requestTimeout: limits.requestTimeoutMs, maxHeaderSize: limits.preAuthMaxBytes }, app);
  // A secret nobody has: every client token fails the gate, so no client session can open.
  const gate = new ConnectionGate({
    secret: randomBytes(32).toString('hex'),
    now,
    rateLimiter: new ConnectionRateLimiter(),
    ...(settings.access !== 'off'
      ? {
          observerRefusal: (bearer: string | null, request: { socket: { remoteAddress?: string | undefined } }) => {
            const decision = access.decide(bearer, request.socket.remoteAddress ?? 'unknown');
            return isDashboardRefusal(decision) ? decision.message : null;
          },
        }
      : {}),
  });
  const onRefused = (refusal: Refusal): void => {
    if (refusal.stage === 'handshake' && refusal.clientId === null) handshakeRefusals.set(refusal.code, (handshakeRefusals.get(refusal.code) ?? 0) + 1);
    settings.logRefusal?.(refusal);
  };
  const io = new IoServer(httpServer, {
    serveClient: false,
    transports: ['websocket'],
    allowRequest: gatedAllowRequest(gate, onRefused),
  });
  guardHttpServer({ server: httpServer, caps: new ConnectionCaps(limits.maxConnectionsPerAddress, limits.maxConnections), gate, ioPath: '/socket.io/', onRefused });
  // Observers send nothing: every session takes only small frames.
  io.engine.on('connection', (engineSocket: EngineSocketLike) => void capSessionFrames(engineSocket, limits.preAuthMaxBytes));
  // The client namespace takes nobody: there is no run here.
  io.use((_socket, next) => {
    const err = new FedfuseError('unavailable', 'this server only shows a database (fedfuse dashboard); no run takes clients');
    next(Object.assign(new Error(`${err.code}: ${err.message}`), { data: { code: err.code, message: err.message } }));
  });
  let observers: ObserverFeed | null = null;
  if (settings.access !== 'off') {
    observers = attachObserverNamespace({
      io,
      status: observerStatus,
      // The gate checked the read rule on the session's request; the view is decided the same way again.
      authorize: (auth, request) => {
        if (gate.principalOf(request)?.kind !== 'observer') throw new FedfuseError('unauthenticated', 'not an observer session');
        const token = typeof auth['token'] === 'string' ? auth['token'] : presentedToken(request);
        const decision = access.decide(token, request.socket.remoteAddress ?? 'unknown');
        if (isDashboardRefusal(decision)) throw new FedfuseError('unauthenticated', decision.message);
        return decision.view;
      },
    });
  }

  return {
    httpServer,
    async listen(port = 0, host = '127.0.0.1') {
      await new Promise<void>((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => {
          httpServer.off('error', reject);
          resolve();
        });
      });
      const address = httpServer.address() as AddressInfo;
      return `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
    },
    async close() {
      observers?.close();
      io.disconnectSockets(true);
      await new Promise<void>((resolve) => io.close(() => resolve()));
      if (httpServer.listening) await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}
