import type { BackendPreference } from '../../common/backend/index.ts';

/** Messages between the simulation (main thread) and a thread hosting clients. */

/** One client a thread hosts: its id, seed and private data. */
export interface HostedClient {
  readonly clientId: string;
  readonly seed: number;
  readonly images: Float32Array;
  readonly labels: Int32Array;
  readonly count: number;
  /** Reported to the server at hello when the simulation shares label histograms; else null. */
  readonly labelHistogram: readonly number[] | null;
}

export interface ClientThreadData {
  readonly backend: BackendPreference;
  readonly clients: readonly HostedClient[];
}

export type ToClientThread =
  /** Connect every hosted client to the server at `url` (a new run); answered by 'connected'. */
  | { readonly kind: 'connect'; readonly url: string; readonly tokens: Readonly<Record<string, string>> }
  /** Close every connection; answered by 'disconnected'. */
  | { readonly kind: 'disconnect' };

/** What a client did, without its model (the server has that). */
export type ClientActivity =
  | { readonly type: 'task'; readonly round: number }
  | { readonly type: 'trained'; readonly round: number; readonly trainSeconds: number; readonly attributionSeconds: number }
  | { readonly type: 'uploaded'; readonly round: number }
  | { readonly type: 'uploadRefused'; readonly round: number; readonly code: string; readonly message: string }
  | { readonly type: 'refused'; readonly code: string; readonly message: string }
  | { readonly type: 'error'; readonly message: string };

export type FromClientThread =
  | { readonly kind: 'ready' }
  | { readonly kind: 'connected' }
  | { readonly kind: 'disconnected' }
  | { readonly kind: 'activity'; readonly clientId: string; readonly activity: ClientActivity }
  | { readonly kind: 'failed'; readonly message: string };
