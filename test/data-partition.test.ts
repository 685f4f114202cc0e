import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isFedfuseError } from '../common/errors/index.ts';
import {
  formatPartitionScheme,
  parsePartitionScheme,
  partition,
  type PartitionScheme,
} from '../common/data/index.ts';

/** Labels 0..classes-1, class c repeated sizes[c] times, interleaved so that index order says nothing about the label. */
function makeLabels(sizes: readonly number[]): Int32Array {
  const labels: number[] = [];
  const left = [...sizes];
  while (left.some((n) => n > 0)) {
    left.forEach((n, c) => {
      if (n > 0) {
        labels.push(c);
        left[c]!--;
      }
    });
  }
  return Int32Array.from(labels);
}

function classCounts(labels: ArrayLike<number>, indices: readonly number[], classes: number): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (const i of indices) counts[labels[i]!]!++;
  return counts;
}

function entropyBits(counts: readonly number[]): number {
  const total = counts.reduce((a, b) => a + b, 0);
  return -counts.filter((n) => n > 0).reduce((h, n) => h + (n / total) * Math.log2(n / total), 0);
}

function distinctClasses(labels: ArrayLike<number>, indices: readonly number[]): number {
  return new Set(indices.map((i) => labels[i]!)).size;
}

/** Disjoint, non-empty, sorted, and together exactly the pool. */
function assertIsPartitionOf(clients: number[][], pool: readonly number[], numClients: number): void {
  assert.equal(clients.length, numClients);
  const seen = new Set<number>();
  for (const [j, indices] of clients.entries()) {
    assert.ok(indices.length > 0, `client ${j} is empty`);
    for (let k = 1; k < indices.length; k++) assert.ok(indices[k - 1]! < indices[k]!, `client ${j} not strictly increasing`);
    for (const i of indices) {
      assert.ok(!seen.has(i), `index ${i} dealt twice`);
      seen.add(i);
    }
  }
  assert.deepEqual([...seen].sort((a, b) => a - b), [...pool].sort((a, b) => a - b));
}

const ALL_SCHEMES: PartitionScheme[] = [
  { kind: 'iid' },
  { kind: 'dirichlet', alpha: 0.3 },
  { kind: 'shards', classesPerClient: 2 },
  { kind: 'split-by-k' },
  { kind: 'quantity-skew', alpha: 0.5 },
];

describe('partition: invariants of every scheme', () => {
  const labels = makeLabels([120, 80, 200, 60, 90, 150, 70, 110, 100, 40]);
  const everything = Array.from({ length: labels.length }, (_, i) => i);

  for (const scheme of ALL_SCHEMES) {
    const name = formatPartitionScheme(scheme);
    test(`${name}: disjoint, covering, non-empty; same seed same split, other seed another`, () => {
      const a = partition(labels, 6, scheme, 11);
      assertIsPartitionOf(a, everything, 6);
      assert.deepEqual(partition(labels, 6, scheme, 11), a);
      assert.notDeepEqual(partition(labels, 6, scheme, 12), a);
    });
    test(`${name}: a pool restricts the split to those indices`, () => {
      const pool = everything.filter((i) => i % 3 !== 0);
      assertIsPartitionOf(partition(labels, 5, scheme, 3, pool), pool, 5);
    });
  }

  test('property: any labels, client count and scheme give a partition of the pool', () => {
    const schemeArb = fc.oneof(
      fc.constant<PartitionScheme>({ kind: 'iid' }),
      fc.constant<PartitionScheme>({ kind: 'split-by-k' }),
      fc.double({ min: 0.01, max: 50, noNaN: true }).map((alpha): PartitionScheme => ({ kind: 'dirichlet', alpha })),
      fc.double({ min: 0.01, max: 50, noNaN: true }).map((alpha): PartitionScheme => ({ kind: 'quantity-skew', alpha })),
    );
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 120 }),
        fc.integer({ min: 1, max: 12 }),
        schemeArb,
        fc.integer({ min: 0, max: 1000 }),
        (labelList, requested, scheme, seed) => {
          const numClients = Math.min(requested, labelList.length);
          const clients = partition(labelList, numClients, scheme, seed);
          assertIsPartitionOf(clients, labelList.map((_, i) => i), numClients);
        },
      ),
      { numRuns: 150 },
    );
  });

  test('more clients than samples is an invalid_argument', () => {
    for (const scheme of ALL_SCHEMES) {
      assert.throws(() => partition([0, 1, 2], 4, scheme, 1), (e) => isFedfuseError(e, 'invalid_argument'));
    }
    assert.throws(() => partition(labels, 3, { kind: 'iid' }, 1, [0, 1]), (e) => isFedfuseError(e, 'invalid_argument'));
  });

  test('bad arguments are rejected', () => {
    const bad = (f: () => unknown): void => assert.throws(f, (e) => isFedfuseError(e, 'invalid_argument'));
    bad(() => partition(labels, 0, { kind: 'iid' }, 1));
    bad(() => partition(labels, 2.5, { kind: 'iid' }, 1));
    bad(() => partition(labels, 2, { kind: 'dirichlet', alpha: 0 }, 1));
    bad(() => partition(labels, 2, { kind: 'quantity-skew', alpha: -1 }, 1));
    bad(() => partition(labels, 2, { kind: 'shards', classesPerClient: 0 }, 1));
    bad(() => partition(labels, 2, { kind: 'iid' }, 1, [0, 0, 1]));
    bad(() => partition(labels, 2, { kind: 'iid' }, 1, [0, labels.length]));
  });
});

describe('partition: iid', () => {
  test('sizes differ by at most one and every client sees every class', () => {
    const labels = makeLabels(new Array<number>(10).fill(100));
    const clients = partition(labels, 7, { kind: 'iid' }, 5);
    const sizes = clients.map((c) => c.length);
    assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `sizes ${sizes}`);
    for (const c of clients) assert.equal(distinctClasses(labels, c), 10);
  });
});

describe('partition: dirichlet label skew', () => {
  const labels = makeLabels(new Array<number>(10).fill(300));
  const meanEntropy = (alpha: number): number => {
    let sum = 0;
    let n = 0;
    for (const seed of [1, 2, 3]) {
      for (const c of partition(labels, 10, { kind: 'dirichlet', alpha }, seed)) {
        sum += entropyBits(classCounts(labels, c, 10));
        n++;
      }
    }
    return sum / n;
  };

  test('alpha 0.05 is far more skewed than alpha 100 (mean per-client label entropy)', () => {
    const skewed = meanEntropy(0.05);
    const near = meanEntropy(100);
    // log2(10) = 3.32 bits is a perfectly even mix of 10 classes.
    assert.ok(near > 3.2, `alpha 100: ${near.toFixed(2)} bits`);
    assert.ok(skewed < 1.5, `alpha 0.05: ${skewed.toFixed(2)} bits`);
  });

  test('tiny alpha with many clients still leaves no client empty', () => {
    const small = makeLabels(new Array<number>(10).fill(20));
    const clients = partition(small, 50, { kind: 'dirichlet', alpha: 0.01 }, 9);
    assertIsPartitionOf(clients, Array.from({ length: small.length }, (_, i) => i), 50);
  });
});

describe('partition: shards', () => {
  for (const [sizes, numClients, k] of [
    [new Array<number>(10).fill(100), 10, 2],
    [new Array<number>(10).fill(100), 7, 3],
    [[300, 20, 150, 80, 60, 200, 45, 90, 120, 35], 12, 2],
    [[50, 40, 30], 5, 1],
    [[50, 40, 30, 20], 9, 4],
  ] as const) {
    test(`${numClients} clients, ${k} classes each, class sizes ${sizes.join('/')}: every client has exactly ${k} classes`, () => {
      const labels = makeLabels(sizes);
      for (const seed of [1, 2, 3]) {
        const clients = partition(labels, numClients, { kind: 'shards', classesPerClient: k }, seed);
        assertIsPartitionOf(clients, Array.from({ length: labels.length }, (_, i) => i), numClients);
        for (const c of clients) assert.equal(distinctClasses(labels, c), k);
      }
    });
  }

  test('on balanced data client sizes are close to equal', () => {
    const labels = makeLabels(new Array<number>(10).fill(100));
    const sizes = partition(labels, 10, { kind: 'shards', classesPerClient: 2 }, 4).map((c) => c.length);
    assert.ok(Math.max(...sizes) <= 1.2 * Math.min(...sizes), `sizes ${sizes}`);
  });

  test('impossible requests say why', () => {
    const labels = makeLabels([5, 5, 5]);
    const rejects = (numClients: number, k: number, pattern: RegExp): void =>
      assert.throws(() => partition(labels, numClients, { kind: 'shards', classesPerClient: k }, 1), (e) => isFedfuseError(e, 'invalid_argument') && pattern.test(e.message));
    rejects(2, 4, /at least 4 classes/);
    rejects(2, 1, /fewer than the 3 classes/);
    rejects(12, 2, /allow only 15/);
  });
});

describe('partition: split-by-k (the paper protocol)', () => {
  test('every split sees every class, for k = 2, 4, 8', () => {
    const labels = makeLabels(new Array<number>(10).fill(60));
    for (const k of [2, 4, 8]) {
      for (const c of partition(labels, k, { kind: 'split-by-k' }, k)) assert.equal(distinctClasses(labels, c), 10);
    }
  });

  test('k = 2: shares follow Dirichlet(1, 5) with the favoured split changing from class to class', () => {
    // With concentrations (1, 5) the larger share has mean E[max(B, 1-B)], B ~ Beta(1, 5): about 0.83; an even split would give 0.5.
    const classes = 60;
    const labels = makeLabels(new Array<number>(classes).fill(200));
    const [a, b] = partition(labels, 2, { kind: 'split-by-k' }, 17) as [number[], number[]];
    const countsA = classCounts(labels, a, classes);
    const countsB = classCounts(labels, b, classes);
    const largerShare = countsA.map((n, c) => Math.max(n, countsB[c]!) / 200);
    const mean = largerShare.reduce((s, v) => s + v, 0) / classes;
    assert.ok(mean > 0.75 && mean < 0.9, `mean larger share ${mean.toFixed(3)}`);
    const favoursA = countsA.filter((n, c) => n > countsB[c]!).length;
    assert.ok(favoursA > 15 && favoursA < 45, `split A favoured in ${favoursA} of ${classes} classes`);
  });
});

describe('partition: quantity skew', () => {
  test('client sizes vary widely while iid sizes do not', () => {
    const labels = makeLabels(new Array<number>(10).fill(200));
    const sizes = partition(labels, 10, { kind: 'quantity-skew', alpha: 0.5 }, 8).map((c) => c.length);
    assert.ok(Math.max(...sizes) > 4 * Math.min(...sizes), `sizes ${sizes}`);
    const large = partition(labels, 10, { kind: 'quantity-skew', alpha: 0.5 }, 8).filter((c) => c.length >= 200);
    assert.ok(large.length > 0);
    // Labels stay iid: a large client sees (nearly) every class.
    for (const c of large) assert.ok(distinctClasses(labels, c) >= 9);
  });
});

describe('parsePartitionScheme', () => {
  test('parses every documented form and formats back', () => {
    const cases: [string, PartitionScheme][] = [
      ['iid', { kind: 'iid' }],
      ['dirichlet:0.1', { kind: 'dirichlet', alpha: 0.1 }],
      ['shards:2', { kind: 'shards', classesPerClient: 2 }],
      ['split-by-k', { kind: 'split-by-k' }],
      ['quantity:0.5', { kind: 'quantity-skew', alpha: 0.5 }],
      ['quantity-skew:1e-1', { kind: 'quantity-skew', alpha: 0.1 }],
      [' Dirichlet:100 ', { kind: 'dirichlet', alpha: 100 }],
    ];
    for (const [text, scheme] of cases) {
      assert.deepEqual(parsePartitionScheme(text), scheme, text);
      assert.deepEqual(parsePartitionScheme(formatPartitionScheme(scheme)), scheme);
    }
  });

  test('rejects bad text with a message that says what is wrong', () => {
    const cases: [string, RegExp][] = [
      ['dirichlet:0', /alpha must be/],
      ['dirichlet:-0.5', /alpha must be/],
      ['quantity:0', /alpha must be/],
      ['dirichlet', /needs alpha/],
      ['dirichlet:abc', /not a number/],
      ['shards:1.5', /integer >= 1/],
      ['shards:0', /integer >= 1/],
      ['iid:3', /takes no parameter/],
      ['pathological', /unknown partition scheme.*dirichlet:<alpha>/],
      ['', /unknown partition scheme/],
    ];
    for (const [text, message] of cases) {
      assert.throws(() => parsePartitionScheme(text), (e) => isFedfuseError(e, 'invalid_argument') && message.test(e.message), text);
    }
  });
});
