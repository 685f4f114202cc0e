import type { LabelledSamples } from '../common/attribution/index.ts';
import { FedfuseError, isFedfuseError, type ErrorCode } from '../common/errors/index.ts';
import { envelopeBytes, type HandshakeRefusal } from '../common/events/index.ts';
import type { Network } from '../common/model/network.ts';
import { decodeEnvelope, encodeEnvelope, MAX_MESSAGE_BYTES, type ClientUpdate, type DataCarve, type RoundTask, type WireMessage } from '../common/wire/index.ts';
import type { ClientConnection, ClientTls, ConnectionSettings } from './client-connection.ts';
import { computeLocalUpdate } from './local-update.ts';
import { createSocketIoConnection } from './socket-io-connection.ts';

export interface ClientOptions {
  /** Must be the id the token was minted for. */
  readonly clientId: string;
  /** The client's private labelled data. */
  readonly data: LabelledSamples;
  /** Seeds local training and the attribution sample. Default 0. */
  readonly seed: number;
  /** How long to wait for the server to acknowledge (and durably store) an upload. Default 120 s. */
  readonly ackTimeoutMs: number;
  /**
   * Reconnection backoff: first delay and cap, ms. Defaults 500 and 10,000.
   * The same backoff paces re-sending a hello or an update the server
   * answered with 'unavailable' (its storage failed; the request may succeed later).
   */
  readonly reconnectDelayMs: number;
  readonly reconnectDelayMaxMs: number;
  readonly softwareVersion: string;
  /** Examples per class, disclosed to the server in the hello; null keeps it private. Default null. */
  readonly labelHistogram: readonly number[] | null;
  /**
   * Heterogeneous runs: the largest fraction of the global model's hidden
   * widths this device can train, declared in the hello (ClientHello.width_capacity);
   * the server gives it the largest of its --client-widths not above it. Default null (no limit).
   */
  readonly widthCapacity: number | null;
  readonly onEvent: (event: ClientEvent) => void;
  /**
   * Trains for a task. Default: local training and attribution on `data`
   * (computeLocalUpdate). Replaceable for clients with their own training loop.
   */
  readonly train: (task: RoundTask) => Promise<ClientUpdate>;
  /**
   * The transport. Default: socket.io to `url` with the token in the
   * handshake (createSocketIoConnection), in Node and in browsers alike.
   */
  readonly connection: (url: string, token: string, settings: ConnectionSettings) => ClientConnection;
  /** Node only: a CA to trust for an https server, a client certificate. Default null (the system's CAs). */
  readonly tls: ClientTls | null;
}

export type ClientEvent =
  | { readonly type: 'connected' }
  | { readonly type: 'welcome'; readonly runId: string; readonly currentRound: number; readonly runFinished: boolean; readonly dataCarve: DataCarve | null }
  /** `model` is what the task says to train from (heterogeneous runs: the client's own width). */
  | { readonly type: 'task'; readonly round: number; readonly model: Network }
  | { readonly type: 'trained'; readonly round: number; readonly update: ClientUpdate }
  | { readonly type: 'uploaded'; readonly round: number; readonly message: string }
  | { readonly type: 'uploadRefused'; readonly round: number; readonly code: ErrorCode; readonly message: string }
  | { readonly type: 'globalModel'; readonly round: number; readonly final: boolean }
  | { readonly type: 'disconnected'; readonly reason: string }
  | { readonly type: 'refused'; readonly code: string; readonly message: string }
  | { readonly type: 'error'; readonly message: string };

/** Codes after which re-sending the same update can never succeed. */
const FINAL_REFUSALS: readonly ErrorCode[] = ['wrong_round', 'not_sampled', 'shape_mismatch', 'non_finite', 'invalid_argument', 'too_large', 'bad_message', 'unauthenticated'];

/**
 * A federated client: connects with its token, says hello, trains each task
 * it gets, uploads the update and keeps it until the server acknowledges it
 * (re-sending after a reconnect; 'duplicate' means it was stored already),
 * and follows the global model. socket.io reconnects with backoff, including
 * across a server restart. Runs unchanged in Node and in a browser: all it
 * knows of the network is a ClientConnection.
 */
export class FedfuseClient {
  private readonly connection: ClientConnection;
  private readonly options: ClientOptions;
  private pendingUpload: ClientUpdate | null = null;
  private readonly handledRounds = new Set<string>();
  private work: Promise<void> = Promise.resolve();
  private latest: { round: number; network: Network; final: boolean } | null = null;
  private closed = false;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private retryDelayMs: number;
  private finishedWaiters: Array<() => void> = [];

  constructor(url: string, token: string, options: Partial<ClientOptions> & Pick<ClientOptions, 'clientId' | 'data'>) {
    this.options = {
      seed: 0,
      ackTimeoutMs: 120_000,
      reconnectDelayMs: 500,
      reconnectDelayMaxMs: 10_000,
      softwareVersion: 'fedfuse-client',
      labelHistogram: null,
      widthCapacity: null,
      onEvent: () => {},
      train: (task) => computeLocalUpdate(task, this.options.clientId, this.options.data, this.options.seed),
      connection: createSocketIoConnection,
      tls: null,
      ...options,
    };
    this.retryDelayMs = this.options.reconnectDelayMs;
    this.connection = this.options.connection(url, token, this.options);
    this.connection.onConnected(() => {
      this.emit({ type: 'connected' });
      void this.sayHello();
    });
    this.connection.onRefused((refusal) => {
      // The transport retries an 'unavailable' refusal itself; others are final.
      this.emit({ type: 'refused', code: refusal.code, message: refusal.message });
    });
    this.connection.onDisconnected((reason) => {
      // The next connection says hello again and re-sends a pending update: no retry timer needed across it.
      this.cancelRetry();
      this.emit({ type: 'disconnected', reason });
    });
    this.connection.onEnvelope((payload) => this.onEnvelope(payload));
  }

  /**
   * Opens the connection; resolves once connected. Rejects with the refusal,
   * or 'unavailable' after `timeoutMs` without a connection; either way the
   * connection is closed, so nothing keeps reconnecting in the background
   * (a later connect() starts again).
   */
  connect(timeoutMs = 30_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const settle = (): void => {
        clearTimeout(timer);
        offConnected();
        offRefused();
      };
      const fail = (error: FedfuseError): void => {
        settle();
        this.connection.close();
        reject(error);
      };
      const timer = setTimeout(() => fail(new FedfuseError('unavailable', `could not connect within ${timeoutMs} ms`)), timeoutMs);
      const offConnected = this.connection.onConnected(() => {
        settle();
        resolve();
      });
      // Only refusals: after a transport error (server unreachable) the connection keeps retrying.
      const offRefused = this.connection.onRefused((refusal: HandshakeRefusal) => {
        fail(new FedfuseError(refusal.code === 'unavailable' ? 'unavailable' : 'unauthenticated', refusal.message));
      });
      this.connection.open();
    });
  }

  /** The newest global model received, if any. */
  latestGlobalModel(): { round: number; network: Network; final: boolean } | null {
    return this.latest;
  }

  /** Resolves when the server says the run is over (a final global model, or a welcome saying so). */
  whenRunFinished(): Promise<void> {
    if (this.latest?.final) return Promise.resolve();
    return new Promise((resolve) => this.finishedWaiters.push(resolve));
  }

  close(): void {
    this.closed = true;
    this.cancelRetry();
    this.connection.close();
  }

  private emit(event: ClientEvent): void {
    try {
      this.options.onEvent(event);
    } catch {
      // A listener's bug must not stop the client.
    }
  }

  private async request(msg: WireMessage): Promise<WireMessage> {
    const bytes = encodeEnvelope(msg);
    if (bytes.byteLength > MAX_MESSAGE_BYTES) throw new FedfuseError('too_large', `${msg.type} is ${bytes.byteLength} bytes`);
    const reply = await this.connection.request(bytes, this.options.ackTimeoutMs);
    const replyBytes = envelopeBytes(reply);
    if (replyBytes === null) throw new FedfuseError('bad_message', 'the server answered with something other than an envelope');
    return decodeEnvelope(replyBytes);
  }

  private async sayHello(): Promise<void> {
    try {
      const reply = await this.request({
        type: 'clientHello',
        clientId: this.options.clientId,
        softwareVersion: this.options.softwareVersion,
        numExamples: this.options.data.count,
        labelHistogram: this.options.labelHistogram,
        widthCapacity: this.options.widthCapacity,
      });
      if (reply.type === 'welcome') {
        this.retryDelayMs = this.options.reconnectDelayMs;
        this.emit({ type: 'welcome', runId: reply.runId, currentRound: reply.currentRound, runFinished: reply.runFinished, dataCarve: reply.dataCarve });
        if (reply.runFinished) this.markFinished();
        if (this.pendingUpload !== null) this.work = this.work.then(() => this.upload());
      } else if (reply.type === 'error') {
        this.emit({ type: 'refused', code: reply.code, message: reply.message });
        if (reply.code === 'unavailable') this.retryLater(() => void this.sayHello());
      }
    } catch (e) {
      // Timed out or disconnected mid-hello: the next 'connect' says hello again.
      this.emit({ type: 'error', message: `hello failed: ${e instanceof Error ? e.message : String(e)}` });
    }
  }

  private onEnvelope(payload: unknown): void {
    const bytes = envelopeBytes(payload);
    if (bytes === null) return;
    let msg: WireMessage;
    try {
      msg = decodeEnvelope(bytes);
    } catch (e) {
      this.emit({ type: 'error', message: `undecodable message from the server: ${e instanceof Error ? e.message : String(e)}` });
      return;
    }
    if (msg.type === 'roundTask') {
      // A task re-sent after a reconnect or a server restart keeps its deadline; a retried round (new attempt) gets a new one.
      const key = `${msg.runId}/${msg.round}/${msg.deadlineUnixMs}`;
      if (this.handledRounds.has(key)) return; // a re-sent task we are already working on or have answered
      this.handledRounds.add(key);
      this.emit({ type: 'task', round: msg.round, model: msg.model });
      this.work = this.work.then(() => this.runTask(msg));
    } else if (msg.type === 'globalModel') {
      this.latest = { round: msg.round, network: msg.model, final: msg.final };
      this.emit({ type: 'globalModel', round: msg.round, final: msg.final });
      if (msg.final) this.markFinished();
    } else if (msg.type === 'error') {
      // The server ends the session on its own only to cut it: the token expired or was revoked.
      this.emit({ type: 'refused', code: msg.code, message: msg.message });
    }
  }

  private markFinished(): void {
    const waiters = this.finishedWaiters;
    this.finishedWaiters = [];
    for (const w of waiters) w();
  }

  private async runTask(task: RoundTask): Promise<void> {
    try {
      const update = await this.options.train(task);
      this.emit({ type: 'trained', round: task.round, update });
      this.pendingUpload = update;
      await this.upload();
    } catch (e) {
      this.emit({ type: 'error', message: `round ${task.round} failed locally: ${e instanceof Error ? e.message : String(e)}` });
    }
  }

  /** Sends the pending update; keeps it for the next connection when no answer came. */
  private async upload(): Promise<void> {
    const update = this.pendingUpload;
    if (update === null || !this.connection.connected) return;
    let reply: WireMessage;
    try {
      reply = await this.request(update);
    } catch (e) {
      if (isFedfuseError(e) && e.code !== 'unavailable') {
        this.pendingUpload = null;
        this.emit({ type: 'uploadRefused', round: update.round, code: e.code, message: e.message });
      }
      // No answer (timeout, disconnect): keep it; sayHello re-sends after the reconnect.
      return;
    }
    if (this.pendingUpload !== update) return;
    if (reply.type === 'ack' || (reply.type === 'error' && reply.code === 'duplicate')) {
      this.pendingUpload = null;
      this.retryDelayMs = this.options.reconnectDelayMs;
      this.emit({ type: 'uploaded', round: update.round, message: reply.message });
    } else if (reply.type === 'error') {
      if (FINAL_REFUSALS.includes(reply.code)) this.pendingUpload = null;
      this.emit({ type: 'uploadRefused', round: update.round, code: reply.code, message: reply.message });
      if (reply.code === 'unavailable') this.retryLater(() => (this.work = this.work.then(() => this.upload())));
    }
  }

  /**
   * 'unavailable' is the server saying "not now" (its disk is full, its
   * database read-only or locked) while the connection is fine: nothing would
   * otherwise send the request again until a reconnect, so the update would
   * miss its round. Retried with the reconnection backoff, one timer at a time.
   */
  private retryLater(action: () => void): void {
    if (this.closed || this.retryTimer !== null) return;
    const delay = this.retryDelayMs;
    this.retryDelayMs = Math.min(this.retryDelayMs * 2, this.options.reconnectDelayMaxMs);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.connection.connected) action();
    }, delay);
  }

  private cancelRetry(): void {
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }
}

/** Connects a client and resolves once the connection is open. */
export async function connectClient(
  url: string,
  token: string,
  options: Partial<ClientOptions> & Pick<ClientOptions, 'clientId' | 'data'>,
): Promise<FedfuseClient> {
  const client = new FedfuseClient(url, token, options);
  await client.connect();
  return client;
}
