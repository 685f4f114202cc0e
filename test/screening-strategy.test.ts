import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../common/backend/index.ts';
import type { Network } from '../common/model/network.ts';
import { createFusionStrategy, createInProcessFusionExecutor, type FusionStrategyOptions, type ScreenedOutUpdate } from '../server/aggregation/index.ts';
import { EMPTY_RECORDS } from '../common/records/index.ts';
import { initialGlobalState, type FitResult } from '../server/rounds/index.ts';
import type { ScreeningOptions } from '../server/screening/index.ts';
import { globalModel, honestUpdates, randomWeights, scaled, screeningSplit } from './screening-fixtures.ts';

function executor() {
  const split = screeningSplit();
  return createInProcessFusionExecutor({
    calibration: split.calibration.images,
    test: { images: split.test.images, labels: split.test.labels, count: split.test.count, name: 'mnist-test' },
  });
}

function strategy(screening?: Partial<ScreeningOptions>) {
  const options: FusionStrategyOptions = {
    aggregator: 'fedavg',
    importance: 'uniform',
    training: { epochs: 1, batchSize: 32, learningRate: 0.001, optimizer: 'adam', proximalMu: 0, attributionMethod: 'uniform', attributionSamples: 0 },
    sampling: { fractionFit: 1, minFitClients: 1 },
    seed: 0,
    ...(screening !== undefined ? { screening } : {}),
  };
  return createFusionStrategy(options, executor());
}

function fitResults(networks: readonly Network[], ids: readonly string[]): FitResult[] {
  return networks.map((network, k) => ({ clientId: ids[k]!, network, attribution: null, numExamples: 100 + k, labelHistogram: null, metrics: {}, records: EMPTY_RECORDS, taskRecords: EMPTY_RECORDS, localSteps: 0 }));
}

/** FedAvg of some of the results, as the executor computes it: what the strategy must have fused. */
async function fedavgOf(results: readonly FitResult[]): Promise<Network> {
  const { network } = await executor().aggregate({ method: 'fedavg', parents: results.map((r) => r.network), importances: null, importance: 'uniform', numExamples: results.map((r) => r.numExamples), seed: 0 });
  return network;
}

function assertSameWeights(a: Network, b: Network): void {
  a.layers.forEach((l, i) => assert.deepEqual(l.kernel, b.layers[i]!.kernel, `layer ${i} kernel`));
}

before(async () => {
  await initBackend();
});

describe('the fusion strategy screens updates before fusing', () => {
  const ids = ['h0', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'h7', 'random', 'scaled'];

  async function poisonedRound(): Promise<FitResult[]> {
    const honest = await honestUpdates();
    return fitResults([...honest, randomWeights(), scaled(honest[3]!, 100)], ids);
  }

  test('rejected updates are left out of the fusion and listed with their reasons in the metrics', async () => {
    const results = await poisonedRound();
    const s = strategy();
    const outcome = await s.aggregateFit(1, initialGlobalState(globalModel()), results, []);
    assert.ok(outcome.served !== null);
    assertSameWeights(outcome.served, await fedavgOf(results.slice(0, 8)));
    const screening = outcome.metrics['screening'] as { rejected: ScreenedOutUpdate[]; updates: { clientId: string; rejected: string | null }[] };
    assert.deepEqual(screening.rejected.map((r) => [r.clientId, r.rule]), [['random', 'distance_outlier'], ['scaled', 'far_from_global']]);
    for (const r of screening.rejected) assert.match(r.reason, /^screening: /);
    assert.equal(screening.updates.length, 10);
    assert.deepEqual(screening.updates.filter((u) => u.rejected === null).map((u) => u.clientId), ids.slice(0, 8));

    // The ensemble the fused model is compared with is that of the fused updates only.
    const evaluated = await s.evaluate(1, { served: outcome.served, training: null }, results);
    const honestOnly = await executor().evaluate(outcome.served, results.slice(0, 8).map((r) => r.network));
    assert.equal(evaluated.metrics['ensembleAccuracy'], honestOnly!.ensembleAccuracy);
  });

  test('with screening off every update is fused', async () => {
    const results = await poisonedRound();
    const outcome = await strategy({ enabled: false }).aggregateFit(1, initialGlobalState(globalModel()), results, []);
    assertSameWeights(outcome.served!, await fedavgOf(results));
    assert.deepEqual(outcome.metrics['screening'], { enabled: false });
  });

  test('a round of one update is screened by the absolute rules only, and what cannot be measured is recorded as null', async () => {
    const honest = await honestUpdates();
    const outcome = await strategy().aggregateFit(1, initialGlobalState(globalModel()), fitResults([honest[0]!], ['alone']), []);
    assert.ok(outcome.served !== null);
    const screening = outcome.metrics['screening'] as { relativeRulesApplied: boolean; updates: { agreement: number | null; distanceRatio: number | null }[] };
    assert.equal(screening.relativeRulesApplied, false);
    assert.equal(screening.updates[0]!.agreement, null);
    assert.equal(screening.updates[0]!.distanceRatio, 1);
  });

  test('when screening rejects every update the round fails with the reasons instead of fusing nothing', async () => {
    const honest = await honestUpdates();
    const results = fitResults([scaled(honest[0]!, 100), scaled(honest[1]!, 1000)], ['a', 'b']);
    const outcome = await strategy().aggregateFit(1, initialGlobalState(globalModel()), results, []);
    assert.equal(outcome.served, null);
    assert.match(outcome.reason!, /^screening rejected all 2 updates \(a: screening: moved .* b: screening: moved/);
    const screening = outcome.metrics['screening'] as { rejected: ScreenedOutUpdate[] };
    assert.deepEqual(screening.rejected.map((r) => r.clientId), ['a', 'b']);
  });
});
