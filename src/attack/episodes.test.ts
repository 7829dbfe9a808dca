import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DeviceUse } from '../core/device-use.js';
import { activityTimeline, groupUses } from './episodes.js';

const DAY0_US = Date.UTC(2026, 10, 2) * 1000;
const MIN = 60e6;

function at(minutes: number, device: string, kind = device): DeviceUse {
  return { timeUs: DAY0_US + minutes * MIN, device, kind };
}

test('groupUses() chains uses at most 10 min apart, 10 min exactly included', () => {
  const events = [at(0, 'a'), at(10, 'b'), at(20, 'c'), { ...at(30, 'd'), timeUs: at(30, 'd').timeUs + 1 }, at(100, 'e')];
  assert.deepEqual(groupUses(events), [{ start: 0, end: 2 }, { start: 3, end: 3 }, { start: 4, end: 4 }]);
  assert.deepEqual(groupUses([]), []);
  assert.deepEqual(groupUses(events, 80 * MIN), [{ start: 0, end: 4 }]);
});

test("activityTimeline({ mode: 'episodes' }) gives each episode the class of highest mean probability, as its confidence", () => {
  const events = [at(420, 'hall', 'light'), at(425, 'kettle', 'plug'), at(510, 'door', 'lock')];
  // prettier-ignore
  const p = Float32Array.from([
    0.6, 0.1, 0.1, 0.1, 0.1,
    0.2, 0.5, 0.1, 0.1, 0.1,
    0.0, 0.9, 0.1, 0.0, 0.0,
  ]);
  const timeline = activityTimeline(events, p, { mode: 'episodes' });
  assert.equal(timeline.length, 2);
  assert.equal(timeline[0].activity, 'wake_up');
  assert.ok(Math.abs(timeline[0].confidence - 0.4) < 1e-6, 'mean of 0.6 and 0.2, not the max');
  assert.equal(timeline[0].timeUs, events[0].timeUs);
  assert.deepEqual(timeline[0].events, [
    { timeUs: events[0].timeUs, device: 'hall', kind: 'light' },
    { timeUs: events[1].timeUs, device: 'kettle', kind: 'plug' },
  ]);
  assert.equal(timeline[1].activity, 'leave_home');
  assert.ok(Math.abs(timeline[1].confidence - 0.9) < 1e-6);
});

test("activityTimeline({ mode: 'episodes' }) drops episodes whose best class is none, with six columns", () => {
  const events = [at(60, 'pir', 'motion'), at(62, 'pir', 'motion'), at(1380, 'hall', 'light')];
  // prettier-ignore
  const p = Float32Array.from([
    0.1, 0, 0, 0, 0.3, 0.6,
    0.3, 0, 0, 0, 0.3, 0.4,
    0, 0, 0, 0, 0.8, 0.2,
  ]);
  const timeline = activityTimeline(events, p, { mode: 'episodes' });
  assert.deepEqual(timeline.map((e) => e.activity), ['go_to_bed']);
  assert.ok(Math.abs(timeline[0].confidence - 0.8) < 1e-6);
});

test('activityTimeline() refuses probabilities that do not fit the uses', () => {
  const events = [at(1, 'a'), at(2, 'b')];
  assert.throws(() => activityTimeline(events, new Float32Array(8)), /8 probabilities for 2 uses: expected 2 rows of 5 or 6 classes/);
  assert.throws(() => activityTimeline(events, new Float32Array(11)), /expected 2 rows/);
  assert.throws(() => activityTimeline([], new Float32Array(5)), /5 probabilities for no uses/);
  assert.deepEqual(activityTimeline([], new Float32Array(0)), []);
  assert.throws(() => activityTimeline([at(2, 'b'), at(1, 'a')], new Float32Array(10)), /earlier than use 0/);
});

test('activityTimeline() in runs mode sets none uses aside and starts an activity where the class changes', () => {
  // Motion all evening (none), a go_to_bed pair in the middle of it, then a wake_up next morning.
  const events = [at(1300, 'pir', 'motion'), at(1305, 'hall', 'light'), at(1306, 'pir', 'motion'), at(1307, 'door', 'lock'), at(1312, 'pir', 'motion'), at(1320, 'x', 'light'), at(1850, 'hall', 'light'), at(1855, 'hall', 'light')];
  // prettier-ignore
  const p = Float32Array.from([
    0.1, 0, 0, 0, 0.1, 0.8,
    0, 0, 0, 0, 0.7, 0.3,
    0.1, 0, 0, 0, 0.2, 0.7,
    0, 0, 0, 0, 0.9, 0.1,
    0.1, 0, 0, 0, 0.1, 0.8,
    0, 0, 0.6, 0, 0, 0.4,
    0.8, 0, 0, 0, 0, 0.2,
    0.6, 0, 0, 0, 0, 0.4,
  ]);
  const timeline = activityTimeline(events, p);
  assert.deepEqual(timeline.map((e) => [e.activity, e.events.map((u) => u.device).join('+')]), [
    ['go_to_bed', 'hall+door'],
    ['return_home', 'x'],
    ['wake_up', 'hall+hall'],
  ]);
  assert.ok(Math.abs(timeline[0].confidence - 0.8) < 1e-6);
  assert.ok(Math.abs(timeline[2].confidence - 0.7) < 1e-6);
  // Same class, but more than the gap apart: two activities.
  const apart = activityTimeline([at(0, 'a'), at(11, 'b')], Float32Array.from([1, 0, 0, 0, 0, 1, 0, 0, 0, 0]));
  assert.equal(apart.length, 2);
});
