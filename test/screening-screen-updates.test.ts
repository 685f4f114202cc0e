import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../common/backend/index.ts';
import { DEFAULT_SCREENING_OPTIONS, resolveScreeningOptions, screenUpdates, type ScreeningOptions } from '../server/screening/index.ts';
import { globalModel, HONEST_CLIENTS, honestUpdates, randomWeights, scaled, screeningSplit } from './screening-fixtures.ts';

const calibration = (): Float32Array => screeningSplit().calibration.images;

before(async () => {
  await initBackend();
});

describe('screenUpdates', () => {
  test('honest updates from a Dirichlet 0.1 split all pass', async () => {
    const honest = await honestUpdates();
    const report = await screenUpdates(honest, globalModel(), calibration(), DEFAULT_SCREENING_OPTIONS);
    assert.equal(report.relativeRulesApplied, true);
    assert.deepEqual(report.updates.map((u) => u.rejection), honest.map(() => null));
    // The label skew is real: some honest client barely agrees with the others (why agreement is not a default rule).
    assert.ok(Math.min(...report.updates.map((u) => u.agreement)) < 0.5);
  });

  test('a random-weights update and a x100-scaled update among honest ones are rejected, each with its reason', async () => {
    const honest = await honestUpdates();
    const updates = [...honest, randomWeights(), scaled(honest[0]!, 100)];
    const report = await screenUpdates(updates, globalModel(), calibration(), DEFAULT_SCREENING_OPTIONS);
    const rules = report.updates.map((u) => u.rejection?.rule ?? null);
    assert.deepEqual(rules, [...honest.map(() => null), 'distance_outlier', 'far_from_global']);
    const random = report.updates[HONEST_CLIENTS]!;
    assert.match(random.rejection!.reason, /x the round's median distance/);
    assert.ok(random.distanceRatio > DEFAULT_SCREENING_OPTIONS.maxDistanceRatio);
    assert.match(report.updates[HONEST_CLIENTS + 1]!.rejection!.reason, /x the global model's norm/);
  });

  test('with fewer updates than minUpdatesForRelative only the absolute rules apply', async () => {
    const honest = await honestUpdates();
    const report = await screenUpdates([honest[0]!, randomWeights(), scaled(honest[1]!, 100)], globalModel(), calibration(), DEFAULT_SCREENING_OPTIONS);
    assert.equal(report.relativeRulesApplied, false);
    // The random model is no longer judged against its peers; the scaled one still breaks the absolute rule.
    assert.deepEqual(report.updates.map((u) => u.rejection?.rule ?? null), [null, null, 'far_from_global']);
  });

  test('an update with infinite outputs is rejected as non-finite', async () => {
    const honest = await honestUpdates();
    const report = await screenUpdates([...honest, scaled(honest[2]!, 1e30)], globalModel(), calibration(), DEFAULT_SCREENING_OPTIONS);
    const last = report.updates.at(-1)!;
    assert.equal(last.finiteOutputs, false);
    assert.equal(last.rejection?.rule, 'non_finite_outputs');
    // The honest ones are unaffected by it (it is left out of their agreement ensembles).
    assert.ok(report.updates.slice(0, -1).every((u) => u.rejection === null && Number.isFinite(u.agreement)));
  });

  test('thresholds decide: a lower distance ratio limit rejects the largest honest update, minAgreement the least agreeing', async () => {
    const honest = await honestUpdates();
    const strict: ScreeningOptions = { ...DEFAULT_SCREENING_OPTIONS, maxDistanceRatio: 1.01, maxDistanceZ: 0.01 };
    const byDistance = await screenUpdates(honest, globalModel(), calibration(), strict);
    const largest = byDistance.updates.reduce((best, u, k) => (u.distance > byDistance.updates[best]!.distance ? k : best), 0);
    assert.equal(byDistance.updates[largest]!.rejection?.rule, 'distance_outlier');

    const agreements = byDistance.updates.map((u) => u.agreement);
    const least = agreements.indexOf(Math.min(...agreements));
    const byAgreement = await screenUpdates(honest, globalModel(), calibration(), { ...DEFAULT_SCREENING_OPTIONS, minAgreement: agreements[least]! + 1e-9 });
    assert.equal(byAgreement.updates[least]!.rejection?.rule, 'disagrees_with_others');
  });

  test('screens on at most `samples` calibration samples', async () => {
    const honest = await honestUpdates();
    const report = await screenUpdates(honest.slice(0, 2), globalModel(), calibration(), { ...DEFAULT_SCREENING_OPTIONS, samples: 50 });
    assert.equal(report.samples, 50);
  });
});

describe('resolveScreeningOptions', () => {
  test('defaults are on, and given values override them', () => {
    assert.deepEqual(resolveScreeningOptions(), DEFAULT_SCREENING_OPTIONS);
    assert.equal(DEFAULT_SCREENING_OPTIONS.enabled, true);
    assert.equal(resolveScreeningOptions({ enabled: false, maxDistanceRatio: 6 }).maxDistanceRatio, 6);
  });

  const bad: [string, Partial<ScreeningOptions>][] = [
    ['samples', { samples: 0 }],
    ['maxDistanceRatio', { maxDistanceRatio: 1 }],
    ['maxDistanceZ', { maxDistanceZ: -1 }],
    ['maxDistanceToGlobalNorm', { maxDistanceToGlobalNorm: Number.NaN }],
    ['minUpdatesForRelative', { minUpdatesForRelative: 2 }],
    ['minAgreement', { minAgreement: 1.5 }],
  ];
  for (const [name, given] of bad) {
    test(`refuses a bad ${name}`, () => {
      assert.throws(() => resolveScreeningOptions(given), (e: Error & { code?: string }) => e.code === 'invalid_argument' && e.message.includes(name));
    });
  }
});
