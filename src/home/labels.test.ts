import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simulateLife } from './life.js';
import { parseHomeSpec, type HomeSpec } from './spec.js';
import type { ActivityRecord, SimulatedUse } from './types.js';

const US_PER_MINUTE = 60e6;
const US_PER_DAY = 86_400e6;
const LABELS = '{ leaveHomeAfterMinutes: 120, returnAfterShortAbsence: false, sleepGapMinutes: 60, shortestNightMinutes: 180 }';

/**
 * A one-resident home whose weekday plan (steps at exact times, every day) is `plan`; the door
 * opens on every leave and return and the bed mat on every go_to_bed and wake_up, so each
 * activity's uses say how it was labelled.
 */
function home(plan: string, labels = LABELS): HomeSpec {
  return parseHomeSpec(
    `name: t
network: { routerMac: "b8:27:eb:00:00:01", routerIp: 192.168.3.1, publicIp: 203.0.113.1, ispMac: "f4:bd:9e:00:00:01", ispResolverIp: 198.51.100.1 }
devices:
  - { id: hub, kind: hub, vendor: Samsung SmartThings, mac: "24:fd:5b:00:00:01", ip: 192.168.3.10 }
  - { id: door, kind: contact, vendor: Samsung SmartThings, via: hub }
  - { id: bed, kind: pressure, vendor: Samsung SmartThings, via: hub }
residents:
  - id: r
    routine:
      workDays: [sun, mon, tue, wed, thu, fri, sat]
      weekday:
${plan
  .trim()
  .split('\n')
  .map((line) => `        - ${line.trim()}`)
  .join('\n')}
reactions:
  - { on: [leave_home, leave_temporarily, return_home], device: door, action: open, delaySeconds: [1, 1] }
  - { on: [go_to_bed], device: bed, action: press, delaySeconds: [1, 1] }
  - { on: [wake_up], device: bed, action: release, delaySeconds: [1, 1] }
labels: ${labels}
`,
    't.yaml',
  );
}

const step = (activity: string, at: string): string => `{ activity: ${activity}, at: "${at}", spreadMinutes: 0 }`;

/** Day `day` (of 5 lived) as "HH:MM activity" labels and "HH:MM device action cause" uses. */
function dayOf(spec: HomeSpec, day = 2): { labels: string[]; uses: string[] } {
  const days = [...simulateLife(spec, { days: 5, seed: 1 })];
  const start = days[day].dayStartUs;
  const hhmm = (timeUs: number): string => {
    const minutes = Math.round((timeUs - start) / US_PER_MINUTE);
    return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
  };
  return {
    labels: days[day].activities.map((a: ActivityRecord) => `${hhmm(a.timeUs)} ${a.activity}`),
    uses: days[day].events.map((e: SimulatedUse) => `${hhmm(e.timeUs)} ${e.device} ${e.action} ${e.cause}`),
  };
}

const NIGHT = [step('wake_up', '07:00'), step('go_to_bed', '23:00')];

test('labels: an absence of 2 h or more is leave_home and return_home, whatever the plan called it', () => {
  const { labels, uses } = dayOf(home([NIGHT[0], step('leave_temporarily', '09:00'), step('return_home', '11:00'), NIGHT[1]].join('\n')));
  assert.deepEqual(labels, ['07:00 wake_up', '09:00 leave_home', '11:00 return_home', '23:00 go_to_bed']);
  assert.ok(uses.includes('09:00 door open leave_home') && uses.includes('11:00 door open return_home'), uses.join('; '));
});

test('labels: an absence under 2 h is leave_temporarily, and its return is no label (its uses are noise)', () => {
  const { labels, uses } = dayOf(home([NIGHT[0], step('leave_home', '09:00'), step('return_home', '10:59'), NIGHT[1]].join('\n')));
  assert.deepEqual(labels, ['07:00 wake_up', '09:00 leave_temporarily', '23:00 go_to_bed']);
  assert.ok(uses.includes('09:00 door open leave_temporarily') && uses.includes('10:59 door open noise'), uses.join('; '));
});

test('labels: with returnAfterShortAbsence the return from a short absence is labelled', () => {
  const plan = [NIGHT[0], step('leave_home', '09:00'), step('return_home', '10:00'), NIGHT[1]].join('\n');
  const { labels } = dayOf(home(plan, LABELS.replace('returnAfterShortAbsence: false', 'returnAfterShortAbsence: true')));
  assert.deepEqual(labels, ['07:00 wake_up', '09:00 leave_temporarily', '10:00 return_home', '23:00 go_to_bed']);
});

test('labels: a nap gives no labels (the bed mat still reports it, as noise); a night shorter than 3 h neither', () => {
  const nap = dayOf(home([NIGHT[0], step('go_to_bed', '14:00'), step('wake_up', '15:30'), NIGHT[1]].join('\n')));
  assert.deepEqual(nap.labels, ['07:00 wake_up', '23:00 go_to_bed']);
  assert.ok(nap.uses.includes('14:00 bed press noise') && nap.uses.includes('15:30 bed release noise'), nap.uses.join('; '));
  // To bed at 04:01, up at 07:00: 2 h 59 min, no night at all; to bed at 03:59: 3 h 1 min, a night.
  assert.deepEqual(dayOf(home([step('wake_up', '07:00'), step('go_to_bed', '28:01')].join('\n'))).labels, []);
  assert.deepEqual(dayOf(home([step('wake_up', '07:00'), step('go_to_bed', '27:59')].join('\n'))).labels, ['07:00 wake_up', '27:59 go_to_bed']);
});

test('labels: sleeps less than an hour apart are one night (its first go_to_bed, its last wake_up)', () => {
  // Up at 03:00 for 40 min, then back to bed until 07:00: one sleep from 23:00 to 07:00.
  const plan = [step('wake_up', '03:00'), step('go_to_bed', '03:40'), step('wake_up', '07:00'), step('go_to_bed', '23:00')].join('\n');
  const { labels, uses } = dayOf(home(plan));
  assert.deepEqual(labels, ['07:00 wake_up', '23:00 go_to_bed']);
  assert.ok(uses.includes('03:00 bed release noise') && uses.includes('03:40 bed press noise'), uses.join('; '));
  // Up for 61 minutes: two sleeps in one night (starts minus 12 h on the same day); only the longer counts.
  const apart = dayOf(home([step('wake_up', '03:00'), step('go_to_bed', '04:01'), step('wake_up', '07:00'), step('go_to_bed', '23:00')].join('\n')));
  assert.deepEqual(apart.labels, ['03:00 wake_up', '23:00 go_to_bed']);
});

test('labels: per night only the longest sleep counts, even a long afternoon sleep against a shorter night', () => {
  // 12:30 to 17:00 (4.5 h) and 23:00 to 06:00 (7 h) start the same night (00:30 and 11:00 after the shift of 12 h).
  const plan = [step('wake_up', '06:00'), step('go_to_bed', '12:30'), step('wake_up', '17:00'), step('go_to_bed', '23:00')].join('\n');
  assert.deepEqual(dayOf(home(plan)).labels, ['06:00 wake_up', '23:00 go_to_bed']);
});

test('labels: a home without label rules keeps every activity as lived', () => {
  const spec = home([NIGHT[0], step('go_to_bed', '14:00'), step('wake_up', '15:00'), step('leave_home', '16:00'), step('return_home', '16:30'), NIGHT[1]].join('\n'));
  const plain: HomeSpec = { ...spec, labels: null };
  assert.deepEqual(dayOf(plain).labels, ['07:00 wake_up', '14:00 go_to_bed', '15:00 wake_up', '16:00 leave_home', '16:30 return_home', '23:00 go_to_bed']);
});

test('labels: a trip of several nights is one leave_home and, days later, one return_home', () => {
  const text = `name: t
network: { routerMac: "b8:27:eb:00:00:01", routerIp: 192.168.3.1, publicIp: 203.0.113.1, ispMac: "f4:bd:9e:00:00:01", ispResolverIp: 198.51.100.1 }
devices: [ { id: lamp, kind: light, vendor: LIFX, mac: "d0:73:d5:00:00:01", ip: 192.168.3.10 } ]
residents:
  - { id: a, routine: { weekday: [ ${NIGHT.join(', ')} ] } }
  - { id: b, routine: { weekday: [ ${NIGHT.join(', ')} ] } }
trips: [ { residents: [a, b], perYear: 40, nights: { mean: 3, sd: 1, min: 2, max: 5 }, leaveWindow: ["10:00", "12:00"], returnWindow: ["15:00", "17:00"] } ]
labels: ${LABELS}
`;
  const spec = parseHomeSpec(text, 't.yaml');
  const activities = [...simulateLife(spec, { days: 120, seed: 4 })].flatMap((d) => d.activities);
  for (const resident of ['a', 'b']) {
    const mine = activities.filter((a) => a.resident === resident);
    // The last trip may still be under way when the 120 days end.
    const leaves = mine.map((a, i) => [a, mine[i + 1]] as const).filter(([a, next]) => a.activity === 'leave_home' && next !== undefined);
    assert.ok(leaves.length >= 5, `${resident}: ${leaves.length} trips in 120 days at 40 a year`);
    for (const [leave, back] of leaves) {
      assert.equal(back.activity, 'return_home');
      const nights = Math.round((back.timeUs - leave.timeUs) / US_PER_DAY);
      assert.ok(nights >= 2 && nights <= 5, `${resident}: ${nights} nights`);
    }
    assert.equal(mine.filter((a) => a.activity === 'leave_temporarily').length, 0);
  }
  // The party leaves together: each leave of a has one of b within the party's 5 minutes.
  const leavesOf = (r: string): number[] => activities.filter((a) => a.resident === r && a.activity === 'leave_home').map((a) => a.timeUs);
  const bLeaves = leavesOf('b');
  for (const t of leavesOf('a')) assert.ok(bLeaves.some((u) => Math.abs(u - t) <= 5 * US_PER_MINUTE), 'b leaves with a');
});
