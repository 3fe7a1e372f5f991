import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mean, std, tCritical95, meanCI95, quantileSorted, fiveNumbers, bootstrapCompare, mulberry32, histogram,
  bootstrapMeanCI, exactBootstrapMeanCI, bandOf, robustExtent, compareVerdict, leaderboard }
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

test('bootstrap CI of the mean: seeded, inside the data, close to the t interval for many values', () => {
  const values = Array.from({ length: 40 }, (_, i) => Math.sin(i) * 10 + 50);
  const a = bootstrapMeanCI(values, { iterations: 4000, rng: mulberry32(7) });
  const b = bootstrapMeanCI(values, { iterations: 4000, rng: mulberry32(7) });
  assert.deepEqual(a, b);
  const t = meanCI95(values);
  close(a.lo, t.lo, 0.3);
  close(a.hi, t.hi, 0.3);
  const small = bootstrapMeanCI([0, 1, 1], { rng: mulberry32(1) });
  assert.ok(small.lo >= 0 && small.hi <= 1);
  assert.deepEqual(bootstrapMeanCI([4]), { lo: 4, hi: 4 });
});

test('bands: one value has none; std, sem, minmax as defined', () => {
  assert.deepEqual(bandOf([7], 'std'), { mean: 7, lo: 7, hi: 7, n: 1, min: 7, max: 7 });
  const b = bandOf([0, 0.5, 1], 'std');
  close(b.lo, 0); close(b.hi, 1);
  close(bandOf([0, 0.5, 1], 'sem').hi, 0.5 + 0.5 / Math.sqrt(3));
  const mm = bandOf([0, 0.9, 1], 'minmax');
  assert.deepEqual([mm.lo, mm.hi], [0, 1]);
  // a success rate in 0..1 with 3 seeds: the default band stays in 0..1 (the t band went to -0.5..1.5)
  const rate = bandOf([0, 1, 1], 'ci');
  assert.ok(rate.lo >= 0 && rate.hi <= 1);
  assert.ok(meanCI95([0, 1, 1]).lo < -0.5);
});

test('the y extent ignores a lone spike among many points but keeps a short series whole', () => {
  const ys = Array.from({ length: 1000 }, (_, i) => 100 + (i % 50));
  ys[500] = 1e6;
  const e = robustExtent(ys);
  assert.ok(e.max < 200 && e.min > 90, JSON.stringify(e));
  assert.ok(e.clipped);
  const short = robustExtent([0, 1, 500]);
  assert.ok(short.min === 0 && short.max >= 500 && !short.clipped, 'returns in 0..500 get no negative axis');
  assert.ok(robustExtent([-1, 1]).min < -1);
  assert.equal(robustExtent([NaN, null]), null);
  const line = robustExtent(Array.from({ length: 1000 }, (_, i) => i));
  assert.ok(line.min === 0 && line.max >= 999 && !line.clipped, 'a rising curve keeps both ends: ' + JSON.stringify(line));
  const flat = robustExtent([3, 3, 3]);
  assert.ok(flat.min < 3 && flat.max > 3);
});

test('compare: fewer than 2 seeds on a side gives no verdict and says which side', () => {
  const boot = bootstrapCompare([0.1], [0.9]);
  assert.equal(boot.probImprovement, 1);   // what the old view showed as "P = 100%"
  const v = compareVerdict(1, 1, boot);
  assert.equal(v.kind, 'none');
  assert.match(v.text, /A has 1 seed and B has 1 seed/);
  assert.match(compareVerdict(3, 1, boot).text, /^No verdict: B has 1 seed;/);
  assert.equal(compareVerdict(3, 3, { lo: 0.1, hi: 0.5 }).kind, 'better');
  assert.equal(compareVerdict(3, 3, { lo: 0.1, hi: 0.5 }, false).kind, 'worse');
  assert.equal(compareVerdict(3, 3, { lo: -0.1, hi: 0.5 }).kind, 'unclear');
  assert.equal(compareVerdict(2, 2, { lo: -0.5, hi: -0.1 }).kind, 'worse');
});

test('leaderboard: configurations ranked by mean over seeds with n and a t interval', () => {
  const run = (lr, seed, v) => ({ params: { lr }, seed, status: 'finished', summary: { r: v } });
  const runs = [run(0.1, 1, 10), run(0.1, 2, 20), run(0.1, 3, 30), run(0.01, 1, 50), run(0.01, 2, NaN),
    run(0.5, 1, 5), { params: { lr: 0.2 }, summary: {} }];
  const board = leaderboard(runs, 'r');
  assert.deepEqual(board.map((r) => [r.rank, r.params.lr, r.n, r.mean]), [[1, 0.01, 1, 50], [2, 0.1, 3, 20], [3, 0.5, 1, 5]]);
  close(board[1].hi - 20, 4.3027 * 10 / Math.sqrt(3), 1e-3);
  assert.ok(Number.isNaN(board[0].lo));
  assert.deepEqual(leaderboard(runs, 'r', { higherIsBetter: false }).map((r) => r.params.lr), [0.5, 0.1, 0.01]);
});

test('small groups get the exact bootstrap: every resample with its probability', () => {
  // 3 values: 10 resamples; mean 0 has probability 1/27 > 2.5%, so the interval reaches the minimum
  assert.deepEqual(exactBootstrapMeanCI([0, 1, 1]), { lo: 0, hi: 1 });
  // 2 values: means 0 (1/4), 0.5 (1/2), 1 (1/4)
  assert.deepEqual(exactBootstrapMeanCI([0, 1]), { lo: 0, hi: 1 });
  // the exact quantiles agree with a long Monte Carlo run of the same bootstrap
  const values = [3, 7, 1, 9, 4, 6];
  const exact = exactBootstrapMeanCI(values);
  const means = Array.from({ length: 200000 }, (() => { const rng = mulberry32(3); return () => {
    let s = 0; for (let i = 0; i < 6; i++) s += values[Math.floor(rng() * 6)]; return s / 6; }; })()).sort((a, b) => a - b);
  close(exact.lo, quantileSorted(means, 0.025), 0.2);
  close(exact.hi, quantileSorted(means, 0.975), 0.2);
  assert.deepEqual(bootstrapMeanCI(values), exact, 'up to 6 values the CI is the exact one');
});
