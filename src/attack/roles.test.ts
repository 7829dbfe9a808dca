import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DeviceUse } from '../core/device-use.js';
import type { AttackKind } from '../core/kinds.js';
import { Random } from '../core/random.js';
import { deviceRoles } from './roles.js';
import { at, busy, hm } from './test-days.js';

const INSIDE: [string, AttackKind][] = [['kitchen-pir', 'motion'], ['kettle', 'plug'], ['hall', 'light']];

/**
 * A week of one resident: up at 07:00, out at 08:30, back at 17:30, in bed at 23:00. `entrance` gives
 * the uses at the front as they leave and come back (by day and minute); `extra` more uses.
 */
function week(entrance: (day: number, minute: number) => DeviceUse<AttackKind>[], extra: DeviceUse<AttackKind>[] = []): DeviceUse<AttackKind>[] {
  const rng = new Random(5);
  const uses: DeviceUse<AttackKind>[] = [...extra];
  for (let day = 0; day < 7; day++) {
    uses.push(...busy(rng, day, '07:00', '08:28', 2, INSIDE), ...entrance(day, hm('08:30')), ...entrance(day, hm('17:30')), ...busy(rng, day, '17:31', '23:00', 2, INSIDE));
  }
  return uses.sort((a, b) => a.timeUs - b.timeUs);
}

test('a camera that films most uses of a seldom-used lock is read as an entrance; a light used beside them is not (not a kind that may be)', () => {
  const uses = week((day, m) => [
    ...(day < 2 ? [{ timeUs: at(day, m), device: 'lock', kind: 'lock' as const }] : []),
    { timeUs: at(day, m) + 30e6, device: 'porch-cam', kind: 'camera' as const },
    { timeUs: at(day, m) + 40e6, device: 'porch-light', kind: 'light' as const },
    // Before and after the lock: beside it once, not twice.
    { timeUs: at(day, m) - 20e6, device: 'hall-pir', kind: 'motion' as const },
    { timeUs: at(day, m) + 50e6, device: 'hall-pir', kind: 'motion' as const },
  ]);
  const roles = deviceRoles(uses);
  assert.equal(roles.devices.get('porch-cam')!.entranceByRole, true);
  assert.equal(roles.devices.get('porch-cam')!.besideShare, 1);
  assert.equal(roles.devices.get('porch-light')!.entrance, false);
  assert.equal(roles.devices.get('hall-pir')!.besideShare, 1);
  assert.equal(roles.devices.get('lock')!.entrance, true);
  assert.equal(roles.devices.get('lock')!.entranceByRole, false);
  assert.deepEqual([...roles.entrances].sort(), ['lock', 'porch-cam']);
});

test('in a home with a door, a chair that fires at the edges of quiet spells (sitting still) is not an entrance', () => {
  const chair: DeviceUse<AttackKind>[] = [];
  // Sitting still for an hour each evening: the chair fires as the quiet begins and as it ends.
  for (let day = 0; day < 7; day++) chair.push({ timeUs: at(day, hm('20:00')), device: 'chair', kind: 'other' }, { timeUs: at(day, hm('21:10')), device: 'chair', kind: 'other' });
  const uses = week((day, m) => [{ timeUs: at(day, m), device: 'front', kind: 'door' }], chair).filter((u) => {
    const minute = ((u.timeUs - at(0, 0)) / 60e6) % (24 * 60);
    return u.device === 'chair' || !(minute > hm('20:00') && minute < hm('21:10'));
  });
  const chairRole = deviceRoles(uses).devices.get('chair')!;
  assert.ok(chairRole.leaveLike + chairRole.returnLike >= 10, 'the chair is at the edges of the quiet spells');
  assert.equal(chairRole.entranceByRole, false);
});

test('in a home without a lock or a door, an unknown device used as the home empties and fills is an entrance; one that fires at random times is not', () => {
  const rng = new Random(3);
  const noise: DeviceUse<AttackKind>[] = [];
  for (let k = 0; k < 60; k++) noise.push({ timeUs: at(0, 0) + Math.floor(rng.next() * 7 * 24 * 60) * 60e6, device: 'yard-cam', kind: 'camera' });
  const uses = week((day, m) => [{ timeUs: at(day, m), device: 'hub', kind: 'other' }], noise);
  const roles = deviceRoles(uses);
  const hub = roles.devices.get('hub')!;
  assert.ok(hub.leaveLike >= 5 && hub.returnLike >= 5, JSON.stringify(hub));
  assert.equal(hub.entranceByRole, true);
  assert.equal(roles.devices.get('yard-cam')!.entranceByRole, false);
});

test('a device that fires in most quarter hours is constant: it hides no quiet spell and is no entrance', () => {
  const chatter: DeviceUse<AttackKind>[] = [];
  for (let m = 0; m < 7 * 24 * 60; m += 3) chatter.push({ timeUs: at(0, m) + 7e6, device: 'relay', kind: 'other' });
  const uses = week((day, m) => [{ timeUs: at(day, m), device: 'hub', kind: 'other' }], chatter);
  const roles = deviceRoles(uses);
  assert.equal(roles.devices.get('relay')!.constant, true);
  assert.equal(roles.devices.get('relay')!.entrance, false);
  // Without the constant device's uses counted, the hub still marks the home's absences.
  assert.equal(roles.devices.get('hub')!.entranceByRole, true, JSON.stringify(roles.devices.get('hub')));
});

test('no uses, no roles', () => {
  assert.equal(deviceRoles([]).devices.size, 0);
});

test('in a home without a lock or a door, an unknown device used at the edges of its absences and as often inside is no entrance; a camera used so is', () => {
  // A light switched off on the way out and on coming in, and switched more often while the resident
  // is in; a bed sensor turning over every 50 min at night (quiet spells the light could be at the edge of by chance).
  const rng = new Random(11);
  const extra = (kind: AttackKind): DeviceUse<AttackKind>[] => {
    const uses: DeviceUse<AttackKind>[] = [];
    for (let day = 0; day < 7; day++) {
      for (const from of ['07:10', '18:00', '19:00', '20:00', '21:00', '22:00']) uses.push({ timeUs: at(day, hm(from) + Math.floor(rng.next() * 50)), device: 'hall-light', kind });
      for (let m = hm('23:05'); m < hm('23:05') + 8 * 60; m += 50) uses.push({ timeUs: at(day, m), device: 'bed', kind: 'motion' });
    }
    return uses;
  };
  const read = (kind: AttackKind) => deviceRoles(week((day, m) => [{ timeUs: at(day, m), device: 'hall-light', kind }], extra(kind))).devices.get('hall-light')!;
  const unknown = read('other');
  const excess = (unknown.leaveLike + unknown.returnLike) / unknown.expected;
  assert.ok(excess > 2 && excess < 4, JSON.stringify(unknown));
  assert.equal(unknown.entranceByRole, false, `edges ${excess.toFixed(2)} times chance`);
  assert.equal(read('camera').entranceByRole, true);
});
