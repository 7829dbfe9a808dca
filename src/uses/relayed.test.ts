import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DetectedUse } from './detected-use.js';
import { shapeDevice, splitRelayedUses } from './relayed.js';

function use(timeS: number, device: string, packets: number, bytes: number): DetectedUse {
  return { timeUs: timeS * 1e6, endUs: timeS * 1e6 + 1e5, device, kind: 'other', packets, bytes, direction: 'both', confidence: 0.9 };
}

test("splitRelayedUses() makes each frequent shape of a hub's bursts a device of its own and leaves the rare ones and other devices as they were", () => {
  const uses: DetectedUse[] = [];
  for (let i = 0; i < 40; i++) uses.push(use(i * 60, 'hub', 3, 348)); // a motion sensor's reports
  for (let i = 0; i < 12; i++) uses.push(use(i * 600 + 7, 'hub', 6, 898)); // a door contact's opens
  uses.push(use(5000, 'hub', 9, 1246)); // two reports in one burst, once
  for (let i = 0; i < 20; i++) uses.push(use(i * 300 + 3, 'plug', 3, 348)); // not a relay: kept whole
  const out = splitRelayedUses(uses, new Set(['hub']));
  assert.equal(out.length, uses.length);
  const count = (device: string): number => out.filter((u) => u.device === device).length;
  assert.equal(count(shapeDevice('hub', 3, 348)), 40);
  assert.equal(count('hub#6p898B'), 12);
  assert.equal(count('hub'), 1);
  assert.equal(count('plug'), 20);
  assert.deepEqual(out.map((u) => u.timeUs), uses.map((u) => u.timeUs));
});

test('a shape below the least share of its relay stays the relay', () => {
  const uses: DetectedUse[] = [];
  for (let i = 0; i < 1000; i++) uses.push(use(i * 10, 'hub', 3, 348));
  for (let i = 0; i < 12; i++) uses.push(use(i * 600 + 7, 'hub', 6, 898));
  const out = splitRelayedUses(uses, new Set(['hub']), { minUses: 10, minShare: 0.05 });
  assert.equal(out.filter((u) => u.device === 'hub').length, 12);
});
