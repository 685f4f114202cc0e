/** Messages between bench-load and a thread hosting some of its clients. */
export interface LoadClient {
  readonly clientId: string;
  readonly token: string;
  /** Claimed in the hello and the updates (FedAvg weighs by it). */
  readonly numExamples: number;
  readonly seed: number;
}

export interface ClientThreadData {
  readonly url: string;
  readonly clients: readonly LoadClient[];
  /** Half-width of the uniform noise each client adds to every weight of the global model. */
  readonly perturbation: number;
  /**
   * Each client waits a seeded random time in [0, this] ms after its task
   * arrives before uploading, as clients whose training takes different
   * times do; 0 = all upload at once (the worst burst).
   */
  readonly uploadSpreadMs: number;
}

export type ToClientThread = { readonly kind: 'close' };

export type FromClientThread =
  | { readonly kind: 'connected'; readonly seconds: number }
  | { readonly kind: 'connectFailed'; readonly message: string }
  /** An upload acknowledged by the server: from handing the update to the client to its ack (ms). */
  | { readonly kind: 'ack'; readonly clientId: string; readonly round: number; readonly latencyMs: number }
  /** Anything that is not the normal path: refused uploads, errors, disconnects. */
  | { readonly kind: 'problem'; readonly clientId: string; readonly what: string; readonly message: string }
  | { readonly kind: 'finished'; readonly clientId: string; readonly lastRound: number };
