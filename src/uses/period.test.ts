import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../core/random.js';
import { detectPeriod } from './period.js';

/** Beats every `periodS` ± `jitterS` (normal, from the scheduled time, as keep-alive timers do), some dropped. */
function beats(seed: number, n: number, periodS: number, jitterS: number, dropShare = 0): number[] {
  const r = new Random(seed);
  const out: number[] = [];
  let t = 1_700_000_000e6;
  for (let i = 0; i < n; i++) {
    if (r.next() >= dropShare) out.push(Math.round(t));
    t += (periodS + r.normal(0, jitterS)) * 1e6;
  }
  return out;
}

test('detectPeriod() finds a 60 s keep-alive with 1 s of jitter, and the jitter', () => {
  const p = detectPeriod(beats(1, 500, 60, 1));
  assert.ok(p !== null);
  assert.ok(Math.abs(p.periodUs / 1e6 - 60) < 0.3, `period ${p.periodUs / 1e6}`);
  assert.ok(Math.abs(p.jitterUs / 1e6 - 1) < 0.25, `jitter ${p.jitterUs / 1e6}`);
  assert.ok(p.onBeatShare > 0.95);
});

test('detectPeriod() finds the period when a quarter of the beats are missing', () => {
  const p = detectPeriod(beats(2, 400, 300, 5, 0.25));
  assert.ok(p !== null);
  assert.ok(Math.abs(p.periodUs / 1e6 - 300) < 2, `period ${p.periodUs / 1e6}`);
  assert.ok(p.coverage > 0.6 && p.coverage < 0.9, `coverage ${p.coverage}`);
});

test('detectPeriod() finds a 10 min period with 5 % jitter', () => {
  const p = detectPeriod(beats(3, 150, 600, 30));
  assert.ok(p !== null);
  assert.ok(Math.abs(p.periodUs / 1e6 - 600) < 15, `period ${p.periodUs / 1e6}`);
});

test('detectPeriod() finds the keep-alive among a few extra times that fall between beats', () => {
  const times = beats(4, 300, 30, 0.5);
  const r = new Random(5);
  for (let i = 0; i < 20; i++) times.push(times[0] + Math.round(r.next() * 300 * 30e6));
  times.sort((a, b) => a - b);
  const p = detectPeriod(times);
  assert.ok(p !== null);
  assert.ok(Math.abs(p.periodUs / 1e6 - 30) < 0.5);
});

test('detectPeriod() finds no period in times at random (a Poisson process, like motion reports)', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    const r = new Random(seed);
    const times: number[] = [];
    let t = 0;
    for (let i = 0; i < 200; i++) times.push((t += r.exponential(24 * 60) * 1e6));
    assert.equal(detectPeriod(times), null, `seed ${seed}`);
  }
});

test('detectPeriod() needs six times, and ignores periods past an hour (a daily habit is not a keep-alive)', () => {
  assert.equal(detectPeriod(beats(6, 5, 60, 0.1)), null);
  assert.ok(detectPeriod(beats(6, 6, 60, 0.1)) !== null);
  assert.equal(detectPeriod(beats(7, 30, 86_400, 600)), null);
  assert.ok(detectPeriod(beats(7, 30, 86_400, 600), { maxPeriodUs: 2 * 86_400e6 }) !== null);
});

test('detectPeriod() rejects a series whose jitter is too large beside its period', () => {
  assert.equal(detectPeriod(beats(8, 300, 60, 20)), null);
});

test('detectPeriod() rejects a few beats at a period in a long span (low coverage)', () => {
  const t = beats(9, 8, 60, 0.2);
  const far = t.map((x, i) => (i < 4 ? x : x + 100 * 3600e6));
  assert.equal(detectPeriod(far), null);
});
