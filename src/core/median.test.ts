import { test } from 'node:test';
import assert from 'node:assert/strict';
import { median } from './median.js';

test('median() is the middle value, or the mean of the two middle ones, in numeric order; NaN of none', () => {
  assert.equal(median([3, 10, 1]), 3);
  // Numeric, not text, order: 10 sorts after 9.
  assert.equal(median([10, 9, 1, 2]), 5.5);
  assert.equal(median([0.25]), 0.25);
  assert.ok(Number.isNaN(median([])));
  const values = [5, 1, 4];
  median(values);
  assert.deepEqual(values, [5, 1, 4]);
});
