import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DeviceUse } from '../core/device-use.js';
import type { AttackKind } from '../core/kinds.js';
import { Random } from '../core/random.js';
import { scheduledUses, withoutSchedules } from './schedules.js';
import { StructuredPreset } from './structured-preset.js';
import { at, hm, MIN } from './test-days.js';

const INSIDE: [string, AttackKind][] = [['kitchen-pir', 'motion'], ['kettle', 'plug'], ['hall', 'light']];

/** Uses of `INSIDE` at random over [from, to) of day `day`, one every `meanMin` minutes on average: people are not punctual. */
function around(rng: Random, day: number, from: number, to: number, meanMin: number): DeviceUse<AttackKind>[] {
  const uses: DeviceUse<AttackKind>[] = [];
  for (let m = from + rng.next() * meanMin * 2; m < to; m += rng.next() * meanMin * 2) {
    const [device, kind] = INSIDE[Math.floor(rng.next() * INSIDE.length)];
    uses.push({ timeUs: at(day, 0) + Math.floor(m * MIN), device, kind });
  }
  return uses;
}

/** Two weeks of one resident: up about 07:00, out about 08:30 to 17:30 (the lock), in bed about 23:00. */
function fortnight(rng: Random): DeviceUse<AttackKind>[] {
  const uses: DeviceUse<AttackKind>[] = [];
  for (let day = 0; day < 14; day++) {
    const drift = rng.next() * 40 - 20;
    uses.push(...around(rng, day, hm('07:00') + drift, hm('08:28') + drift, 6));
    uses.push({ timeUs: at(day, 0) + Math.floor((hm('08:30') + drift) * MIN), device: 'lock', kind: 'lock' }, { timeUs: at(day, 0) + Math.floor((hm('17:30') - drift) * MIN), device: 'lock', kind: 'lock' });
    uses.push(...around(rng, day, hm('17:35') - drift, hm('23:00') + drift, 8));
  }
  return uses;
}

/** Each device renewing its lease at 00:00 and 12:00 (a few seconds apart, as a Wi-Fi sniffer sees it), every day. */
function renewals(devices: readonly [string, AttackKind][]): DeviceUse<AttackKind>[] {
  const uses: DeviceUse<AttackKind>[] = [];
  for (let day = 0; day < 14; day++) {
    devices.forEach(([device, kind], i) => {
      uses.push({ timeUs: at(day, 0) + (4 + 3 * i) * 1e6, device, kind }, { timeUs: at(day, hm('12:00')) + (4 + 3 * i) * 1e6, device, kind });
    });
  }
  return uses;
}

const sorted = <T extends DeviceUse>(uses: T[]): T[] => uses.sort((a, b) => a.timeUs - b.timeUs);

test('uses at the same minute every day and half day are a schedule; the uses people make are not', () => {
  const people = fortnight(new Random(3));
  const uses = sorted([...people, ...renewals([...INSIDE, ['lock', 'lock']])]);
  const scheduled = scheduledUses(uses);
  assert.equal(scheduled.size, 14 * 2 * 4);
  for (const i of scheduled) assert.ok([0, hm('12:00')].includes(Math.floor((uses[i].timeUs % (24 * 60 * MIN)) / MIN)), new Date(uses[i].timeUs / 1000).toISOString());
  assert.equal(withoutSchedules(uses).length, people.length);
  assert.equal(scheduledUses(sorted(people)).size, 0);
});

test('a device that fires every minute, or a bed mat busy all night, is a plateau, not a schedule', () => {
  const rng = new Random(8);
  const uses: DeviceUse<AttackKind>[] = [];
  for (let day = 0; day < 14; day++) {
    for (let m = 0; m < 24 * 60; m++) uses.push({ timeUs: at(day, m) + Math.floor(rng.next() * 50e6), device: 'chatty', kind: 'motion' });
    for (let m = hm('23:10'); m < 24 * 60; m += 3) uses.push({ timeUs: at(day, m) + Math.floor(rng.next() * 60e6), device: 'bed', kind: 'other' });
  }
  assert.equal(scheduledUses(sorted(uses)).size, 0);
});

test('a schedule needs most of the days the device was seen, and at least four', () => {
  // Three days at 06:00 sharp: too few to tell from chance.
  const three: DeviceUse<AttackKind>[] = [0, 1, 2].map((day) => ({ timeUs: at(day, hm('06:00')), device: 'plug', kind: 'plug' }));
  assert.equal(scheduledUses(three).size, 0);
  // Six days of fourteen at 06:00, the plug seen on all fourteen: less than 3 in 5.
  const some = sorted([
    ...[0, 2, 4, 6, 8, 10].map((day) => ({ timeUs: at(day, hm('06:00')), device: 'plug', kind: 'plug' as const })),
    ...Array.from({ length: 14 }, (_, day) => ({ timeUs: at(day, hm('19:00') + day * 7), device: 'plug', kind: 'plug' as const })),
  ]);
  assert.equal(scheduledUses(some).size, 0);
  // Ten of fourteen: a timer.
  const timer = sorted([...some, ...[1, 3, 5, 7].map((day) => ({ timeUs: at(day, hm('06:01')), device: 'plug', kind: 'plug' as const }))]);
  assert.equal(scheduledUses(timer).size, 10);
});

test('the structured preset reads the day of a home with schedules as the day of the home without them, the renewals behind no activity', () => {
  const people = sorted(fortnight(new Random(11)));
  // And a plug that reports at 08:30 every day, when the resident leaves about then (±20 min).
  const reports = Array.from({ length: 14 }, (_, day): DeviceUse<AttackKind> => ({ timeUs: at(day, hm('08:30')) + 4e6, device: 'plug', kind: 'plug' }));
  const withRenewals = sorted([...people, ...renewals([...INSIDE, ['lock', 'lock']]), ...reports]);
  const preset = new StructuredPreset(undefined, 1);
  const plain = preset.day(people);
  assert.ok(plain.length > 0);
  // Some activity lies within a bin (5 min) of a report, where the uses behind it are gathered.
  assert.ok(plain.some((e) => reports.some((r) => Math.abs(r.timeUs - e.timeUs) <= 300e6)));
  // Times, activities, confidences and the uses behind each: the renewals at 00:00 and 12:00 are none of them.
  assert.deepEqual(preset.day(withRenewals), plain);
});
