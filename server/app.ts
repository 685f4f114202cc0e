import type { AddressInfo } from 'node:net';
import { Server as IoServer } from 'socket.io';
import type { Network } from '../common/model/network.ts';
import { FedfuseError } from '../common/errors/index.ts';
import { MAX_MESSAGE_BYTES } from '../common/wire/index.ts';
import type { ObserverStatus } from '../common/events/observer-events.ts';
import { createFusionStrategy, type FusionExecutor, type FusionStrategyOptions } from './aggregation/index.ts';
import { AdminGuessLimiter, describeRevocation, ReadAccess, revokes, TokenRevocationList, type AdminGuessLimit, type ReadApiSettings, type ReadView } from './auth/index.ts';
import { FEDFUSE_VERSION } from './cli/version.ts';
import {
  ClientActivityTracker,
  createDashboardAccess,
  dashboardApiRoutes,
  isDashboardRefusal,
  defaultWebAssets,
  pageRoutes,
  type DashboardAccessMode,
  type DemoDataSettings,
  type WebAssets,
} from './dashboard/index.ts';
import { createHttpApi, publicObserverStatus, tokenCheckRoute } from './http/index.ts';
import { createServerMetrics, type ServerMetrics } from './metrics/index.ts';
import { RoundOrchestrator, type OrchestratorDeps, type OrchestratorEvent, type OrchestratorObserver, type RunSettings, type Strategy } from './rounds/index.ts';
import type { AsyncRoundStore } from './store/index.ts';
import { createWebServer, schemeOf, type TlsSettings, type WebServer } from './tls/index.ts';
import {
  attachObserverNamespace,
  attachSocketTransport,
  capSessionFrames,
  ConnectionCaps,
  ConnectionGate,
  ConnectionRateLimiter,
  guardHttpServer,
  gatedAllowRequest,
  presentedToken,
  resolveConnectionLimits,
  type ClientSessions,
  type ConnectionLimits,
  type ConnectionRateLimit,
  type EngineSocketLike,
  type FedfuseIoServer,
  type ObserverFeed,
  type Refusal,
} from './transport/index.ts';

/** What the server is built from; the caller owns (and closes) the store. */
export interface ServerComponents {
  /** SQLite (group commit) or PostgreSQL, from openStore(--db). */
  readonly store: AsyncRoundStore;
  readonly executor: FusionExecutor;
  /** Round 0's model when a new run starts (ignored when resuming). */
  readonly initialModel: Network;
  /** One line per event; default silent. */
  readonly log?: (event: OrchestratorEvent) => void;
  /** One line per refusal (handshake, envelope, oversized frame); default silent. Each is also counted in /metrics. */
  readonly logRefusal?: (refusal: Refusal) => void;
  readonly now?: () => number;
  /**
   * A strategy to run instead of the one `settings.strategy` describes
   * (createFusionStrategy): for aggregators written against the Strategy
   * contract (server/rounds/strategy.ts) outside the option set.
   */
  readonly strategy?: Strategy;
  /** Fault tests only: awaited after each closing phase is entered (server/rounds/phase-pauses.ts). */
  readonly afterEntering?: OrchestratorDeps['afterEntering'];
}

export interface ServerSettings {
  /** Signs and verifies client tokens (>= 16 characters). */
  readonly secret: string;
  /** Guards the mutating HTTP routes; null disables them. */
  readonly adminToken: string | null;
  readonly run: RunSettings;
  readonly strategy: FusionStrategyOptions;
  /** Recorded with a new run. */
  readonly runConfig: unknown;
  /**
   * socket.io heartbeat. The timeout must outlast the upload of the largest
   * model on a slow link, or a client would be dropped mid-upload.
   */
  readonly pingIntervalMs: number;
  readonly pingTimeoutMs: number;
  readonly connectionRateLimit?: Partial<ConnectionRateLimit>;
  /** Connection caps, transports, HTTP timeouts, the pre-auth size cap (server/transport/connection-limits.ts); defaults there. */
  readonly connectionLimits?: Partial<ConnectionLimits>;
  /**
   * Who reads per-client data (`--read-api`, `--read-token`; server/auth/read-access.ts):
   * the JSON API's run and round routes, the dashboard's feed. Default private,
   * read by the admin token only.
   */
  readonly readApi?: ReadApiSettings;
  /** The dashboard at / and the browser client at /join. Default: on, no demo data. */
  readonly dashboard?: DashboardSettings;
  /** Origins whose pages may load the round models cross-origin (`--cors-origin`). Default none. */
  readonly corsOrigins?: readonly string[];
  /** Failed admin-token attempts allowed per remote address (`--admin-guesses-per-minute`); default 10 at once, 10 a minute. */
  readonly adminGuessLimit?: Partial<AdminGuessLimit>;
  /** Speak https and wss with this certificate (and require client certificates from its CA); default plain HTTP. */
  readonly tls?: TlsSettings | null;
}

export type { ReadApiSettings };

export interface DashboardSettings {
  /** on | off (`--dashboard`); what it shows follows `readApi`. */
  readonly access: DashboardAccessMode;
  /** The server's carve of the embedded digits, for /join's demo data; null when the run trains on something else. */
  readonly demo: DemoDataSettings | null;
  /** Where the built pages and the wasm files are; default dist/web and node_modules. */
  readonly assets?: WebAssets;
}

export interface FedfuseServer {
  readonly orchestrator: RoundOrchestrator;
  readonly metrics: ServerMetrics;
  /** http.Server, or https.Server with `settings.tls`. */
  readonly httpServer: WebServer;
  readonly io: FedfuseIoServer;
  /** Starts listening; resolves with the base URL (port 0 picks a free port). */
  listen(port?: number, host?: string): Promise<string>;
  /** Stops accepting, disconnects clients, waits for a round being closed. Does not close the store. */
  close(): Promise<void>;
}

/** How long close() lets open connections finish before it cuts them. */
const SHUTDOWN_GRACE_MS = 1_000;

/** Slack over the largest envelope for socket.io's framing, so the decoder, not socket.io, refuses an oversized message. */
const SOCKET_FRAME_SLACK_BYTES = 1024 * 1024;

/**
 * The composition root: wires store, strategy, orchestrator, socket.io
 * transport, HTTP API and metrics on one http.Server. Everything it needs
 * comes in as arguments, so tests build a real server on port 0 with a
 * temp-file store and an in-process executor.
 */
export function createFedfuseServer(components: ServerComponents, settings: ServerSettings): FedfuseServer {
  const metrics = createServerMetrics();
  const strategy = components.strategy ?? createFusionStrategy(settings.strategy, components.executor);
  const activity = new ClientActivityTracker(components.now);
  let observers: ObserverFeed | null = null;
  const observe: OrchestratorObserver = (event) => {
    recordMetrics(metrics, event);
    activity.observe(event);
    observers?.publish(event);
    components.log?.(event);
  };
  const orchestrator = new RoundOrchestrator({
    store: components.store,
    strategy,
    settings: settings.run,
    initialModel: components.initialModel,
    runConfig: settings.runConfig,
    observe,
    serverVersion: FEDFUSE_VERSION,
    ...(components.now ? { now: components.now } : {}),
    ...(components.afterEntering ? { afterEntering: components.afterEntering } : {}),
  });

  const dashboard = settings.dashboard ?? { access: 'on', demo: null };
  const now = components.now ?? Date.now;
  // One bucket per address for every wrong token: admin routes, read routes, the dashboard's feed.
  const guesses = new AdminGuessLimiter(settings.adminGuessLimit, now);
  const readApi = settings.readApi ?? { mode: 'private', readToken: null };
  const readAccess = new ReadAccess({ mode: readApi.mode, readToken: readApi.readToken, adminToken: settings.adminToken, guesses });
  const access = createDashboardAccess(dashboard.access, readAccess);
  const observerStatus = (view: ReadView): ObserverStatus => {
    const live = orchestrator.liveStatus();
    const full: ObserverStatus = {
      view: 'full',
      runId: live.runId,
      round: live.round,
      phase: live.state,
      roundsPlanned: live.roundsPlanned,
      deadlineUnixMs: live.deadlineUnixMs,
      serverTimeUnixMs: (components.now ?? Date.now)(),
      connectedClients: live.connectedClients.length,
      sampledClients: live.sampledClients.length,
      updatesReceived: live.updatesReceived,
      clients: view === 'full' ? activity.list() : [],
      handshakeRefusals: activity.refusalsByCode(),
    };
    return view === 'full' ? full : publicObserverStatus(full);
  };
  const currentRun = async () => {
    const live = orchestrator.liveStatus().runId;
    return (live === null ? undefined : await components.store.getRun(live)) ?? (await components.store.latestRun());
  };
  // Revocations are few and read on every connection request: kept in memory, loaded from the store by listen().
  const revocations = new TokenRevocationList([]);
  let sessions: ClientSessions | null = null;
  const gate = new ConnectionGate({
    secret: settings.secret,
    now,
    claimsRefusal: (claims) => revocations.refusal(claims),
    rateLimiter: new ConnectionRateLimiter(settings.connectionRateLimit),
    ...(dashboard.access !== 'off' ? { observerRefusal: (bearer: string | null, request: { socket: { remoteAddress?: string | undefined } }) => observerRefusalOf(access, bearer, request) } : {}),
  });
  const app = createHttpApi({
    store: components.store,
    liveStatus: () => orchestrator.liveStatus(),
    metrics,
    adminToken: settings.adminToken,
    secret: settings.secret,
    actions: {
      stopRun: () => orchestrator.requestStop(),
      async revokeTokens(clientId, tokenId) {
        const stored = await components.store.revokeTokens({ clientId, tokenId, at: now() });
        const revocation = { clientId: stored.clientId, tokenId: stored.tokenId, revokedAtMs: stored.revokedAt };
        revocations.add(revocation);
        const disconnected = sessions?.cut((claims) => revokes(revocation, claims), `${describeRevocation(revocation)}; the session ended`) ?? 0;
        return { ...revocation, disconnected };
      },
    },
    adminGuesses: guesses,
    readAccess,
    tls: (settings.tls ?? null) !== null,
    log: () => {},
    ...(settings.corsOrigins ? { corsOrigins: settings.corsOrigins } : {}),
    routes: [
      tokenCheckRoute((token) => gate.tokenRefusal(token)),
      pageRoutes(dashboard.access, dashboard.assets ?? defaultWebAssets()),
      dashboardApiRoutes({
        access,
        observerStatus,
        currentRun,
        demo: dashboard.demo === null ? { settings: null, reason: 'the demo data is the embedded digits, and this run does not train on them' } : { settings: dashboard.demo },
      }),
    ],
  });
  const limits = resolveConnectionLimits(settings.connectionLimits);
  const httpServer = createWebServer(
    { headersTimeoutMs: limits.headersTimeoutMs, requestTimeoutMs: limits.requestTimeoutMs, maxHeaderBytes: limits.preAuthMaxBytes },
    settings.tls ?? null,
    app,
  );
  const onRefused = (refusal: Refusal): void => {
    metrics.uploadRejected(refusal.code);
    components.logRefusal?.(refusal);
    // Every refusal shows on the dashboard: a known client's as its state, with the code; a tokenless handshake by code.
    activity.refused(refusal.stage, refusal.clientId, refusal.code, refusal.message);
    observers?.statusChanged();
  };
  const io: FedfuseIoServer = new IoServer(httpServer, {
    maxHttpBufferSize: MAX_MESSAGE_BYTES + SOCKET_FRAME_SLACK_BYTES,
    pingInterval: settings.pingIntervalMs,
    pingTimeout: settings.pingTimeoutMs,
    serveClient: false,
    transports: limits.allowPolling ? ['polling', 'websocket'] : ['websocket'],
    // The same gate as the upgrade guard below; here it covers polling's first request.
    allowRequest: gatedAllowRequest(gate, onRefused),
  });
  guardHttpServer({ server: httpServer, caps: new ConnectionCaps(limits.maxConnectionsPerAddress, limits.maxConnections), gate, ioPath: '/socket.io/', onRefused });
  // A session opened without a client token (a dashboard observer) takes only small frames.
  io.engine.on('connection', (engineSocket: EngineSocketLike & { request: Parameters<ConnectionGate['principalOf']>[0] }) => {
    if (gate.principalOf(engineSocket.request)?.kind !== 'client') capSessionFrames(engineSocket, limits.preAuthMaxBytes);
  });
  sessions = attachSocketTransport({ io, orchestrator, gate, onRefused, now });
  if (dashboard.access !== 'off') {
    observers = attachObserverNamespace({
      io,
      status: observerStatus,
      authorize: (auth, request) => {
        // The gate refused a wrong token on the request already; the namespace's own auth token may differ (a socket.io auth payload).
        const token = typeof auth['token'] === 'string' ? auth['token'] : presentedToken(request);
        const decision = access.decide(token, request.socket.remoteAddress ?? 'unknown');
        if (isDashboardRefusal(decision)) throw new FedfuseError('unauthenticated', decision.message);
        return decision.view;
      },
    });
  }

  let started = false;
  return {
    orchestrator,
    metrics,
    httpServer,
    io,
    async listen(port = 0, host = '127.0.0.1') {
      // Before the port opens: a connection request is checked against them from the first one on.
      if (!started) {
        for (const r of await components.store.listTokenRevocations()) revocations.add({ clientId: r.clientId, tokenId: r.tokenId, revokedAtMs: r.revokedAt });
      }
      await new Promise<void>((resolve, reject) => {
        const failed = (e: NodeJS.ErrnoException): void => {
          if (e.code === 'EADDRINUSE') reject(new FedfuseError('unavailable', `port ${port} is in use`));
          else if (e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND' || e.code === 'EACCES') reject(new FedfuseError('unavailable', `cannot listen on ${host}:${port}: ${e.code}`));
          else reject(e);
        };
        httpServer.once('error', failed);
        httpServer.listen(port, host, () => {
          httpServer.off('error', failed);
          resolve();
        });
      });
      // The run starts (and a new run's row is written) only once the port is ours. A hello that arrives
      // before the run has been read from the store waits for it (RoundOrchestrator.clientJoined).
      if (!started) {
        try {
          await orchestrator.start();
        } catch (e) {
          await new Promise<void>((resolve) => httpServer.close(() => resolve()));
          throw e;
        }
        started = true;
      }
      const address = httpServer.address() as AddressInfo;
      const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      return `${schemeOf(httpServer)}://${shownHost}:${address.port}`;
    },
    async close() {
      await orchestrator.stop();
      observers?.close();
      io.disconnectSockets(true);
      // io.close closes the HTTP server, which waits for every connection to end: idle keep-alive ones end now,
      // and what is left (a half-open peer, a download in progress) is cut after a short grace.
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => httpServer.closeAllConnections(), SHUTDOWN_GRACE_MS);
        io.close(() => {
          clearTimeout(force);
          resolve();
        });
        httpServer.closeIdleConnections();
      });
    },
  };
}

function recordMetrics(metrics: ServerMetrics, event: OrchestratorEvent): void {
  switch (event.type) {
    case 'clientJoined':
    case 'clientLeft':
      metrics.setConnectedClients(event.connected);
      break;
    case 'roundOpened':
      metrics.setCurrentRound(event.round);
      break;
    case 'updateAccepted':
      metrics.uploadAccepted(event.bytes);
      break;
    // updateRejected is counted where every refusal is, by the transport (onRefused above).
    case 'roundCompleted':
      metrics.roundCompleted(event.roundSeconds, 'done');
      metrics.fusionTook(event.aggregator, event.fusionSeconds);
      metrics.broadcast(event.broadcastBytes);
      break;
    case 'roundFailed':
      metrics.roundCompleted(0, 'failed');
      break;
    default:
      break;
  }
}

/** Why the gate refuses an observer session's request (null: it may open); the view is decided again by the namespace. */
export function observerRefusalOf(access: ReturnType<typeof createDashboardAccess>, bearer: string | null, request: { socket: { remoteAddress?: string | undefined } }): string | null {
  const decision = access.decide(bearer, request.socket.remoteAddress ?? 'unknown');
  return isDashboardRefusal(decision) ? decision.message : null;
}
