import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DeviceUse } from '../core/device-use.js';
import type { AttackKind } from '../core/kinds.js';
import { Random } from '../core/random.js';
import { binMask, entranceFiring, ownEntranceRate, roleEntrances, SLEEP_PRIOR_COUNT, sleepEntranceScore } from './entrances.js';
import { at, busy, DAY0_US, hm, MIN } from './test-days.js';

const INSIDE: [string, AttackKind][] = [['kitchen-pir', 'motion'], ['kettle', 'plug'], ['hall', 'light']];

/** A week of one resident out from 08:30 to 17:30, `front` the uses as they leave and come back. */
function week(front: (day: number, minute: number) => DeviceUse<AttackKind>[]): DeviceUse<AttackKind>[] {
  const rng = new Random(5);
  const uses: DeviceUse<AttackKind>[] = [];
  for (let day = 0; day < 7; day++) uses.push(...busy(rng, day, '07:00', '08:28', 2, INSIDE), ...front(day, hm('08:30')), ...front(day, hm('17:30')), ...busy(rng, day, '17:31', '23:00', 2, INSIDE));
  return uses.sort((a, b) => a.timeUs - b.timeUs);
}

test('roleEntrances() reads a camera beside a lock either way, and an unknown device at the edges of the quiet spells only when asked to (byEdges)', () => {
  const locked = week((day, m) => [
    { timeUs: at(day, m), device: 'lock', kind: 'lock' },
    { timeUs: at(day, m) + 30e6, device: 'porch-cam', kind: 'camera' },
  ]);
  assert.deepEqual([...roleEntrances(locked)].sort(), ['lock', 'porch-cam']);
  assert.deepEqual([...roleEntrances(locked, false)].sort(), ['lock', 'porch-cam']);
  const hub = week((day, m) => [{ timeUs: at(day, m), device: 'hub', kind: 'other' }]);
  assert.deepEqual([...roleEntrances(hub)], ['hub']);
  assert.deepEqual([...roleEntrances(hub, false)], []);
});

test('entranceFiring() pools the entrances by kind where none is scored by its own rates, and keeps those apart', () => {
  // A contact (an events CSV's or the simulator's kind) is a door to the attack.
  const uses: DeviceUse[] = [
    { timeUs: DAY0_US + 2 * MIN, device: 'lock', kind: 'lock' },
    { timeUs: DAY0_US + 12 * MIN, device: 'porch-cam', kind: 'camera' },
    { timeUs: DAY0_US + 22 * MIN, device: 'front', kind: 'contact' },
  ];
  const pooled = entranceFiring(uses, DAY0_US, 5 * MIN, 5, new Set());
  assert.deepEqual([...pooled.entrance], [1, 0, 0, 0, 1]);
  assert.equal(pooled.hasEntrance, true);
  assert.deepEqual(pooled.ownFired, []);
  const own = entranceFiring(uses, DAY0_US, 5 * MIN, 5, new Set(['lock', 'porch-cam']));
  assert.deepEqual([...own.entrance], [0, 0, 0, 0, 1]);
  assert.deepEqual(own.ownIds, ['lock', 'porch-cam']);
  assert.deepEqual(own.ownFired.map((f) => [...f]), [
    [1, 0, 0, 0, 0],
    [0, 0, 1, 0, 0],
  ]);
});

test('ownEntranceRate() scores an entrance that fires at every move and seldom else above its background, and its silence at a move below', () => {
  // 100 bins: a move every 10 bins from bin 5, the entrance firing at each and at bin 50 besides.
  const fired = binMask(100, (t) => t % 10 === 5 || t === 50);
  const moves = binMask(100, (t) => t % 10 === 5);
  const background = binMask(100, (t) => Math.abs((t % 10) - 5) > 2);
  const rate = ownEntranceRate(fired, moves, background);
  assert.ok(rate.near > 1.5, `near ${rate.near}`);
  assert.ok(rate.notNear < -0.5, `not near ${rate.notNear}`);
  // Where it says nothing of the moves (it fires as much at them as elsewhere), the scores are about 0.
  const everywhere = ownEntranceRate(binMask(100, (t) => t % 3 === 0), moves, background);
  assert.ok(Math.abs(everywhere.near) < 0.5 && Math.abs(everywhere.notNear) < 0.7, JSON.stringify(everywhere));
});

test('sleepEntranceScore() reads a lock used at every bedtime as a sign of going to bed, and one never used there as none at all', () => {
  // 1,000 bins: a bedtime every 100 (bin 100k + 50), the lock in the bin before it, and once in the background (bin 10).
  const bins = 1000;
  const bedtimes = binMask(bins, (t) => t % 100 === 50);
  const background = binMask(bins, (t) => t % 100 < 47 || t % 100 > 53);
  const locked = binMask(bins, (t) => t % 100 === 49 || t === 10);
  const atBed = sleepEntranceScore(locked, bedtimes, background);
  // 10 of 10 bedtimes (with SLEEP_PRIOR_COUNT pseudo-counts at the background's rate: about one half) against 3 of
  // ~930 background bins (within a bin of the use): far likelier at bedtime, and a bedtime without it less likely.
  assert.ok(atBed.near > 4, String(atBed.near));
  assert.ok(atBed.notNear < -0.5, String(atBed.notNear));
  // Used only in the background: its rate at bedtime stays the background's (pulled there by SLEEP_PRIOR_COUNT), so neither way says anything.
  const elsewhere = binMask(bins, (t) => t % 100 === 20);
  const none = sleepEntranceScore(elsewhere, bedtimes, background);
  assert.ok(SLEEP_PRIOR_COUNT > 0);
  assert.ok(none.near < 0 && none.near > -1, String(none.near));
  assert.ok(Math.abs(none.notNear) < 0.05, String(none.notNear));
});
