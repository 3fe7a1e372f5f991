import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ema, movingAverage, smooth, windowFor } from '../../main/resources/dev/ludus/dashboard/js/smoothing.js';

test('debiased EMA starts at the first value and follows the recurrence', () => {
  const out = ema([10, 20, 30], 0.5);
  assert.equal(out[0], 10);
  // biased: 5, 12.5, 21.25; debias by 1 - 0.5^k
  assert.ok(Math.abs(out[1] - 12.5 / 0.75) < 1e-12);
  assert.ok(Math.abs(out[2] - 21.25 / 0.875) < 1e-12);
});

test('EMA of a constant is the constant; NaN passes through', () => {
  assert.deepEqual(ema([3, 3, 3, 3], 0.9).map((v) => +v.toFixed(12)), [3, 3, 3, 3]);
  const out = ema([1, NaN, 1], 0.6);
  assert.ok(Number.isNaN(out[1]));
  assert.ok(Math.abs(out[2] - 1) < 1e-12);
});

test('trailing moving average', () => {
  assert.deepEqual(movingAverage([1, 2, 3, 4, 5], 2), [1, 1.5, 2.5, 3.5, 4.5]);
  assert.deepEqual(movingAverage([1, 2, 3], 1), [1, 2, 3]);
});

test('slider amount maps to a window and zero leaves values unchanged', () => {
  assert.equal(windowFor(0), 1);
  assert.equal(windowFor(0.9), 10);
  assert.deepEqual(smooth([1, 5, 2], 'ema', 0), [1, 5, 2]);
  assert.deepEqual(smooth([1, 5, 2], 'ma', 0.5), [1, 3, 3.5]);
});
