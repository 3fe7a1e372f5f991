import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mean, std, tCritical95, meanCI95, quantileSorted, fiveNumbers, bootstrapCompare, mulberry32, histogram }
  from '../../main/resources/dev/ludus/dashboard/js/stats.js';

const close = (a, b, tol = 1e-9) => assert.ok(Math.abs(a - b) <= tol, `${a} != ${b} (tol ${tol})`);

test('mean and sample std', () => {
  close(mean([1, 2, 3, 4]), 2.5);
  close(std([2, 4, 4, 4, 5, 5, 7, 9]), 2.138089935299395);
  assert.ok(Number.isNaN(std([1])));
});

test('t critical values match the t distribution', () => {
  close(tCritical95(1), 12.7062, 1e-4);
  close(tCritical95(2), 4.3027, 1e-4);
  close(tCritical95(40), 2.0211, 2e-4);
  close(tCritical95(60), 2.0003, 2e-4);
  close(tCritical95(120), 1.9799, 2e-4);
  close(tCritical95(1e9), 1.96, 1e-3);
});

test('95% CI of the mean uses t with n-1 df', () => {
  const ci = meanCI95([10, 12, 14]);
  close(ci.mean, 12);
  close(ci.hi - ci.mean, 4.3027 * 2 / Math.sqrt(3), 1e-3);
  const one = meanCI95([5]);
  assert.equal(one.lo, 5);
  assert.equal(one.hi, 5);
});

test('quantiles interpolate like numpy', () => {
  close(quantileSorted([1, 2, 3, 4], 0.5), 2.5);
  close(quantileSorted([1, 2, 3, 4], 0.25), 1.75);
  assert.deepEqual(fiveNumbers([5, 1, 3]), [1, 2, 3, 4, 5]);
});

test('the PRNG is seeded and uniform on [0, 1)', () => {
  const a = mulberry32(7), b = mulberry32(7);
  const xs = Array.from({ length: 10000 }, () => a());
  assert.deepEqual(xs.slice(0, 5), Array.from({ length: 5 }, () => b()));
  assert.ok(xs.every((x) => x >= 0 && x < 1));
  close(mean(xs), 0.5, 0.01);
});

test('bootstrap: same seed, same answer; clear improvement is detected', () => {
  const a = [100, 110, 105, 98, 102];
  const b = [150, 160, 155, 149, 158];
  const r1 = bootstrapCompare(a, b, { seed: 3, iterations: 2000 });
  const r2 = bootstrapCompare(a, b, { seed: 3, iterations: 2000 });
  assert.deepEqual([r1.lo, r1.hi, r1.probImprovement], [r2.lo, r2.hi, r2.probImprovement]);
  close(r1.diff, mean(b) - mean(a));
  assert.ok(r1.lo > 0 && r1.lo < r1.diff && r1.diff < r1.hi, JSON.stringify([r1.lo, r1.diff, r1.hi]));
  assert.equal(r1.probImprovement, 1);
  const lower = bootstrapCompare(a, b, { seed: 3, iterations: 2000, higherIsBetter: false });
  assert.equal(lower.probImprovement, 0);
});

test('bootstrap: identical groups give P(improvement) near one half and a CI around 0', () => {
  const a = [1, 5, 2, 8, 3, 9, 4];
  const r = bootstrapCompare(a, a.slice(), { seed: 11, iterations: 5000 });
  assert.ok(r.lo < 0 && r.hi > 0);
  close(r.probImprovement, 0.5, 0.05);
});

test('bootstrap CI width matches the normal approximation for large samples', () => {
  const rng = mulberry32(5);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  const a = Array.from({ length: 200 }, () => normal());
  const b = Array.from({ length: 200 }, () => 1 + normal());
  const r = bootstrapCompare(a, b, { seed: 1, iterations: 4000 });
  const se = Math.sqrt(std(a) ** 2 / 200 + std(b) ** 2 / 200);
  close(r.hi - r.lo, 2 * 1.96 * se, 0.1 * 2 * 1.96 * se);
});

test('histogram counts every value once', () => {
  const h = histogram([0, 0.1, 0.5, 0.9, 1], 2);
  assert.deepEqual(h.counts, [2, 3]);
  assert.equal(h.edges.length, 3);
});
