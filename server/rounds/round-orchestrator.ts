import { randomUUID } from 'node:crypto';
import { FedfuseError, isFedfuseError } from '../../common/errors/index.ts';
import type { Network } from '../../common/model/network.ts';
import { layerWidths } from '../../common/model/spec.ts';
import { SeededRandom } from '../../common/random/index.ts';
import { encodeEnvelope, type Ack, type ClientUpdate, type Welcome, type WireMessage } from '../../common/wire/index.ts';
import type { RoundRecord, RoundStore, RunRecord } from '../store/index.ts';
import { decodeAttributionBlob, decodeModelBlob, encodeAttributionBlob, encodeModelBlob } from './model-blobs.ts';
import { jsonSafeMetrics } from './metrics-json.ts';
import type { OrchestratorEvent, OrchestratorObserver, RoundPhase } from './orchestrator-events.ts';
import type { RunSettings } from './run-settings.ts';
import type { FitFailure, FitResult, Strategy } from './strategy.ts';

/** How the orchestrator reaches one connected client: already-encoded envelopes. */
export interface ClientChannel {
  send(envelope: Uint8Array): void;
}

export interface ClientJoin {
  readonly clientId: string;
  readonly numExamples: number;
  readonly labelHistogram: readonly number[] | null;
  readonly tokenFingerprint: string | null;
}

export interface OrchestratorDeps {
  readonly store: RoundStore;
  readonly strategy: Strategy;
  readonly settings: RunSettings;
  /** The model round 0 starts from when a new run is created. */
  readonly initialModel: Network;
  /** Stored with a new run, for the record (the server's options). */
  readonly runConfig: unknown;
  readonly observe?: OrchestratorObserver;
  readonly now?: () => number;
  readonly serverVersion: string;
}

export interface LiveRoundStatus {
  readonly runId: string | null;
  readonly round: number;
  readonly state: RoundPhase;
  readonly connectedClients: string[];
  readonly sampledClients: string[];
  readonly updatesReceived: number;
  readonly deadlineUnixMs: number | null;
  readonly roundsPlanned: number;
}

interface OpenRound {
  readonly round: number;
  readonly attempt: number;
  readonly sampled: ReadonlySet<string>;
  readonly deadline: number;
  readonly openedAt: number;
  received: number;
  timer: NodeJS.Timeout | null;
}

/** Retry delay after a round could not be closed because storage failed. */
const STORAGE_RETRY_MS = 2_000;

/**
 * Round bookkeeping: opens rounds when enough clients are connected, hands
 * out tasks, takes updates (acknowledged only once durably stored), closes a
 * round when everyone answered or its deadline passed, has the strategy
 * aggregate and evaluate, commits the result atomically, broadcasts it.
 * State that matters after a crash lives in the store; what is kept here is
 * derived from it or from the connected sockets, so `start()` on a restarted
 * process continues where the last one stopped.
 */
export class RoundOrchestrator {
  private readonly store: RoundStore;
  private readonly strategy: Strategy;
  private readonly settings: RunSettings;
  private readonly now: () => number;
  private readonly observe: OrchestratorObserver;
  private readonly connected = new Map<string, { channel: ClientChannel; numExamples: number }>();
  private run: RunRecord | null = null;
  private global: Network | null = null;
  private open: OpenRound | null = null;
  private phase: RoundPhase = 'waiting_for_clients';
  private closing: Promise<void> | null = null;
  private stopRequested = false;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | null = null;
  /** What to try again when the retry timer fires, by what it is, so that one retry never cancels another. */
  private readonly retries = new Map<string, () => void>();
  /** Sampled clients not connected now, and since when: they may still come back before the deadline. */
  private readonly goneSince = new Map<string, number>();
  private graceTimer: NodeJS.Timeout | null = null;

  constructor(private readonly deps: OrchestratorDeps) {
    this.store = deps.store;
    this.strategy = deps.strategy;
    this.settings = deps.settings;
    this.now = deps.now ?? Date.now;
    this.observe = deps.observe ?? (() => {});
  }

  /** Resumes the configured or newest running run, or creates one. */
  start(): RunRecord {
    const existing = this.settings.runId !== null ? this.store.getRun(this.settings.runId) : this.store.findRunningRun();
    let resumed = existing !== undefined;
    let run: RunRecord;
    if (existing === undefined) {
      run = this.store.createRun({
        id: this.settings.runId ?? randomUUID(),
        config: this.deps.runConfig,
        modelSpec: this.deps.initialModel.spec,
        initialModel: encodeModelBlob(this.deps.initialModel),
      });
      resumed = false;
    } else {
      run = existing;
    }
    this.run = run;
    const latest = this.store.latestGlobalModel(run.id);
    if (latest === undefined) throw new FedfuseError('internal', `run ${run.id} has no global model`);
    this.global = decodeModelBlob(latest.model, `global model of round ${latest.round}`);
    this.emit({ type: 'runStarted', runId: run.id, resumed, currentRound: run.currentRound });
    if (run.state !== 'running') {
      this.phase = run.state === 'finished' ? 'finished' : 'failed';
      return run;
    }
    this.resumeRound(run);
    return run;
  }

  private resumeRound(run: RunRecord): void {
    const next = run.currentRound + 1;
    const record = this.store.getRound(run.id, next);
    if (record === undefined || record.state === 'failed' || record.state === 'done') {
      this.setPhase(next, 'waiting_for_clients');
      return;
    }
    // A round was open (or being fused) when the previous process stopped: carry on with it.
    if (record.state === 'aggregating') this.store.setRoundState(run.id, next, 'open');
    this.open = {
      round: next,
      attempt: record.attempt,
      sampled: new Set(record.sampledClientIds),
      deadline: record.deadline,
      openedAt: record.openedAt,
      received: this.store.countUpdates(run.id, next),
      timer: null,
    };
    // Nobody is connected yet after a restart: every sampled client gets the grace period to come back.
    const now = this.now();
    for (const id of record.sampledClientIds) this.goneSince.set(id, now);
    this.setPhase(next, 'training');
    this.armDeadline();
    this.closeIfEveryoneAnswered();
  }

  /**
   * A client said hello on an authenticated connection. Returns the Welcome
   * (the transport answers the hello's acknowledgement with it); the task or
   * global model that follows is sent right after, on the channel.
   */
  clientJoined(join: ClientJoin, channel: ClientChannel): Welcome {
    const run = this.requireRun();
    this.checkLabelHistogram(join);
    this.store.upsertClient({
      id: join.clientId,
      numExamples: join.numExamples,
      labelHistogram: join.labelHistogram,
      tokenFingerprint: join.tokenFingerprint,
    });
    this.connected.set(join.clientId, { channel, numExamples: join.numExamples });
    this.goneSince.delete(join.clientId);
    this.emit({ type: 'clientJoined', clientId: join.clientId, connected: this.connected.size });
    // After the acknowledgement has gone out, so the client sees Welcome first.
    setImmediate(() => this.survive('catchUp', () => this.catchUp(join.clientId, channel), `catchUp:${join.clientId}`));
    return { type: 'welcome', runId: run.id, currentRound: run.currentRound, serverVersion: this.deps.serverVersion, runFinished: run.state !== 'running' };
  }

  /**
   * A histogram is one count per class of the run's model. Any other length is
   * refused before it reaches the store: the wire allows up to 64 MiB of packed
   * counts, and storing a 10-million-entry histogram as JSON took ~6 s of the
   * event loop (every client stalled) and 20 MB of disk per hello.
   */
  private checkLabelHistogram(join: ClientJoin): void {
    if (join.labelHistogram === null) return;
    const classes = layerWidths(this.requireGlobal().spec).at(-1) ?? 0;
    if (join.labelHistogram.length !== classes) {
      throw new FedfuseError('invalid_argument', `label_histogram must have one count per class (${classes}), got ${join.labelHistogram.length} entries`);
    }
  }

  private catchUp(clientId: string, channel: ClientChannel): void {
    if (this.connected.get(clientId)?.channel !== channel) return;
    const run = this.requireRun();
    const open = this.open;
    if (open !== null && this.phase === 'training' && open.sampled.has(clientId) && !this.store.hasUpdate(run.id, open.round, clientId)) {
      // Sampled and not yet answered (a reconnect, or a restart of the server): the task again.
      this.sendTask(channel, open);
    } else if (run.currentRound > 0 && this.global !== null) {
      // Joining late: the current global model, so the client is up to date.
      this.sendTo(channel, { type: 'globalModel', runId: run.id, round: run.currentRound, model: this.global, final: run.state !== 'running' });
    }
    this.maybeOpenRound();
  }

  /** The connection of a client closed. */
  clientLeft(clientId: string, channel: ClientChannel): void {
    const entry = this.connected.get(clientId);
    if (entry === undefined || entry.channel !== channel) return; // replaced by a newer connection
    this.connected.delete(clientId);
    this.goneSince.set(clientId, this.now());
    this.emit({ type: 'clientLeft', clientId, connected: this.connected.size });
    this.survive('closeIfEveryoneAnswered', () => this.closeIfEveryoneAnswered(), 'answered');
  }

  /**
   * Takes one update. Resolves with the Ack once the update is durably
   * stored; rejects with a typed FedfuseError (and changes nothing) otherwise.
   */
  async submitUpdate(authenticatedClientId: string, update: ClientUpdate, byteSize: number): Promise<Ack> {
    let ack: Ack;
    try {
      ack = this.acceptUpdate(authenticatedClientId, update, byteSize);
    } catch (e) {
      const err = isFedfuseError(e) ? e : new FedfuseError('internal', e instanceof Error ? e.message : String(e));
      this.emit({ type: 'updateRejected', clientId: authenticatedClientId, code: err.code, message: err.message });
      throw err;
    }
    // The update is stored: acknowledge it even if the store cannot be read back right now.
    this.survive('closeIfEveryoneAnswered', () => this.closeIfEveryoneAnswered(), 'answered');
    return ack;
  }

  private acceptUpdate(clientId: string, update: ClientUpdate, byteSize: number): Ack {
    const run = this.requireRun();
    if (update.clientId !== clientId) {
      throw new FedfuseError('unauthenticated', `update names client "${update.clientId}" but the connection is authenticated as "${clientId}"`);
    }
    if (!this.connected.has(clientId)) throw new FedfuseError('unknown_client', `client "${clientId}" has not said hello`);
    if (update.runId !== run.id) throw new FedfuseError('wrong_round', `update is for run ${update.runId}, this server runs ${run.id}`);
    // Checked before the round: an update stored but whose ack was lost (a crash, a dropped connection) may be
    // re-sent after its round has closed, and the client must hear "already have it", not "wrong round".
    if (Number.isSafeInteger(update.round) && this.store.hasUpdate(run.id, update.round, clientId)) {
      throw new FedfuseError('duplicate', `client "${clientId}" already sent its update for round ${update.round}`);
    }
    const open = this.open;
    if (open === null || update.round !== open.round) {
      const current = open === null ? `no round is open (last completed: ${run.currentRound})` : `round ${open.round} is open`;
      throw new FedfuseError('wrong_round', `update is for round ${update.round}, ${current}`);
    }
    if (this.phase !== 'training') throw new FedfuseError('wrong_round', `round ${open.round} no longer takes updates (${this.phase})`);
    if (!open.sampled.has(clientId)) throw new FedfuseError('not_sampled', `client "${clientId}" was not sampled for round ${open.round}`);
    const global = this.requireGlobal();
    if (JSON.stringify(update.model.spec) !== JSON.stringify(global.spec)) {
      throw new FedfuseError('shape_mismatch', `the update's model architecture differs from the run's`);
    }
    if (!Number.isSafeInteger(update.numExamples) || update.numExamples <= 0 || update.numExamples > this.settings.maxNumExamples) {
      throw new FedfuseError('invalid_argument', `num_examples must be an integer in [1, ${this.settings.maxNumExamples}], got ${update.numExamples}`);
    }
    this.store.recordUpdate({
      runId: run.id,
      round: open.round,
      clientId,
      numExamples: update.numExamples,
      model: encodeModelBlob(update.model),
      attribution: update.attribution === null ? null : encodeAttributionBlob(update.attribution),
      clientMetrics: update.metrics,
    });
    open.received++;
    this.emit({ type: 'updateAccepted', round: open.round, clientId, bytes: byteSize, received: open.received, sampled: open.sampled.size });
    return { type: 'ack', runId: run.id, round: open.round, accepted: 'clientUpdate', message: `update ${open.received}/${open.sampled.size} of round ${open.round} stored` };
  }

  /** Finish the run after the round in progress (admin action). */
  async requestStop(): Promise<void> {
    this.stopRequested = true;
    if (this.open === null && this.run?.state === 'running') this.finishRun('finished', null);
    await this.closing;
  }

  /** Stops timers and waits for a round being closed; the store stays open (the caller owns it). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.open?.timer) clearTimeout(this.open.timer);
    if (this.graceTimer) clearTimeout(this.graceTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retries.clear();
    await this.closing;
  }

  liveStatus(): LiveRoundStatus {
    const run = this.run;
    const open = this.open;
    return {
      runId: run?.id ?? null,
      round: open?.round ?? (run?.currentRound ?? 0) + 1,
      state: this.phase,
      connectedClients: [...this.connected.keys()].sort(),
      sampledClients: open === null ? [] : [...open.sampled].sort(),
      updatesReceived: open?.received ?? 0,
      deadlineUnixMs: open?.deadline ?? null,
      roundsPlanned: this.settings.rounds,
    };
  }

  /** The run as stored now. */
  currentRun(): RunRecord | null {
    return this.run === null ? null : (this.store.getRun(this.run.id) ?? null);
  }

  // ---------------------------------------------------------------- opening

  private maybeOpenRound(): void {
    const run = this.run;
    if (this.stopped || this.stopRequested || run === null || run.state !== 'running') return;
    if (this.open !== null || this.closing !== null || this.phase !== 'waiting_for_clients') return;
    if (run.currentRound >= this.settings.rounds) return;
    if (this.connected.size < this.settings.minClients) return;
    const round = run.currentRound + 1;
    const previous = this.store.getRound(run.id, round);
    const attempt = previous === undefined ? 1 : previous.attempt + 1;
    if (attempt > this.settings.maxAttempts) {
      this.finishRun('failed', `round ${round} failed ${this.settings.maxAttempts} times; last reason: ${previous?.failureReason ?? 'unknown'}`);
      return;
    }
    const available = [...this.connected].map(([clientId, c]) => ({ clientId, numExamples: c.numExamples }));
    const rng = new SeededRandom(this.settings.seed * 1_000_003 + round * 1_009 + attempt);
    const fit = this.strategy.configureFit(round, available, rng);
    if (fit.clientIds.length === 0) return;
    const openedAt = this.now();
    const deadline = openedAt + this.settings.roundTimeoutMs;
    let record: RoundRecord;
    try {
      record = this.store.openRound({ runId: run.id, round, sampledClientIds: fit.clientIds, deadline, attempt, openedAt });
    } catch (e) {
      this.emit({ type: 'roundFailed', round, attempt, reason: `could not open the round: ${messageOf(e)}` });
      this.scheduleRetry('open', () => this.maybeOpenRound());
      return;
    }
    this.open = { round, attempt, sampled: new Set(record.sampledClientIds), deadline, openedAt, received: 0, timer: null };
    this.emit({ type: 'roundOpened', round, attempt, sampled: record.sampledClientIds, deadline });
    this.setPhase(round, 'training');
    for (const clientId of record.sampledClientIds) {
      const c = this.connected.get(clientId);
      if (c !== undefined) this.sendTask(c.channel, this.open);
    }
    this.armDeadline();
  }

  private sendTask(channel: ClientChannel, open: OpenRound): void {
    this.sendTo(channel, {
      type: 'roundTask',
      runId: this.requireRun().id,
      round: open.round,
      model: this.requireGlobal(),
      training: this.strategy.trainingConfig(open.round),
      deadlineUnixMs: open.deadline,
    });
  }

  private armDeadline(): void {
    const open = this.open;
    if (open === null || this.stopped) return;
    if (open.timer) clearTimeout(open.timer);
    open.timer = setTimeout(() => this.closeRound('deadline'), Math.max(0, open.deadline - this.now()));
  }

  // ---------------------------------------------------------------- closing

  /**
   * Closes the round before its deadline once waiting cannot bring more
   * updates: every sampled client has answered, or left and stayed away
   * longer than the reconnect grace (a client that drops and comes back
   * within it just gets its task again).
   */
  private closeIfEveryoneAnswered(): void {
    const open = this.open;
    const run = this.run;
    if (open === null || run === null || this.phase !== 'training') return;
    const now = this.now();
    let pending = 0;
    let nextExpiry = Number.POSITIVE_INFINITY;
    for (const id of open.sampled) {
      if (this.store.hasUpdate(run.id, open.round, id)) continue;
      if (this.connected.has(id)) {
        pending++;
        continue;
      }
      const expiry = (this.goneSince.get(id) ?? now) + this.settings.reconnectGraceMs;
      if (expiry > now) {
        pending++;
        nextExpiry = Math.min(nextExpiry, expiry);
      }
    }
    if (this.graceTimer) clearTimeout(this.graceTimer);
    this.graceTimer = null;
    if (pending === 0) {
      if (open.received > 0) this.closeRound(open.received === open.sampled.size ? 'all answered' : 'the others left');
      return;
    }
    if (Number.isFinite(nextExpiry) && nextExpiry < open.deadline && !this.stopped) {
      this.graceTimer = setTimeout(() => this.survive('closeIfEveryoneAnswered', () => this.closeIfEveryoneAnswered(), 'answered'), nextExpiry - now + 5);
    }
  }

  private closeRound(why: string): void {
    if (this.closing !== null || this.stopped) return;
    this.closing = this.aggregateRound(why).finally(() => {
      this.closing = null;
      this.survive('maybeOpenRound', () => this.maybeOpenRound(), 'open');
    });
  }

  private async aggregateRound(why: string): Promise<void> {
    const open = this.open;
    const run = this.requireRun();
    if (open === null) return;
    if (open.timer) clearTimeout(open.timer);
    if (this.graceTimer) clearTimeout(this.graceTimer);
    const { round } = open;
    try {
      const stored = this.store.listUpdatesWithBlobs(run.id, round);
      if (stored.length < this.settings.quorum) {
        this.failOpenRound(`${why}: ${stored.length} of ${open.sampled.size} sampled clients answered, the quorum is ${this.settings.quorum}`);
        return;
      }
      this.store.setRoundState(run.id, round, 'aggregating');
      this.setPhase(round, 'aggregating');
      const trainingSeconds = (this.now() - open.openedAt) / 1000;
      const global = this.requireGlobal();
      const results: FitResult[] = stored.map((u) => {
        const network = decodeModelBlob(u.model, `update of ${u.clientId}`);
        return {
          clientId: u.clientId,
          network,
          attribution: u.attribution === null ? null : decodeAttributionBlob(u.attribution, network.spec, `attribution of ${u.clientId}`),
          numExamples: u.numExamples,
          labelHistogram: this.store.getClient(u.clientId)?.labelHistogram ?? null,
          metrics: u.clientMetrics,
        };
      });
      const answered = new Set(results.map((r) => r.clientId));
      const failures: FitFailure[] = [...open.sampled]
        .filter((id) => !answered.has(id))
        .map((clientId) => ({ clientId, reason: this.connected.has(clientId) ? 'no update before the deadline' : 'disconnected' }));
      const aggStart = this.now();
      const outcome = await this.strategy.aggregateFit(round, global, results, failures);
      const excluded = new Set((outcome.excluded ?? []).map((f) => f.clientId));
      const participants = results.map((r) => r.clientId).filter((id) => !excluded.has(id));
      const allFailures = [...failures, ...(outcome.excluded ?? [])];
      const aggregationSeconds = (this.now() - aggStart) / 1000;
      if (outcome.network === null) {
        this.failOpenRound(`aggregation produced no model: ${outcome.reason ?? 'no reason given'}`);
        return;
      }
      this.setPhase(round, 'evaluating');
      const evalStart = this.now();
      const evaluation = await this.strategy.evaluate(round, outcome.network, results);
      const evaluationSeconds = (this.now() - evalStart) / 1000;
      const blob = encodeModelBlob(outcome.network);
      this.store.completeRound(run.id, round, {
        globalModel: blob,
        aggregator: outcome.aggregator,
        fusionSeconds: outcome.fusionSeconds,
        evaluations: evaluation.evaluations.map((e) => ({ ...e, extra: jsonSafeMetrics(e.extra) })),
        metrics: jsonSafeMetrics({
          closedBecause: why,
          participants,
          failures: allFailures,
          seconds: { training: trainingSeconds, aggregation: aggregationSeconds, evaluation: evaluationSeconds },
          aggregation: outcome.metrics,
          evaluation: evaluation.metrics,
        }),
      });
      this.global = outcome.network;
      this.open = null;
      this.run = this.store.getRun(run.id) ?? run;
      const final = this.requireRun().currentRound >= this.settings.rounds || this.stopRequested;
      const broadcastBytes = this.broadcast({ type: 'globalModel', runId: run.id, round, model: outcome.network, final });
      this.emit({
        type: 'roundCompleted',
        round,
        aggregator: outcome.aggregator,
        participants,
        fusionSeconds: outcome.fusionSeconds,
        roundSeconds: (this.now() - open.openedAt) / 1000,
        evaluations: evaluation.evaluations,
        broadcastBytes,
      });
      if (final) this.finishRun('finished', null);
      else this.setPhase(round + 1, 'waiting_for_clients');
    } catch (e) {
      this.failOpenRound(`round ${round} could not be aggregated: ${messageOf(e)}`);
    }
  }

  /** Records the open round as failed; if even that fails (storage down), tries again later. */
  private failOpenRound(reason: string): void {
    const open = this.open;
    const run = this.requireRun();
    if (open === null) return;
    try {
      this.store.failRound(run.id, open.round, reason);
    } catch (e) {
      // The store is unavailable (disk full, read-only): keep the round and retry closing it.
      this.emit({ type: 'roundFailed', round: open.round, attempt: open.attempt, reason: `${reason}; and recording the failure failed: ${messageOf(e)}` });
      this.setPhase(open.round, 'training');
      this.scheduleRetry('close', () => this.closeRound('retry after a storage failure'));
      return;
    }
    this.open = null;
    this.emit({ type: 'roundFailed', round: open.round, attempt: open.attempt, reason });
    this.setPhase(open.round, 'waiting_for_clients');
  }

  private finishRun(state: 'finished' | 'failed', reason: string | null): void {
    const run = this.requireRun();
    try {
      this.run = this.store.setRunState(run.id, state, reason ?? undefined);
    } catch (e) {
      this.emit({ type: 'roundFailed', round: run.currentRound + 1, attempt: 0, reason: `could not mark the run ${state}: ${messageOf(e)}` });
      return;
    }
    this.setPhase(run.currentRound + 1, state);
    this.emit({ type: 'runFinished', runId: run.id, state, reason });
  }

  private scheduleRetry(key: string, action: () => void): void {
    if (this.stopped) return;
    this.retries.set(key, action);
    if (this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      const due = [...this.retries];
      this.retries.clear();
      for (const [k, retry] of due) this.survive(k, retry, k);
    }, STORAGE_RETRY_MS);
  }

  /**
   * Runs work that a timer or a socket event started, where an exception
   * would reach the event loop and kill the process: a store that cannot even
   * be read (an I/O error, a corrupt page) is reported and the work tried again
   * later. Requests that have an answer (hello, update) let their errors reach
   * the client instead.
   */
  private survive(during: string, action: () => void, retryKey: string): void {
    try {
      action();
    } catch (e) {
      this.emit({ type: 'storageError', during, message: messageOf(e) });
      this.scheduleRetry(retryKey, action);
    }
  }


  // ---------------------------------------------------------------- helpers

  private broadcast(msg: WireMessage): number {
    const bytes = encodeEnvelope(msg);
    for (const { channel } of this.connected.values()) channel.send(bytes);
    return bytes.byteLength * this.connected.size;
  }

  private sendTo(channel: ClientChannel, msg: WireMessage): void {
    channel.send(encodeEnvelope(msg));
  }

  private setPhase(round: number, phase: RoundPhase): void {
    this.phase = phase;
    this.emit({ type: 'phase', round, phase });
  }

  private emit(event: OrchestratorEvent): void {
    try {
      this.observe(event);
    } catch {
      // An observer's bug must not break a round.
    }
  }

  private requireRun(): RunRecord {
    if (this.run === null) throw new FedfuseError('unavailable', 'the server has not started its run yet');
    return this.run;
  }

  private requireGlobal(): Network {
    if (this.global === null) throw new FedfuseError('unavailable', 'the server has no global model yet');
    return this.global;
  }
}

function messageOf(e: unknown): string {
  return isFedfuseError(e) ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e);
}
