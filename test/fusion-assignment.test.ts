import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { SeededRandom } from '../common/random/index.ts';
import { solveLinearAssignment } from '../server/fusion/assignment/index.ts';

/** Minimum over all injections rows -> columns, by enumeration. */
function bruteForce(cost: Float64Array, rows: number, columns: number): number {
  let best = Infinity;
  const used = new Uint8Array(columns);
  const walk = (i: number, sum: number): void => {
    if (i === rows) {
      best = Math.min(best, sum);
      return;
    }
    for (let j = 0; j < columns; j++) {
      if (used[j]) continue;
      used[j] = 1;
      walk(i + 1, sum + cost[i * columns + j]!);
      used[j] = 0;
    }
  };
  walk(0, 0);
  return best;
}

function assertValid(columnOfRow: Int32Array, columns: number): void {
  const seen = new Set<number>();
  for (const j of columnOfRow) {
    assert.ok(j >= 0 && j < columns);
    assert.ok(!seen.has(j), `column ${j} used twice`);
    seen.add(j);
  }
}

describe('linear assignment (shortest augmenting paths)', () => {
  test('matches brute force on random square and rectangular matrices', () => {
    const random = new SeededRandom(1);
    for (let trial = 0; trial < 200; trial++) {
      const rows = 1 + random.int(6);
      const columns = rows + (trial % 3 === 0 ? random.int(3) : 0);
      // Mix of continuous costs, small integers (many ties) and negative values.
      const kind = trial % 3;
      const cost = Float64Array.from({ length: rows * columns }, () =>
        kind === 0 ? random.next() : kind === 1 ? random.int(4) : 10 * random.normal(),
      );
      const result = solveLinearAssignment(cost, rows, columns);
      assertValid(result.columnOfRow, columns);
      const expected = bruteForce(cost, rows, columns);
      assert.ok(Math.abs(result.cost - expected) < 1e-9, `trial ${trial}: ${result.cost} vs ${expected}`);
      let sum = 0;
      result.columnOfRow.forEach((j, i) => (sum += cost[i * columns + j]!));
      assert.ok(Math.abs(sum - result.cost) < 1e-9);
    }
  });

  test('finds a planted permutation among 512 x 512 costs, and solves uniform random 512 x 512', (t) => {
    const n = 512;
    const random = new SeededRandom(2);
    const perm = random.permutation(n);
    const cost = Float64Array.from({ length: n * n }, () => 1 + random.next());
    perm.forEach((j, i) => (cost[i * n + j] = random.next() * 0.5));
    assert.deepEqual([...solveLinearAssignment(cost, n, n).columnOfRow], perm);
    // Uniform random costs are the hard case for augmenting paths (no planted structure).
    const uniform = Float64Array.from({ length: n * n }, () => random.next());
    const start = performance.now();
    const result = solveLinearAssignment(uniform, n, n);
    t.diagnostic(`512 x 512 uniform random costs: ${(performance.now() - start).toFixed(0)} ms`);
    assertValid(result.columnOfRow, n);
    // The optimum of n uniform costs is about 1.6 in total; the diagonal alone is about n / 2.
    assert.ok(result.cost < 3, `cost ${result.cost}`);
  });

  test('handles the empty problem and rejects bad input', () => {
    assert.equal(solveLinearAssignment(new Float64Array(0), 0, 0).columnOfRow.length, 0);
    assert.throws(() => solveLinearAssignment(new Float64Array(6), 3, 2), { code: 'invalid_argument' });
    assert.throws(() => solveLinearAssignment(new Float64Array(5), 2, 3), { code: 'shape_mismatch' });
    assert.throws(() => solveLinearAssignment(Float64Array.from([0, Number.NaN, 0, 0]), 2, 2), { code: 'non_finite' });
  });
});
