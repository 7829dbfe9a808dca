import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  TimelineBinsError,
  INTERNAL_BIN_CHAIN_US,
  INTERNAL_MAX_BINS,
  MAX_FIXED_BINS,
  NICE_BIN_US,
  TARGET_MAX_BINS,
  TimelineBinner,
  binStartIso,
  chooseBinSeconds,
  timelineToCsv,
} from './timeline-series.js';
import type { TimelineSeries } from './timeline-series.js';
import { seededRandom as rng } from '../core/random.js';

const T0 = 1_700_000_000; // 2023-11-14T22:13:20Z
const DAY_S = 86_400;


test('the internal bin chain divides itself and every nice width has a chain width within a factor of 5', () => {
  for (let i = 1; i < INTERNAL_BIN_CHAIN_US.length; i++) {
    assert.equal(INTERNAL_BIN_CHAIN_US[i] % INTERNAL_BIN_CHAIN_US[i - 1], 0, `chain step ${i}`);
  }
  for (const n of NICE_BIN_US) {
    const b = INTERNAL_BIN_CHAIN_US.filter((c) => n % c === 0 && n / c <= 5);
    assert.ok(b.length > 0, `nice width ${n} µs has no chain width within a factor of 5`);
  }
  assert.ok(INTERNAL_MAX_BINS >= 5 * TARGET_MAX_BINS);
});

test('chooseBinSeconds() picks 5 min for two days, 10 s for an hour and 1 ms for a single instant', () => {
  assert.equal(chooseBinSeconds(T0, T0 + 2 * DAY_S), 300);
  assert.equal(chooseBinSeconds(T0, T0 + 3600), 10);
  assert.equal(chooseBinSeconds(T0, T0), 0.001);
  assert.equal(chooseBinSeconds(T0, T0 + 365 * DAY_S), 86_400);
});

test('chooseBinSeconds() gives between 240 and 600 bins for spans from a second to ten years', () => {
  const next = rng(7);
  for (let i = 0; i < 2000; i++) {
    const span = 10 ** (next() * 8.5); // 1 s .. ~10 years
    const first = T0 + next() * DAY_S;
    const bin = chooseBinSeconds(first, first + span);
    const n = Math.floor((first + span) / bin) - Math.floor(first / bin) + 1;
    assert.ok(n <= TARGET_MAX_BINS && n >= 240, `span ${span} s: ${n} bins of ${bin} s`);
  }
});

test('TimelineBinner gives the same bins as direct binning at the chosen width, for random spans', () => {
  const next = rng(42);
  for (let trial = 0; trial < 300; trial++) {
    const span = 10 ** (next() * 9 - 1); // 0.1 s .. ~30 years
    const first = T0 + next() * DAY_S;
    const count = 1 + Math.floor(next() * 400);
    const events: { id: string; t: number; bytes: number }[] = [];
    for (let i = 0; i < count; i++) {
      events.push({ id: `d${Math.floor(next() * 4)}`, t: first + next() * span, bytes: Math.floor(next() * 5000) });
    }
    events.sort((a, b) => a.t - b.t);
    const binner = new TimelineBinner();
    for (const e of events) binner.add(e.id, e.id.toUpperCase(), e.t, e.bytes);
    const series = binner.finish();

    const firstUs = Math.round(events[0].t * 1e6);
    const lastUs = Math.round(events[events.length - 1].t * 1e6);
    const binUs = Math.round(chooseBinSeconds(events[0].t, events[events.length - 1].t) * 1e6);
    assert.equal(Math.round(series.binSeconds * 1e6), binUs, `trial ${trial}`);
    const start = Math.floor(firstUs / binUs);
    const n = Math.floor(lastUs / binUs) - start + 1;
    assert.equal(series.start, (start * binUs) / 1e6);
    const want = new Map<string, number[]>();
    for (const e of events) {
      const row = want.get(e.id) ?? new Array<number>(n).fill(0);
      row[Math.floor(Math.round(e.t * 1e6) / binUs) - start] += e.bytes;
      want.set(e.id, row);
    }
    assert.deepEqual(
      series.rows.map((r) => [r.id, r.label, r.bytes]),
      [...want].map(([id, bytes]) => [id, id.toUpperCase(), bytes]),
      `trial ${trial}: span ${span} s, ${count} events`,
    );
  }
});

test('TimelineBinner puts an event on a bin boundary in the bin that starts there', () => {
  const binner = new TimelineBinner({ binSeconds: 60 });
  binner.add('lock', 'lock', T0 - 20, 1); // T0 - 20 = 1699999980, a multiple of 60
  binner.add('lock', 'lock', T0 + 39.999999, 2);
  binner.add('lock', 'lock', T0 + 40, 4);
  binner.add('lock', 'lock', T0 + 100, 8);
  const s = binner.finish();
  assert.equal(s.start, T0 - 20);
  assert.equal(s.binSeconds, 60);
  assert.deepEqual(s.rows[0].bytes, [3, 4, 8]);
  assert.equal(binStartIso(s, 1), '2023-11-14T22:14:00.000Z');
});

test('TimelineBinner aligns the first bin to a multiple of the bin width, not to the first event', () => {
  const binner = new TimelineBinner({ binSeconds: 300 });
  binner.add('a', 'a', T0 + 1, 10); // 22:13:21 falls in the 22:10 bin
  const s = binner.finish();
  assert.equal(binStartIso(s, 0), '2023-11-14T22:10:00.000Z');
  assert.deepEqual(s.rows[0].bytes, [10]);
});

test('TimelineBinner gives a declared device with no traffic a row of zeros', () => {
  const binner = new TimelineBinner({ binSeconds: 1 });
  binner.device('quiet', 'quiet plug');
  binner.add('talker', 'talker', T0, 5);
  binner.add('talker', 'talker', T0 + 2, 7);
  const s = binner.finish();
  assert.deepEqual(
    s.rows.map((r) => [r.id, r.label, r.bytes]),
    [
      ['quiet', 'quiet plug', [0, 0, 0]],
      ['talker', 'talker', [5, 0, 7]],
    ],
  );
});

test('TimelineBinner with no events gives rows without bins', () => {
  const binner = new TimelineBinner();
  binner.device('x', 'x');
  assert.deepEqual(binner.finish(), { start: 0, binSeconds: 1, rows: [{ id: 'x', label: 'x', bytes: [] }] });
  assert.deepEqual(new TimelineBinner().finish().rows, []);
});

test('TimelineBinner with one event gives one 1 ms bin holding its bytes', () => {
  const binner = new TimelineBinner();
  binner.add('a', 'alarm', T0 + 0.0125, 321);
  const s = binner.finish();
  assert.equal(s.binSeconds, 0.001);
  assert.equal(s.start, T0 + 0.012);
  assert.deepEqual(s.rows[0].bytes, [321]);
});

test('TimelineBinner keeps the last label given and the order devices were first seen', () => {
  const binner = new TimelineBinner({ binSeconds: 10 });
  binner.add('b', '10.0.0.2', T0, 1);
  binner.add('a', '10.0.0.1', T0 + 1, 1);
  binner.add('b', 'hue bridge', T0 + 2, 1);
  assert.deepEqual(
    binner.finish().rows.map((r) => `${r.id}=${r.label}`),
    ['b=hue bridge', 'a=10.0.0.1'],
  );
});

test('TimelineBinner counts an event that arrives slightly out of order in its own bin', () => {
  const binner = new TimelineBinner({ binSeconds: 1 });
  binner.add('a', 'a', T0 + 5, 1);
  binner.add('b', 'b', T0 + 2, 2);
  binner.add('a', 'a', T0 + 3, 4);
  const s = binner.finish();
  assert.equal(s.start, T0 + 2);
  assert.deepEqual(s.rows.map((r) => r.bytes), [[0, 4, 0, 1], [2, 0, 0, 0]]);
});

test('TimelineBinner keeps at most INTERNAL_MAX_BINS bins per device over a month of events', () => {
  const binner = new TimelineBinner();
  let total = 0;
  for (let t = 0; t < 30 * DAY_S; t += 7) {
    binner.add('hb', 'heartbeat', T0 + t, 100);
    total += 100;
    const internal = (binner as unknown as { devices: Map<string, { counts: number[] }> }).devices.get('hb');
    assert.ok(internal !== undefined && internal.counts.length <= INTERNAL_MAX_BINS);
  }
  const s = binner.finish();
  assert.equal(s.binSeconds, 2 * 3600);
  assert.equal(s.rows[0].bytes.reduce((a, b) => a + b, 0), total);
});

test('TimelineBinner refuses a fixed bin width that would need more than MAX_FIXED_BINS bins', () => {
  const binner = new TimelineBinner({ binSeconds: 1 });
  binner.add('a', 'a', T0, 1);
  assert.throws(() => binner.add('a', 'a', T0 + MAX_FIXED_BINS, 1), (e: unknown) => e instanceof TimelineBinsError && e.tooManyBins && /more than 100000/.test(e.message));
});

test('TimelineBinner rejects a time a Date cannot hold (bad input, naming the capture), a negative byte count and a zero bin width (bugs)', () => {
  const binner = new TimelineBinner({ source: 'home.pcap' });
  const timeOutOfRange = (e: unknown) => e instanceof TimelineBinsError && !e.tooManyBins && e.file === 'home.pcap' && /^home\.pcap: Cannot bin a timeline: time /.test(e.message);
  assert.throws(() => binner.add('a', 'a', Number.NaN, 1), timeOutOfRange);
  assert.throws(() => binner.add('a', 'a', 1e13, 1), timeOutOfRange);
  assert.throws(() => binner.add('a', 'a', T0, -1), RangeError);
  assert.throws(() => new TimelineBinner({ binSeconds: 0 }), RangeError);
});

test('timelineToCsv() writes one line per device and bin with the bin start in UTC ISO 8601', () => {
  const s: TimelineSeries = {
    start: T0 - 20,
    binSeconds: 60,
    rows: [
      { id: 'aa:bb:cc:00:00:01', label: 'lock', bytes: [0, 120] },
      { id: 'aa:bb:cc:00:00:02', label: 'light', bytes: [5, 0] },
    ],
  };
  assert.equal(
    timelineToCsv(s),
    [
      'time_utc,device,label,bytes',
      '2023-11-14T22:13:00.000Z,aa:bb:cc:00:00:01,lock,0',
      '2023-11-14T22:14:00.000Z,aa:bb:cc:00:00:01,lock,120',
      '2023-11-14T22:13:00.000Z,aa:bb:cc:00:00:02,light,5',
      '2023-11-14T22:14:00.000Z,aa:bb:cc:00:00:02,light,0',
      '',
    ].join('\n'),
  );
});

test('timelineToCsv() neutralises formula labels, quotes commas and quotes, and shows control characters', () => {
  const s: TimelineSeries = {
    start: T0 - 20,
    binSeconds: 60,
    rows: [
      { id: 'd1', label: '=HYPERLINK("http://x")', bytes: [1] },
      { id: 'd2', label: '+1, @me', bytes: [1] },
      { id: 'd3', label: '-cmd', bytes: [1] },
      { id: 'd4', label: '@SUM(A1)', bytes: [1] },
      { id: 'd5', label: 'tv\r\n\u001b[31mred', bytes: [1] },
    ],
  };
  const lines = timelineToCsv(s).split('\n');
  assert.equal(lines[1], '2023-11-14T22:13:00.000Z,d1,"\'=HYPERLINK(""http://x"")",1');
  assert.equal(lines[2], '2023-11-14T22:13:00.000Z,d2,"\'+1, @me",1');
  assert.equal(lines[3], "2023-11-14T22:13:00.000Z,d3,'-cmd,1");
  assert.equal(lines[4], "2023-11-14T22:13:00.000Z,d4,'@SUM(A1),1");
  assert.equal(lines[5], '2023-11-14T22:13:00.000Z,d5,tv\\x0d\\x0a\\x1b[31mred,1');
  assert.equal(lines.length, 7, 'no label broke a line');
});
