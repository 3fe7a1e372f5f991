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
