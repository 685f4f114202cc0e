import { FedfuseError, isFedfuseError } from '../../common/errors/index.ts';
import { SeededRandom } from '../../common/random/index.ts';
import { encodeEnvelope, type Ack, type ClientUpdate, type Welcome, type WireMessage } from '../../common/wire/index.ts';
import type { RoundRecord, RoundStore, RunRecord } from '../store/index.ts';
import { ClientPresence, type ClientChannel } from './client-presence.ts';
import type { ClientJoin, LiveRoundStatus, OpenRound, OrchestratorDeps } from './orchestrator-types.ts';
import { loadCommittedRound, resumeOrCreateRun, type CommittedRound } from './committed-round.ts';
import { FusedRecordsIndex } from './fused-records-index.ts';
import { encodeAttributionBlob, encodeModelBlob, encodeRecordsBlob } from './model-blobs.ts';
import type { OrchestratorEvent, OrchestratorObserver } from './orchestrator-events.ts';
import { PhaseMachine, type RoundPhase } from './round-phase.ts';
import { aggregateUpdates, collectUpdates, commitRound, evaluateModels } from './round-steps.ts';
import { globalModelMessage, RoundTasks } from './round-tasks.ts';
import type { RunSettings } from './run-settings.ts';
import { StorageRetries } from './storage-retries.ts';
import { checkLabelHistogram, checkUpdateAdmission } from './update-admission.ts';
import type { Strategy } from './strategy.ts';

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
  private readonly clients = new ClientPresence();
  private run: RunRecord | null = null;
  /** What the last committed round left (served and training models, strategy state). */
  private committed: CommittedRound | null = null;
  private fusedRecords: FusedRecordsIndex | null = null;
  private tasks: RoundTasks | null = null;
  private open: OpenRound | null = null;
  private readonly phase: PhaseMachine;
  private closing: Promise<void> | null = null;
  private stopRequested = false;
  private stopped = false;
  private readonly retries: StorageRetries;
  private graceTimer: NodeJS.Timeout | null = null;

  constructor(private readonly deps: OrchestratorDeps) {
    this.store = deps.store;
    this.strategy = deps.strategy;
    this.settings = deps.settings;
    this.now = deps.now ?? Date.now;
    this.observe = deps.observe ?? (() => {});
    this.phase = new PhaseMachine((round, from, to) => this.emit({ type: 'phase', round, phase: to, from }));
    this.retries = new StorageRetries((during, e) => this.emit({ type: 'storageError', during, message: messageOf(e) }));
  }

  /** Resumes the configured or newest running run, or creates one. */
  start(): RunRecord {
    const { run, resumed } = resumeOrCreateRun(this.store, this.settings.runId, this.deps.initialModel, this.deps.runConfig);
    this.run = run;
    this.committed = loadCommittedRound(this.store, run.id);
    this.fusedRecords = new FusedRecordsIndex(this.store, run.id);
    this.tasks = new RoundTasks(this.strategy, this.fusedRecords, (id) => this.clients.widthCapacityOf(id));
    this.emit({ type: 'runStarted', runId: run.id, resumed, currentRound: run.currentRound });
    if (run.state !== 'running') {
      this.phase.transition('waiting_for_clients', run.state === 'finished' ? 'finished' : 'failed', run.currentRound + 1);
      return run;
    }
    this.resumeRound(run);
    return run;
  }

  private resumeRound(run: RunRecord): void {
    const next = run.currentRound + 1;
    const record = this.store.getRound(run.id, next);
    if (record === undefined || record.state === 'failed' || record.state === 'done') return;
    // A round was open (or being closed: nothing of it was committed) when the previous process stopped: carry on with it.
    if (record.state === 'aggregating') this.store.setRoundState(run.id, next, 'open');
    this.open = {
      round: next,
      attempt: record.attempt,
      sampled: new Set(record.sampledClientIds),
      deadline: record.deadline,
      openedAt: record.openedAt,
      received: this.store.countUpdates(run.id, next),
      timer: null,
      taskRecords: new Map(),
    };
    // Nobody is connected yet after a restart: every sampled client gets the grace period to come back.
    this.clients.markGone(record.sampledClientIds, this.now());
    this.phase.transition('waiting_for_clients', 'training', next);
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
    checkLabelHistogram(join.labelHistogram, this.requireCommitted().served.spec);
    this.strategy.checkHello?.({ clientId: join.clientId, widthCapacity: join.widthCapacity });
    this.store.upsertClient({
      id: join.clientId,
      numExamples: join.numExamples,
      labelHistogram: join.labelHistogram,
      tokenFingerprint: join.tokenFingerprint,
    });
    this.clients.join(join.clientId, channel, join.numExamples, join.widthCapacity);
    this.emit({ type: 'clientJoined', clientId: join.clientId, connected: this.clients.size });
    // After the acknowledgement has gone out, so the client sees Welcome first.
    setImmediate(() => this.retries.survive('catchUp', () => this.catchUp(join.clientId, channel), `catchUp:${join.clientId}`));
    return { type: 'welcome', runId: run.id, currentRound: run.currentRound, serverVersion: this.deps.serverVersion, runFinished: run.state !== 'running', dataCarve: this.settings.dataCarve ?? null };
  }

  private catchUp(clientId: string, channel: ClientChannel): void {
    if (this.clients.channelOf(clientId) !== channel) return;
    const run = this.requireRun();
    const open = this.open;
    if (open !== null && this.phase.is('training') && open.sampled.has(clientId) && !this.store.hasUpdate(run.id, open.round, clientId)) {
      // Sampled and not yet answered (a reconnect, or a restart of the server): the task again.
      this.sendTask(channel, open, clientId);
    } else if (run.currentRound > 0 && this.committed !== null) {
      // Joining late: the current global model, so the client is up to date.
      this.sendTo(channel, this.globalModelMessage(run.currentRound, run.state !== 'running'));
    }
    this.maybeOpenRound();
  }

  /** The connection of a client closed. */
  clientLeft(clientId: string, channel: ClientChannel): void {
    if (!this.clients.leave(clientId, channel, this.now())) return; // replaced by a newer connection
    this.emit({ type: 'clientLeft', clientId, connected: this.clients.size });
    this.retries.survive('closeIfEveryoneAnswered', () => this.closeIfEveryoneAnswered(), 'answered');
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
    this.retries.survive('closeIfEveryoneAnswered', () => this.closeIfEveryoneAnswered(), 'answered');
    return ack;
  }

  private acceptUpdate(clientId: string, update: ClientUpdate, byteSize: number): Ack {
    const run = this.requireRun();
    checkUpdateAdmission(clientId, update, {
      run,
      open: this.open,
      closingPhase: this.phase.is('training') ? null : this.phase.current,
      isConnected: (id) => this.clients.isConnected(id),
      hasStoredUpdate: (round, id) => this.store.hasUpdate(run.id, round, id),
      // The model this client was told to train: heterogeneous clients have their own width.
      spec: this.open === null ? this.requireCommitted().training.spec : this.tasks!.model(this.open, this.requireCommitted(), clientId).spec,
      maxNumExamples: this.settings.maxNumExamples,
    });
    const open = this.open!;
    this.store.recordUpdate({
      runId: run.id,
      round: open.round,
      clientId,
      numExamples: update.numExamples,
      model: encodeModelBlob(update.model),
      attribution: update.attribution === null ? null : encodeAttributionBlob(update.attribution),
      records: encodeRecordsBlob(update.records),
      // The step count rides with the metrics (FitResult.localSteps reads it back), so it needs no column of its own.
      clientMetrics: update.localSteps > 0 ? { ...update.metrics, localSteps: update.localSteps } : update.metrics,
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
    this.retries.stop();
    await this.closing;
  }

  liveStatus(): LiveRoundStatus {
    const run = this.run;
    const open = this.open;
    return {
      runId: run?.id ?? null,
      // The round in progress; a run that has ended shows its last round, not one past it.
      round: open?.round ?? (run === null ? 1 : run.state === 'running' ? run.currentRound + 1 : run.currentRound),
      state: this.phase.current,
      connectedClients: this.clients.ids(),
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
    if (this.open !== null || this.closing !== null || !this.phase.is('waiting_for_clients')) return;
    if (run.currentRound >= this.settings.rounds) return;
    if (this.clients.size < this.settings.minClients) return;
    const round = run.currentRound + 1;
    const previous = this.store.getRound(run.id, round);
    const attempt = previous === undefined ? 1 : previous.attempt + 1;
    if (attempt > this.settings.maxAttempts) {
      this.finishRun('failed', `round ${round} failed ${this.settings.maxAttempts} times; last reason: ${previous?.failureReason ?? 'unknown'}`);
      return;
    }
    const available = this.clients.available();
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
      this.retries.schedule('open', () => this.maybeOpenRound());
      return;
    }
    this.open = { round, attempt, sampled: new Set(record.sampledClientIds), deadline, openedAt, received: 0, timer: null, taskRecords: new Map() };
    this.emit({ type: 'roundOpened', round, attempt, sampled: record.sampledClientIds, deadline });
    this.phase.transition('waiting_for_clients', 'training', round);
    for (const clientId of record.sampledClientIds) {
      const channel = this.clients.channelOf(clientId);
      if (channel !== undefined) this.sendTask(channel, this.open, clientId);
    }
    this.armDeadline();
  }

  private sendTask(channel: ClientChannel, open: OpenRound, clientId: string): void {
    this.sendTo(channel, this.tasks!.task(this.requireRun().id, open, this.requireCommitted(), clientId));
  }

  private globalModelMessage(round: number, final: boolean): WireMessage {
    return globalModelMessage(this.requireRun().id, round, this.requireCommitted(), final);
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
    if (open === null || run === null || !this.phase.is('training')) return;
    const now = this.now();
    const { pending, nextExpiry } = this.clients.stillExpected(open.sampled, (id) => this.store.hasUpdate(run.id, open.round, id), now, this.settings.reconnectGraceMs);
    if (this.graceTimer) clearTimeout(this.graceTimer);
    this.graceTimer = null;
    if (pending === 0) {
      if (open.received > 0) this.closeRound(open.received === open.sampled.size ? 'all answered' : 'the others left');
      return;
    }
    if (Number.isFinite(nextExpiry) && nextExpiry < open.deadline && !this.stopped) {
      this.graceTimer = setTimeout(() => this.retries.survive('closeIfEveryoneAnswered', () => this.closeIfEveryoneAnswered(), 'answered'), nextExpiry - now + 5);
    }
  }

  private closeRound(why: string): void {
    if (this.closing !== null || this.stopped) return;
    this.closing = this.aggregateRound(why).finally(() => {
      this.closing = null;
      this.retries.survive('maybeOpenRound', () => this.maybeOpenRound(), 'open');
    });
  }

  /**
   * Closes the open round in four steps (round-steps.ts): collect the stored
   * updates, aggregate, evaluate, commit; the phase moves at each step. An
   * update is acknowledged only once stored, and only stored updates are
   * collected, so nothing acknowledged is left out; a crash before the commit
   * leaves the round 'aggregating' in the store, to be reopened on restart.
   */
  private async aggregateRound(why: string): Promise<void> {
    const open = this.open;
    const run = this.requireRun();
    if (open === null) return;
    if (open.timer) clearTimeout(open.timer);
    if (this.graceTimer) clearTimeout(this.graceTimer);
    const { round } = open;
    try {
      const collected = collectUpdates(this.store, {
        runId: run.id,
        round,
        sampled: open.sampled,
        isConnected: (id) => this.clients.isConnected(id),
        taskRecords: (id) => this.tasks!.records(open, this.requireCommitted(), id),
      });
      if (collected.results.length < this.settings.quorum) {
        this.failOpenRound(`${why}: ${collected.results.length} of ${open.sampled.size} sampled clients answered, the quorum is ${this.settings.quorum}`);
        return;
      }
      this.store.setRoundState(run.id, round, 'aggregating');
      await this.enter('training', 'aggregating', round);
      const trainingSeconds = (this.now() - open.openedAt) / 1000;
      const previous = this.requireCommitted();
      const aggregated = await aggregateUpdates(this.strategy, round, previous, collected, this.now);
      if ('failed' in aggregated) {
        this.failOpenRound(aggregated.failed);
        return;
      }
      await this.enter('aggregating', 'evaluating', round);
      const evaluated = await evaluateModels(this.strategy, round, aggregated, collected.results, this.now);
      await this.enter('evaluating', 'committing', round);
      const { committed } = commitRound(this.store, { runId: run.id, round, closedBecause: why, previous, aggregated, evaluated, trainingSeconds });
      this.committed = committed;
      this.fusedRecords?.committed(round, aggregated.participants);
      this.open = null;
      this.run = this.store.getRun(run.id) ?? run;
      const final = this.requireRun().currentRound >= this.settings.rounds || this.stopRequested;
      const broadcastBytes = this.broadcast(this.globalModelMessage(round, final));
      const { outcome } = aggregated;
      this.emit({
        type: 'roundCompleted',
        round,
        aggregator: outcome.aggregator,
        participants: aggregated.participants.map((r) => r.clientId),
        fusionSeconds: outcome.fusionSeconds,
        roundSeconds: (this.now() - open.openedAt) / 1000,
        evaluations: evaluated.evaluations,
        broadcastBytes,
        separateTrainingModel: committed.separateTrainingModel,
      });
      if (final) this.finishRun('finished', null);
      else this.phase.transition('committing', 'waiting_for_clients', round + 1);
    } catch (e) {
      this.failOpenRound(`round ${round} could not be aggregated: ${messageOf(e)}`);
    }
  }

  /** Moves to a closing step's phase, then waits for a fault test's pause at it (none in normal runs). */
  private async enter(from: RoundPhase, to: RoundPhase, round: number): Promise<void> {
    this.phase.transition(from, to, round);
    await this.deps.afterEntering?.(to, round);
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
      if (!this.phase.is('training')) this.phase.transition(this.phase.current, 'training', open.round);
      this.retries.schedule('close', () => this.closeRound('retry after a storage failure'));
      return;
    }
    this.open = null;
    this.emit({ type: 'roundFailed', round: open.round, attempt: open.attempt, reason });
    this.phase.transition(this.phase.current, 'waiting_for_clients', open.round);
  }

  private finishRun(state: 'finished' | 'failed', reason: string | null): void {
    const run = this.requireRun();
    try {
      this.run = this.store.setRunState(run.id, state, reason ?? undefined);
    } catch (e) {
      this.emit({ type: 'roundFailed', round: run.currentRound + 1, attempt: 0, reason: `could not mark the run ${state}: ${messageOf(e)}` });
      return;
    }
    this.phase.transition(this.phase.current, state, run.currentRound + 1);
    this.emit({ type: 'runFinished', runId: run.id, state, reason });
  }

  // ---------------------------------------------------------------- helpers

  private broadcast(msg: WireMessage): number {
    return this.clients.broadcast(encodeEnvelope(msg));
  }

  private sendTo(channel: ClientChannel, msg: WireMessage): void {
    channel.send(encodeEnvelope(msg));
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

  private requireCommitted(): CommittedRound {
    if (this.committed === null) throw new FedfuseError('unavailable', 'the server has no global model yet');
    return this.committed;
  }
}

function messageOf(e: unknown): string {
  return isFedfuseError(e) ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e);
}
