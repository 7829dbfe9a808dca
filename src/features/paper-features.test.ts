import { test } from 'node:test';
import assert from 'node:assert/strict';
import { minuteOfDay, paperCsvHeader, paperCsvLine, paperFeatureRows, PAPER_FEATURE_COLUMNS } from './paper-features.js';
import { type DeviceUse } from '../core/device-use.js';

const DAY0_US = Date.UTC(2026, 10, 2) * 1000;
const MIN = 60e6;
const HOUR = 3_600e6;

function at(hours: number, device: string, kind = device, cause: DeviceUse['cause'] = 'wake_up'): DeviceUse {
  return { timeUs: DAY0_US + Math.round(hours * HOUR), device, kind, cause };
}

function column(values: number[], name: (typeof PAPER_FEATURE_COLUMNS)[number]): number {
  return values[PAPER_FEATURE_COLUMNS.indexOf(name)];
}

test('minuteOfDay() counts minutes since UTC midnight, 0..1439', () => {
  assert.equal(minuteOfDay(DAY0_US), 0);
  assert.equal(minuteOfDay(DAY0_US + 7 * HOUR + 30 * MIN + 59e6), 450);
  assert.equal(minuteOfDay(DAY0_US + 24 * HOUR - 1), 1439);
  assert.equal(minuteOfDay(DAY0_US + 24 * HOUR), 0);
});

test('paperFeatureRows() sets one device bit by kind and none for other kinds', () => {
  const rows = paperFeatureRows([at(1, 'hall', 'light'), at(2, 'door', 'lock'), at(3, 'base', 'alarm'), at(4, 'kettle', 'plug')]);
  assert.deepEqual(rows.map((r) => r.values.slice(1, 4)), [[1, 0, 0], [0, 1, 0], [0, 0, 1], [0, 0, 0]]);
  assert.deepEqual(rows.map((r) => r.values[0]), [60, 120, 180, 240]);
});

test('paperFeatureRows() counts a use exactly 5 h before or after, and not 1 µs more', () => {
  const exact = paperFeatureRows([at(2, 'light'), at(7, 'light')]);
  assert.equal(column(exact[1].values, 'used_before_5h'), 1);
  assert.equal(column(exact[0].values, 'used_after_5h'), 1);
  assert.equal(column(exact[0].values, 'used_before_5h'), 0);
  assert.equal(column(exact[1].values, 'used_after_5h'), 0);
  const past = paperFeatureRows([at(2, 'light'), { ...at(7, 'light'), timeUs: at(7, 'light').timeUs + 1 }]);
  assert.equal(column(past[1].values, 'used_before_5h'), 0);
  assert.equal(column(past[0].values, 'used_after_5h'), 0);
});

test('paperFeatureRows() looks at the same device only for the 5 h features', () => {
  const rows = paperFeatureRows([at(2, 'light'), at(3, 'lock'), at(4, 'light-2', 'light')]);
  assert.equal(column(rows[2].values, 'used_before_5h'), 0, 'another light is another device');
  assert.equal(column(rows[1].values, 'used_before_5h'), 0);
  assert.equal(column(rows[1].values, 'used_after_5h'), 0);
});

test('paperFeatureRows() lock windows nest, count both directions and include their bounds', () => {
  const cases: [number, number[]][] = [
    [0.5, [1, 1, 1, 1]],
    [0.5 + 1e-9, [0, 1, 1, 1]],
    [1, [0, 1, 1, 1]],
    [1.5, [0, 0, 1, 1]],
    [2, [0, 0, 1, 1]],
    [3, [0, 0, 0, 1]],
    [3.01, [0, 0, 0, 0]],
  ];
  for (const [gapHours, want] of cases) {
    const gapUs = Math.round(gapHours * HOUR);
    const lock = at(10, 'door', 'lock');
    const after = { ...at(10, 'hall', 'light'), timeUs: lock.timeUs + gapUs };
    const lights = paperFeatureRows([lock, after]);
    assert.deepEqual(lights[1].values.slice(6), want, `light ${gapHours} h after the lock`);
    const before = { ...at(10, 'hall', 'light'), timeUs: lock.timeUs - gapUs };
    assert.deepEqual(paperFeatureRows([before, lock])[0].values.slice(6), want, `light ${gapHours} h before the lock`);
  }
});

test("paperFeatureRows() does not count a lock row's own use in its lock windows", () => {
  const alone = paperFeatureRows([at(9, 'door', 'lock')]);
  assert.deepEqual(alone[0].values.slice(6), [0, 0, 0, 0]);
  const pair = paperFeatureRows([at(19.5, 'door', 'lock', 'leave_temporarily'), at(20.25, 'door', 'lock', 'return_home')]);
  assert.deepEqual(pair[0].values.slice(6), [0, 1, 1, 1]);
  assert.deepEqual(pair[1].values.slice(6), [0, 1, 1, 1]);
});

test('paperFeatureRows() labels uses by activity id and noise and cover as -1, which the CSV refuses', () => {
  const rows = paperFeatureRows([
    at(7, 'light', 'light', 'wake_up'),
    at(8, 'lock', 'lock', 'leave_home'),
    at(9, 'light', 'light', 'noise'),
    at(22, 'light', 'light', 'cover'),
    at(23, 'light', 'light', 'go_to_bed'),
  ]);
  assert.deepEqual(rows.map((r) => r.label), [0, 1, -1, -1, 4]);
  assert.equal(paperCsvHeader(), 'time,device_light,device_lock,device_alarm,used_before_5h,used_after_5h,lock_30min,lock_1h,lock_2h,lock_3h,user_activity');
  assert.equal(paperCsvLine(rows[1]), '480,0,1,0,0,0,0,0,0,0,1');
  assert.throws(() => paperCsvLine(rows[2]), /no activity label/);
  assert.throws(() => paperCsvLine(rows[3]), /no activity label/);
});

test('paperFeatureRows() refuses uses out of time order, naming the use', () => {
  assert.throws(() => paperFeatureRows([at(2, 'light'), at(1, 'lock')]), /use 1 \(lock\) is earlier than use 0/);
});

test('paperFeatureRows() agrees with a direct rescan of every row on a random day of uses', () => {
  let state = 7;
  const rand = (): number => ((state = (state * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const kinds = ['light', 'lock', 'alarm'];
  const events: DeviceUse[] = [];
  for (let i = 0; i < 400; i++) {
    const kind = kinds[Math.floor(rand() * 3)];
    events.push({ timeUs: DAY0_US + Math.floor(rand() * 72 * HOUR), device: `${kind}-${Math.floor(rand() * 2)}`, kind });
  }
  events.sort((a, b) => a.timeUs - b.timeUs);
  const rows = paperFeatureRows(events);
  events.forEach((e, i) => {
    const others = events.filter((_, j) => j !== i);
    const same = others.filter((o) => o.device === e.device);
    const before = same.some((o) => o.timeUs <= e.timeUs && e.timeUs - o.timeUs <= 5 * HOUR && events.indexOf(o) < i);
    const after = same.some((o) => o.timeUs >= e.timeUs && o.timeUs - e.timeUs <= 5 * HOUR && events.indexOf(o) > i);
    const lockGap = Math.min(...others.filter((o) => o.kind === 'lock').map((o) => Math.abs(o.timeUs - e.timeUs)));
    const want = [before, after, lockGap <= 0.5 * HOUR, lockGap <= HOUR, lockGap <= 2 * HOUR, lockGap <= 3 * HOUR].map(Number);
    assert.deepEqual(rows[i].values.slice(4), want, `row ${i}`);
  });
});
