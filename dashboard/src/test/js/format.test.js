import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fmtNum, fmtAxis, fmtSigned } from '../../main/resources/dev/ludus/dashboard/js/ui.js';

test('numbers show 3-4 significant digits, never NaN or float noise', () => {
  assert.equal(fmtNum(0.02910000012500016), '0.0291');
  assert.equal(fmtNum(0.8363), '0.8363');
  assert.equal(fmtNum(0.83634), '0.8363');
  assert.equal(fmtNum(1234.5678), '1,235');
  assert.equal(fmtNum(50000), '50,000');
  assert.equal(fmtNum(123456), '123,456');          // whole numbers (steps, counts) stay exact
  assert.equal(fmtNum(0.000123456), '1.235e-4');
  assert.equal(fmtNum(2.5e-4), '2.5e-4');
  assert.equal(fmtNum(12345678.9), '1.235e+7');
  assert.equal(fmtNum(NaN), '–');
  assert.equal(fmtNum(Infinity), '–');
  assert.equal(fmtNum(null), '–');
  assert.equal(fmtNum(0), '0');
  assert.equal(fmtAxis(0.02910000012500016), '0.0291');
  assert.equal(fmtAxis(0.8234), '0.823');
  assert.equal(fmtSigned(0.5), '+0.5');
  assert.equal(fmtSigned(-0.25), '-0.25');
});

test('a misspelled name in a filter gets the closest existing one', async () => {
  const { unknownFilterNames, closest } = await import('../../main/resources/dev/ludus/dashboard/js/ui.js');
  const runs = [{ params: { lr: 0.1, gamma: 0.9, batch_size: 32 }, summary: { 'eval/return_mean': 1 } }];
  assert.deepEqual(unknownFilterNames("params.lrr < 0.1 and summary.eval/retrun_mean > 3 and params.gamma > 0", runs), [
    { name: 'params.lrr', suggestion: 'params.lr' },
    { name: 'summary.eval/retrun_mean', suggestion: 'summary.eval/return_mean' },
  ]);
  assert.deepEqual(unknownFilterNames('params.zzzzzzzz = 1', runs), [{ name: 'params.zzzzzzzz', suggestion: null }]);
  assert.deepEqual(unknownFilterNames("status = 'finished'", runs), []);
  assert.equal(closest('batchsize', ['batch_size', 'lr']), 'batch_size');
});
