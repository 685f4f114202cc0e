import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { AsyncRoundStore } from '../server/store/index.ts';
import { assertRejectsCode, assertSameBytes, patternBytes, seedOpenRoundAsync } from './store-fixtures.ts';

/**
 * The behaviour every store must have, whatever keeps the data (Flower's
 * linkstate_test pattern): `describeRoundStoreContract('SQLite file', factory)`
 * for SQLite (file and :memory:) and PostgreSQL alike, through the async
 * contract (AsyncRoundStore). The factory returns a fresh, empty store for
 * each test.
 */
export function describeRoundStoreContract(backend: string, makeStore: () => Promise<AsyncRoundStore>): void {
  describe(`RoundStore contract: ${backend}`, () => {
    let store: AsyncRoundStore;
    beforeEach(async () => {
      store = await makeStore();
    });
    afterEach(async () => {
      await store.close();
    });

    describe('runs', () => {
      test('createRun round-trips config, model spec and the initial model as global model 0', async () => {
        const initialModel = patternBytes(4097, 7);
        const config = { rounds: 5, fusion: { method: 'kf-linear', ridge: 1e-3 }, tags: ['a', null, true] };
        const modelSpec = { inputShape: [28, 28, 1], layers: [{ kind: 'flatten' }], outputActivation: 'softmax' };
        const created = await store.createRun({ id: 'r1', config, modelSpec, initialModel, createdAt: 1_700_000_000_123 });
        const expected = {
          id: 'r1',
          createdAt: 1_700_000_000_123,
          config,
          modelSpec,
          state: 'running',
          currentRound: 0,
          endedAt: null,
          failureReason: null,
        };
        assert.deepEqual(created, expected);
        assert.deepEqual(await store.getRun('r1'), expected);
        const model0 = await store.getGlobalModel('r1', 0);
        assert.equal(model0?.round, 0);
        assert.equal(model0?.byteSize, 4097);
        assertSameBytes(model0?.model, initialModel, 'initial model');
      });

      test('a run without an initial model has no global model until one is saved', async () => {
        await store.createRun({ id: 'r1', config: {}, modelSpec: {} });
        assert.equal(await store.latestGlobalModel('r1'), undefined);
        const saved = await store.saveGlobalModel('r1', 0, patternBytes(10), 42);
        assert.deepEqual({ round: saved.round, createdAt: saved.createdAt, byteSize: saved.byteSize }, { round: 0, createdAt: 42, byteSize: 10 });
        assertSameBytes((await store.latestGlobalModel('r1'))?.model, patternBytes(10));
      });

      test('a second run with the same id is a duplicate and leaves the first untouched', async () => {
        await store.createRun({ id: 'r1', config: { v: 1 }, modelSpec: {} });
        await assertRejectsCode(() => store.createRun({ id: 'r1', config: { v: 2 }, modelSpec: {}, initialModel: patternBytes(5) }), 'duplicate');
        assert.deepEqual((await store.getRun('r1'))?.config, { v: 1 });
        assert.equal(await store.getGlobalModel('r1', 0), undefined);
      });

      test('config that JSON cannot represent faithfully is refused', async () => {
        await assertRejectsCode(() => store.createRun({ id: 'r1', config: { lr: Number.NaN }, modelSpec: {} }), 'invalid_argument', /non-finite/);
        await assertRejectsCode(() => store.createRun({ id: 'r1', config: undefined, modelSpec: {} }), 'invalid_argument');
        await assertRejectsCode(() => store.createRun({ id: '', config: {}, modelSpec: {} }), 'invalid_argument');
        assert.deepEqual(await store.listRuns(), []);
      });

      test('listRuns is newest first; latestRun and findRunningRun pick the newest (running) one', async () => {
        assert.equal(await store.latestRun(), undefined);
        assert.equal(await store.findRunningRun(), undefined);
        await store.createRun({ id: 'old', config: {}, modelSpec: {}, createdAt: 1000 });
        await store.createRun({ id: 'new', config: {}, modelSpec: {}, createdAt: 3000 });
        await store.createRun({ id: 'mid', config: {}, modelSpec: {}, createdAt: 2000 });
        assert.deepEqual((await store.listRuns()).map((r) => r.id), ['new', 'mid', 'old']);
        assert.equal((await store.latestRun())?.id, 'new');
        await store.setRunState('new', 'finished');
        assert.equal((await store.latestRun())?.id, 'new');
        assert.equal((await store.findRunningRun())?.id, 'mid');
      });

      test('setRunState records the end time and a failure reason, and clears them when running again', async () => {
        await store.createRun({ id: 'r1', config: {}, modelSpec: {} });
        const failed = await store.setRunState('r1', 'failed', 'calibration set missing');
        assert.equal(failed.state, 'failed');
        assert.equal(failed.failureReason, 'calibration set missing');
        assert.ok(typeof failed.endedAt === 'number' && failed.endedAt > 0);
        const resumed = await store.setRunState('r1', 'running');
        assert.deepEqual([resumed.state, resumed.endedAt, resumed.failureReason], ['running', null, null]);
        const finished = await store.setRunState('r1', 'finished', 'ignored');
        assert.deepEqual([finished.state, finished.failureReason], ['finished', null]);
        await assertRejectsCode(() => store.setRunState('r1', 'failed'), 'invalid_argument');
        await assertRejectsCode(() => store.setRunState('nope', 'finished'), 'invalid_argument', /does not exist/);
        assert.equal((await store.getRun('r1'))?.state, 'finished');
      });
    });

    describe('clients', () => {
      test('upsertClient inserts, then refreshes without moving first_seen or last_seen backwards', async () => {
        const first = await store.upsertClient({ id: 'c1', numExamples: 500, labelHistogram: [250, 250], tokenFingerprint: 'fp1', at: 1000 });
        assert.deepEqual(first, { id: 'c1', firstSeen: 1000, lastSeen: 1000, numExamples: 500, labelHistogram: [250, 250], tokenFingerprint: 'fp1' });
        const second = await store.upsertClient({ id: 'c1', numExamples: 600, at: 5000 });
        assert.deepEqual(second, { id: 'c1', firstSeen: 1000, lastSeen: 5000, numExamples: 600, labelHistogram: [250, 250], tokenFingerprint: 'fp1' });
        const late = await store.upsertClient({ id: 'c1', numExamples: 600, labelHistogram: null, tokenFingerprint: null, at: 2000 });
        assert.deepEqual(late, { id: 'c1', firstSeen: 1000, lastSeen: 5000, numExamples: 600, labelHistogram: null, tokenFingerprint: null });
        assert.deepEqual(await store.getClient('c1'), late);
      });

      test('touchClient advances last_seen only; an unknown client is unknown_client', async () => {
        await store.upsertClient({ id: 'c1', numExamples: 1, at: 1000 });
        await store.touchClient('c1', 9000);
        await store.touchClient('c1', 4000);
        assert.equal((await store.getClient('c1'))?.lastSeen, 9000);
        await assertRejectsCode(() => store.touchClient('ghost', 1), 'unknown_client');
        assert.equal(await store.getClient('ghost'), undefined);
      });

      test('invalid sightings are refused and listClients is ordered by id', async () => {
        await assertRejectsCode(() => store.upsertClient({ id: 'c1', numExamples: -1 }), 'invalid_argument');
        await assertRejectsCode(() => store.upsertClient({ id: 'c1', numExamples: 1, labelHistogram: [1, 2.5] }), 'invalid_argument');
        await assertRejectsCode(() => store.upsertClient({ id: 'c1', numExamples: 1, tokenFingerprint: '' }), 'invalid_argument');
        assert.equal(await store.getClient('c1'), undefined);
        await store.upsertClient({ id: 'b', numExamples: 1 });
        await store.upsertClient({ id: 'a', numExamples: 2 });
        assert.deepEqual((await store.listClients()).map((c) => c.id), ['a', 'b']);
      });
    });

    describe('token revocations', () => {
      test('revokeTokens stores one token or a whole client, oldest first, across no run at all', async () => {
        assert.deepEqual(await store.listTokenRevocations(), []);
        const whole = await store.revokeTokens({ clientId: 'c-1', at: 1_000 });
        assert.deepEqual(whole, { clientId: 'c-1', tokenId: null, revokedAt: 1_000 });
        const one = await store.revokeTokens({ clientId: 'c.2', tokenId: 'AbCdEfGhIjKlMnOpQrStUv', at: 2_000 });
        assert.deepEqual(one, { clientId: 'c.2', tokenId: 'AbCdEfGhIjKlMnOpQrStUv', revokedAt: 2_000 });
        // The same revocation twice is kept twice (harmless; the admin's history).
        await store.revokeTokens({ clientId: 'c-1', at: 3_000 });
        assert.deepEqual(await store.listTokenRevocations(), [whole, one, { clientId: 'c-1', tokenId: null, revokedAt: 3_000 }]);
      });

      test('revokeTokens refuses bad client and token ids as invalid_argument and stores nothing', async () => {
        await assertRejectsCode(() => store.revokeTokens({ clientId: '' }), 'invalid_argument', /clientId/);
        await assertRejectsCode(() => store.revokeTokens({ clientId: 'has space' }), 'invalid_argument', /clientId/);
        await assertRejectsCode(() => store.revokeTokens({ clientId: 'ok', tokenId: 'short' }), 'invalid_argument', /tokenId/);
        await assertRejectsCode(() => store.revokeTokens({ clientId: 'ok', at: -1 }), 'invalid_argument', /at/);
        assert.deepEqual(await store.listTokenRevocations(), []);
      });
    });

    describe('rounds', () => {
      test('openRound round-trips and listRounds orders by round', async () => {
        const { runId } = await seedOpenRoundAsync(store);
        const round = await store.getRound(runId, 1);
        assert.ok(round);
        assert.equal(round.attempt, 1);
        assert.equal(round.state, 'open');
        assert.deepEqual(round.sampledClientIds, ['c1', 'c2', 'c3']);
        assert.deepEqual([round.closedAt, round.failureReason, round.aggregator, round.fusionSeconds, round.metrics], [null, null, null, null, null]);
        await store.completeRound(runId, 1, { globalModel: patternBytes(8), aggregator: 'mean', fusionSeconds: 0.1, metrics: {} });
        const second = await store.openRound({ runId, round: 2, sampledClientIds: ['c2'], deadline: 123_456, attempt: 1, openedAt: 100_000 });
        assert.deepEqual([second.round, second.deadline, second.openedAt, second.sampledClientIds], [2, 123_456, 100_000, ['c2']]);
        assert.deepEqual((await store.listRounds(runId)).map((r) => [r.round, r.state]), [[1, 'done'], [2, 'open']]);
        assert.equal(await store.getRound(runId, 3), undefined);
      });

      test('only the next round of a running run can be opened, once', async () => {
        const { runId } = await seedOpenRoundAsync(store);
        const again = { runId, round: 1, sampledClientIds: ['c1'], deadline: 1, attempt: 1 };
        await assertRejectsCode(() => store.openRound(again), 'wrong_round', /already opened/);
        await assertRejectsCode(() => store.openRound({ ...again, round: 2 }), 'wrong_round', /next round is 1/);
        await assertRejectsCode(() => store.openRound({ ...again, runId: 'nope' }), 'invalid_argument');
        await assertRejectsCode(() => store.openRound({ ...again, sampledClientIds: ['c1', 'c1'] }), 'invalid_argument');
        await store.createRun({ id: 'done-run', config: {}, modelSpec: {} });
        await store.setRunState('done-run', 'finished');
        await assertRejectsCode(() => store.openRound({ ...again, runId: 'done-run' }), 'wrong_round', /finished/);
        assert.deepEqual(await store.listRounds('done-run'), []);
        assert.deepEqual((await store.getRound(runId, 1))?.sampledClientIds, ['c1', 'c2', 'c3']);
      });

      test('setRoundState moves between open and aggregating only', async () => {
        const { runId } = await seedOpenRoundAsync(store);
        assert.equal((await store.setRoundState(runId, 1, 'aggregating')).state, 'aggregating');
        assert.equal((await store.setRoundState(runId, 1, 'open')).state, 'open');
        // @ts-expect-error 'done' is only reachable through completeRound.
        await assertRejectsCode(() => store.setRoundState(runId, 1, 'done'), 'invalid_argument');
        await assertRejectsCode(() => store.setRoundState(runId, 2, 'aggregating'), 'wrong_round', /never opened/);
        await store.failRound(runId, 1, 'too few updates');
        await assertRejectsCode(() => store.setRoundState(runId, 1, 'open'), 'wrong_round', /failed/);
      });

      test('failRound records the reason and the failure history; the run keeps running', async () => {
        const { runId } = await seedOpenRoundAsync(store);
        const failed = await store.failRound(runId, 1, 'deadline passed with 1 of 3 updates', 77_000);
        assert.deepEqual([failed.state, failed.failureReason, failed.closedAt], ['failed', 'deadline passed with 1 of 3 updates', 77_000]);
        assert.equal((await store.getRun(runId))?.state, 'running');
        assert.deepEqual(await store.listRoundFailures(runId), [
          { runId, round: 1, attempt: 1, failedAt: 77_000, reason: 'deadline passed with 1 of 3 updates' },
        ]);
        await assertRejectsCode(() => store.failRound(runId, 1, 'again'), 'wrong_round');
        await assertRejectsCode(() => store.failRound(runId, 1, '  '), 'invalid_argument');
      });

      test('a failed round reopens as the next attempt, empty of the failed attempt\'s updates', async () => {
        const { runId } = await seedOpenRoundAsync(store);
        await store.recordUpdate({ runId, round: 1, clientId: 'c1', numExamples: 10, model: patternBytes(16) });
        await store.failRound(runId, 1, 'fusion diverged');
        const skipAhead = { runId, round: 1, sampledClientIds: ['c1', 'c2'], deadline: 9, attempt: 3 };
        await assertRejectsCode(() => store.openRound(skipAhead), 'wrong_round', /attempt 2/);
        const reopened = await store.openRound({ ...skipAhead, attempt: 2 });
        assert.deepEqual([reopened.attempt, reopened.state, reopened.failureReason, reopened.closedAt], [2, 'open', null, null]);
        assert.deepEqual(reopened.sampledClientIds, ['c1', 'c2']);
        assert.equal(await store.countUpdates(runId, 1), 0);
        await store.recordUpdate({ runId, round: 1, clientId: 'c1', numExamples: 10, model: patternBytes(16, 2) });
        assert.equal(await store.countUpdates(runId, 1), 1);
        assert.equal((await store.listRoundFailures(runId)).length, 1);
        await assertRejectsCode(() => store.openRound({ ...skipAhead, attempt: 3 }), 'wrong_round', /attempt 2 is open/);
      });
    });

    describe('updates', () => {
      test('recordUpdate stores blobs byte-exact; light listing has no blobs', async () => {
        const { runId } = await seedOpenRoundAsync(store);
        const model = patternBytes(123_457, 3);
        const attribution = patternBytes(801, 4);
        const summary = await store.recordUpdate({
          runId,
          round: 1,
          clientId: 'c2',
          numExamples: 640,
          model,
          attribution,
          clientMetrics: { trainLoss: 0.25, epochs: 2, phases: { trainMs: 1200 } },
          receivedAt: 5000,
        });
        const expectedSummary = {
          runId,
          round: 1,
          clientId: 'c2',
          receivedAt: 5000,
          numExamples: 640,
          clientMetrics: { trainLoss: 0.25, epochs: 2, phases: { trainMs: 1200 } },
          byteSize: 123_457 + 801,
          hasAttribution: true,
        };
        assert.deepEqual(summary, expectedSummary);
        await store.recordUpdate({ runId, round: 1, clientId: 'c1', numExamples: 10, model: patternBytes(9, 5), receivedAt: 6000 });

        const light = await store.listUpdates(runId, 1);
        assert.deepEqual(light[0], expectedSummary);
        assert.equal(light[1]?.hasAttribution, false);
        assert.equal(light[1]?.clientMetrics, null);
        assert.ok(!('model' in light[0]!) && !('attribution' in light[0]!), 'the light listing must not carry blobs');

        const full = await store.listUpdatesWithBlobs(runId, 1);
        assert.deepEqual(full.map((u) => u.clientId), ['c2', 'c1']);
        assertSameBytes(full[0]?.model, model, 'model');
        assertSameBytes(full[0]?.attribution, attribution, 'attribution');
        assert.equal(full[1]?.attribution, null);
        const one = await store.getUpdate(runId, 1, 'c2');
        assertSameBytes(one?.model, model, 'model from getUpdate');
        assert.equal(await store.getUpdate(runId, 1, 'c3'), undefined);
      });

      test('the records a client returned are stored byte-exact with its update; none reads back as null', async () => {
        const { runId } = await seedOpenRoundAsync(store);
        const records = patternBytes(4_099, 8);
        const model = patternBytes(1_000, 9);
        const summary = await store.recordUpdate({ runId, round: 1, clientId: 'c1', numExamples: 5, model, records, receivedAt: 10 });
        // byte_size counts model and attribution, as it always has; the light listing carries no records.
        assert.equal(summary.byteSize, 1_000);
        assert.ok(!('records' in (await store.listUpdates(runId, 1))[0]!));
        await store.recordUpdate({ runId, round: 1, clientId: 'c2', numExamples: 5, model, receivedAt: 11 });
        const full = await store.listUpdatesWithBlobs(runId, 1);
        assertSameBytes(full[0]?.records, records, 'records in the fusion input');
        assert.equal(full[1]?.records, null);
        assertSameBytes((await store.getUpdate(runId, 1, 'c1'))?.records, records, 'records from getUpdate');
        await assertRejectsCode(() => store.recordUpdate({ runId, round: 1, clientId: 'c3', numExamples: 5, model, records: new Uint8Array(0) }), 'invalid_argument');
        assert.equal(await store.hasUpdate(runId, 1, 'c3'), false);
      });

      test('a Uint8Array view into a larger buffer stores only its own bytes', async () => {
        const { runId } = await seedOpenRoundAsync(store);
        const backing = patternBytes(1000, 6);
        const view = backing.subarray(101, 358);
        await store.recordUpdate({ runId, round: 1, clientId: 'c1', numExamples: 1, model: view });
        assertSameBytes((await store.getUpdate(runId, 1, 'c1'))?.model, view);
      });

      test('countUpdates and hasUpdate', async () => {
        const { runId } = await seedOpenRoundAsync(store);
        assert.equal(await store.countUpdates(runId, 1), 0);
        assert.equal(await store.hasUpdate(runId, 1, 'c1'), false);
        await store.recordUpdate({ runId, round: 1, clientId: 'c1', numExamples: 1, model: patternBytes(4) });
        await store.recordUpdate({ runId, round: 1, clientId: 'c3', numExamples: 1, model: patternBytes(4) });
        assert.equal(await store.countUpdates(runId, 1), 2);
        assert.equal(await store.hasUpdate(runId, 1, 'c1'), true);
        assert.equal(await store.hasUpdate(runId, 1, 'c2'), false);
        assert.equal(await store.countUpdates(runId, 2), 0);
      });

      test('a second update from the same client in a round is a duplicate and changes nothing', async () => {
        const { runId } = await seedOpenRoundAsync(store);
        const original = patternBytes(2048, 10);
        await store.recordUpdate({ runId, round: 1, clientId: 'c1', numExamples: 100, model: original, clientMetrics: { n: 1 }, receivedAt: 1000 });
        const before = await store.listUpdates(runId, 1);
        await assertRejectsCode(
          () => store.recordUpdate({ runId, round: 1, clientId: 'c1', numExamples: 999, model: patternBytes(4096, 11), receivedAt: 2000 }),
          'duplicate',
          /c1/,
        );
        assert.deepEqual(await store.listUpdates(runId, 1), before);
        assertSameBytes((await store.getUpdate(runId, 1, 'c1'))?.model, original);
        assert.equal(await store.countUpdates(runId, 1), 1);
      });

      test('updates are refused unless the round is open and the client known', async () => {
        const { runId } = await seedOpenRoundAsync(store);
        const update = { runId, round: 1, clientId: 'c1', numExamples: 1, model: patternBytes(4) };
        await assertRejectsCode(() => store.recordUpdate({ ...update, clientId: 'ghost' }), 'unknown_client');
        await assertRejectsCode(() => store.recordUpdate({ ...update, round: 2 }), 'wrong_round', /never opened/);
        await assertRejectsCode(() => store.recordUpdate({ ...update, runId: 'nope' }), 'invalid_argument', /does not exist/);
        await assertRejectsCode(() => store.recordUpdate({ ...update, model: new Uint8Array(0) }), 'invalid_argument', /empty/);
        await assertRejectsCode(() => store.recordUpdate({ ...update, clientMetrics: { loss: Number.POSITIVE_INFINITY } }), 'invalid_argument');
        await store.setRoundState(runId, 1, 'aggregating');
        await assertRejectsCode(() => store.recordUpdate(update), 'wrong_round', /aggregating/);
        assert.equal(await store.countUpdates(runId, 1), 0);
      });
    });

    describe('completeRound', () => {
      test('stores the global model, marks the round done and advances the run, with evaluations', async () => {
        const { runId } = await seedOpenRoundAsync(store);
        await store.setRoundState(runId, 1, 'aggregating');
        const globalModel = patternBytes(50_001, 20);
        const metrics = { participants: ['c1', 'c2'], phases: { fusionMs: 812.5 }, screening: { rejected: [] } };
        const done = await store.completeRound(runId, 1, {
          globalModel,
          aggregator: 'kf-linear',
          fusionSeconds: 0.8125,
          metrics,
          evaluations: [
            { dataset: 'test', accuracy: 0.91, loss: 0.31, samples: 10_000, extra: { perClass: [0.9, 0.92] } },
            { dataset: 'calibration', accuracy: 0.95, loss: 0.2, samples: 400 },
          ],
          at: 88_000,
        });
        assert.deepEqual(
          [done.state, done.closedAt, done.aggregator, done.fusionSeconds, done.metrics, done.failureReason],
          ['done', 88_000, 'kf-linear', 0.8125, metrics, null],
        );
        assert.equal((await store.getRun(runId))?.currentRound, 1);
        const latest = await store.latestGlobalModel(runId);
        assert.equal(latest?.round, 1);
        assertSameBytes(latest?.model, globalModel);
        assertSameBytes((await store.getGlobalModel(runId, 1))?.model, globalModel);
        assert.deepEqual(await store.listEvaluations(runId), [
          { runId, round: 1, dataset: 'calibration', accuracy: 0.95, loss: 0.2, samples: 400, extra: null, createdAt: 88_000 },
          { runId, round: 1, dataset: 'test', accuracy: 0.91, loss: 0.31, samples: 10_000, extra: { perClass: [0.9, 0.92] }, createdAt: 88_000 },
        ]);
      });

      test('stores the training model and the strategy state with the served model, in the same row; absent ones read back as null', async () => {
        const { runId } = await seedOpenRoundAsync(store);
        const served = patternBytes(3_001, 30);
        const training = patternBytes(3_001, 31);
        const state = patternBytes(777, 32);
        await store.completeRound(runId, 1, { globalModel: served, trainingModel: training, strategyState: state, aggregator: 'kf-linear', fusionSeconds: 1, metrics: {} });
        const latest = (await store.latestGlobalModel(runId))!;
        assert.equal(latest.round, 1);
        assert.equal(latest.byteSize, 3_001, 'byteSize is the served model');
        assertSameBytes(latest.model, served, 'served');
        assertSameBytes(latest.trainingModel, training, 'training model');
        assertSameBytes(latest.strategyState, state, 'strategy state');
        const initial = (await store.getGlobalModel(runId, 0))!;
        assert.deepEqual([initial.trainingModel, initial.strategyState], [null, null]);

        await store.openRound({ runId, round: 2, sampledClientIds: ['c1'], deadline: 9_999_999, attempt: 1 });
        await store.completeRound(runId, 2, { globalModel: served, trainingModel: null, aggregator: 'fedavg', fusionSeconds: 1, metrics: {} });
        const second = (await store.getGlobalModel(runId, 2))!;
        assert.deepEqual([second.trainingModel, second.strategyState], [null, null]);
      });

      test('an empty training model or strategy state blob is refused and changes nothing', async () => {
        const { runId } = await seedOpenRoundAsync(store);
        for (const bad of [{ trainingModel: new Uint8Array(0) }, { strategyState: new Uint8Array(0) }]) {
          await assertRejectsCode(() => store.completeRound(runId, 1, { globalModel: patternBytes(10), ...bad, aggregator: 'mean', fusionSeconds: 1, metrics: {} }), 'invalid_argument');
        }
        assert.equal((await store.getRun(runId))?.currentRound, 0);
        assert.equal(await store.getGlobalModel(runId, 1), undefined);
      });

      test('a round is never completed twice', async () => {
        const { runId } = await seedOpenRoundAsync(store);
        const first = patternBytes(100, 1);
        await store.completeRound(runId, 1, { globalModel: first, aggregator: 'mean', fusionSeconds: 1, metrics: { n: 1 } });
        await assertRejectsCode(
          () => store.completeRound(runId, 1, { globalModel: patternBytes(100, 2), aggregator: 'mean', fusionSeconds: 1, metrics: { n: 2 } }),
          'wrong_round',
          /done/,
        );
        assertSameBytes((await store.getGlobalModel(runId, 1))?.model, first);
        assert.deepEqual((await store.getRound(runId, 1))?.metrics, { n: 1 });
        assert.equal((await store.getRun(runId))?.currentRound, 1);
      });

      test('is atomic: a constraint failing on its last write leaves round, run, models and evaluations as they were', async () => {
        const { runId } = await seedOpenRoundAsync(store);
        const roundBefore = await store.getRound(runId, 1);
        await assertRejectsCode(
          () =>
            store.completeRound(runId, 1, {
              globalModel: patternBytes(100),
              aggregator: 'mean',
              fusionSeconds: 1,
              metrics: {},
              // The second evaluation collides with the first on (run, round, dataset): the last INSERT fails.
              evaluations: [
                { dataset: 'test', accuracy: 0.5, loss: 1, samples: 10 },
                { dataset: 'test', accuracy: 0.6, loss: 1, samples: 10 },
              ],
            }),
          'duplicate',
          /evaluation/,
        );
        assert.deepEqual(await store.getRound(runId, 1), roundBefore);
        assert.equal((await store.getRun(runId))?.currentRound, 0);
        assert.equal(await store.getGlobalModel(runId, 1), undefined);
        assert.equal((await store.latestGlobalModel(runId))?.round, 0);
        assert.deepEqual(await store.listEvaluations(runId), []);
        // And the round can still be completed properly.
        await store.completeRound(runId, 1, { globalModel: patternBytes(100), aggregator: 'mean', fusionSeconds: 1, metrics: {} });
        assert.equal((await store.getRun(runId))?.currentRound, 1);
      });

      test('refuses a failed or never-opened round and bad outcomes', async () => {
        const { runId } = await seedOpenRoundAsync(store);
        const outcome = { globalModel: patternBytes(10), aggregator: 'mean', fusionSeconds: 1, metrics: {} };
        await assertRejectsCode(() => store.completeRound(runId, 2, outcome), 'wrong_round');
        await assertRejectsCode(() => store.completeRound(runId, 1, { ...outcome, fusionSeconds: -1 }), 'invalid_argument');
        await assertRejectsCode(() => store.completeRound(runId, 1, { ...outcome, globalModel: new Uint8Array(0) }), 'invalid_argument');
        await assertRejectsCode(
          () => store.completeRound(runId, 1, { ...outcome, evaluations: [{ dataset: 'test', accuracy: 1.5, loss: 0, samples: 1 }] }),
          'invalid_argument',
          /accuracy/,
        );
        await store.failRound(runId, 1, 'client dropped');
        await assertRejectsCode(() => store.completeRound(runId, 1, outcome), 'wrong_round', /failed/);
        assert.equal(await store.getGlobalModel(runId, 1), undefined);
        assert.equal((await store.getRun(runId))?.currentRound, 0);
      });
    });

    describe('global models and evaluations', () => {
      test('saveGlobalModel stores round 0 once; later rounds only through completeRound', async () => {
        await store.createRun({ id: 'r1', config: {}, modelSpec: {}, initialModel: patternBytes(10, 1) });
        await assertRejectsCode(() => store.saveGlobalModel('r1', 0, patternBytes(10, 2)), 'duplicate');
        assertSameBytes((await store.getGlobalModel('r1', 0))?.model, patternBytes(10, 1));
        await assertRejectsCode(() => store.saveGlobalModel('r1', 1, patternBytes(10, 2)), 'invalid_argument', /completeRound/);
        await assertRejectsCode(() => store.saveGlobalModel('nope', 0, patternBytes(10, 2)), 'invalid_argument');
        assert.equal(await store.getGlobalModel('r1', 1), undefined);
      });

      test('latestGlobalModel follows the completed rounds', async () => {
        const { runId, clientIds } = await seedOpenRoundAsync(store, { initialModel: patternBytes(10, 100) });
        assertSameBytes((await store.latestGlobalModel(runId))?.model, patternBytes(10, 100));
        for (let round = 1; round <= 3; round++) {
          if (round > 1) await store.openRound({ runId, round, sampledClientIds: clientIds, deadline: 1, attempt: 1 });
          await store.completeRound(runId, round, { globalModel: patternBytes(10, 100 + round), aggregator: 'mean', fusionSeconds: 0, metrics: null });
          const latest = await store.latestGlobalModel(runId);
          assert.equal(latest?.round, round);
          assertSameBytes(latest?.model, patternBytes(10, 100 + round));
        }
        assertSameBytes((await store.getGlobalModel(runId, 2))?.model, patternBytes(10, 102));
        assert.equal(await store.latestGlobalModel('nope'), undefined);
      });

      test('recordEvaluation round-trips, needs the global model, rejects duplicates', async () => {
        await store.createRun({ id: 'r1', config: {}, modelSpec: {}, initialModel: patternBytes(10) });
        const evaluation = { runId: 'r1', round: 0, dataset: 'test', accuracy: 0.1, loss: 2.3, samples: 10_000, extra: { note: 'untrained' }, at: 5 };
        assert.deepEqual(await store.recordEvaluation(evaluation), {
          runId: 'r1',
          round: 0,
          dataset: 'test',
          accuracy: 0.1,
          loss: 2.3,
          samples: 10_000,
          extra: { note: 'untrained' },
          createdAt: 5,
        });
        await assertRejectsCode(() => store.recordEvaluation({ ...evaluation, accuracy: 0.2 }), 'duplicate');
        await assertRejectsCode(() => store.recordEvaluation({ ...evaluation, round: 1 }), 'invalid_argument', /no global model/);
        await assertRejectsCode(() => store.recordEvaluation({ ...evaluation, dataset: 'x', loss: Number.NaN }), 'invalid_argument');
        assert.deepEqual((await store.listEvaluations('r1')).map((e) => [e.dataset, e.accuracy]), [['test', 0.1]]);
      });
    });

    describe('maintenance', () => {
      test('integrityCheck is ok on a used store', async () => {
        const { runId } = await seedOpenRoundAsync(store);
        await store.recordUpdate({ runId, round: 1, clientId: 'c1', numExamples: 1, model: patternBytes(70_000) });
        assert.equal(await store.integrityCheck(), 'ok');
      });

      test('timestamps default to the clock', async () => {
        const before = Date.now();
        const run = await store.createRun({ id: 'r1', config: {}, modelSpec: {} });
        const after = Date.now();
        assert.ok(run.createdAt >= before && run.createdAt <= after, `${run.createdAt} not in [${before}, ${after}]`);
      });

      test('after close every call is unavailable; close is idempotent', async () => {
        await store.createRun({ id: 'r1', config: {}, modelSpec: {} });
        await store.close();
        await store.close();
        await assertRejectsCode(() => store.getRun('r1'), 'unavailable', /closed/);
        await assertRejectsCode(() => store.createRun({ id: 'r2', config: {}, modelSpec: {} }), 'unavailable', /closed/);
      });
    });
  });
}
