import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simulateLife } from './life.js';
import { MIN_STEP_GAP_MINUTES, ResidentLife } from './resident-life.js';
import { BUILTIN_HOMES, loadHomeSpec, parseHomeSpec, type HomeSpec } from './spec.js';
import { nextState, stateBefore, type ResidentState } from './spec-routine.js';
import type { ActivityRecord, DayOfLife, SimulatedUse } from './types.js';

const US_PER_MINUTE = 60e6;
const US_PER_DAY = 86_400e6;
const YEAR_DAYS = 365;

/**
 * A home without its label rules: every activity as lived is a label, so the activities replay as
 * the residents lived them (with rules, a short absence's return is lived but not labelled; the
 * rules themselves are checked in random-home.test.ts).
 */
function asLived(spec: HomeSpec): HomeSpec {
  return { ...spec, labels: null };
}

function live(spec: HomeSpec, days: number, seed: number): DayOfLife[] {
  return [...simulateLife(spec, { days, seed })];
}

/** Minutes after the day's midnight. */
function minuteOfDay(timeUs: number, dayStartUs: number): number {
  return (timeUs - dayStartUs) / US_PER_MINUTE;
}

function meanAndSd(values: readonly number[]): { mean: number; sd: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1);
  return { mean, sd: Math.sqrt(variance) };
}

/**
 * Replays activities in time order and calls `visit` with each one and, per resident, the state
 * before and after it; checks every step follows from the state before it.
 */
function replay(activities: readonly ActivityRecord[], visit: (a: ActivityRecord, before: ReadonlyMap<string, ResidentState>, after: ReadonlyMap<string, ResidentState>) => void): void {
  const states = new Map<string, ResidentState>();
  for (const a of activities) {
    if (!states.has(a.resident)) states.set(a.resident, stateBefore(a.activity));
    const before = new Map(states);
    const next = nextState(states.get(a.resident)!, a.activity);
    assert.notEqual(next, null, `${a.resident}: ${a.activity} at ${new Date(a.timeUs / 1000).toISOString()} while ${states.get(a.resident)}`);
    states.set(a.resident, next!);
    visit(a, before, states);
  }
}

const isHome = (s: ResidentState | undefined): boolean => s === 'asleep' || s === 'awake';

test('simulateLife() gives the same days for the same seed and other days for another seed', () => {
  const spec = loadHomeSpec('family');
  const a = live(spec, 40, 7);
  assert.deepEqual(live(spec, 40, 7), a);
  const b = live(spec, 40, 8);
  assert.notDeepEqual(b.map((d) => d.activities), a.map((d) => d.activities));
  assert.notDeepEqual(b.map((d) => d.events), a.map((d) => d.events));
});

test('simulateLife() lives the first days the same whether it is asked for more or fewer', () => {
  const spec = loadHomeSpec('couple-shifts');
  assert.deepEqual(live(spec, 30, 3), live(spec, 60, 3).slice(0, 30));
});

test('simulateLife() yields lazily, one day at a time', () => {
  const started = performance.now();
  const first = simulateLife(loadHomeSpec('paper'), { days: 1_000_000, seed: 1 }).next();
  assert.equal(first.done, false);
  assert.ok(performance.now() - started < 500, 'the first day of a million comes at once');
});

test('simulateLife() rejects a bad number of days and yields nothing for zero', () => {
  const spec = loadHomeSpec('paper');
  assert.throws(() => live(spec, -1, 1), RangeError);
  assert.throws(() => live(spec, 1.5, 1), RangeError);
  assert.deepEqual(live(spec, 0, 1), []);
});

for (const name of BUILTIN_HOMES) {
  test(`simulateLife() keeps every resident of ${name} consistent for a year, in order, with the least gap`, () => {
    const spec = asLived(loadHomeSpec(name));
    const days = live(spec, YEAR_DAYS, 11);
    assert.equal(days.length, YEAR_DAYS);
    const all: ActivityRecord[] = [];
    const lastUs = new Map<string, number>();
    days.forEach((day, i) => {
      assert.equal(day.dayStartUs, spec.startUs + i * US_PER_DAY);
      for (let j = 1; j < day.activities.length; j++) assert.ok(day.activities[j].timeUs >= day.activities[j - 1].timeUs, `${name} day ${i}: activities in order`);
      for (let j = 1; j < day.events.length; j++) assert.ok(day.events[j].timeUs >= day.events[j - 1].timeUs, `${name} day ${i}: events in order`);
      for (const a of day.activities) {
        assert.ok(a.timeUs >= day.dayStartUs, `${name} day ${i}: no activity before the day's midnight`);
        const previous = lastUs.get(a.resident);
        if (previous !== undefined) assert.ok(a.timeUs - previous >= MIN_STEP_GAP_MINUTES * US_PER_MINUTE, `${name}: ${a.resident} keeps ${MIN_STEP_GAP_MINUTES} minutes between steps`);
        lastUs.set(a.resident, a.timeUs);
      }
      all.push(...day.activities);
    });
    all.sort((a, b) => a.timeUs - b.timeUs);
    replay(all, () => undefined);
    for (const resident of spec.residents) {
      const times = all.filter((a) => a.resident === resident.id).map((a) => a.timeUs);
      assert.ok(times.length > YEAR_DAYS, `${name}: ${resident.id} lives (${times.length} activities)`);
      let longest = 0;
      for (let j = 1; j < times.length; j++) longest = Math.max(longest, times[j] - times[j - 1]);
      assert.ok(longest < 2 * US_PER_DAY, `${name}: ${resident.id} is never stuck (longest quiet ${(longest / 3.6e9).toFixed(1)} h)`);
    }
  });

  test(`simulateLife() in ${name} arms an alarm on leaving only when the home becomes empty, and disarms on return only when it was empty`, () => {
    const spec = asLived(loadHomeSpec(name));
    const days = live(spec, YEAR_DAYS, 12);
    const activities = days.flatMap((d) => d.activities).sort((a, b) => a.timeUs - b.timeUs);
    // Whether the home was empty before and after each activity; unknown until every resident's state is.
    const emptyBefore = new Map<ActivityRecord, boolean>();
    const emptyAfter = new Map<ActivityRecord, boolean>();
    const allKnown = (states: ReadonlyMap<string, ResidentState>): boolean => states.size === spec.residents.length;
    replay(activities, (a, before, after) => {
      if (allKnown(before)) emptyBefore.set(a, ![...before.values()].some(isHome));
      if (allKnown(after)) emptyAfter.set(a, ![...after.values()].some(isHome));
    });
    const causeOf = (e: SimulatedUse): ActivityRecord => {
      const candidates = activities.filter((a) => a.resident === e.resident && a.activity === e.cause && a.timeUs <= e.timeUs);
      return candidates[candidates.length - 1];
    };
    let arms = 0;
    let checked = 0;
    for (const e of days.flatMap((d) => d.events)) {
      if (e.kind !== 'alarm' || e.cause === 'noise') continue;
      const at = new Date(e.timeUs / 1000).toISOString();
      if (e.action === 'arm' && (e.cause === 'leave_home' || e.cause === 'leave_temporarily')) {
        arms++;
        const empty = emptyAfter.get(causeOf(e));
        if (empty !== undefined) checked++;
        assert.notEqual(empty, false, `${name}: arm at ${at} while someone is home`);
      }
      if (e.action === 'disarm' && e.cause === 'return_home') {
        const empty = emptyBefore.get(causeOf(e));
        if (empty !== undefined) checked++;
        assert.notEqual(empty, false, `${name}: disarm at ${at} though someone was home`);
      }
    }
    if (spec.devices.some((d) => d.kind === 'alarm')) assert.ok(arms > 50 && checked > 100, `${name}: the alarm is armed when the home empties (${arms} arms, ${checked} checked)`);
  });
}

test('simulateLife() in the paper home arms the alarm on every leave_home (the home of one becomes empty)', () => {
  const days = live(loadHomeSpec('paper'), YEAR_DAYS, 5);
  const leaves = days.flatMap((d) => d.activities).filter((a) => a.activity === 'leave_home').length;
  const arms = days.flatMap((d) => d.events).filter((e) => e.kind === 'alarm' && e.action === 'arm' && e.cause === 'leave_home').length;
  assert.equal(arms, leaves);
  assert.ok(leaves >= YEAR_DAYS - 5, 'the resident leaves nearly every day');
});

/**
 * The paper home over ten years with a fixed seed: its routine's times and rates come out as the
 * spec says. Tolerances and why they are safe (n is the number of values averaged):
 * - step means within ±5 min: the standard error of a mean is spread/√n, 10/√3650 = 0.17 min for
 *   wake_up (30/√3650 = 0.5 min for return_home), so ±5 min is 10+ standard errors;
 * - step standard deviations within ±15% of the spread: the standard error of a sample sd is about
 *   sd/√(2n) = 1.2% of it, so ±15% is 12 standard errors;
 * - outings per day within ±10% of the rate 0.3: a Poisson count over 3650 days has mean 1095 and
 *   standard error √1095 = 33 (3.0%), so ±10% is 3.3 standard errors (and outings that do not fit
 *   are redrawn, so few are lost);
 * - outing durations within ±10% of the 45-minute mean: standard error 15/√1095 = 0.45 min (1%);
 * - the light's 0.9 chance on return_home within ±0.03: the standard error of a proportion over
 *   ~4700 returns is √(0.09/4700) = 0.0044, so ±0.03 is 6.8 standard errors.
 */
test('simulateLife() follows the paper home\'s routine: step times, outings per day, reaction probabilities', () => {
  const spec = loadHomeSpec('paper');
  const days = live(spec, 10 * YEAR_DAYS, 2018);
  // The first of each activity in a day is the plan's step (an outing's return_home comes later).
  const firstOfDay = (activity: string): number[] =>
    days.flatMap((day) => {
      const a = day.activities.find((x) => x.activity === activity);
      return a === undefined ? [] : [minuteOfDay(a.timeUs, day.dayStartUs)];
    });
  for (const planned of spec.residents[0].routine.weekday) {
    const { activity, atMinutes: mean, spreadMinutes: spread } = planned;
    const minutes = firstOfDay(activity);
    assert.ok(minutes.length >= days.length * 0.99, `${activity} happens every day (${minutes.length})`);
    const got = meanAndSd(minutes);
    assert.ok(Math.abs(got.mean - mean) <= 5, `${activity} mean ${got.mean.toFixed(1)} vs ${mean}`);
    assert.ok(Math.abs(got.sd - spread) <= 0.15 * spread, `${activity} sd ${got.sd.toFixed(1)} vs ${spread}`);
  }
  const outing = spec.residents[0].routine.outings[0];
  const all = days.flatMap((d) => d.activities);
  const outings = all.filter((a) => a.activity === 'leave_temporarily');
  const perDay = outings.length / days.length;
  assert.ok(Math.abs(perDay - outing.ratePerDay) <= 0.1 * outing.ratePerDay, `outings per day ${perDay.toFixed(3)} vs ${outing.ratePerDay}`);
  const durations = outings.map((o) => (all[all.indexOf(o) + 1].timeUs - o.timeUs) / US_PER_MINUTE);
  assert.ok(all.every((a, i) => a.activity !== 'leave_temporarily' || all[i + 1].activity === 'return_home'), 'every outing ends with return_home');
  assert.ok(Math.abs(meanAndSd(durations).mean - outing.durationMinutes.mean) <= 0.1 * outing.durationMinutes.mean, `outing mean ${meanAndSd(durations).mean.toFixed(1)} min`);
  assert.ok(durations.every((d) => d >= outing.durationMinutes.min - 1e-6 && d <= outing.durationMinutes.max + 1e-6), 'durations stay in [min, max]');
  for (const o of outings) {
    const minute = minuteOfDay(o.timeUs, spec.startUs + Math.floor((o.timeUs - spec.startUs) / US_PER_DAY) * US_PER_DAY);
    assert.ok(minute >= outing.windowMinutes[0] && minute <= outing.windowMinutes[1], `outing at minute ${minute} is in its window`);
  }
  const returns = all.filter((a) => a.activity === 'return_home').length;
  const lightsOn = days.flatMap((d) => d.events).filter((e) => e.device === 'smart-light' && e.action === 'on' && e.cause === 'return_home').length;
  assert.ok(Math.abs(lightsOn / returns - 0.9) <= 0.03, `light on at ${((100 * lightsOn) / returns).toFixed(1)}% of returns`);
});

/**
 * A family resident over three years (seed fixed): on work days the weekday plan's wake-up, on days
 * off and holidays the weekend plan's. Work days: ~3 × (261 - 25 - 10) = 678 wake-ups of spread 10,
 * so the mean's standard error is 0.38 min (±5 min is 13 of them) and the sd's about 2.7% (±15% is
 * 5.5 of them); days off: ~3 × (104 + 25) = 387 wake-ups of spread 40, standard error 2.0 min for
 * the mean (±8 min is 3.9 of them) and 3.6% for the sd (±15% is 4.2 of them).
 */
test('simulateLife() wakes a family resident as the weekday plan says on work days and as the weekend plan says on days off', () => {
  const spec = loadHomeSpec('family');
  const seed = 31;
  const days = live(spec, 3 * YEAR_DAYS, seed);
  const index = spec.residents.findIndex((r) => r.id === 'parent-office');
  const resident = spec.residents[index];
  const kinds = new ResidentLife(resident, index, seed, spec.startUs);
  const work: number[] = [];
  const off: number[] = [];
  let holidays = 0;
  days.forEach((day, i) => {
    const kind = kinds.dayKind(i);
    if (kind === 'holiday') holidays++;
    const wake = day.activities.find((a) => a.resident === resident.id && a.activity === 'wake_up');
    if (wake === undefined) return;
    (kind === 'work' || kind === 'home' ? work : off).push(minuteOfDay(wake.timeUs, day.dayStartUs));
  });
  assert.equal(holidays, 3 * resident.routine.holidaysPerYear);
  const [weekday, weekend] = [resident.routine.weekday[0], resident.routine.weekend[0]];
  for (const [what, minutes, planned, tolerance] of [['work days', work, weekday, 5], ['days off', off, weekend, 8]] as const) {
    const got = meanAndSd(minutes);
    assert.ok(minutes.length > 300, `${what}: ${minutes.length} wake-ups`);
    assert.ok(Math.abs(got.mean - planned.atMinutes) <= tolerance, `${what}: mean ${got.mean.toFixed(1)} vs ${planned.atMinutes}`);
    assert.ok(Math.abs(got.sd - planned.spreadMinutes) <= 0.15 * planned.spreadMinutes, `${what}: sd ${got.sd.toFixed(1)} vs ${planned.spreadMinutes}`);
  }
});

/** A resident with 20 holidays and 10 days at home a year: weekday wake 06:00, day-off wake 10:00. */
const SPECIAL_DAYS_SPEC = `
name: special-days
network: { routerMac: "b8:27:eb:00:00:01", routerIp: 192.168.3.1, publicIp: 203.0.113.1, ispMac: "f4:bd:9e:00:00:01", ispResolverIp: 198.51.100.1 }
devices:
  - { id: lamp, kind: light, vendor: LIFX, mac: "d0:73:d5:00:00:01", ip: 192.168.3.10 }
residents:
  - id: worker
    routine:
      holidaysPerYear: 20
      daysAtHomePerYear: 10
      weekday:
        - { activity: wake_up, at: "06:00", spreadMinutes: 5 }
        - { activity: leave_home, at: "07:00", spreadMinutes: 5 }
        - { activity: return_home, at: "17:00", spreadMinutes: 5 }
        - { activity: go_to_bed, at: "22:00", spreadMinutes: 5 }
      weekend:
        - { activity: wake_up, at: "10:00", spreadMinutes: 5 }
        - { activity: go_to_bed, at: "23:00", spreadMinutes: 5 }
noise:
  - { device: lamp, action: "on", window: ["00:00", "24:00"], ratePerHour: 2, when: someone_awake }
`;

test('simulateLife() spends exactly the year\'s holidays like weekends and its days at home without leaving', () => {
  const spec = parseHomeSpec(SPECIAL_DAYS_SPEC, 'special-days.yaml');
  const days = live(spec, YEAR_DAYS, 99);
  let holidays = 0;
  let atHome = 0;
  let workDays = 0;
  for (const day of days) {
    const weekday = new Date(day.dayStartUs / 1000).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    workDays++;
    const wake = day.activities.find((a) => a.activity === 'wake_up')!;
    const left = day.activities.some((a) => a.activity === 'leave_home');
    if (minuteOfDay(wake.timeUs, day.dayStartUs) > 9 * 60) holidays++;
    else if (!left) atHome++;
  }
  assert.equal(workDays, 261);
  assert.equal(holidays, 20);
  assert.equal(atHome, 10);
});

/**
 * Noise "while someone is awake" at 2 an hour: it happens only while the resident is at home and
 * awake, at the stated rate. Over a year the resident is awake at home ~4500 hours, so ~9000 uses
 * are expected; a Poisson count's standard error is √9000 = 95 (1.1%), so ±5% is 4.7 of them.
 */
test('simulateLife() makes noise only while its condition holds, at its rate', () => {
  const spec = parseHomeSpec(SPECIAL_DAYS_SPEC, 'special-days.yaml');
  const days = live(spec, YEAR_DAYS, 100);
  const activities = days.flatMap((d) => d.activities);
  const noise = days.flatMap((d) => d.events).filter((e) => e.cause === 'noise');
  // Awake-at-home intervals from the activities.
  const awake: [number, number][] = [];
  let since: number | null = null;
  replay(activities, (a, _before, after) => {
    if (after.get('worker') === 'awake' && since === null) since = a.timeUs;
    if (after.get('worker') !== 'awake' && since !== null) {
      awake.push([since, a.timeUs]);
      since = null;
    }
  });
  const awakeHours = awake.reduce((sum, [from, to]) => sum + (to - from) / 3.6e9, 0);
  for (const e of noise) {
    assert.ok(awake.some(([from, to]) => e.timeUs >= from && e.timeUs < to), `noise at ${new Date(e.timeUs / 1000).toISOString()} while awake`);
    assert.equal(e.resident, 'worker');
  }
  const inIntervals = noise.filter((e) => e.timeUs < awake[awake.length - 1][1]).length;
  assert.ok(Math.abs(inIntervals / awakeHours - 2) <= 0.1, `${(inIntervals / awakeHours).toFixed(3)} an hour awake`);
});

test('simulateLife() gives the night worker mornings coming home and days asleep', () => {
  const days = live(loadHomeSpec('night-shift'), YEAR_DAYS, 4);
  const minutes = (activity: string): number[] =>
    days.flatMap((d) => d.activities.filter((a) => a.activity === activity).map((a) => minuteOfDay(a.timeUs, d.dayStartUs)));
  const morningReturns = minutes('return_home').filter((m) => m >= 6 * 60 && m <= 9 * 60).length;
  const morningBeds = minutes('go_to_bed').filter((m) => m >= 7 * 60 && m <= 11 * 60).length;
  const eveningLeaves = minutes('leave_home').filter((m) => m >= 20 * 60 && m <= 23 * 60).length;
  // Four shifts a week less 20 holidays and 4 days at home: about 184 shifts.
  assert.ok(eveningLeaves >= 170 && eveningLeaves <= 200, `${eveningLeaves} shifts`);
  assert.ok(Math.abs(morningReturns - eveningLeaves) <= 2, `${morningReturns} mornings back`);
  assert.ok(morningBeds >= morningReturns - 2, `${morningBeds} mornings to bed`);
});

test('simulateLife() lives a year of the family home in well under a second', () => {
  const spec = loadHomeSpec('family');
  live(spec, 30, 1); // warm up
  const started = performance.now();
  const days = live(spec, YEAR_DAYS, 1);
  const ms = performance.now() - started;
  assert.equal(days.length, YEAR_DAYS);
  assert.ok(ms < 1000, `a year took ${ms.toFixed(0)} ms`);
});

/** The family home, and a copy of it changed by `change` (its life otherwise the same). */
function familyWith(change: (spec: HomeSpec) => HomeSpec): [HomeSpec, HomeSpec] {
  const spec = loadHomeSpec('family');
  return [spec, change(spec)];
}

test('simulateLife() loses and delays a faulty device\'s reports by their chances, and leaves the rest of the life alone', () => {
  const [plain, faulty] = familyWith((spec) => ({
    ...spec,
    devices: spec.devices.map((d) => (d.kind === 'light' ? { ...d, reports: { missProbability: 0.2, lateProbability: 0.3, lateSeconds: [100, 200] as const } } : d)),
  }));
  const before = live(plain, 120, 5);
  const after = live(faulty, 120, 5);
  assert.deepEqual(after.map((d) => d.activities), before.map((d) => d.activities));
  const key = (e: SimulatedUse): string => `${e.device} ${e.action} ${e.cause} ${e.resident}`;
  let lights = 0;
  let lost = 0;
  let late = 0;
  before.forEach((day, i) => {
    const others = (events: readonly SimulatedUse[]): SimulatedUse[] => events.filter((e) => e.kind !== 'light');
    assert.deepEqual(others(after[i].events), others(day.events));
    const left = after[i].events.filter((e) => e.kind === 'light');
    for (const e of day.events.filter((e) => e.kind === 'light')) {
      lights++;
      const same = left.findIndex((f) => f.timeUs === e.timeUs && key(f) === key(e));
      if (same >= 0) {
        left.splice(same, 1);
        continue;
      }
      const moved = left.findIndex((f) => key(f) === key(e) && f.timeUs - e.timeUs >= 100e6 && f.timeUs - e.timeUs <= 200e6);
      if (moved >= 0) {
        left.splice(moved, 1);
        late++;
      } else {
        lost++;
      }
    }
    assert.equal(left.length, 0, 'every reported use is one of the lived ones');
  });
  // Binomial: with n ≈ 2000 light uses, the standard errors of 20% and 30% are about 0.9 and 1.0 points; ±4 points is 4σ.
  assert.ok(lights > 1000, `${lights} light uses`);
  assert.ok(Math.abs(lost / lights - 0.2) < 0.04, `${lost} of ${lights} lost`);
  assert.ok(Math.abs(late / lights - 0.3) < 0.04, `${late} of ${lights} late`);
});

test('simulateLife() stamps device uses with the reports\' clock (offset and drift), never the activities', () => {
  const [plain, skewed] = familyWith((spec) => ({ ...spec, clock: { offsetSeconds: -40, driftSecondsPerDay: 6 } }));
  const before = live(plain, 30, 2);
  const after = live(skewed, 30, 2);
  assert.deepEqual(after.map((d) => d.activities), before.map((d) => d.activities));
  before.forEach((day, i) => {
    const expected = day.events.map((e) => e.timeUs + Math.round((-40 + (6 * (e.timeUs - plain.startUs)) / US_PER_DAY) * 1e6)).sort((a, b) => a - b);
    assert.deepEqual(after[i].events.map((e) => e.timeUs), expected);
  });
});
