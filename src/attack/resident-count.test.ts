import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DeviceUse } from '../core/device-use.js';
import type { AttackKind } from '../core/kinds.js';
import { Random } from '../core/random.js';
import { activityId } from '../core/activities.js';
import { countDay, countStates, DEFAULT_COUNT, residentGains } from './resident-count.js';
import { fitResidentRates, MOVES, type ResidentRates } from './resident-rates.js';
import { DEFAULT_STRUCTURE, structuredDay, type StructuredActivity } from './structured-day.js';
import { parseStructure, StructuredPreset, structureJson } from './structured-preset.js';
import { DAY0_US, MIN, NEXT, at, busy as busyUses, hm, randomUses, shown } from './test-days.js';

const ROOMS: [string, AttackKind][] = [['kitchen-pir', 'motion'], ['kettle', 'plug'], ['bathroom-pir', 'motion'], ['hall', 'light'], ['tv', 'plug']];

function busy(rng: Random, day: number, from: string, to: string, everyMin: number): DeviceUse<AttackKind>[] {
  return busyUses(rng, day, from, to, everyMin, ROOMS, Math.floor(rng.next() * ROOMS.length));
}

const door = (day: number, time: string): DeviceUse<AttackKind> => ({ timeUs: at(day, hm(time)), device: 'front', kind: 'door' });

/**
 * Hand-made rates per resident-hour: waking from 06:00 to 10:00, going to bed from 21:00 to 01:00,
 * leaving and coming back in the day, each seldom outside its hours.
 */
function handRates(): ResidentRates {
  const hours = (from: number, to: number, inside: number, outside: number): number[] =>
    Array.from({ length: 24 }, (_, h) => ((from <= to ? h >= from && h < to : h >= from || h < to) ? inside : outside));
  const alone = { wake: hours(6, 10, 0.5, 0.01), bed: hours(21, 1, 0.5, 0.01), leave: hours(8, 20, 0.1, 0.01), return: hours(8, 22, 0.3, 0.05) };
  return { ...alone, joining: alone };
}

const PARAMS = { ...DEFAULT_STRUCTURE, residentRates: handRates() };

/**
 * A couple's day, the home used every 4 min while one is up and every 80 s while both are (each use
 * of one room in turn): A up at 07:00, B at 08:00; B out through the front door from 10:00 to
 * `backB`; B to bed at 22:00, A at 23:00.
 */
function coupleDay(rng: Random, d: number, backB: string): DeviceUse<AttackKind>[] {
  const back = hm(backB);
  const after = `${String(Math.floor((back + 2) / 60)).padStart(2, '0')}:${String((back + 2) % 60).padStart(2, '0')}`;
  return [
    ...busy(rng, d, '07:00', '08:00', 4),
    ...busy(rng, d, '08:00', '10:00', 4 / 3),
    door(d, '10:00'),
    ...busy(rng, d, '10:02', backB, 4),
    door(d, backB),
    ...busy(rng, d, after, '22:00', 4 / 3),
    ...busy(rng, d, '22:00', '23:00', 4),
  ];
}

function couple(days: number, backB: string): DeviceUse<AttackKind>[] {
  const rng = new Random(3);
  return Array.from({ length: days }, (_, d) => coupleDay(rng, d, backB))
    .flat()
    .sort((a, b) => a.timeUs - b.timeUs);
}

/**
 * What the decoder promises: each resident's own sequence possible (a return only after their leave,
 * a waking only after their going to bed), in time order, every resident between 0 and R − 1, so
 * the count at home and asleep stays within 0..R.
 */
function assertPossible(day: readonly StructuredActivity[], residents: number, what: string): void {
  assert.ok(day.every((a) => a.resident !== undefined && Number.isInteger(a.resident) && a.resident >= 0 && a.resident < residents), `${what}: a resident outside 0..${residents - 1}`);
  for (let r = 0; r < residents; r++) {
    const own = day.filter((a) => a.resident === r);
    for (let i = 1; i < own.length; i++) {
      assert.ok(NEXT[own[i - 1].activity].includes(own[i].activity), `${what}, resident ${r}: ${own[i - 1].activity} then ${own[i].activity}\n${shown(own).join('\n')}`);
      assert.ok(own[i].timeUs >= own[i - 1].timeUs, `${what}, resident ${r}: in time order`);
    }
  }
  for (let i = 1; i < day.length; i++) assert.ok(day[i].timeUs >= day[i - 1].timeUs, `${what}: the day in time order`);
}

const onDay = (day: readonly StructuredActivity[], d: number, activity: string): string[] =>
  shown(day.filter((a) => a.activity === activity && Math.floor((a.timeUs - DAY0_US) / (24 * 60 * MIN)) === d));

const near = (line: string, time: string, minutes: number): boolean => Math.abs(hm(line.split(' ')[1]) - hm(time)) <= minutes;

test('countStates() lists every (at home, asleep) with 0 ≤ asleep ≤ at home ≤ R: 21 for five residents', () => {
  assert.equal(countStates(5).length, 21);
  assert.deepEqual(countStates(1), [
    { home: 0, asleep: 0 },
    { home: 1, asleep: 0 },
    { home: 1, asleep: 1 },
  ]);
});

test('a couple waking an hour apart gives two wake_ups a morning and two goings to bed a night, one each', () => {
  const day = countDay(couple(7, '11:00'), PARAMS, 2, PARAMS.residentRates).activities;
  const lines = shown(day);
  for (let d = 1; d < 6; d++) {
    const wakes = onDay(day, d, 'wake_up');
    assert.equal(wakes.length, 2, lines.join('\n'));
    assert.ok(near(wakes[0], '07:00', 15) && near(wakes[1], '08:00', 15), wakes.join(', '));
    const beds = onDay(day, d, 'go_to_bed');
    assert.equal(beds.length, 2, lines.join('\n'));
    assert.ok(near(beds[0], '22:00', 15) && near(beds[1], '23:00', 15), beds.join(', '));
  }
  assertPossible(day, 2, 'the couple');
});

test('an absence shorter than the 2 h line is leave_temporarily with no return; a longer one is leave_home and return_home', () => {
  for (const [backB, expected] of [
    ['11:00', ['leave_temporarily']],
    ['13:00', ['leave_home', 'return_home']],
  ] as const) {
    const day = countDay(couple(7, backB), PARAMS, 2, PARAMS.residentRates).activities;
    const lines = shown(day);
    for (let d = 1; d < 6; d++) {
      const midday = day.filter((a) => a.timeUs >= at(d, hm('09:40')) && a.timeUs < at(d, hm(backB) + 20) && a.activity !== 'wake_up');
      assert.deepEqual(
        midday.map((a) => a.activity),
        expected,
        `B back at ${backB}, day ${d}\n${lines.join('\n')}`,
      );
      assert.ok(Math.abs(midday[0].timeUs - at(d, hm('10:00'))) <= 5 * MIN, `the leave on the door: ${shown(midday).join(', ')}`);
      // The one who leaves is the one who comes back.
      if (midday.length === 2) assert.equal(midday[0].resident, midday[1].resident);
    }
    assertPossible(day, 2, `B back at ${backB}`);
  }
});

test('whatever the uses, no resident\'s day holds an impossible sequence, for 1 to 5 residents', () => {
  for (let residents = 1; residents <= 5; residents++) {
    for (let seed = 1; seed <= 6; seed++) {
      const uses = randomUses(new Random(1000 * residents + seed), 60, 300);
      const day = countDay(uses, PARAMS, residents, PARAMS.residentRates).activities;
      assertPossible(day, residents, `${residents} residents, seed ${seed}`);
      // A sleeper wakes at most once a night: no resident wakes twice without going to bed between (NEXT), and every confidence is a probability.
      assert.ok(day.every((a) => a.confidence >= 0 && a.confidence <= 1 && Number.isFinite(a.timeUs)));
    }
  }
});

test('a night read from a quiet home: every resident who went to bed wakes once in the morning, none twice', () => {
  const rng = new Random(11);
  const uses: DeviceUse<AttackKind>[] = [];
  for (let d = 0; d < 5; d++) uses.push(...busy(rng, d, '07:00', '23:00', 2));
  uses.sort((a, b) => a.timeUs - b.timeUs);
  const day = countDay(uses, PARAMS, 3, PARAMS.residentRates).activities;
  for (let d = 1; d < 4; d++) {
    const wakes = day.filter((a) => a.activity === 'wake_up' && a.timeUs >= at(d - 1, hm('23:00')) && a.timeUs < at(d, hm('12:00')));
    const beds = day.filter((a) => a.activity === 'go_to_bed' && a.timeUs >= at(d - 1, hm('18:00')) && a.timeUs < at(d, hm('06:00')));
    assert.ok(wakes.length <= beds.length, `night ${d}: ${wakes.length} wakings for ${beds.length} goings to bed\n${shown(day).join('\n')}`);
    assert.equal(new Set(wakes.map((a) => a.resident)).size, wakes.length, `night ${d}: one waking per sleeper`);
  }
  assertPossible(day, 3, 'a quiet home');
});

test('the structured preset reads several residents by the count decoder where the model has its rates, by the home\'s chain and the others beside it where not, and one resident by the home\'s chain alone', () => {
  const uses = couple(3, '11:00');
  const times = (entries: { timeUs: number; activity: string }[]): string[] => entries.map((e) => `${e.timeUs} ${e.activity}`);
  assert.deepEqual(times(new StructuredPreset(PARAMS, 1).day(uses)), times(structuredDay(uses, DEFAULT_STRUCTURE, 1).activities));
  assert.deepEqual(times(new StructuredPreset(PARAMS, 2).day(uses)), times(countDay(uses, PARAMS, 2, PARAMS.residentRates).activities));
  assert.deepEqual(times(new StructuredPreset(DEFAULT_STRUCTURE, 2).day(uses)), times(structuredDay(uses, DEFAULT_STRUCTURE, 2).activities));
  assert.notDeepEqual(times(countDay(uses, PARAMS, 2, PARAMS.residentRates).activities), times(structuredDay(uses, DEFAULT_STRUCTURE, 2).activities));
});

test('structure.json keeps the residents\' rates, and a bad rate is named by its field', () => {
  const back = parseStructure(JSON.parse(JSON.stringify(structureJson(PARAMS))));
  assert.deepEqual(back.residentRates, PARAMS.residentRates);
  assert.equal(parseStructure(JSON.parse(JSON.stringify(structureJson(DEFAULT_STRUCTURE)))).residentRates, undefined);
  const bad = JSON.parse(JSON.stringify(structureJson(PARAMS)));
  bad.residentRates.bed[5] = -1;
  assert.throws(() => parseStructure(bad), /residentRates\.bed\[5\]: expected a rate above 0/);
  delete bad.residentRates.wake;
  assert.throws(() => parseStructure(bad), /residentRates\.wake: expected 24 rates/);
});

test('fitResidentRates() counts each move per hour spent in the state it leaves', () => {
  // One resident, 20 days: to bed at 23:00, up at 07:00, out from 09:00 to 17:00.
  const activities = [];
  for (let d = 0; d < 20; d++) {
    activities.push({ timeUs: at(d, hm('07:00')) + 5 * MIN, activity: activityId('wake_up'), resident: 'a' });
    activities.push({ timeUs: at(d, hm('09:00')) + 5 * MIN, activity: activityId('leave_home'), resident: 'a' });
    activities.push({ timeUs: at(d, hm('17:00')) + 5 * MIN, activity: activityId('return_home'), resident: 'a' });
    activities.push({ timeUs: at(d, hm('23:00')) + 5 * MIN, activity: activityId('go_to_bed'), resident: 'a' });
  }
  const rates = fitResidentRates([{ activities }]);
  for (const m of MOVES) assert.equal(rates[m].length, 24);
  // 19 wakings in 19 × 5 min asleep at 07:00-07:05: far above any other hour's (an hour never spent
  // asleep keeps the day's rate, 19 wakings in 19 × 8 h).
  const peak = (m: (typeof MOVES)[number], hour: number): void => {
    for (let h = 0; h < 24; h++) if (h !== hour) assert.ok(rates[m][hour] > 5 * rates[m][h], `${m}: hour ${hour} ${rates[m][hour]} against hour ${h} ${rates[m][h]}`);
  };
  peak('wake', 7);
  peak('leave', 9);
  peak('return', 17);
  peak('bed', 23);
});

test('fitResidentRates() counts a move apart when another resident is already where it goes', () => {
  // A up at 06:05, B at 08:05, both to bed at 23:05, 20 days: A's waking is alone (nobody up), B's joins A.
  const activities = [];
  for (let d = 0; d < 20; d++) {
    activities.push({ timeUs: at(d, hm('06:05')), activity: activityId('wake_up'), resident: 'a' });
    activities.push({ timeUs: at(d, hm('08:05')), activity: activityId('wake_up'), resident: 'b' });
    activities.push({ timeUs: at(d, hm('23:05')), activity: activityId('go_to_bed'), resident: 'a' });
    activities.push({ timeUs: at(d, hm('23:06')), activity: activityId('go_to_bed'), resident: 'b' });
  }
  const rates = fitResidentRates([{ activities }]);
  // At 06:00-07:00 a waking alone is A's, every day; one joining (B's, A up) never comes then.
  assert.ok(rates.wake[6] > 3 * rates.joining.wake[6], `alone ${rates.wake[6]}, joining ${rates.joining.wake[6]}`);
  assert.ok(rates.joining.wake[8] > 3 * rates.joining.wake[6], `joining at 08:00 ${rates.joining.wake[8]}, at 06:00 ${rates.joining.wake[6]}`);
});

test('the count decoder rejects a number of residents that is not a whole number from 1', () => {
  const uses = couple(1, '11:00');
  assert.throws(() => countDay(uses, PARAMS, 0, PARAMS.residentRates), /residents must be a whole number/);
  assert.deepEqual(countDay([], PARAMS, 2, PARAMS.residentRates), { activities: [], segments: [] });
  assert.equal(DEFAULT_COUNT.rounds >= 0, true);
});

/**
 * A couple's fortnight with a lock used only as the home empties and fills (by the last one out and
 * the first one back, as the simulator's locks and many real ones) and, when `camera`, a camera at
 * the front that films every coming and going: A and B up at 07:00 and 07:30, to bed at 22:00 and
 * 22:30; on even days both out together from 10:00 to 16:00 (lock and camera), on odd days B out
 * alone from 10:00 to `backB` (camera only: A is in, so no lock).
 */
function lockedCouple(camera: boolean, backB: string): DeviceUse<AttackKind>[] {
  const rng = new Random(5);
  const lock = (d: number, time: string, late: number): DeviceUse<AttackKind> => ({ timeUs: at(d, hm(time)) + late * 1e6, device: 'front-lock', kind: 'lock' });
  const cam = (d: number, time: string): DeviceUse<AttackKind>[] => (camera ? [{ timeUs: at(d, hm(time)) + 20e6, device: 'porch-cam', kind: 'camera' }] : []);
  const uses: DeviceUse<AttackKind>[] = [];
  for (let d = 0; d < 14; d++) {
    uses.push(...busy(rng, d, '07:00', '07:30', 4), ...busy(rng, d, '07:30', '10:00', 4 / 3));
    if (d % 2 === 0) {
      uses.push(...cam(d, '10:00'), lock(d, '10:00', 60), lock(d, '16:00', 10), ...cam(d, '16:00'), ...busy(rng, d, '16:02', '22:00', 4 / 3));
    } else {
      uses.push(...cam(d, '10:00'), ...busy(rng, d, '10:02', backB, 4), ...cam(d, backB), ...busy(rng, d, `${backB.slice(0, 3)}02`, '22:00', 4 / 3));
    }
    uses.push(...busy(rng, d, '22:00', '22:30', 4));
    // The camera films the street now and then, home or not.
    if (camera) for (const time of ['03:10', '13:40', '19:20']) uses.push(...cam(d, time));
  }
  return uses.sort((a, b) => a.timeUs - b.timeUs);
}

/** Per odd day (B out alone), the leaves and returns decoded between 09:30 and `untilHm` + 30 min. */
function loneOutings(day: readonly StructuredActivity[], untilHm: string): StructuredActivity[][] {
  const out: StructuredActivity[][] = [];
  for (let d = 1; d < 13; d += 2) out.push(day.filter((a) => a.timeUs >= at(d, hm('09:30')) && a.timeUs < at(d, hm(untilHm) + 30) && a.activity !== 'wake_up' && a.activity !== 'go_to_bed'));
  return out;
}

test('a camera read as the entrance by its role (roles.ts) places one resident\'s outing on it, where the lock says nothing (the other stays in)', () => {
  const day = countDay(lockedCouple(true, '11:00'), PARAMS, 2, PARAMS.residentRates).activities;
  const lines = shown(day).join('\n');
  for (const [i, outing] of loneOutings(day, '11:00').entries()) {
    const d = 2 * i + 1;
    assert.deepEqual(outing.map((a) => a.activity), ['leave_temporarily'], `day ${d}\n${lines}`);
    assert.ok(Math.abs(outing[0].timeUs - at(d, hm('10:00'))) <= 5 * MIN, `day ${d}: the leave on the camera, not ${shown(outing).join(', ')}`);
  }
  assertPossible(day, 2, 'the couple with a camera');
});

test('a lock used only by the last one out and the first one back does not hide a resident going out alone', () => {
  const day = countDay(lockedCouple(false, '13:00'), PARAMS, 2, PARAMS.residentRates).activities;
  const lines = shown(day).join('\n');
  const found = loneOutings(day, '13:00').filter((outing) => outing.length === 2 && outing[0].activity === 'leave_home' && outing[1].activity === 'return_home');
  assert.ok(found.length >= 5, `B's outings alone found on ${found.length} of 6 days\n${lines}`);
  assertPossible(day, 2, 'the couple with a lock');
  // Both out together: the lock's leave and return, each within 5 min of it.
  for (let d = 2; d < 13; d += 2) {
    const both = day.filter((a) => (a.activity === 'leave_home' && Math.abs(a.timeUs - at(d, hm('10:01'))) <= 5 * MIN) || (a.activity === 'return_home' && Math.abs(a.timeUs - at(d, hm('16:00'))) <= 5 * MIN));
    assert.ok(both.length >= 2, `day ${d}: both out from 10:00 to 16:00\n${lines}`);
  }
});

test('residentGains() scores a bin\'s states by the residents each puts in their place, so its best state is each count\'s posterior median, not the likeliest state', () => {
  // Two residents at home in the evening, the bin's posterior: nobody asleep 0.4, one 0.3, both 0.3.
  const states = countStates(2);
  const index = (home: number, asleep: number): number => states.findIndex((s) => s.home === home && s.asleep === asleep);
  const gamma = new Float64Array(states.length);
  gamma[index(2, 0)] = 0.4;
  gamma[index(2, 1)] = 0.3;
  gamma[index(2, 2)] = 0.3;
  const gain = residentGains(states, 2, gamma, 1);
  const best = (scores: ArrayLike<number>): number => Array.from(scores).indexOf(Math.max(...Array.from(scores)));
  // The state posterior keeps both up; the residents in their place put one to bed (the median of asleep is 1).
  assert.equal(best(gamma), index(2, 0));
  assert.equal(best(gain), index(2, 1));
  // Expected residents out of place: at (2, 1) 0.4 × 1 + 0.3 × 1 = 0.7, at (2, 0) 0.3 × 1 + 0.3 × 2 = 0.9.
  assert.ok(Math.abs(gain[index(2, 1)] + 0.7) < 1e-12 && Math.abs(gain[index(2, 0)] + 0.9) < 1e-12, `${gain[index(2, 1)]} ${gain[index(2, 0)]}`);
  // Nobody out under this posterior: a state with a resident out loses that resident.
  assert.ok(gain[index(1, 1)] < gain[index(2, 1)]);
  // For one resident the gain is the state posterior less 1.
  const one = countStates(1);
  const g1 = residentGains(one, 1, Float64Array.from([0.2, 0.5, 0.3]), 1);
  assert.deepEqual(Array.from(g1, (x) => Number(x.toFixed(12))), [-0.8, -0.5, -0.7]);
});

test('residentGains() takes a household of three to bed one by one where the state posterior never favours an in-between count and would send all three at once', () => {
  // Three residents at home, per bin the posterior of how many are asleep (0 to 3), never highest at 1 or 2.
  const states = countStates(3);
  const index = (asleep: number): number => states.findIndex((s) => s.home === 3 && s.asleep === asleep);
  const bins = [
    [1, 0, 0, 0],
    [0.45, 0.35, 0.2, 0],
    [0.3, 0.25, 0.2, 0.25],
    [0.25, 0.2, 0.2, 0.35],
    [0, 0, 0, 1],
  ];
  const gamma = new Float64Array(bins.length * states.length);
  bins.forEach((p, t) => p.forEach((x, s) => (gamma[t * states.length + index(s)] = x)));
  const gain = residentGains(states, 3, gamma, bins.length);
  const bestAsleep = (scores: Float64Array): number[] =>
    bins.map((_, t) => {
      const row = Array.from(scores.subarray(t * states.length, (t + 1) * states.length));
      return states[row.indexOf(Math.max(...row))].asleep;
    });
  assert.deepEqual(bestAsleep(gamma), [0, 0, 0, 3, 3]);
  assert.deepEqual(bestAsleep(gain), [0, 1, 1, 2, 3]);
});
