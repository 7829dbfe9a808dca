import { test } from 'node:test';
import assert from 'node:assert/strict';
import { activityId, type Activity } from '../core/activities.js';
import { fitStructure, homeSegments } from './fit-structure.js';
import { ASLEEP, AWAKE, OUT_LONG, OUT_SHORT } from './structured-day.js';

const H = 3600e6;
const DAY0 = Date.UTC(2026, 10, 2) * 1000;

function label(hours: number, activity: Activity, resident: string): { timeUs: number; activity: number; resident: string } {
  return { timeUs: DAY0 + hours * H, activity: activityId(activity), resident };
}

test("the home's state is what its residents are: awake if anyone is up at home, out only when nobody is home", () => {
  const segments = homeSegments(
    [
      label(7, 'wake_up', 'ann'),
      label(7.5, 'wake_up', 'bob'),
      label(8, 'leave_home', 'ann'),
      label(9, 'leave_temporarily', 'bob'),
      label(10, 'return_home', 'bob'),
      label(12, 'leave_home', 'bob'),
      label(18, 'return_home', 'ann'),
      label(18.5, 'return_home', 'bob'),
      label(23, 'go_to_bed', 'bob'),
      label(23.5, 'go_to_bed', 'ann'),
      label(31, 'wake_up', 'ann'),
    ],
    2 * H,
  );
  // The first segment (before 07:00) is cut by the record's start and left out.
  assert.deepEqual(
    segments.map((s) => [s.state, (s.startUs - DAY0) / H, (s.endUs - DAY0) / H]),
    [
      [AWAKE, 7, 9],
      [OUT_SHORT, 9, 10],
      [AWAKE, 10, 12],
      [OUT_LONG, 12, 18],
      [AWAKE, 18, 23.5],
      [ASLEEP, 23.5, 31],
    ],
  );
});

test('the priors learned from lives follow their durations and hours', () => {
  const lives = Array.from({ length: 3 }, (_, k) => ({
    activities: Array.from({ length: 10 }, (_, d) => [
      label(24 * d + 6 + k * 0.1, 'wake_up', 'ann'),
      label(24 * d + 8, 'leave_home', 'ann'),
      label(24 * d + 17, 'return_home', 'ann'),
      label(24 * d + 22 + k * 0.1, 'go_to_bed', 'ann'),
    ]).flat(),
  }));
  const p = fitStructure(lives);
  assert.ok(Math.abs(p.durations.asleep.medianUs / H - 8) < 0.05, `asleep ${p.durations.asleep.medianUs / H} h`);
  assert.ok(Math.abs(p.durations['out-long'].medianUs / H - 9) < 0.01);
  assert.equal(p.wakeHours.indexOf(Math.max(...p.wakeHours)), 6);
  assert.equal(p.bedHours.indexOf(Math.max(...p.bedHours)), 22);
  // From awake, per life: out for long 10 times, to bed 9 (the last night has no segment after it), never
  // out for a short while; each count + 1 over the 57 transitions + 3.
  assert.deepEqual(p.fromAwake.map((x) => x * 60), [28, 1, 31].map((x) => (x / 60) * 60));
});
