import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MIN_STEP_GAP_MINUTES, ResidentLife } from './resident-life.js';
import { parseHomeSpec, type HomeSpec } from './spec.js';
import { nextState } from './spec-routine.js';
import type { ActivityRecord } from './types.js';

const US_PER_MINUTE = 60e6;

/** A one-resident home with the given routine (YAML, indented under `routine:`). */
function home(routine: string): HomeSpec {
  return parseHomeSpec(
    `name: t
network: { routerMac: "b8:27:eb:00:00:01", routerIp: 192.168.3.1, publicIp: 203.0.113.1, ispMac: "f4:bd:9e:00:00:01", ispResolverIp: 198.51.100.1 }
devices: [ { id: lamp, kind: light, vendor: LIFX, mac: "d0:73:d5:00:00:01", ip: 192.168.3.10 } ]
residents:
  - id: r
    routine:
${routine}`,
    't.yaml',
  );
}

function lifeOf(spec: HomeSpec, seed = 1): ResidentLife {
  return new ResidentLife(spec.residents[0], 0, seed, spec.startUs);
}

const names = (records: readonly ActivityRecord[]): string[] => records.map((r) => r.activity);
const minutes = (records: readonly ActivityRecord[], dayStartUs: number): number[] => records.map((r) => (r.timeUs - dayStartUs) / US_PER_MINUTE);

test('nextState() allows only the steps that follow from where the resident is', () => {
  assert.equal(nextState('asleep', 'wake_up'), 'awake');
  assert.equal(nextState('awake', 'wake_up'), null);
  assert.equal(nextState('awake', 'leave_home'), 'away');
  assert.equal(nextState('awake', 'leave_temporarily'), 'out');
  assert.equal(nextState('out', 'return_home'), 'awake');
  assert.equal(nextState('away', 'return_home'), 'awake');
  assert.equal(nextState('asleep', 'return_home'), null);
  assert.equal(nextState('away', 'go_to_bed'), null);
  assert.equal(nextState('awake', 'go_to_bed'), 'asleep');
});

test('ResidentLife drops a step that no longer follows when the one before did not happen', () => {
  const spec = home(`      weekday:
        - { activity: wake_up, at: "07:00", spreadMinutes: 0 }
        - { activity: leave_home, at: "08:00", spreadMinutes: 0, probability: 0 }
        - { activity: return_home, at: "18:00", spreadMinutes: 0 }
        - { activity: go_to_bed, at: "23:00", spreadMinutes: 0 }`);
  const life = lifeOf(spec);
  for (let day = 0; day < 5; day++) assert.deepEqual(names(life.drawDay(day)), ['wake_up', 'go_to_bed']);
});

test('ResidentLife moves a step drawn too close after the one before to the least gap after it', () => {
  const spec = home(`      weekday:
        - { activity: wake_up, at: "07:00", spreadMinutes: 0 }
        - { activity: leave_home, at: "07:01", spreadMinutes: 0 }
        - { activity: return_home, at: "18:00", spreadMinutes: 0 }
        - { activity: go_to_bed, at: "23:00", spreadMinutes: 0 }`);
  const life = lifeOf(spec);
  const day = life.drawDay(0);
  assert.deepEqual(minutes(day, spec.startUs), [420, 420 + MIN_STEP_GAP_MINUTES, 1080, 1380]);
});

test('ResidentLife starts a night worker\'s day off after a shift with the morning after it', () => {
  const spec = home(`      workNights: true
      workDays: [mon]
      weekday:
        - { activity: return_home, at: "07:30", spreadMinutes: 0 }
        - { activity: go_to_bed, at: "08:30", spreadMinutes: 0 }
        - { activity: wake_up, at: "15:30", spreadMinutes: 0 }
        - { activity: leave_home, at: "21:30", spreadMinutes: 0 }
      weekend:
        - { activity: wake_up, at: "10:00", spreadMinutes: 0 }
        - { activity: go_to_bed, at: "23:30", spreadMinutes: 0 }`);
  const life = lifeOf(spec);
  assert.equal(life.state, 'away', 'the first day (a Monday, a work day) starts away');
  assert.deepEqual(names(life.drawDay(0)), ['return_home', 'go_to_bed', 'wake_up', 'leave_home']);
  const tuesday = life.drawDay(1);
  assert.deepEqual(names(tuesday), ['return_home', 'go_to_bed', 'wake_up', 'go_to_bed']);
  assert.deepEqual(minutes(tuesday, spec.startUs + 86_400e6), [450, 510, 930, 1410]);
  assert.deepEqual(names(life.drawDay(2)), ['wake_up', 'go_to_bed'], 'Wednesday is a plain day off');
});

test('ResidentLife fits outings only where the resident is at home and awake', () => {
  const spec = home(`      workDays: [sun, mon, tue, wed, thu, fri, sat]
      weekday:
        - { activity: wake_up, at: "07:00", spreadMinutes: 0 }
        - { activity: leave_home, at: "08:00", spreadMinutes: 0 }
        - { activity: return_home, at: "18:00", spreadMinutes: 0 }
        - { activity: go_to_bed, at: "23:00", spreadMinutes: 0 }
      outings:
        - { window: ["09:00", "17:00"], ratePerDay: 5, durationMinutes: { mean: 30 } }
        - { window: ["18:30", "21:00"], ratePerDay: 1, durationMinutes: { mean: 20, sd: 5, min: 10, max: 40 } }`);
  const life = lifeOf(spec);
  let outings = 0;
  for (let day = 0; day < 200; day++) {
    const dayStartUs = spec.startUs + day * 86_400e6;
    const records = life.drawDay(day);
    records.forEach((r, i) => {
      if (r.activity !== 'leave_temporarily') return;
      outings++;
      const at = (r.timeUs - dayStartUs) / US_PER_MINUTE;
      assert.ok(at >= 18 * 60 + 30 && at <= 21 * 60, `outing at minute ${at} is in the evening window, never while away`);
      assert.equal(records[i + 1].activity, 'return_home');
      assert.ok(records[i + 2].timeUs - records[i + 1].timeUs >= MIN_STEP_GAP_MINUTES * US_PER_MINUTE);
    });
  }
  assert.ok(outings > 150, `${outings} evening outings in 200 days`);
});

const EVERY_DAY = '      workDays: [sun, mon, tue, wed, thu, fri, sat]';
const DAY_PLAN = `        - { activity: wake_up, at: "07:00", spreadMinutes: 0 }
        - { activity: leave_home, at: "08:00", spreadMinutes: 0 }
        - { activity: return_home, at: "17:00", spreadMinutes: 0 }
        - { activity: go_to_bed, at: "23:00", spreadMinutes: 0 }`;

test('ResidentLife takes its rotation\'s shifts in turn, with a day off after the night block', () => {
  const spec = home(`${EVERY_DAY}
      weekday:
${DAY_PLAN}
      weekend:
        - { activity: wake_up, at: "09:00", spreadMinutes: 0 }
        - { activity: go_to_bed, at: "23:30", spreadMinutes: 0 }
      rotation:
        everyDays: 2
        shifts:
          - weekday:
              - { activity: return_home, at: "07:00", spreadMinutes: 0 }
              - { activity: go_to_bed, at: "08:00", spreadMinutes: 0 }
              - { activity: wake_up, at: "15:00", spreadMinutes: 0 }
              - { activity: leave_home, at: "21:00", spreadMinutes: 0 }
            workNights: true`);
  const life = lifeOf(spec);
  const days = Array.from({ length: 6 }, (_, day) => names(life.drawDay(day)).join(' '));
  assert.deepEqual(days, [
    'wake_up leave_home return_home go_to_bed',
    'wake_up leave_home return_home go_to_bed',
    // Into the night block: asleep at midnight, so the first steps of the night plan do not follow; up at 15:00, off at 21:00.
    'wake_up leave_home',
    'return_home go_to_bed wake_up leave_home',
    // Back from the last night, then the rest day (the day-off plan) after it.
    'return_home go_to_bed wake_up go_to_bed',
    'wake_up leave_home return_home go_to_bed',
  ]);
});

test('ResidentLife drifts its plan: all of a day\'s steps move together, a random walk within its bounds', () => {
  const spec = home(`${EVERY_DAY}
      weekday:
${DAY_PLAN}
      drift: { sdMinutesPerDay: 10, maxMinutes: 45 }`);
  const life = lifeOf(spec);
  const offsets: number[] = [];
  for (let day = 0; day < 300; day++) {
    const dayStartUs = spec.startUs + day * 86_400e6;
    const at = minutes(life.drawDay(day), dayStartUs);
    const shift = at[0] - 7 * 60;
    assert.deepEqual(at.map((m) => Math.round((m - shift) * 1e6) / 1e6), [420, 480, 1020, 1380], `day ${day}: one shift for every step`);
    assert.ok(Math.abs(shift) <= 45 + 1e-9, `day ${day}: ${shift} within ±45`);
    offsets.push(shift);
  }
  // A walk, not noise: consecutive days are close (steps of sd 10), and it wanders over most of its range.
  const steps = offsets.slice(1).map((o, i) => Math.abs(o - offsets[i]));
  assert.ok(Math.max(...steps) < 50 && steps.reduce((a, b) => a + b, 0) / steps.length < 12, 'day-to-day steps of about 8 minutes (10 × √(2/π))');
  assert.ok(Math.max(...offsets) - Math.min(...offsets) > 45, 'it wanders');
});

test('ResidentLife fits naps (go_to_bed, wake_up) in its window while at home and awake', () => {
  const spec = home(`${EVERY_DAY}
      weekday:
${DAY_PLAN}
      naps:
        - { window: ["12:00", "20:00"], ratePerDay: 1, durationMinutes: { mean: 40, sd: 10, min: 20, max: 60 } }`);
  const life = lifeOf(spec);
  let naps = 0;
  for (let day = 0; day < 200; day++) {
    const dayStartUs = spec.startUs + day * 86_400e6;
    const records = life.drawDay(day);
    records.forEach((r, i) => {
      if (r.activity !== 'go_to_bed' || i === records.length - 1) return;
      naps++;
      const at = (r.timeUs - dayStartUs) / US_PER_MINUTE;
      assert.ok(at >= 17 * 60 && at <= 20 * 60, `a nap at minute ${at} is after coming home at 17:00`);
      const length = (records[i + 1].timeUs - r.timeUs) / US_PER_MINUTE;
      assert.ok(records[i + 1].activity === 'wake_up' && length >= 20 && length <= 60, `nap of ${length} minutes`);
    });
  }
  // Poisson(1) a day, fitted where the 3 of 8 window hours at home leave room: well over 40 in 200 days.
  assert.ok(naps > 40, `${naps} naps`);
});
