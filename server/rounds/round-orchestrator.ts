import { FedfuseError, isFedfuseError } from '../../common/errors/index.ts';
import type { ModelSpec } from '../../common/model/spec.ts';
import { SeededRandom } from '../../common/random/index.ts';
import { encodeEnvelope, type Ack, type ClientUpdate, type Welcome, type WireMessage } from '../../common/wire/index.ts';
import type { AsyncRoundStore, RoundRecord, RunRecord } from '../store/index.ts';
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
import { SerialQueue } from './serial-queue.ts';
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
 *
 * The store is asynchronous (AsyncRoundStore: SQLite with group commit, or
 * PostgreSQL), so every store call is a point where other events run. Two
 * rules keep that safe. Every change of the lifecycle (start, open, close,
 * finish) runs through one SerialQueue and re-checks its conditions there.
 * Updates are taken concurrently (that is what lets one group commit serve a
 * burst) but admitted by synchronous checks right before their write starts,
 * and a round that begins closing refuses new ones at once and waits for the
 * writes already started before it collects (OpenRound.writing).
 */
export class RoundOrchestrator {
  private readonly store: AsyncRoundStore;
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
  /** Every lifecycle change, one at a time (see the class comment). */
  private readonly lifecycle = new SerialQueue();
  /** start(), once: hellos wait for it. */
  private starting: Promise<RunRecord> | null = null;
  /** An open check is queued and has not started yet: another request needs no second one. */
  private openCheckQueued = false;
  /** Set the moment a round starts closing, so that updates are refused from then on. */
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

  /** Resumes the configured or newest running run, or creates one. Idempotent: a second call gets the same promise. */
  start(): Promise<RunRecord> {
    this.starting ??= this.lifecycle.run(() => this.startRun());
    return this.starting;
  }

  private async startRun(): Promise<RunRecord> {
    const { run, resumed } = await resumeOrCreateRun(this.store, this.settings.runId, this.deps.initialModel, this.deps.runConfig);
    this.committed = await loadCommittedRound(this.store, run.id);
    this.fusedRecords = new FusedRecordsIndex(this.store, run.id);
    this.tasks = new RoundTasks(this.strategy, this.fusedRecords, (id) => this.clients.widthCapacityOf(id));
    this.run = run;
    this.emit({ type: 'runStarted', runId: run.id, resumed, currentRound: run.currentRound });
    if (run.state !== 'running') {
      this.phase.transition('waiting_for_clients', run.state === 'finished' ? 'finished' : 'failed', run.currentRound + 1);
      return run;
    }
    await this.resumeRound(run);
    return run;
  }

  private async resumeRound(run: RunRecord): Promise<void> {
    const next = run.currentRound + 1;
    const record = await this.store.getRound(run.id, next);
    if (record === undefined || record.state === 'failed' || record.state === 'done') return;
    // A round was open (or being closed: nothing of it was committed) when the previous process stopped: carry on with it.
    if (record.state === 'aggregating') await this.store.setRoundState(run.id, next, 'open');
    const stored = await this.store.listUpdates(run.id, next);
    this.open = {
      round: next,
      attempt: record.attempt,
      sampled: new Set(record.sampledClientIds),
      deadline: record.deadline,
      openedAt: record.openedAt,
      answered: new Set(stored.map((u) => u.clientId)),
      writing: new Map(),
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
  async clientJoined(join: ClientJoin, channel: ClientChannel): Promise<Welcome> {
    // A hello that arrives while the run is still being read from the store waits for it.
    await this.starting;
    const run = this.requireRun();
    checkLabelHistogram(join.labelHistogram, this.requireCommitted().served.spec);
    this.strategy.checkHello?.({ clientId: join.clientId, widthCapacity: join.widthCapacity });
    // Stored before the client counts as connected: its update's row refers to this one.
    await this.store.upsertClient({
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

  private async catchUp(clientId: string, channel: ClientChannel): Promise<void> {
    if (this.clients.channelOf(clientId) !== channel) return;
    const run = this.requireRun();
    const open = this.open;
    if (open !== null && this.phase.is('training') && this.closing === null && open.sampled.has(clientId) && !open.answered.has(clientId) && !open.writing.has(clientId)) {
      // Sampled and not yet answered (a reconnect, or a restart of the server): the task again.
      await this.sendTask(channel, open, clientId);
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
      ack = await this.acceptUpdate(authenticatedClientId, update, byteSize);
    } catch (e) {
      const err = isFedfuseError(e) ? e : new FedfuseError('internal', e instanceof Error ? e.message : String(e));
      this.emit({ type: 'updateRejected', clientId: authenticatedClientId, code: err.code, message: err.message });
      throw err;
    }
    // The update is stored: acknowledge it even if the store cannot be read back right now.
    this.retries.survive('closeIfEveryoneAnswered', () => this.closeIfEveryoneAnswered(), 'answered');
    return ack;
  }

  private async acceptUpdate(clientId: string, update: ClientUpdate, byteSize: number): Promise<Ack> {
    const run = this.requireRun();
    // Whether the client was connected when its update arrived (this runs in the tick the message was read):
    // an update received whole is taken even if the connection closes while it is being checked and stored,
    // so that a re-send after a reconnect is a duplicate, as before the store was asynchronous.
    const connectedOnArrival = this.clients.isConnected(clientId);
    // The one store read of the admission, first: after it, the checks and the start of the write run
    // without a pause, so no close can slip between the check that the round is open and the write.
    const alreadyStored = Number.isSafeInteger(update.round) && update.round >= 1 && (await this.store.hasUpdate(run.id, update.round, clientId));
    // The model this client was told to train (heterogeneous clients have their own width; it may need a store
    // read): computed for the round open now, again if another round opened meanwhile, until none did.
    let spec: ModelSpec;
    for (;;) {
      const at = this.open;
      spec = at === null ? this.requireCommitted().training.spec : (await this.tasks!.model(at, this.requireCommitted(), clientId)).spec;
      if (this.open === at) break;
    }
    const current = this.open;
    checkUpdateAdmission(clientId, update, {
      run,
      open: current,
      closingPhase: this.closing !== null && this.phase.is('training') ? 'closing' : this.phase.is('training') ? null : this.phase.current,
      isConnected: (id) => (id === clientId ? connectedOnArrival : this.clients.isConnected(id)),
      // Stored, or being written by an upload still in flight: either way the client has sent it.
      hasStoredUpdate: (round, id) => alreadyStored || (current !== null && round === current.round && current.writing.has(id)),
      spec,
      maxNumExamples: this.settings.maxNumExamples,
    });
    const open = current!;
    const stored = this.store.recordUpdate({
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
    const written = stored.then(() => {
      open.answered.add(clientId);
    });
    // Settled either way before the round collects; a refused write (duplicate, storage down) frees the slot.
    const settled = written.then(
      () => {},
      () => {},
    );
    open.writing.set(clientId, settled);
    void settled.then(() => {
      if (open.writing.get(clientId) === settled) open.writing.delete(clientId);
    });
    // Acknowledged only now: the write (its group commit, or its PostgreSQL transaction) is durable.
    await written;
    const received = open.answered.size;
    this.emit({ type: 'updateAccepted', round: open.round, clientId, bytes: byteSize, received, sampled: open.sampled.size });
    return { type: 'ack', runId: run.id, round: open.round, accepted: 'clientUpdate', message: `update ${received}/${open.sampled.size} of round ${open.round} stored` };
  }

  /** Finish the run after the round in progress (admin action). */
  async requestStop(): Promise<void> {
    this.stopRequested = true;
    // In the lifecycle queue: a round being opened or closed finishes first (a closing round sees
    // stopRequested and is the last), and only then is the run marked finished, at most once.
    await this.lifecycle.run(async () => {
      if (this.open === null && this.run?.state === 'running' && this.phase.is('waiting_for_clients')) await this.finishRun('finished', null);
    });
    await this.closing;
  }

  /** Stops timers and waits for a round being closed; the store stays open (the caller owns it). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.open?.timer) clearTimeout(this.open.timer);
    if (this.graceTimer) clearTimeout(this.graceTimer);
    this.retries.stop();
    await this.closing;
    await this.lifecycle.idle();
    // Writes of updates in flight settle before the caller closes the store.
    await Promise.all([...(this.open?.writing.values() ?? [])]);
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
      updatesReceived: open?.answered.size ?? 0,
      deadlineUnixMs: open?.deadline ?? null,
      roundsPlanned: this.settings.rounds,
    };
  }

  /** The run as stored now. */
  async currentRun(): Promise<RunRecord | null> {
    return this.run === null ? null : ((await this.store.getRun(this.run.id)) ?? null);
  }

  // ---------------------------------------------------------------- opening

  /**
   * Queues a check whether the next round can open (enough clients, the run
   * not over). One queued check is enough however many joins ask for it: it
   * looks at the state when it runs.
   */
  private maybeOpenRound(): void {
    if (this.openCheckQueued || this.stopped) return;
    this.openCheckQueued = true;
    this.lifecycle
      .run(async () => {
        this.openCheckQueued = false;
        await this.openRoundIfReady();
      })
      .catch((e: unknown) => {
        this.emit({ type: 'storageError', during: 'maybeOpenRound', message: messageOf(e) });
        this.retries.schedule('open', () => this.maybeOpenRound());
      });
  }

  private async openRoundIfReady(): Promise<void> {
    const run = this.run;
    if (this.stopped || this.stopRequested || run === null || run.state !== 'running') return;
    if (this.open !== null || this.closing !== null || !this.phase.is('waiting_for_clients')) return;
    if (run.currentRound >= this.settings.rounds) return;
    if (this.clients.size < this.settings.minClients) return;
    const round = run.currentRound + 1;
    const previous = await this.store.getRound(run.id, round);
    const attempt = previous === undefined ? 1 : previous.attempt + 1;
    if (attempt > this.settings.maxAttempts) {
      await this.finishRun('failed', `round ${round} failed ${this.settings.maxAttempts} times; last reason: ${previous?.failureReason ?? 'unknown'}`);
      return;
    }
    // Clients may have left while the store was read.
    if (this.clients.size < this.settings.minClients) return;
    const available = this.clients.available();
    const rng = new SeededRandom(this.settings.seed * 1_000_003 + round * 1_009 + attempt);
    const fit = this.strategy.configureFit(round, available, rng);
    if (fit.clientIds.length === 0) return;
    const openedAt = this.now();
    const deadline = openedAt + this.settings.roundTimeoutMs;
    let record: RoundRecord;
    try {
      record = await this.store.openRound({ runId: run.id, round, sampledClientIds: fit.clientIds, deadline, attempt, openedAt });
    } catch (e) {
      this.emit({ type: 'roundFailed', round, attempt, reason: `could not open the round: ${messageOf(e)}` });
      this.retries.schedule('open', () => this.maybeOpenRound());
      return;
    }
    const open: OpenRound = { round, attempt, sampled: new Set(record.sampledClientIds), deadline, openedAt, answered: new Set(), writing: new Map(), timer: null, taskRecords: new Map() };
    this.open = open;
    this.emit({ type: 'roundOpened', round, attempt, sampled: record.sampledClientIds, deadline });
    this.phase.transition('waiting_for_clients', 'training', round);
    for (const clientId of record.sampledClientIds) {
      const channel = this.clients.channelOf(clientId);
      if (channel !== undefined) this.retries.survive('sendTask', () => this.sendTask(channel, open, clientId), `task:${clientId}`);
    }
    this.armDeadline();
  }

  /** The task (its records may need a store read); not sent when the round or the client's connection changed meanwhile. */
  private async sendTask(channel: ClientChannel, open: OpenRound, clientId: string): Promise<void> {
    const task = await this.tasks!.task(this.requireRun().id, open, this.requireCommitted(), clientId);
    if (this.open !== open || this.clients.channelOf(clientId) !== channel) return;
    this.sendTo(channel, task);
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
    if (open === null || run === null || !this.phase.is('training') || this.closing !== null) return;
    const now = this.now();
    // A client whose upload is still being written has not answered yet: its write calls this again once it is durable.
    const { pending, nextExpiry } = this.clients.stillExpected(open.sampled, (id) => open.answered.has(id), now, this.settings.reconnectGraceMs);
    if (this.graceTimer) clearTimeout(this.graceTimer);
    this.graceTimer = null;
    if (pending === 0) {
      if (open.answered.size > 0) this.closeRound(open.answered.size === open.sampled.size ? 'all answered' : 'the others left');
      return;
    }
    if (Number.isFinite(nextExpiry) && nextExpiry < open.deadline && !this.stopped) {
      this.graceTimer = setTimeout(() => this.retries.survive('closeIfEveryoneAnswered', () => this.closeIfEveryoneAnswered(), 'answered'), nextExpiry - now + 5);
    }
  }

  /**
   * Starts closing the open round, once: `closing` is set before anything
   * awaits, so a deadline and a last update arriving together (or a retry)
   * close it once, and an update admitted from now on is refused.
   */
  private closeRound(why: string): void {
    const open = this.open;
    if (this.closing !== null || this.stopped || open === null) return;
    this.closing = this.lifecycle
      .run(() => this.aggregateRound(open, why))
      .catch((e: unknown) => this.emit({ type: 'storageError', during: 'closeRound', message: messageOf(e) }))
      .finally(() => {
        this.closing = null;
        this.maybeOpenRound();
      });
  }

  /**
   * Closes the open round in four steps (round-steps.ts): collect the stored
   * updates, aggregate, evaluate, commit; the phase moves at each step. An
   * update is acknowledged only once stored, and only stored updates are
   * collected, so nothing acknowledged is left out; a crash before the commit
   * leaves the round 'aggregating' in the store, to be reopened on restart.
   */
  private async aggregateRound(open: OpenRound, why: string): Promise<void> {
    const run = this.requireRun();
    if (this.open !== open) return;
    if (open.timer) clearTimeout(open.timer);
    if (this.graceTimer) clearTimeout(this.graceTimer);
    const { round } = open;
    try {
      // Updates admitted before closing began may still be in their group commit (or PostgreSQL
      // transaction): each settles first, so that what is collected is exactly what was acknowledged.
      await Promise.all([...open.writing.values()]);
      const collected = await collectUpdates(this.store, {
        runId: run.id,
        round,
        sampled: open.sampled,
        isConnected: (id) => this.clients.isConnected(id),
        taskRecords: (id) => this.tasks!.records(open, this.requireCommitted(), id),
      });
      if (collected.results.length < this.settings.quorum) {
        await this.failOpenRound(`${why}: ${collected.results.length} of ${open.sampled.size} sampled clients answered, the quorum is ${this.settings.quorum}`);
        return;
      }
      await this.store.setRoundState(run.id, round, 'aggregating');
      await this.enter('training', 'aggregating', round);
      const trainingSeconds = (this.now() - open.openedAt) / 1000;
      const previous = this.requireCommitted();
      const aggregated = await aggregateUpdates(this.strategy, round, previous, collected, this.now);
      if ('failed' in aggregated) {
        await this.failOpenRound(aggregated.failed);
        return;
      }
      await this.enter('aggregating', 'evaluating', round);
      const evaluated = await evaluateModels(this.strategy, round, aggregated, collected.results, this.now);
      await this.enter('evaluating', 'committing', round);
      const { committed } = await commitRound(this.store, { runId: run.id, round, closedBecause: why, previous, aggregated, evaluated, trainingSeconds });
      this.committed = committed;
      this.fusedRecords?.committed(round, aggregated.participants);
      this.open = null;
      this.run = (await this.store.getRun(run.id)) ?? run;
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
      if (final) await this.finishRun('finished', null);
      else this.phase.transition('committing', 'waiting_for_clients', round + 1);
    } catch (e) {
      await this.failOpenRound(`round ${round} could not be aggregated: ${messageOf(e)}`);
    }
  }

  /** Moves to a closing step's phase, then waits for a fault test's pause at it (none in normal runs). */
  private async enter(from: RoundPhase, to: RoundPhase, round: number): Promise<void> {
    this.phase.transition(from, to, round);
    await this.deps.afterEntering?.(to, round);
  }

  /** Records the open round as failed; if even that fails (storage down), tries again later. */
  private async failOpenRound(reason: string): Promise<void> {
    const open = this.open;
    const run = this.requireRun();
    if (open === null) return;
    try {
      await this.store.failRound(run.id, open.round, reason);
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

  private async finishRun(state: 'finished' | 'failed', reason: string | null): Promise<void> {
    const run = this.requireRun();
    try {
      this.run = await this.store.setRunState(run.id, state, reason ?? undefined);
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
