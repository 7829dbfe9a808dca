import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadHomeSpec } from '../home/spec.js';
import type { AttackKind } from '../core/kinds.js';
import { matchUses, observedDevices, scoreUsageDetection } from './score.js';
import type { DetectedUse } from './detected-use.js';

const S = 1e6;

function event(device: string, timeS: number, kind: AttackKind = 'other', lengthS = 0.5): DetectedUse {
  return { timeUs: timeS * S, endUs: (timeS + lengthS) * S, device, kind, packets: 6, bytes: 1000, direction: 'both', confidence: 0.9 };
}

test('matchUses() pairs nearest first, so an event does not take the use of the next event', () => {
  const events = [event('a', 100), event('a', 102)];
  assert.deepEqual(matchUses(events, [100.1 * S, 102.1 * S], 5 * S), { tp: 2, fp: 0, fn: 0, merged: 0 });
});

test('matchUses() counts two uses in one burst once (the other is merged), and misses and extras as such', () => {
  const events = [event('a', 100, 'other', 3), event('a', 500)];
  const uses = [100 * S, 102.5 * S, 300 * S];
  assert.deepEqual(matchUses(events, uses, 5 * S), { tp: 1, fp: 1, fn: 1, merged: 1 });
});

test('matchUses() takes a use from the tolerance before the event to the tolerance after its end, not further', () => {
  const e = [event('a', 100, 'other', 10)];
  assert.equal(matchUses(e, [95 * S], 5 * S).tp, 1);
  assert.equal(matchUses(e, [94.9 * S], 5 * S).tp, 0);
  assert.equal(matchUses(e, [115 * S], 5 * S).tp, 1);
  assert.equal(matchUses(e, [115.1 * S], 5 * S).tp, 0);
});

test('observedDevices() puts a sensor on its hub or alarm MAC, under the kind of that network device', () => {
  const spec = loadHomeSpec('sensor-rich');
  const map = observedDevices(spec);
  assert.deepEqual(map.get('hall-motion'), { mac: '24:fd:5b:02:7c:31', kind: 'other' });
  assert.deepEqual(map.get('garage-door-contact'), { mac: '24:6f:28:5d:e0:32', kind: 'alarm' });
  assert.deepEqual(map.get('living-light'), { mac: 'd0:73:d5:21:aa:33', kind: 'light' });
});

test('scoreUsageDetection() counts per kind of the network device and overall, and events of unknown devices as false positives', () => {
  const spec = loadHomeSpec('sensor-rich');
  const truth = [
    { timeUs: 1000 * S, device: 'hall-motion' },
    { timeUs: 2000 * S, device: 'front-door-contact' },
    { timeUs: 3000 * S, device: 'living-light' },
    { timeUs: 4000 * S, device: 'porch-light' },
  ];
  const detected = [
    event('24:FD:5B:02:7C:31', 1000.2), // the hub, MAC in upper case
    event('24:fd:5b:02:7c:31', 2001),
    event('d0:73:d5:21:aa:33', 3000.1, 'light'),
    event('d0:73:d5:21:aa:33', 3500, 'light'),
    event('aa:bb:cc:dd:ee:ff', 10, 'camera'),
  ];
  const s = scoreUsageDetection(detected, truth, spec);
  assert.deepEqual(s.byKind.other, { tp: 2, fp: 0, fn: 0, merged: 0, precision: 1, recall: 1 });
  assert.deepEqual(s.byKind.light, { tp: 1, fp: 1, fn: 1, merged: 0, precision: 0.5, recall: 0.5 });
  assert.deepEqual(s.byKind.camera, { tp: 0, fp: 1, fn: 0, merged: 0, precision: 0, recall: 1 });
  assert.equal(s.byKind.lock, undefined);
  assert.deepEqual(s.overall, { tp: 3, fp: 2, fn: 1, merged: 0, precision: 0.6, recall: 0.75 });
});

test('scoreUsageDetection() refuses a true use of a device the spec does not have', () => {
  assert.throws(() => scoreUsageDetection([], [{ timeUs: 0, device: 'garage-robot' }], loadHomeSpec('paper')), /garage-robot.*not a device/);
});
