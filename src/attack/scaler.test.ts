import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitNormalisation, normalise } from './scaler.js';

test('fitNormalisation() learns each column\'s mean and population standard deviation; a constant column gets scale 1', () => {
  // Three rows of three columns: 1,2,3 / 7,7,7 (constant) / 0,10,20.
  const rows = Float32Array.from([1, 7, 0, 2, 7, 10, 3, 7, 20]);
  const norm = fitNormalisation(rows, 3);
  assert.deepEqual(norm.mean.map((m) => Number(m.toFixed(9))), [2, 7, 10]);
  assert.equal(norm.scale[0].toFixed(9), Math.sqrt(2 / 3).toFixed(9));
  assert.equal(norm.scale[1], 1);
  assert.equal(norm.scale[2].toFixed(9), Math.sqrt(200 / 3).toFixed(9));
  const scaled = normalise(rows, 3, norm);
  assert.deepEqual(Array.from(scaled.subarray(3, 6)), [0, 0, 0], 'the middle row is every column\'s mean');
  assert.equal(scaled[0].toFixed(5), (-1 / Math.sqrt(2 / 3)).toFixed(5));
  assert.equal(scaled[1], 0, 'a constant column is only centred');
  assert.deepEqual(Array.from(rows.subarray(0, 3)), [1, 7, 0], 'the rows given are left as they were');
});

test('fitNormalisation() of no rows centres nothing and scales by 1', () => {
  assert.deepEqual(fitNormalisation(new Float32Array(0), 2), { mean: [0, 0], scale: [1, 1] });
});
