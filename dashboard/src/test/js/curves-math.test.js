import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configKey, configId, varyingParams, configLabel, groupByConfig, interpolate, meanBand }
  from '../../main/resources/dev/ludus/dashboard/js/curves-math.js';

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

test('mean band on a shared schedule: mean and t interval per x', () => {
  const band = meanBand([
    { x: [0, 1], y: [1, 10] }, { x: [0, 1], y: [3, 10] }, { x: [0, 1], y: [5, 10] },
  ]);
  assert.deepEqual(band.x, [0, 1]);
  assert.deepEqual(band.mean, [3, 10]);
  assert.ok(Math.abs((band.hi[0] - band.mean[0]) - 4.3027 * 2 / Math.sqrt(3)) < 1e-3);
  assert.equal(band.hi[1], 10);
  assert.deepEqual(band.n, [3, 3]);
});

test('mean band over different schedules counts only runs that reached x', () => {
  const band = meanBand([{ x: [0, 100], y: [0, 100] }, { x: [0, 50], y: [0, 0] }], 3);
  assert.deepEqual(band.x, [0, 50, 100]);
  assert.deepEqual(band.n, [2, 2, 1]);
  assert.equal(band.mean[1], 25);
  assert.equal(band.mean[2], 100);
});
