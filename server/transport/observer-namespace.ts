import type { IncomingMessage } from 'node:http';
import type { Namespace, Server } from 'socket.io';
import { FedfuseError, isFedfuseError } from '../../common/errors/index.ts';
import {
  OBSERVER_NAMESPACE,
  type ObserverClientToServerEvents,
  type ObserverRefusal,
  type ObserverServerToClientEvents,
  type ObserverStatus,
  type RoundClosedNotice,
  type RunNotice,
} from '../../common/events/observer-events.ts';
import type { ReadView } from '../auth/index.ts';
import type { OrchestratorEvent } from '../rounds/index.ts';

export type ObserverNamespace = Namespace<ObserverClientToServerEvents, ObserverServerToClientEvents>;

export interface ObserverNamespaceDeps {
  // The io server's own event maps do not matter here: only its namespace registry is used.
  readonly io: Server<any, any, any, any>;
  /**
   * The view the observer gets (server/auth/read-access.ts), or throws a
   * FedfuseError (e.g. 'unauthenticated') to refuse the handshake; its `auth`
   * payload and the session's HTTP request are given.
   */
  readonly authorize: (auth: Record<string, unknown>, request: IncomingMessage) => ReadView;
  /** The present status in a view, read on each connection and after events. */
  readonly status: (view: ReadView) => ObserverStatus;
  /** Longest time a status change waits before it is sent (changes within it go out as one). Default 100 ms. */
  readonly statusDelayMs?: number;
}

export interface ObserverFeed {
  /** Tell observers about one orchestrator event (the caller feeds every event). */
  publish(event: OrchestratorEvent): void;
  /** Something that changes the status without an orchestrator event happened (a refused handshake). */
  statusChanged(): void;
  readonly namespace: ObserverNamespace;
  close(): void;
}

/**
 * The read-only observer namespace (/observer) for dashboards. An observer
 * gets the status on connecting, a fresh status at once when the round's phase
 * changes and at most once per statusDelayMs otherwise (a burst of uploads or
 * joins is one message), and a notice
 * when a round closes or the run changes state. It can send nothing: any
 * event from an observer disconnects it. Nothing here ever holds a model:
 * statuses are built from counts and ids, notices name rounds. An observer
 * with the public view gets statuses without the client list.
 */
export function attachObserverNamespace(deps: ObserverNamespaceDeps): ObserverFeed {
  const namespace: ObserverNamespace = deps.io.of(OBSERVER_NAMESPACE);
  const delayMs = deps.statusDelayMs ?? 100;
  let pending: ReturnType<typeof setTimeout> | null = null;

  namespace.use((socket, next) => {
    try {
      const view = deps.authorize((socket.handshake.auth ?? {}) as Record<string, unknown>, socket.request);
      (socket.data as { view?: ReadView }).view = view;
      void socket.join(roomOf(view));
      next();
    } catch (e) {
      const err = isFedfuseError(e) ? e : new FedfuseError('unauthenticated', 'observer handshake refused');
      next(Object.assign(new Error(`${err.code}: ${err.message}`), { data: { code: err.code, message: err.message } satisfies ObserverRefusal }));
    }
  });

  namespace.on('connection', (socket) => {
    // Read-only: an observer that sends anything is not a dashboard.
    socket.onAny(() => socket.disconnect(true));
    socket.emit('status', deps.status((socket.data as { view?: ReadView }).view ?? 'public'));
  });

  // Each view to its own room: an observer without a token never receives a status with client ids.
  const sendStatus = (): void => {
    if (namespace.sockets.size === 0) return;
    for (const view of VIEWS) namespace.to(roomOf(view)).emit('status', deps.status(view));
  };

  const sendStatusSoon = (): void => {
    if (pending !== null) return;
    pending = setTimeout(() => {
      pending = null;
      sendStatus();
    }, delayMs);
  };

  const sendStatusNow = (): void => {
    if (pending !== null) clearTimeout(pending);
    pending = null;
    sendStatus();
  };

  return {
    namespace,
    publish(event) {
      switch (event.type) {
        case 'roundCompleted':
        case 'roundFailed': {
          sendStatusNow();
          const runId = deps.status('public').runId;
          if (runId === null) return;
          const notice: RoundClosedNotice = { runId, round: event.round, outcome: event.type === 'roundCompleted' ? 'done' : 'failed' };
          namespace.emit('roundClosed', notice);
          return;
        }
        case 'runStarted':
        case 'runFinished': {
          sendStatusNow();
          const notice: RunNotice = { runId: event.runId, state: event.type === 'runStarted' ? 'running' : event.state };
          namespace.emit('run', notice);
          return;
        }
        case 'phase':
          // A few per round, and each one is what a dashboard shows: never coalesced away.
          sendStatusNow();
          return;
        case 'storageError':
          return;
        default:
          sendStatusSoon();
      }
    },
    statusChanged: sendStatusSoon,
    close() {
      if (pending !== null) clearTimeout(pending);
      pending = null;
      namespace.disconnectSockets(true);
    },
  };
}

const VIEWS: readonly ReadView[] = ['full', 'public'];

function roomOf(view: ReadView): string {
  return `view:${view}`;
}
