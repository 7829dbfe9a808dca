import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ATTACK_KINDS } from '../core/kinds.js';
import type { DeviceUse } from '../core/device-use.js';
import { DEFAULT_SEQUENCE_K, SEQUENCE_STEP_COLUMNS, SEQUENCE_STEP_WIDTH, sequenceColumns, sequenceShape, sequenceStepNames, sequenceWindowValues, signedScaledOffset } from './sequence-window.js';

const DAY0_US = Date.UTC(2026, 10, 2) * 1000;
const MIN = 60e6;
const HOUR = 3_600e6;

function at(hours: number, device: string, kind = device): DeviceUse {
  return { timeUs: DAY0_US + Math.round(hours * HOUR), device, kind };
}

/** The values of one step of one row, by step column name. */
function step(values: Float32Array, k: number, row: number, s: number): Record<string, number> {
  const [steps, width] = sequenceShape(k);
  const base = row * steps * width + s * width;
  return Object.fromEntries(SEQUENCE_STEP_COLUMNS.map((c, i) => [c, values[base + i]]));
}

test('sequenceColumns() names every step column, before8 … self … after8, 17 × 15 by default', () => {
  assert.equal(DEFAULT_SEQUENCE_K, 8);
  assert.deepEqual(sequenceShape(), [17, 15]);
  assert.equal(SEQUENCE_STEP_WIDTH, 15);
  const names = sequenceColumns();
  assert.equal(names.length, 17 * 15);
  assert.equal(names[0], 'before8_offset');
  assert.equal(names[8 * 15 + 3], 'self_kind_lock');
  assert.equal(names[names.length - 1], 'after8_present');
  assert.deepEqual(sequenceStepNames(1), ['before1', 'self', 'after1']);
});

test('signedScaledOffset() is signed, log-scaled and clamped at ±1 from 24 h on', () => {
  assert.equal(signedScaledOffset(0), 0);
  assert.equal(signedScaledOffset(24 * HOUR), 1);
  assert.equal(signedScaledOffset(-48 * HOUR), -1);
  assert.ok(Math.abs(signedScaledOffset(-59 * MIN) + Math.log(60) / Math.log(1441)) < 1e-12);
});

test('sequenceWindowValues() shows the K uses either side in order, and pads where history runs out', () => {
  const events = [at(7, 'hall', 'light'), at(7.5, 'kettle', 'plug'), at(8.5, 'front', 'contact'), at(8.5, 'door', 'lock')];
  const k = 2;
  const v = sequenceWindowValues(events, k);
  assert.equal(v.length, 4 * 5 * SEQUENCE_STEP_WIDTH);
  // Row 1 (the kettle): before2 is padding, before1 the hall light, self, after1 the contact, after2 the lock.
  const rows = [0, 1, 2, 3, 4].map((s) => step(v, k, 1, s));
  assert.deepEqual(rows.map((r) => r.present), [0, 1, 1, 1, 1]);
  assert.ok(Object.values(rows[0]).every((x) => x === 0), 'padding is all zero');
  assert.ok(Math.abs(rows[1].offset - signedScaledOffset(-30 * MIN)) < 1e-6);
  assert.equal(rows[2].offset, 0);
  assert.ok(rows[3].offset > 0 && rows[3].offset === rows[4].offset);
  const kindOf = (r: Record<string, number>): string[] => ATTACK_KINDS.filter((kind) => r[`kind_${kind}`] === 1);
  assert.deepEqual(rows.slice(1).map(kindOf), [['light'], ['plug'], ['door'], ['lock']]);
  assert.deepEqual(rows.map((r) => r.same_device), [0, 0, 1, 0, 0]);
  assert.ok(Math.abs(rows[1].hour_sin - Math.sin((2 * Math.PI * 7) / 24)) < 1e-6);
  // The last row has no use after it.
  assert.deepEqual([0, 1, 2, 3, 4].map((s) => step(v, k, 3, s).present), [1, 1, 1, 0, 0]);
});

test('sequenceWindowValues() marks other uses of the same device in the window', () => {
  const v = sequenceWindowValues([at(1, 'lamp', 'light'), at(2, 'tv', 'plug'), at(3, 'lamp', 'light')], 1);
  assert.deepEqual([0, 1, 2].map((s) => step(v, 1, 0, s).same_device), [0, 1, 0]);
  assert.deepEqual([0, 1, 2].map((s) => step(v, 1, 1, s).same_device), [0, 1, 0]);
  const wide = sequenceWindowValues([at(1, 'lamp', 'light'), at(2, 'tv', 'plug'), at(3, 'lamp', 'light')], 2);
  assert.deepEqual([0, 1, 2, 3, 4].map((s) => step(wide, 2, 0, s).same_device), [0, 0, 1, 0, 1]);
});

test('sequenceWindowValues() refuses a bad K and uses out of time order', () => {
  assert.throws(() => sequenceWindowValues([], -1), /K must be a whole number/);
  assert.throws(() => sequenceWindowValues([], 1.5), /K must be a whole number/);
  assert.throws(() => sequenceWindowValues([at(2, 'light'), at(1, 'lock')]), /use 1 \(lock\) is earlier/);
  assert.equal(sequenceWindowValues([]).length, 0);
});
