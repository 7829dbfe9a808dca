import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ATTACK_KINDS, attackKind, isEntranceKind } from '../core/kinds.js';
import { dayOfWeek, EXTENDED_COLUMNS, EXTENDED_WIDTH, extendedFeatureValues, NO_USE_IN_24H, scaledCount, scaledGap } from './extended.js';
import type { DeviceUse } from '../core/device-use.js';

/** Monday 2 November 2026, 00:00 UTC. */
const DAY0_US = Date.UTC(2026, 10, 2) * 1000;
const MIN = 60e6;
const HOUR = 3_600e6;

function at(hours: number, device: string, kind = device): DeviceUse {
  return { timeUs: DAY0_US + Math.round(hours * HOUR), device, kind };
}

function value(values: Float32Array, row: number, name: string): number {
  const c = EXTENDED_COLUMNS.findIndex((x) => x.name === name);
  assert.ok(c >= 0, `column ${name}`);
  return values[row * EXTENDED_WIDTH + c];
}

function close(actual: number, expected: number, message: string): void {
  assert.ok(Math.abs(actual - expected) < 1e-6, `${message}: ${actual} ≠ ${expected}`);
}

test('EXTENDED_COLUMNS names 52 distinct columns, each in the module comment table', () => {
  const names = EXTENDED_COLUMNS.map((c) => c.name);
  assert.equal(new Set(names).size, names.length);
  assert.equal(EXTENDED_WIDTH, 52);
  const source = readFileSync(new URL('./extended.ts', import.meta.url), 'utf8');
  const table = source.slice(0, source.indexOf('*/'));
  for (const c of EXTENDED_COLUMNS) {
    assert.ok(c.meaning.length > 10, c.name);
    const family = c.name.replace(/_(lock|door|light|motion|alarm|camera|plug|speaker|thermostat|other)$/, '_lock');
    assert.ok(table.includes(`\`${c.name}\``) || table.includes(`\`${family}\``), `${c.name} is documented`);
  }
});

test('scaledGap() is 0 now, 1 at exactly 24 h and the none value past 24 h or without a use', () => {
  assert.equal(scaledGap(0), 0);
  assert.equal(scaledGap(24 * HOUR), 1);
  assert.equal(scaledGap(24 * HOUR + 1), NO_USE_IN_24H);
  assert.equal(scaledGap(Infinity), NO_USE_IN_24H);
  close(scaledGap(59 * MIN), Math.log(60) / Math.log(1441), '59 min');
  assert.equal(scaledCount(0), 0);
  assert.equal(scaledCount(3), 2);
});

test('dayOfWeek() counts Monday as 0 and Sunday as 6 (UTC)', () => {
  assert.equal(dayOfWeek(DAY0_US), 0);
  assert.equal(dayOfWeek(DAY0_US + 6 * 24 * HOUR + 23 * HOUR), 6);
  assert.equal(dayOfWeek(DAY0_US - 1), 6);
  assert.equal(dayOfWeek(0), 3, '1970-01-01 was a Thursday');
});

test('extendedFeatureValues() encodes time of day, day of week and the weekend', () => {
  const v = extendedFeatureValues([at(6, 'light'), at(5 * 24 + 18, 'light')]);
  close(value(v, 0, 'hour_sin'), 1, '06:00 sin');
  close(value(v, 0, 'hour_cos'), 0, '06:00 cos');
  close(value(v, 0, 'weekday_sin'), 0, 'Monday sin');
  close(value(v, 0, 'weekday_cos'), 1, 'Monday cos');
  assert.equal(value(v, 0, 'weekend'), 0);
  close(value(v, 1, 'hour_sin'), -1, '18:00 sin');
  close(value(v, 1, 'weekday_sin'), Math.sin((2 * Math.PI * 5) / 7), 'Saturday sin');
  assert.equal(value(v, 1, 'weekend'), 1);
});

test('extendedFeatureValues() sets one kind bit, contact as door and unknown kinds as other', () => {
  const v = extendedFeatureValues([at(1, 'front', 'contact'), at(2, 'tv', 'television'), at(3, 'bridge', 'hub'), at(4, 'door', 'lock')]);
  const bits = (row: number): string[] => ATTACK_KINDS.filter((k) => value(v, row, `kind_${k}`) === 1);
  assert.deepEqual([0, 1, 2, 3].map(bits), [['door'], ['other'], ['other'], ['lock']]);
});

test('extendedFeatureValues() counts uses exactly 15 min, 1 h and 5 h away, and not 1 µs further', () => {
  for (const [hours, name] of [[0.25, '15min'], [1, '1h'], [5, '5h']] as const) {
    const exact = extendedFeatureValues([at(10, 'a'), at(10 + hours, 'b')]);
    assert.equal(value(exact, 1, `count_before_${name}`), 1, `${name} before`);
    assert.equal(value(exact, 0, `count_after_${name}`), 1, `${name} after`);
    const past = extendedFeatureValues([at(10, 'a'), { ...at(10 + hours, 'b'), timeUs: at(10 + hours, 'b').timeUs + 1 }]);
    assert.equal(value(past, 1, `count_before_${name}`), 0, `${name} + 1 µs before`);
    assert.equal(value(past, 0, `count_after_${name}`), 0, `${name} + 1 µs after`);
  }
});

test("extendedFeatureValues() never counts a row's own use, and counts uses at the same instant", () => {
  const v = extendedFeatureValues([at(9, 'a'), at(9, 'b'), at(9, 'c')]);
  assert.deepEqual([0, 1, 2].map((r) => value(v, r, 'count_before_15min')), [0, 1, Math.fround(scaledCount(2))]);
  assert.deepEqual([0, 1, 2].map((r) => value(v, r, 'count_after_15min')), [Math.fround(scaledCount(2)), 1, 0]);
  assert.deepEqual([0, 1, 2].map((r) => value(v, r, 'silence_before')), [NO_USE_IN_24H, 0, 0]);
});

test('extendedFeatureValues() caps kind and device gaps at 24 h and gives the none value past it', () => {
  const v = extendedFeatureValues([at(0, 'lamp', 'light'), at(24, 'lamp', 'light'), { ...at(48, 'lamp', 'light'), timeUs: at(48, 'lamp', 'light').timeUs + 1 }]);
  assert.equal(value(v, 1, 'since_light'), 1);
  assert.equal(value(v, 1, 'device_gap_before'), 1);
  assert.equal(value(v, 2, 'since_light'), NO_USE_IN_24H);
  assert.equal(value(v, 2, 'device_gap_before'), NO_USE_IN_24H);
  assert.equal(value(v, 1, 'until_light'), NO_USE_IN_24H);
  assert.equal(value(v, 0, 'since_lock'), NO_USE_IN_24H, 'no lock at all');
  assert.equal(value(v, 0, 'device_gap_before'), NO_USE_IN_24H);
  assert.equal(value(v, 2, 'device_gap_after'), NO_USE_IN_24H);
});

test('extendedFeatureValues() measures the time since and until each kind, not counting the use itself', () => {
  const v = extendedFeatureValues([at(8, 'door', 'lock'), at(8.5, 'hall', 'light'), at(9.5, 'door', 'lock')]);
  close(value(v, 1, 'since_lock'), scaledGap(30 * MIN), 'since lock');
  close(value(v, 1, 'until_lock'), scaledGap(60 * MIN), 'until lock');
  close(value(v, 0, 'until_lock'), scaledGap(90 * MIN), 'the next other lock use');
  assert.equal(value(v, 0, 'since_lock'), NO_USE_IN_24H);
  close(value(v, 0, 'device_gap_after'), scaledGap(90 * MIN), 'same device');
  close(value(v, 1, 'device_gap_after'), NO_USE_IN_24H, 'another device');
});

test('extendedFeatureValues() counts the same device within 1 h either side, bounds included', () => {
  const v = extendedFeatureValues([at(10, 'pir', 'motion'), at(10.5, 'hall', 'light'), at(11, 'pir', 'motion'), { ...at(12, 'pir', 'motion'), timeUs: at(12, 'pir', 'motion').timeUs + 1 }]);
  assert.deepEqual([0, 1, 2, 3].map((r) => value(v, r, 'device_uses_1h')), [1, 0, 1, 0]);
});

test('extendedFeatureValues() sees episodes: their size, span, silences and an entrance before or after', () => {
  // Evening return: 10 h of silence, the door, then two lights 5 and 15 min later (chained), then bed at 23:00.
  const events = [at(8, 'door', 'lock'), at(18, 'door', 'lock'), at(18 + 5 / 60, 'hall', 'light'), at(18 + 15 / 60, 'kitchen', 'light'), at(18 + 26 / 60, 'tv', 'plug'), at(23, 'hall', 'light')];
  const v = extendedFeatureValues(events);
  assert.deepEqual([1, 2, 3].map((r) => value(v, r, 'episode_uses')), [1, 2, 3].map(() => Math.fround(Math.log2(3))));
  assert.equal(value(v, 4, 'episode_uses'), 0, 'the plug 11 min after the last light starts its own episode');
  close(value(v, 2, 'episode_span'), scaledGap(15 * MIN), 'span');
  close(value(v, 3, 'episode_silence_before'), scaledGap(10 * HOUR), 'the silence before the door');
  close(value(v, 3, 'silence_before'), scaledGap(10 * MIN), 'the silence before the light itself');
  close(value(v, 1, 'episode_silence_after'), scaledGap(11 * MIN), 'after the episode');
  assert.deepEqual([1, 2, 3].map((r) => value(v, r, 'episode_entry_before')), [0, 1, 1]);
  assert.deepEqual([1, 2, 3].map((r) => value(v, r, 'episode_entry_after')), [0, 0, 0]);
  assert.equal(value(v, 5, 'episode_silence_after'), NO_USE_IN_24H);
  const leaving = extendedFeatureValues([at(8, 'hall', 'light'), at(8 + 10 / 60, 'front', 'contact')]);
  assert.equal(value(leaving, 0, 'episode_entry_after'), 1, 'exactly 10 min still chains, and a contact is an entrance');
});

test('extendedFeatureValues() refuses uses out of time order, naming the use', () => {
  assert.throws(() => extendedFeatureValues([at(2, 'light'), at(1, 'lock')]), /use 1 \(lock\) is earlier than use 0/);
});

test('extendedFeatureValues() agrees with a direct rescan of every row on random days of uses', () => {
  let state = 11;
  const rand = (): number => ((state = (state * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const kinds = ['lock', 'contact', 'light', 'motion', 'plug', 'hub', 'fridge'];
  const events: DeviceUse[] = [];
  for (let i = 0; i < 500; i++) {
    const kind = kinds[Math.floor(rand() * kinds.length)];
    // Minute-rounded times make exact window bounds and ties common.
    events.push({ timeUs: DAY0_US + Math.floor(rand() * 4 * 24 * 60) * MIN, device: `${kind}-${Math.floor(rand() * 2)}`, kind });
  }
  events.sort((a, b) => a.timeUs - b.timeUs);
  const v = extendedFeatureValues(events);
  const gapTo = (others: DeviceUse[], t: number): number => scaledGap(others.length === 0 ? Infinity : Math.min(...others.map((o) => Math.abs(o.timeUs - t))));
  // Episodes by a direct walk: uses chained by gaps of at most 10 min.
  const episode = events.map(() => 0);
  for (let i = 1; i < events.length; i++) episode[i] = events[i].timeUs - events[i - 1].timeUs <= 10 * MIN ? episode[i - 1] : episode[i - 1] + 1;
  events.forEach((e, i) => {
    const before = events.slice(0, i);
    const after = events.slice(i + 1);
    const want: Record<string, number> = {};
    for (const k of ATTACK_KINDS) {
      want[`since_${k}`] = gapTo(before.filter((o) => attackKind(o.kind) === k), e.timeUs);
      want[`until_${k}`] = gapTo(after.filter((o) => attackKind(o.kind) === k), e.timeUs);
    }
    want.device_gap_before = gapTo(before.filter((o) => o.device === e.device), e.timeUs);
    want.device_gap_after = gapTo(after.filter((o) => o.device === e.device), e.timeUs);
    want.device_uses_1h = scaledCount([...before, ...after].filter((o) => o.device === e.device && Math.abs(o.timeUs - e.timeUs) <= HOUR).length);
    for (const [label, span] of [['15min', 15 * MIN], ['1h', HOUR], ['5h', 5 * HOUR]] as const) {
      want[`count_before_${label}`] = scaledCount(before.filter((o) => e.timeUs - o.timeUs <= span).length);
      want[`count_after_${label}`] = scaledCount(after.filter((o) => o.timeUs - e.timeUs <= span).length);
    }
    want.silence_before = gapTo(before, e.timeUs);
    want.silence_after = gapTo(after, e.timeUs);
    const members = events.map((o, j) => ({ o, j })).filter(({ j }) => episode[j] === episode[i]);
    const first = members[0];
    const last = members[members.length - 1];
    want.episode_uses = Math.log2(members.length);
    want.episode_span = scaledGap(last.o.timeUs - first.o.timeUs);
    want.episode_silence_before = gapTo(events.slice(0, first.j), first.o.timeUs);
    want.episode_silence_after = gapTo(events.slice(last.j + 1), last.o.timeUs);
    want.episode_entry_before = Number(members.some(({ o, j }) => j < i && isEntranceKind(o.kind)));
    want.episode_entry_after = Number(members.some(({ o, j }) => j > i && isEntranceKind(o.kind)));
    for (const [name, expected] of Object.entries(want)) close(value(v, i, name), Math.fround(expected), `row ${i} ${name}`);
  });
});
