import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { MethodResult } from '../scripts/bench/fusion-cases.ts';
import { markdownTable, points } from '../scripts/bench/markdown-table.ts';
import type { ProtocolRun } from '../scripts/bench/protocol-runs.ts';
import { compareImportances, protocolTable } from '../scripts/bench/protocol-tables.ts';
import { growthExponent, type ScalingPoint } from '../scripts/bench/section-scaling.ts';
import { spread } from '../scripts/bench/stats.ts';
import { checkTargets } from '../scripts/bench/targets.ts';

/** The arithmetic behind the benchmark's tables and target verdicts, on made-up measurements. */

function result(label: string, accuracy: number, fusionSeconds = 1): MethodResult {
  return { label, accuracy, fusionSeconds, report: { totalSeconds: fusionSeconds, hiddenWidths: [256], levelSeconds: [] } };
}

function run(seed: number, k: number, ensemble: number, methods: MethodResult[]): ProtocolRun {
  return { variant: 'independent', seed, k, clientSizes: [], trainSeconds: 0, parentAccuracies: [0.8, 0.9], ensemble, methods };
}

function scalingPoint(parents: number, seconds: number): ScalingPoint {
  return {
    parents,
    calibrationSamples: 400,
    secondsMedian: seconds,
    secondsMin: seconds,
    seconds: [seconds],
    hiddenLevel: { forward: 0, factorisation: 0, grouping: 0, solve: 0, kmeansIterations: 0 },
    accuracy: 0.9,
    ensemble: 0.9,
    parentMean: 0.8,
  };
}

describe('bench-fusion helpers', () => {
  test('growth exponent: 1 for linear time, 2 for quadratic, 0 for constant', () => {
    const ks = [2, 4, 8, 16, 32];
    assert.ok(Math.abs(growthExponent(ks.map((k) => scalingPoint(k, 0.1 * k))) - 1) < 1e-9);
    assert.ok(Math.abs(growthExponent(ks.map((k) => scalingPoint(k, 0.01 * k * k))) - 2) < 1e-9);
    assert.ok(Math.abs(growthExponent(ks.map((k) => scalingPoint(k, 3)))) < 1e-9);
  });

  test('spread: mean, extremes and sample standard deviation', () => {
    const s = spread([1, 2, 3, 4]);
    assert.equal(s.mean, 2.5);
    assert.equal(s.min, 1);
    assert.equal(s.max, 4);
    assert.ok(Math.abs(s.std - Math.sqrt(5 / 3)) < 1e-12);
    assert.equal(spread([7]).std, 0);
  });

  test('importance comparison pairs each method with uniform KF-linear of the same seed and k', () => {
    const runs = [
      run(0, 4, 0.9, [result('kf-linear (uniform)', 0.8), result('kf-linear (conductance, clients)', 0.83)]),
      run(1, 4, 0.9, [result('kf-linear (uniform)', 0.85), result('kf-linear (conductance, clients)', 0.84)]),
      run(0, 8, 0.9, [result('kf-linear (uniform)', 0.5), result('kf-linear (conductance, clients)', 0.9)]),
    ];
    const [k4] = compareImportances(runs, [4]);
    assert.equal(k4!.label, 'kf-linear (conductance, clients)');
    assert.deepEqual(k4!.deltas.map((d) => Math.round(d * 1000)), [30, -10]);
    assert.equal(points(0.015), '+1.5');
    assert.equal(points(-0.004), '-0.4');
  });

  test('targets: the averaging gap and the ensemble gap are judged on the mean over seeds', () => {
    const runs = [4, 8].flatMap((k) => [
      run(0, k, 0.92, [result('average', 0.7), result('kf-linear (uniform)', 0.9)]),
      run(1, k, 0.95, [result('average', 0.8), result('kf-linear (uniform)', 0.9)]),
    ]);
    const checks = checkTargets(runs, [scalingPoint(2, 1), scalingPoint(8, 6)], []);
    const averaging = checks.filter((c) => c.target.includes('average'));
    // Gaps +20 and +10 points: mean +15, which meets ">= +15".
    assert.deepEqual(averaging.map((c) => c.met), [true, true]);
    const ensemble = checks.filter((c) => c.target.includes('ensemble'));
    // Gaps -2 and -5 points: mean -3.5, outside "within 3 points".
    assert.deepEqual(ensemble.map((c) => c.met), [false, false]);
    assert.equal(checks.find((c) => c.target.includes('≤ 5 s'))!.met, false);
    // 1 s -> 6 s for 4x the parents: exponent log(6)/log(4) ~ 1.29 > 1.
    assert.equal(checks.find((c) => c.target.includes('linearly'))!.met, false);
  });

  test('tables: numbers right-aligned, text left-aligned, one row per method plus parents and ensemble', () => {
    const table = markdownTable(['name', 'value'], [['a', '1.0'], ['bb', '22.5']]);
    assert.equal(table, '| name | value |\n| ---- | ----: |\n| a    |   1.0 |\n| bb   |  22.5 |');
    const runs = [run(0, 2, 0.9, [result('average', 0.5, 0.01), result('kf-linear (uniform)', 0.88, 1.5)])];
    const lines = protocolTable(runs, [2]).split('\n');
    assert.equal(lines.length, 2 + 4);
    assert.match(lines.find((l) => l.includes('kf-linear'))!, /\| +88\.0 \| +1\.50 \|$/);
  });
});
