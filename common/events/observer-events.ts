/**
 * The observer namespace: what the dashboard hears about a live run over
 * socket.io, typed once for the server (server/transport/observer-namespace.ts)
 * and the page (web/dashboard). It is read-only and never carries model
 * weights: JSON status and notices only. What the store already holds (a
 * round's evaluations, fusion time, updates) the page reads from the HTTP
 * API when a notice says it changed, so the two views cannot disagree.
 */
export const OBSERVER_NAMESPACE = '/observer';

/** What a client is doing, as the server sees it. */
export const CLIENT_ACTIVITY_STATES = ['connected', 'training', 'uploaded', 'refused', 'gone'] as const;
export type ClientActivityState = (typeof CLIENT_ACTIVITY_STATES)[number];

export interface ClientActivity {
  readonly clientId: string;
  readonly state: ClientActivityState;
  /** Whether it was asked to train in the open (or last) round. */
  readonly sampled: boolean;
  /** The error code of its last refused upload or hello (state 'refused'), else null. */
  readonly refusedCode: string | null;
  readonly refusedMessage: string | null;
  /** Its last accepted update: round, bytes on the wire, when (unix ms). */
  readonly lastUpdateRound: number | null;
  readonly lastUpdateBytes: number | null;
  readonly lastUpdateAt: number | null;
  /** Last time anything happened to it (unix ms). */
  readonly lastSeenAt: number;
}

export interface ObserverStatus {
  /**
   * full: for a reader with the read or admin token; public (`--read-api
   * public`, no token): `clients` is empty, only the counts are given.
   */
  readonly view: 'full' | 'public';
  readonly runId: string | null;
  /** The round in progress, or the next one between rounds. */
  readonly round: number;
  readonly phase: string;
  readonly roundsPlanned: number;
  /** Unix ms when the open round stops waiting for updates; null outside training. */
  readonly deadlineUnixMs: number | null;
  /** The server's clock when this status was made, so that a page can correct a countdown for its own clock. */
  readonly serverTimeUnixMs: number;
  readonly connectedClients: number;
  readonly sampledClients: number;
  readonly updatesReceived: number;
  /** Every client seen since the server started, sorted by id; empty in the public view. */
  readonly clients: readonly ClientActivity[];
  /** Handshakes refused before a client id was known (bad or expired tokens, rate limits), by error code. */
  readonly handshakeRefusals: Readonly<Record<string, number>>;
}

export interface RoundClosedNotice {
  readonly runId: string;
  readonly round: number;
  readonly outcome: 'done' | 'failed';
}

export interface RunNotice {
  readonly runId: string;
  readonly state: 'running' | 'finished' | 'failed';
}

export interface ObserverServerToClientEvents {
  status: (status: ObserverStatus) => void;
  roundClosed: (notice: RoundClosedNotice) => void;
  run: (notice: RunNotice) => void;
}

/** Observers send nothing: a socket that emits any event is disconnected. */
export type ObserverClientToServerEvents = Record<string, never>;

/** The `data` of the connect_error a refused observer gets (same shape as a client's). */
export interface ObserverRefusal {
  readonly code: string;
  readonly message: string;
}
