// The bound of a point's strongest observer (bound.ts) and the recommendation that holds it under the
// target (sweep.ts recommend) and says what no observer tries on it (frontier.ts), on hand-made days and points.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACTIVITIES } from '../../core/activities.js';
import { strongestBound } from './bound.js';
import { daysMacroF1, type DailyMatch } from './observers.js';
import { recommendationText } from './frontier.js';
import { recommend, type SweepPoint } from './sweep.js';

/** A match over days, each day `[right, false alarms, missed]` of every class alike. */
function days(perDay: readonly (readonly [number, number, number])[]): DailyMatch {
  const classes = ACTIVITIES.length;
  const counts = new Int32Array(perDay.length * classes * 3);
  perDay.forEach(([tp, fp, fn], d) => {
    for (let c = 0; c < classes; c++) counts.set([tp, fp, fn], (d * classes + c) * 3);
  });
  return { days: perDay.length, classes: ACTIVITIES, counts };
}

// Seven days an observer reads unevenly: most days half right, one day well, one day badly.
const uneven = days([[2, 2, 2], [1, 3, 3], [3, 1, 1], [2, 2, 2], [4, 0, 0], [0, 4, 4], [2, 2, 2]]);
const steady = days([[1, 3, 3], [1, 3, 3], [1, 3, 3], [1, 3, 3], [1, 3, 3], [1, 3, 3], [1, 3, 3]]);

test('daysMacroF1: the macro-F1 of the summed counts; a day drawn twice counts twice', () => {
  assert.equal(daysMacroF1(uneven), (2 * 14) / (2 * 14 + 14 + 14));
  assert.equal(daysMacroF1(uneven, [4, 4]), 1);
  assert.equal(daysMacroF1(uneven, [5]), 0);
  assert.equal(daysMacroF1(uneven, [4, 5]), 0.5);
});

test('the bound: reproducible for a seed, never under the score on the days as scored, higher at a higher level, and the strongest observer\'s', () => {
  const settings = { level: 0.9, resamples: 2000, seed: 7 };
  const bound = strongestBound([uneven, steady], settings);
  assert.equal(strongestBound([uneven, steady], settings), bound);
  const scored = Math.max(daysMacroF1(uneven), daysMacroF1(steady));
  assert.ok(bound > scored && bound < 1, `bound ${bound}, scored ${scored}`);
  assert.ok(strongestBound([uneven, steady], { ...settings, level: 0.99 }) > bound);
  assert.ok(strongestBound([uneven, steady], { ...settings, level: 0.5 }) < bound);
  // Days every resample reads alike leave nothing to bound: the bound is the score.
  assert.equal(strongestBound([steady], settings), daysMacroF1(steady));
  assert.ok(strongestBound([uneven, steady], settings) >= strongestBound([uneven], settings));
  assert.equal(strongestBound([], settings), 0);
  assert.throws(() => strongestBound([uneven, days([[1, 1, 1]])], settings), /7 and 1 days/);
});

function point(value: number, strongest: number, strongestBound: number, mb: number): SweepPoint {
  return {
    strategy: 'stp',
    param: 'ratio',
    value,
    params: { ratio: value },
    f1: { naive: strongest, adaptive: strongest, aware: null, awareSizes: null },
    strongest,
    strongestBound,
    usesSeenPerDay: 10,
    cost: { extraBytesPerDay: mb, extraBytesPerSecond: 0, extraPercent: 0, extraMbPerMonth: mb, delayMeanS: 0, delayP95S: 0, measured: 'written' },
    observedOn: 'uses',
    capture: null,
    identification: null,
  };
}

test('recommend: the cheapest point whose bound is under the target; a point under it only on the scored days is refused', () => {
  const cheap = point(4, 0.289, 0.331, 830);
  const dear = point(8, 0.218, 0.262, 1847);
  const dearest = point(16, 0.1, 0.15, 4000);
  assert.equal(recommend([dearest, cheap, dear], 0.3), dear);
  assert.equal(recommend([cheap], 0.3), null);
  // The bound is held under the target as the score is: at the target is not under it.
  assert.equal(recommend([point(4, 0.2, 0.3, 830)], 0.3), null);
  assert.equal(recommend([cheap, dear], 0.35), cheap);
});

test('the recommendation says what no observer here tries on the strategy it recommends: the tunnel, alone or in a combination, and nothing for stp', () => {
  const stp = point(8, 0.218, 0.262, 1847);
  assert.doesNotMatch(recommendationText(stp, 0.3), /Caveat/);
  for (const strategy of ['tunnel', 'tunnel+pad']) {
    const text = recommendationText({ ...stp, strategy, param: null, value: null, params: { scope: 'home' } }, 0.3);
    assert.match(text, /\. Caveat: (tunnel: )?no observer here splits a tunnel back into devices .*TrafficSpy.* upper estimate\.$/, strategy);
  }
});
