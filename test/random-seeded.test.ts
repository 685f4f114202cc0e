import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SeededRandom } from '../common/random/index.ts';

test('the same seed gives the same stream, another seed another', () => {
  const a = new SeededRandom(7);
  const b = new SeededRandom(7);
  const c = new SeededRandom(8);
  const sa = Array.from({ length: 20 }, () => a.next());
  const sb = Array.from({ length: 20 }, () => b.next());
  const sc = Array.from({ length: 20 }, () => c.next());
  assert.deepEqual(sa, sb);
  assert.notDeepEqual(sa, sc);
  for (const v of sa) assert.ok(v >= 0 && v < 1);
});

test('uniform draws have mean 1/2 and gamma draws have mean = shape', () => {
  const r = new SeededRandom(1);
  const n = 20000;
  let s = 0;
  for (let i = 0; i < n; i++) s += r.next();
  assert.ok(Math.abs(s / n - 0.5) < 0.01);
  for (const shape of [0.1, 1, 4.5]) {
    let g = 0;
    for (let i = 0; i < n; i++) g += r.gamma(shape);
    assert.ok(Math.abs(g / n - shape) < 0.05 * Math.max(1, shape), `gamma(${shape}) mean ${g / n}`);
  }
});

test('Dirichlet draws lie on the simplex and follow their concentrations', () => {
  const r = new SeededRandom(3);
  const alpha = [1, 2, 5];
  const mean = [0, 0, 0];
  const n = 5000;
  for (let i = 0; i < n; i++) {
    const p = r.dirichlet(alpha);
    assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-9);
    p.forEach((v, k) => (mean[k]! += v / n));
  }
  // E[p_k] = alpha_k / sum(alpha) = 1/8, 2/8, 5/8
  alpha.forEach((a, k) => assert.ok(Math.abs(mean[k]! - a / 8) < 0.02, `component ${k}: ${mean[k]}`));
});

test('permutation is a permutation', () => {
  const p = new SeededRandom(5).permutation(100);
  assert.deepEqual([...p].sort((x, y) => x - y), Array.from({ length: 100 }, (_, i) => i));
  assert.notDeepEqual(p, Array.from({ length: 100 }, (_, i) => i));
});
