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
