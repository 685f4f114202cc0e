import { io, type Socket } from 'socket.io-client';
import {
  OBSERVER_NAMESPACE,
  type ObserverClientToServerEvents,
  type ObserverRefusal,
  type ObserverServerToClientEvents,
  type ObserverStatus,
  type RoundClosedNotice,
} from '../../common/events/observer-events.ts';
import { ApiFailure, type DashboardApi } from './api.ts';

export type LinkState = 'live' | 'polling' | 'connecting';

export interface LiveFeedHandlers {
  status(status: ObserverStatus): void;
  roundClosed(notice: RoundClosedNotice | null): void;
  run(): void;
  link(state: LinkState): void;
  /** The server refused the token (or the dashboard is off): stop and ask. */
  refused(code: string, message: string): void;
}

/** How often the API is polled while the socket is down. */
const POLL_MS = 2_000;
/** How long the socket may take to connect before polling starts. */
const SOCKET_GRACE_MS = 3_000;

/**
 * The dashboard's view of the live run: the read-only observer namespace
 * over socket.io when it connects, else polling GET /api/observer (a proxy
 * that drops WebSockets, a socket that keeps failing). Polling stops as soon
 * as the socket is up again. A round counts as closed for the page when its
 * status no longer shows it open, whichever way the status came.
 */
export class LiveFeed {
  private socket: Socket<ObserverServerToClientEvents, ObserverClientToServerEvents> | null = null;
  private pollTimer: ReturnType<typeof setTimeout> | null = null;
  private graceTimer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;

  constructor(
    private readonly api: DashboardApi,
    private readonly handlers: LiveFeedHandlers,
  ) {}

  start(token: string | null): void {
    this.stop();
    this.stopped = false;
    this.handlers.link('connecting');
    const socket: Socket<ObserverServerToClientEvents, ObserverClientToServerEvents> = io(OBSERVER_NAMESPACE, {
      // The token on the connection request too: the server checks it there, before a session exists.
      ...(token === null ? {} : { auth: { token }, query: { token } }),
      transports: ['websocket'],
      reconnectionDelayMax: 5_000,
    });
    this.socket = socket;
    socket.on('connect', () => {
      this.stopPolling();
      this.handlers.link('live');
    });
    socket.on('connect_error', (err: Error & { data?: ObserverRefusal }) => {
      if (err.data !== undefined) {
        this.stop();
        this.handlers.refused(err.data.code, err.data.message);
        return;
      }
      this.startPolling();
    });
    socket.on('disconnect', () => {
      if (!this.stopped) this.startPolling();
    });
    socket.on('status', (s) => this.handlers.status(s));
    socket.on('roundClosed', (n) => this.handlers.roundClosed(n));
    socket.on('run', () => this.handlers.run());
    // A socket that neither connects nor fails (a proxy holding the upgrade): poll meanwhile.
    this.graceTimer = setTimeout(() => {
      if (!socket.connected) this.startPolling();
    }, SOCKET_GRACE_MS);
  }

  stop(): void {
    this.stopped = true;
    if (this.graceTimer !== null) clearTimeout(this.graceTimer);
    this.graceTimer = null;
    this.stopPolling();
    this.socket?.close();
    this.socket = null;
  }

  private startPolling(): void {
    if (this.pollTimer !== null || this.stopped) return;
    this.handlers.link('polling');
    const poll = async (): Promise<void> => {
      try {
        this.handlers.status(await this.api.observer());
      } catch (e) {
        if (e instanceof ApiFailure && (e.code === 'unauthenticated' || e.code === 'not_found')) {
          this.stop();
          this.handlers.refused(e.code, e.message);
          return;
        }
      }
      if (this.pollTimer !== null) this.pollTimer = setTimeout(() => void poll(), POLL_MS);
    };
    this.pollTimer = setTimeout(() => void poll(), 0);
  }

  private stopPolling(): void {
    if (this.pollTimer !== null) clearTimeout(this.pollTimer);
    this.pollTimer = null;
  }
}
