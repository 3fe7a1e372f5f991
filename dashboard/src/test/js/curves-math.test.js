import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configKey, configId, varyingParams, configLabel, groupByConfig, interpolate, meanBand }
  from '../../main/resources/dev/ludus/dashboard/js/curves-math.js';
import { meanCI95 } from '../../main/resources/dev/ludus/dashboard/js/stats.js';

test('config keys ignore key order', () => {
  assert.equal(configKey({ b: 1, a: 2 }), configKey({ a: 2, b: 1 }));
  assert.equal(configId({ b: 1, a: 2 }), configId({ a: 2, b: 1 }));
  assert.notEqual(configId({ a: 1 }), configId({ a: 2 }));
  assert.match(configId({ a: 1 }), /^[0-9a-f]{8}$/);
});

test('legends show only the params that vary', () => {
  const runs = [{ params: { lr: 0.1, gamma: 0.99 } }, { params: { lr: 0.01, gamma: 0.99 } }];
  assert.deepEqual(varyingParams(runs), ['lr']);
  assert.equal(configLabel(runs[0].params, ['lr']), 'lr=0.1');
});

test('runs group by config across seeds', () => {
  const runs = [
    { id: 'a', seed: 1, params: { lr: 0.1 } }, { id: 'b', seed: 1, params: { lr: 0.2 } },
    { id: 'c', seed: 2, params: { lr: 0.1 } },
  ];
  const groups = groupByConfig(runs);
  assert.equal(groups.length, 2);
  assert.deepEqual(groups[0].runs.map((r) => r.id), ['a', 'c']);
});

test('interpolation inside the range, NaN outside', () => {
  assert.equal(interpolate([0, 10], [0, 100], 2.5), 25);
  assert.equal(interpolate([0, 10], [0, 100], 10), 100);
  assert.ok(Number.isNaN(interpolate([0, 10], [0, 100], 11)));
});

test('mean band on a shared schedule: each kind of band per x', () => {
  const curves = [{ x: [0, 1], y: [1, 10] }, { x: [0, 1], y: [3, 10] }, { x: [0, 1], y: [5, 10] }];
  const std = meanBand(curves, 400, 'std');
  assert.deepEqual(std.x, [0, 1]);
  assert.deepEqual(std.mean, [3, 10]);
  assert.deepEqual([std.lo[0], std.hi[0]], [1, 5]);                  // sample std of 1, 3, 5 is 2
  assert.deepEqual([std.lo[1], std.hi[1]], [10, 10]);
  assert.deepEqual(std.n, [3, 3]);
  const sem = meanBand(curves, 400, 'sem');
  assert.ok(Math.abs((sem.hi[0] - 3) - 2 / Math.sqrt(3)) < 1e-12);
  const minmax = meanBand(curves, 400, 'minmax');
  assert.deepEqual([minmax.lo[0], minmax.hi[0]], [1, 5]);
  const none = meanBand(curves, 400, 'none');
  assert.deepEqual([none.lo[0], none.hi[0]], [3, 3]);
});

test('the default band stays inside the observed values with 3 seeds, where a t interval does not', () => {
  // CartPole-like: returns 0..500, three seeds far apart.
  const curves = [{ x: [0, 1], y: [10, 500] }, { x: [0, 1], y: [20, 30] }, { x: [0, 1], y: [490, 9] }];
  const band = meanBand(curves);
  for (let i = 0; i < 2; i++) {
    const ys = curves.map((c) => c.y[i]);
    assert.ok(band.lo[i] >= Math.min(...ys) && band.hi[i] <= Math.max(...ys), `x=${i}: [${band.lo[i]}, ${band.hi[i]}]`);
    assert.ok(band.lo[i] < band.mean[i] && band.mean[i] < band.hi[i]);
  }
  const t = meanCI95([10, 20, 490]);
  assert.ok(t.lo < 0 && t.hi > 500, 'the Student-t interval leaves 0..500');
  // seeded: the same curves give the same band (a shared URL shows the same picture)
  assert.deepEqual(meanBand(curves), band);
});

test('curves logged at different steps are interpolated onto one grid, not paired bucket by bucket', () => {
  // the same line y = x logged at different steps: the mean is the line itself at every grid point
  const band = meanBand([{ x: [0, 40, 100], y: [0, 40, 100] }, { x: [0, 70, 100], y: [0, 70, 100] }], 11, 'std');
  assert.deepEqual(band.x, [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
  band.x.forEach((x, i) => { assert.ok(Math.abs(band.mean[i] - x) < 1e-9); assert.ok(Math.abs(band.hi[i] - x) < 1e-9); });
});

test('an unknown band is an error naming it', () => {
  assert.throws(() => meanBand([{ x: [0], y: [1] }, { x: [0], y: [2] }], 400, 'iqr'), /unknown band "iqr"/);
});

test('mean band over different schedules counts only runs that reached x', () => {
  const band = meanBand([{ x: [0, 100], y: [0, 100] }, { x: [0, 50], y: [0, 0] }], 3);
  assert.deepEqual(band.x, [0, 50, 100]);
  assert.deepEqual(band.n, [2, 2, 1]);
  assert.equal(band.mean[1], 25);
  assert.equal(band.mean[2], 100);
});
