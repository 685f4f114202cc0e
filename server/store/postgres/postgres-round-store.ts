import type { Pool, PoolClient, QueryResultRow } from 'pg';
import { FedfuseError } from '../../../common/errors/index.ts';
import type { AsyncRoundStore } from '../async-round-store.ts';
import {
  checkBlob,
  checkDistinctIds,
  checkFinite,
  checkId,
  checkLabelHistogram,
  checkNonNegativeInteger,
  checkPositiveInteger,
  checkReason,
  checkTime,
} from '../input-checks.ts';
import { encodeJson } from '../json-column.ts';
import type { ClientRecord, EvaluationRecord, GlobalModelRecord, RoundFailureRecord, RoundRecord, RunRecord, RunState, TokenRevocationRecord, UpdateRecord, UpdateSummary } from '../records.ts';
import { RUN_STATES } from '../records.ts';
import type { ClientSighting, NewEvaluation, NewRound, NewRun, NewTokenRevocation, NewUpdate, RoundOutcome } from '../round-store.ts';
import { checkClientId, checkTokenId } from '../input-checks.ts';
// The rows come back shaped like SQLite's (JSON as text, times as numbers, has_attribution as 0/1; see
// open-postgres-store.ts' type parsers), so both backends share one mapping to records.
import {
  toClientRecord,
  toEvaluationRecord,
  toGlobalModelRecord,
  toRoundFailureRecord,
  toRoundRecord,
  toRunRecord,
  toUpdateRecord,
  toUpdateSummary,
  type ClientRow,
  type EvaluationRow,
  type GlobalModelRow,
  type RoundFailureRow,
  type RoundRow,
  type RunRow,
  type UpdateRow,
  type UpdateSummaryRow,
} from '../sqlite-rows.ts';
import { checkEvaluation, type CheckedEvaluation } from '../evaluation-input.ts';
import { integrityProblems } from './postgres-integrity.ts';
import { isUniqueViolation, toPostgresStoreError } from './postgres-errors.ts';

const RUN_COLUMNS = 'id, created_at, config, model_spec, state, current_round, ended_at, failure_reason';
const CLIENT_COLUMNS = 'id, first_seen, last_seen, num_examples, label_histogram, token_fingerprint';
const ROUND_COLUMNS =
  'run_id, round, attempt, state, sampled_clients, deadline, opened_at, closed_at, failure_reason, aggregator, fusion_seconds, metrics';
const UPDATE_SUMMARY_COLUMNS =
  'run_id, round, client_id, received_at, num_examples, client_metrics, byte_size, (attribution IS NOT NULL)::int AS has_attribution';
const EVALUATION_COLUMNS = 'run_id, round, dataset, accuracy, loss, samples, extra, created_at';
const GLOBAL_MODEL_COLUMNS = 'run_id, round, created_at, byte_size, model, training_model, strategy_state';

type Queryable = Pool | PoolClient;

/**
 * RoundStore on PostgreSQL (node-postgres pool), for several server nodes
 * sharing one run. Every value is a bound parameter. A method that reads and
 * then writes runs in one transaction (READ COMMITTED) and locks the rows its
 * checks depend on, in one order (run, then round) so that two nodes never
 * deadlock:
 * - recordUpdate holds the round row FOR SHARE while it inserts, and every
 *   change of a round's state takes it FOR UPDATE, so a round cannot leave
 *   'open' while an update it accepted is still uncommitted;
 * - openRound and completeRound lock the run row, so two nodes cannot open
 *   or complete the same round; completeRound keeps SQLite's
 *   `advanceRun ... WHERE current_round = round - 1` guard as well.
 * PostgreSQL groups the WAL flushes of transactions that commit together, so
 * concurrent updates need no batching here (unlike SQLite's group commit).
 */
export class PostgresRoundStore implements AsyncRoundStore {
  readonly backend = 'postgres' as const;
  private closed = false;
  private ending: Promise<void> | null = null;

  constructor(
    private readonly pool: Pool,
    private readonly now: () => number,
    private readonly onClose: () => Promise<void> = async () => {},
  ) {}

  // ---------------------------------------------------------------- runs

  createRun(run: NewRun): Promise<RunRecord> {
    return this.write('createRun', async (c) => {
      const id = checkId(run.id, 'run id');
      const createdAt = checkTime(run.createdAt ?? this.now(), 'createdAt');
      const config = encodeJson(run.config, 'run config');
      const modelSpec = encodeJson(run.modelSpec, 'model spec');
      const initialModel = run.initialModel === undefined ? undefined : checkBlob(run.initialModel, 'initial model');
      try {
        await c.query(`INSERT INTO runs (id, created_at, config, model_spec, state, current_round) VALUES ($1, $2, $3, $4, 'running', 0)`, [
          id,
          createdAt,
          config,
          modelSpec,
        ]);
      } catch (e) {
        if (isUniqueViolation(e, 'runs_pkey')) throw new FedfuseError('duplicate', `run "${id}" already exists`, { cause: e });
        throw e;
      }
      if (initialModel !== undefined) await this.insertGlobalModel(c, id, 0, initialModel, createdAt);
      return this.requireRun(c, id);
    });
  }

  getRun(runId: string): Promise<RunRecord | undefined> {
    return this.read('getRun', async (q) => mapOne(await this.one<RunRow>(q, `SELECT ${RUN_COLUMNS} FROM runs WHERE id = $1`, [runId]), toRunRecord));
  }

  listRuns(): Promise<RunRecord[]> {
    return this.read('listRuns', async (q) => (await q.query<RunRow>(`SELECT ${RUN_COLUMNS} FROM runs ORDER BY created_at DESC, seq DESC`)).rows.map(toRunRecord));
  }

  latestRun(): Promise<RunRecord | undefined> {
    return this.read('latestRun', async (q) =>
      mapOne(await this.one<RunRow>(q, `SELECT ${RUN_COLUMNS} FROM runs ORDER BY created_at DESC, seq DESC LIMIT 1`), toRunRecord),
    );
  }

  findRunningRun(): Promise<RunRecord | undefined> {
    return this.read('findRunningRun', async (q) =>
      mapOne(await this.one<RunRow>(q, `SELECT ${RUN_COLUMNS} FROM runs WHERE state = 'running' ORDER BY created_at DESC, seq DESC LIMIT 1`), toRunRecord),
    );
  }

  setRunState(runId: string, state: RunState, reason?: string): Promise<RunRecord> {
    return this.write('setRunState', async (c) => {
      if (!(RUN_STATES as readonly string[]).includes(state)) throw new FedfuseError('invalid_argument', `unknown run state "${String(state)}"`);
      const failureReason = state === 'failed' ? checkReason(reason ?? '', 'reason for failing a run') : null;
      const updated = await c.query<RunRow>(`UPDATE runs SET state = $1, ended_at = $2, failure_reason = $3 WHERE id = $4 RETURNING ${RUN_COLUMNS}`, [
        state,
        state === 'running' ? null : this.now(),
        failureReason,
        runId,
      ]);
      const row = updated.rows[0];
      if (row === undefined) throw new FedfuseError('invalid_argument', `run "${runId}" does not exist`);
      return toRunRecord(row);
    });
  }

  // ------------------------------------------------------------- clients

  upsertClient(sighting: ClientSighting): Promise<ClientRecord> {
    return this.write('upsertClient', async (c) => {
      const id = checkId(sighting.id, 'client id');
      const histogram = sighting.labelHistogram;
      const fingerprint = sighting.tokenFingerprint == null ? sighting.tokenFingerprint : checkId(sighting.tokenFingerprint, 'tokenFingerprint');
      const at = checkTime(sighting.at ?? this.now(), 'at');
      const numExamples = checkNonNegativeInteger(sighting.numExamples, 'numExamples');
      const histogramJson = histogram == null ? null : encodeJson(checkLabelHistogram(histogram, 'labelHistogram'), 'labelHistogram');
      // undefined keeps what is stored; null clears it.
      const row = await this.one<ClientRow>(
        c,
        `INSERT INTO clients AS k (id, first_seen, last_seen, num_examples, label_histogram, token_fingerprint)
         VALUES ($1, $2, $2, $3, $4, $6)
         ON CONFLICT (id) DO UPDATE SET
           last_seen = GREATEST(k.last_seen, EXCLUDED.last_seen),
           num_examples = EXCLUDED.num_examples,
           label_histogram = CASE WHEN $5 THEN k.label_histogram ELSE EXCLUDED.label_histogram END,
           token_fingerprint = CASE WHEN $7 THEN k.token_fingerprint ELSE EXCLUDED.token_fingerprint END
         RETURNING ${CLIENT_COLUMNS}`,
        [id, at, numExamples, histogramJson, histogram === undefined, fingerprint ?? null, fingerprint === undefined],
      );
      if (row === undefined) throw new FedfuseError('internal', 'client vanished right after upsert');
      return toClientRecord(row);
    });
  }

  touchClient(clientId: string, at?: number): Promise<void> {
    return this.write('touchClient', async (c) => {
      const result = await c.query(`UPDATE clients SET last_seen = GREATEST(last_seen, $1) WHERE id = $2`, [checkTime(at ?? this.now(), 'at'), clientId]);
      if (result.rowCount === 0) throw new FedfuseError('unknown_client', `client "${clientId}" is not known`);
    });
  }

  getClient(clientId: string): Promise<ClientRecord | undefined> {
    return this.read('getClient', async (q) => mapOne(await this.one<ClientRow>(q, `SELECT ${CLIENT_COLUMNS} FROM clients WHERE id = $1`, [clientId]), toClientRecord));
  }

  listClients(): Promise<ClientRecord[]> {
    // COLLATE "C": byte order, as SQLite's default BINARY collation sorts.
    return this.read('listClients', async (q) => (await q.query<ClientRow>(`SELECT ${CLIENT_COLUMNS} FROM clients ORDER BY id COLLATE "C"`)).rows.map(toClientRecord));
  }

  // --------------------------------------------------- token revocations

  revokeTokens(revocation: NewTokenRevocation): Promise<TokenRevocationRecord> {
    return this.write('revokeTokens', async (c) => {
      const clientId = checkClientId(revocation.clientId, 'clientId');
      const tokenId = checkTokenId(revocation.tokenId, 'tokenId');
      const revokedAt = checkTime(revocation.at ?? this.now(), 'at');
      await c.query(`INSERT INTO token_revocations (client_id, token_id, revoked_at) VALUES ($1, $2, $3)`, [clientId, tokenId, revokedAt]);
      return { clientId, tokenId, revokedAt };
    });
  }

  listTokenRevocations(): Promise<TokenRevocationRecord[]> {
    return this.read('listTokenRevocations', async (q) =>
      (await q.query<{ client_id: string; token_id: string | null; revoked_at: string | number }>(`SELECT client_id, token_id, revoked_at FROM token_revocations ORDER BY seq`)).rows.map((r) => ({
        clientId: r.client_id,
        tokenId: r.token_id,
        revokedAt: Number(r.revoked_at),
      })),
    );
  }

  // -------------------------------------------------------------- rounds

  openRound(spec: NewRound): Promise<RoundRecord> {
    return this.write('openRound', async (c) => {
      const round = checkPositiveInteger(spec.round, 'round');
      const attempt = checkPositiveInteger(spec.attempt, 'attempt');
      const sampled = encodeJson(checkDistinctIds(spec.sampledClientIds, 'sampledClientIds'), 'sampledClientIds');
      const deadline = checkTime(spec.deadline, 'deadline');
      const openedAt = checkTime(spec.openedAt ?? this.now(), 'openedAt');
      const run = await this.requireRun(c, spec.runId, 'FOR UPDATE');
      if (run.state !== 'running') throw new FedfuseError('wrong_round', `run "${run.id}" is ${run.state}; no round can be opened`);
      if (round !== run.currentRound + 1) {
        throw new FedfuseError('wrong_round', `run "${run.id}" has completed round ${run.currentRound}; the next round is ${run.currentRound + 1}, not ${round}`);
      }
      const existing = await this.one<RoundRow>(c, `SELECT ${ROUND_COLUMNS} FROM rounds WHERE run_id = $1 AND round = $2 FOR UPDATE`, [run.id, round]);
      if (attempt === 1) {
        if (existing) {
          throw new FedfuseError('wrong_round', `round ${round} of run "${run.id}" is already opened (attempt ${existing.attempt}, ${existing.state})`);
        }
        await c.query(
          `INSERT INTO rounds (run_id, round, attempt, state, sampled_clients, deadline, opened_at) VALUES ($1, $2, $3, 'open', $4, $5, $6)`,
          [run.id, round, attempt, sampled, deadline, openedAt],
        );
      } else {
        if (!existing || existing.state !== 'failed' || existing.attempt !== attempt - 1) {
          const found = existing ? `attempt ${existing.attempt} is ${existing.state}` : 'it was never opened';
          throw new FedfuseError('wrong_round', `attempt ${attempt} of round ${round} needs attempt ${attempt - 1} to have failed; ${found}`);
        }
        // A new attempt starts empty: its clients train again and must not collide with the failed attempt's updates.
        await c.query(`DELETE FROM updates WHERE run_id = $1 AND round = $2`, [run.id, round]);
        await c.query(
          `UPDATE rounds SET attempt = $1, state = 'open', sampled_clients = $2, deadline = $3, opened_at = $4,
             closed_at = NULL, failure_reason = NULL, aggregator = NULL, fusion_seconds = NULL, metrics = NULL
           WHERE run_id = $5 AND round = $6`,
          [attempt, sampled, deadline, openedAt, run.id, round],
        );
      }
      return this.requireRound(c, run.id, round);
    });
  }

  getRound(runId: string, round: number): Promise<RoundRecord | undefined> {
    return this.read('getRound', async (q) =>
      mapOne(await this.one<RoundRow>(q, `SELECT ${ROUND_COLUMNS} FROM rounds WHERE run_id = $1 AND round = $2`, [runId, round]), toRoundRecord),
    );
  }

  listRounds(runId: string): Promise<RoundRecord[]> {
    return this.read('listRounds', async (q) => (await q.query<RoundRow>(`SELECT ${ROUND_COLUMNS} FROM rounds WHERE run_id = $1 ORDER BY round`, [runId])).rows.map(toRoundRecord));
  }

  setRoundState(runId: string, round: number, state: 'open' | 'aggregating'): Promise<RoundRecord> {
    return this.write('setRoundState', async (c) => {
      if (state !== 'open' && state !== 'aggregating') {
        throw new FedfuseError('invalid_argument', `setRoundState only moves between open and aggregating, not to "${String(state)}"`);
      }
      // FOR UPDATE waits for every recordUpdate holding the row FOR SHARE: the updates read after this are all of them.
      const current = await this.requireRound(c, runId, round, 'FOR UPDATE');
      if (current.state !== 'open' && current.state !== 'aggregating') throw new FedfuseError('wrong_round', `round ${round} of run "${runId}" is ${current.state}`);
      await c.query(`UPDATE rounds SET state = $1 WHERE run_id = $2 AND round = $3`, [state, runId, round]);
      return this.requireRound(c, runId, round);
    });
  }

  failRound(runId: string, round: number, reason: string, at?: number): Promise<RoundRecord> {
    return this.write('failRound', async (c) => {
      checkReason(reason, 'failure reason');
      const failedAt = checkTime(at ?? this.now(), 'at');
      const current = await this.requireRound(c, runId, round, 'FOR UPDATE');
      if (current.state !== 'open' && current.state !== 'aggregating') {
        throw new FedfuseError('wrong_round', `round ${round} of run "${runId}" is ${current.state}; only an open or aggregating round can fail`);
      }
      await c.query(`UPDATE rounds SET state = 'failed', closed_at = $1, failure_reason = $2 WHERE run_id = $3 AND round = $4`, [failedAt, reason, runId, round]);
      await c.query(`INSERT INTO round_failures (run_id, round, attempt, failed_at, reason) VALUES ($1, $2, $3, $4, $5)`, [
        runId,
        round,
        current.attempt,
        failedAt,
        reason,
      ]);
      return this.requireRound(c, runId, round);
    });
  }

  listRoundFailures(runId: string): Promise<RoundFailureRecord[]> {
    return this.read('listRoundFailures', async (q) =>
      (await q.query<RoundFailureRow>(`SELECT run_id, round, attempt, failed_at, reason FROM round_failures WHERE run_id = $1 ORDER BY round, attempt`, [runId])).rows.map(
        toRoundFailureRecord,
      ),
    );
  }

  completeRound(runId: string, round: number, outcome: RoundOutcome): Promise<RoundRecord> {
    return this.write('completeRound', async (c) => {
      const model = checkBlob(outcome.globalModel, 'global model');
      const trainingModel = outcome.trainingModel == null ? null : checkBlob(outcome.trainingModel, 'training model');
      const strategyState = outcome.strategyState == null ? null : checkBlob(outcome.strategyState, 'strategy state');
      const aggregator = checkId(outcome.aggregator, 'aggregator');
      const fusionSeconds = checkFinite(outcome.fusionSeconds, 'fusionSeconds');
      if (fusionSeconds < 0) throw new FedfuseError('invalid_argument', `fusionSeconds must not be negative, got ${fusionSeconds}`);
      const metrics = encodeJson(outcome.metrics, 'round metrics');
      const at = checkTime(outcome.at ?? this.now(), 'at');
      const evaluations = (outcome.evaluations ?? []).map((e) => checkEvaluation({ ...e, runId, round, at }, this.now));

      const run = await this.requireRun(c, runId, 'FOR UPDATE');
      const current = await this.requireRound(c, runId, round, 'FOR UPDATE');
      if (current.state !== 'open' && current.state !== 'aggregating') {
        throw new FedfuseError('wrong_round', `round ${round} of run "${runId}" is ${current.state}; it cannot be completed`);
      }
      if (run.state !== 'running') throw new FedfuseError('wrong_round', `run "${runId}" is ${run.state}`);

      // The writes below commit together or not at all.
      await this.insertGlobalModel(c, runId, round, model, at, trainingModel, strategyState);
      await c.query(`UPDATE rounds SET state = 'done', closed_at = $1, aggregator = $2, fusion_seconds = $3, metrics = $4 WHERE run_id = $5 AND round = $6`, [
        at,
        aggregator,
        fusionSeconds,
        metrics,
        runId,
        round,
      ]);
      const advanced = await c.query(`UPDATE runs SET current_round = $1 WHERE id = $2 AND current_round = $3`, [round, runId, round - 1]);
      if (advanced.rowCount !== 1) throw new FedfuseError('internal', `run "${runId}" is at round ${run.currentRound}, cannot advance it to ${round}`);
      for (const e of evaluations) await this.insertEvaluation(c, e);
      return this.requireRound(c, runId, round);
    });
  }

  // ------------------------------------------------------------- updates

  recordUpdate(update: NewUpdate): Promise<UpdateSummary> {
    return this.write('recordUpdate', async (c) => {
      const { runId, round, clientId } = update;
      checkId(clientId, 'client id');
      const numExamples = checkNonNegativeInteger(update.numExamples, 'numExamples');
      const model = checkBlob(update.model, 'update model');
      const attribution = update.attribution == null ? null : checkBlob(update.attribution, 'update attribution');
      const records = update.records == null ? null : checkBlob(update.records, 'update records');
      const clientMetrics = update.clientMetrics === undefined ? null : encodeJson(update.clientMetrics, 'client metrics');
      const receivedAt = checkTime(update.receivedAt ?? this.now(), 'receivedAt');

      // FOR SHARE: many updates insert at once, and the round cannot change state until they have committed.
      const current = await this.requireRound(c, runId, round, 'FOR SHARE');
      if (current.state !== 'open') throw new FedfuseError('wrong_round', `round ${round} of run "${runId}" is ${current.state}; it no longer accepts updates`);
      if ((await this.one(c, `SELECT 1 FROM clients WHERE id = $1`, [clientId])) === undefined) {
        throw new FedfuseError('unknown_client', `client "${clientId}" is not known`);
      }
      const byteSize = model.byteLength + (attribution?.byteLength ?? 0);
      try {
        const row = await this.one<UpdateSummaryRow>(
          c,
          `INSERT INTO updates (run_id, round, client_id, received_at, num_examples, client_metrics, byte_size, model, attribution, records)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${UPDATE_SUMMARY_COLUMNS}`,
          [runId, round, clientId, receivedAt, numExamples, clientMetrics, byteSize, model, attribution, records],
        );
        if (row === undefined) throw new FedfuseError('internal', 'update vanished right after insert');
        return toUpdateSummary(row);
      } catch (e) {
        if (isUniqueViolation(e, 'updates_pkey')) {
          throw new FedfuseError('duplicate', `client "${clientId}" already sent an update for round ${round} of run "${runId}"`, { cause: e });
        }
        throw e;
      }
    });
  }

  getUpdate(runId: string, round: number, clientId: string): Promise<UpdateRecord | undefined> {
    return this.read('getUpdate', async (q) =>
      mapOne(
        await this.one<UpdateRow>(q, `SELECT ${UPDATE_SUMMARY_COLUMNS}, model, attribution, records FROM updates WHERE run_id = $1 AND round = $2 AND client_id = $3`, [
          runId,
          round,
          clientId,
        ]),
        toUpdateRecord,
      ),
    );
  }

  listUpdates(runId: string, round: number): Promise<UpdateSummary[]> {
    return this.read('listUpdates', async (q) =>
      (await q.query<UpdateSummaryRow>(`SELECT ${UPDATE_SUMMARY_COLUMNS} FROM updates WHERE run_id = $1 AND round = $2 ORDER BY received_at, seq`, [runId, round])).rows.map(
        toUpdateSummary,
      ),
    );
  }

  listUpdatesWithBlobs(runId: string, round: number): Promise<UpdateRecord[]> {
    return this.read('listUpdatesWithBlobs', async (q) =>
      (
        await q.query<UpdateRow>(`SELECT ${UPDATE_SUMMARY_COLUMNS}, model, attribution, records FROM updates WHERE run_id = $1 AND round = $2 ORDER BY received_at, seq`, [
          runId,
          round,
        ])
      ).rows.map(toUpdateRecord),
    );
  }

  countUpdates(runId: string, round: number): Promise<number> {
    return this.read('countUpdates', async (q) => (await this.one<{ n: number }>(q, `SELECT count(*) AS n FROM updates WHERE run_id = $1 AND round = $2`, [runId, round]))?.n ?? 0);
  }

  hasUpdate(runId: string, round: number, clientId: string): Promise<boolean> {
    return this.read(
      'hasUpdate',
      async (q) => (await this.one(q, `SELECT 1 FROM updates WHERE run_id = $1 AND round = $2 AND client_id = $3`, [runId, round, clientId])) !== undefined,
    );
  }

  // ------------------------------------------------------- global models

  saveGlobalModel(runId: string, round: number, model: Uint8Array, at?: number): Promise<GlobalModelRecord> {
    return this.write('saveGlobalModel', async (c) => {
      if (round !== 0) {
        throw new FedfuseError('invalid_argument', `saveGlobalModel stores the initial model (round 0); round ${round}'s model is stored by completeRound`);
      }
      const blob = checkBlob(model, 'global model');
      const createdAt = checkTime(at ?? this.now(), 'at');
      await this.requireRun(c, runId);
      await this.insertGlobalModel(c, runId, round, blob, createdAt);
      const stored = await this.one<GlobalModelRow>(c, `SELECT ${GLOBAL_MODEL_COLUMNS} FROM global_models WHERE run_id = $1 AND round = $2`, [runId, round]);
      if (!stored) throw new FedfuseError('internal', 'global model vanished right after insert');
      return toGlobalModelRecord(stored);
    });
  }

  getGlobalModel(runId: string, round: number): Promise<GlobalModelRecord | undefined> {
    return this.read('getGlobalModel', async (q) =>
      mapOne(await this.one<GlobalModelRow>(q, `SELECT ${GLOBAL_MODEL_COLUMNS} FROM global_models WHERE run_id = $1 AND round = $2`, [runId, round]), toGlobalModelRecord),
    );
  }

  latestGlobalModel(runId: string): Promise<GlobalModelRecord | undefined> {
    return this.read('latestGlobalModel', async (q) =>
      mapOne(
        await this.one<GlobalModelRow>(q, `SELECT ${GLOBAL_MODEL_COLUMNS} FROM global_models WHERE run_id = $1 ORDER BY round DESC LIMIT 1`, [runId]),
        toGlobalModelRecord,
      ),
    );
  }

  // --------------------------------------------------------- evaluations

  recordEvaluation(evaluation: NewEvaluation): Promise<EvaluationRecord> {
    return this.write('recordEvaluation', async (c) => {
      const checked = checkEvaluation(evaluation, this.now);
      if ((await this.one(c, `SELECT 1 FROM global_models WHERE run_id = $1 AND round = $2`, [checked.runId, checked.round])) === undefined) {
        throw new FedfuseError('invalid_argument', `run "${checked.runId}" has no global model for round ${checked.round} to evaluate`);
      }
      await this.insertEvaluation(c, checked);
      const stored = await this.one<EvaluationRow>(c, `SELECT ${EVALUATION_COLUMNS} FROM evaluations WHERE run_id = $1 AND round = $2 AND dataset = $3`, [
        checked.runId,
        checked.round,
        checked.dataset,
      ]);
      if (!stored) throw new FedfuseError('internal', 'evaluation vanished right after insert');
      return toEvaluationRecord(stored);
    });
  }

  listEvaluations(runId: string): Promise<EvaluationRecord[]> {
    return this.read('listEvaluations', async (q) =>
      (await q.query<EvaluationRow>(`SELECT ${EVALUATION_COLUMNS} FROM evaluations WHERE run_id = $1 ORDER BY round, dataset COLLATE "C"`, [runId])).rows.map(toEvaluationRecord),
    );
  }

  // --------------------------------------------------------- maintenance

  integrityCheck(): Promise<string> {
    return this.read('integrityCheck', async (q) => {
      const problems = await integrityProblems(q);
      return problems.length === 0 ? 'ok' : problems.join('\n');
    });
  }

  close(): Promise<void> {
    if (this.ending === null) {
      this.closed = true;
      this.ending = this.pool.end().then(this.onClose, this.onClose);
    }
    return this.ending;
  }

  // ------------------------------------------------------------- helpers

  /** Runs `fn` in one transaction on one connection; any error rolls it back and comes out typed. */
  private async write<T>(operation: string, fn: (client: PoolClient) => Promise<T>): Promise<T> {
    this.requireOpen(operation);
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (e) {
      throw toPostgresStoreError(e, operation);
    }
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (e) {
      await client.query('ROLLBACK').catch((rollbackError: unknown) => {
        // The connection is gone or confused: drop it from the pool instead of reusing it.
        broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
      });
      throw toPostgresStoreError(e, operation);
    } finally {
      client.release(broken);
    }
  }

  private async read<T>(operation: string, fn: (q: Queryable) => Promise<T>): Promise<T> {
    this.requireOpen(operation);
    try {
      return await fn(this.pool);
    } catch (e) {
      throw toPostgresStoreError(e, operation);
    }
  }

  private requireOpen(operation: string): void {
    if (this.closed) throw new FedfuseError('unavailable', `store ${operation} failed: the store is closed`);
  }

  private async one<R extends QueryResultRow>(q: Queryable, text: string, values: unknown[] = []): Promise<R | undefined> {
    return (await q.query<R>(text, values)).rows[0];
  }

  private async requireRun(q: Queryable, runId: string, lock: '' | 'FOR UPDATE' = ''): Promise<RunRecord> {
    const row = await this.one<RunRow>(q, `SELECT ${RUN_COLUMNS} FROM runs WHERE id = $1 ${lock}`, [runId]);
    if (!row) throw new FedfuseError('invalid_argument', `run "${runId}" does not exist`);
    return toRunRecord(row);
  }

  private async requireRound(q: Queryable, runId: string, round: number, lock: '' | 'FOR UPDATE' | 'FOR SHARE' = ''): Promise<RoundRecord> {
    const row = await this.one<RoundRow>(q, `SELECT ${ROUND_COLUMNS} FROM rounds WHERE run_id = $1 AND round = $2 ${lock}`, [runId, round]);
    if (row) return toRoundRecord(row);
    await this.requireRun(q, runId);
    throw new FedfuseError('wrong_round', `round ${round} of run "${runId}" was never opened`);
  }

  private async insertGlobalModel(
    c: PoolClient,
    runId: string,
    round: number,
    model: Uint8Array,
    at: number,
    trainingModel: Uint8Array | null = null,
    strategyState: Uint8Array | null = null,
  ): Promise<void> {
    try {
      await c.query(
        `INSERT INTO global_models (run_id, round, created_at, byte_size, model, training_model, strategy_state) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [runId, round, at, model.byteLength, model, trainingModel, strategyState],
      );
    } catch (e) {
      if (isUniqueViolation(e, 'global_models_pkey')) throw new FedfuseError('duplicate', `run "${runId}" already has a global model for round ${round}`, { cause: e });
      throw e;
    }
  }

  private async insertEvaluation(c: PoolClient, e: CheckedEvaluation): Promise<void> {
    try {
      await c.query(`INSERT INTO evaluations (run_id, round, dataset, accuracy, loss, samples, extra, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, [
        e.runId,
        e.round,
        e.dataset,
        e.accuracy,
        e.loss,
        e.samples,
        e.extraJson,
        e.at,
      ]);
    } catch (err) {
      if (isUniqueViolation(err, 'evaluations_pkey')) {
        throw new FedfuseError('duplicate', `run "${e.runId}" already has an evaluation of round ${e.round} on "${e.dataset}"`, { cause: err });
      }
      throw err;
    }
  }
}

function mapOne<R, T>(row: R | undefined, map: (row: R) => T): T | undefined {
  return row === undefined ? undefined : map(row);
}
