import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rowNormalize, perClass, accuracy } from '../../main/resources/dev/ludus/dashboard/js/confusion.js';

const counts = [[5, 1, 0], [2, 3, 1], [0, 0, 0]];

test('rows normalise to 1, empty rows stay 0', () => {
  const n = rowNormalize(counts);
  assert.deepEqual(n[0], [5 / 6, 1 / 6, 0]);
  assert.deepEqual(n[2], [0, 0, 0]);
});

test('precision is per predicted column, recall per actual row', () => {
  const [a, b, c] = perClass(['a', 'b', 'c'], counts);
  assert.equal(a.precision, 5 / 7);
  assert.equal(a.recall, 5 / 6);
  assert.equal(b.precision, 3 / 4);
  assert.equal(b.recall, 3 / 6);
  assert.equal(c.precision, 0);
  assert.ok(Number.isNaN(c.recall));
  assert.equal(a.support, 6);
  assert.equal(accuracy(counts), 8 / 12);
});
