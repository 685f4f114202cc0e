import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isFedfuseError } from '../common/errors/index.ts';
import { carveHoldout, partition } from '../common/data/index.ts';

/** class c repeated sizes[c] times, shuffled by a fixed LCG so that classes are spread over the index range. */
function makeLabels(sizes: readonly number[]): number[] {
  const labels = sizes.flatMap((n, c) => new Array<number>(n).fill(c));
  let x = 12345;
  for (let i = labels.length - 1; i > 0; i--) {
    x = (x * 1103515245 + 12345) % 2147483648;
    const j = x % (i + 1);
    [labels[i], labels[j]] = [labels[j]!, labels[i]!];
  }
  return labels;
}

function countsOf(labels: readonly number[], indices: readonly number[], classes: number): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (const i of indices) counts[labels[i]!]!++;
  return counts;
}

describe('carveHoldout', () => {
  const sizes = [500, 620, 480, 510, 400, 700, 530, 450, 560, 330];
  const labels = makeLabels(sizes);

  test('test, calibration and rest are disjoint, sorted, and cover every sample', () => {
    const { test: tst, calibration, rest } = carveHoldout(labels, { testSize: 1000, calibrationSize: 400, seed: 1 });
    assert.equal(tst.length, 1000);
    assert.equal(calibration.length, 400);
    assert.equal(rest.length, labels.length - 1400);
    const all = [...tst, ...calibration, ...rest];
    assert.equal(new Set(all).size, labels.length);
    assert.deepEqual(all.sort((a, b) => a - b), labels.map((_, i) => i));
    for (const set of [tst, calibration, rest]) {
      for (let k = 1; k < set.length; k++) assert.ok(set[k - 1]! < set[k]!);
    }
  });

  test('calibration is class-balanced, test follows the class proportions', () => {
    const { test: tst, calibration } = carveHoldout(labels, { testSize: 1000, calibrationSize: 405, seed: 2 });
    const cal = countsOf(labels, calibration, 10);
    assert.ok(Math.max(...cal) - Math.min(...cal) <= 1, `calibration per class ${cal}`);
    const tc = countsOf(labels, tst, 10);
    const total = labels.length - 405;
    sizes.forEach((n, c) => {
      const expected = (1000 * (n - cal[c]!)) / total;
      assert.ok(Math.abs(tc[c]! - expected) < 1, `class ${c}: ${tc[c]} test samples, expected ${expected.toFixed(1)}`);
    });
  });

  test('a class too small for its share gives all it has; the others make up the difference evenly', () => {
    const small = makeLabels([100, 100, 100, 7]);
    const { calibration } = carveHoldout(small, { testSize: 0, calibrationSize: 100, seed: 3 });
    const cal = countsOf(small, calibration, 4);
    assert.equal(cal[3], 7);
    assert.equal(cal[0]! + cal[1]! + cal[2]!, 93);
    assert.ok(Math.max(cal[0]!, cal[1]!, cal[2]!) - Math.min(cal[0]!, cal[1]!, cal[2]!) <= 1, `${cal}`);
  });

  test('same seed same sets, other seed other sets', () => {
    const a = carveHoldout(labels, { testSize: 300, calibrationSize: 200, seed: 5 });
    assert.deepEqual(carveHoldout(labels, { testSize: 300, calibrationSize: 200, seed: 5 }), a);
    const b = carveHoldout(labels, { testSize: 300, calibrationSize: 200, seed: 6 });
    assert.notDeepEqual(b.calibration, a.calibration);
    assert.notDeepEqual(b.test, a.test);
  });

  test('clients partitioned from rest never get a test or calibration sample', () => {
    const { test: tst, calibration, rest } = carveHoldout(labels, { testSize: 500, calibrationSize: 400, seed: 7 });
    const held = new Set([...tst, ...calibration]);
    const clients = partition(labels, 8, { kind: 'dirichlet', alpha: 0.5 }, 7, rest);
    const dealt = clients.flat();
    assert.equal(dealt.length, rest.length);
    for (const i of dealt) assert.ok(!held.has(i), `sample ${i} is held out but was dealt to a client`);
  });

  test('sizes that do not fit or are not counts are invalid_argument', () => {
    const bad = (options: { testSize: number; calibrationSize: number; seed: number }): void =>
      assert.throws(() => carveHoldout(labels, options), (e) => isFedfuseError(e, 'invalid_argument'));
    bad({ testSize: labels.length, calibrationSize: 1, seed: 1 });
    bad({ testSize: -1, calibrationSize: 10, seed: 1 });
    bad({ testSize: 10, calibrationSize: 2.5, seed: 1 });
    bad({ testSize: 10, calibrationSize: 10, seed: Number.NaN });
  });
});
