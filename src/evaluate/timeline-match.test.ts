import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_TOLERANCE_US, matchTimeline, sweepMatch } from './timeline-match.js';
import type { TimedActivity } from './timeline-match.js';
import { seededRandom } from '../core/random.js';

const MIN_US = 60 * 1_000_000;
const T0 = Date.UTC(2024, 2, 4, 7) * 1000;

/** The largest number of pairs any one-to-one matching allows, by trying every assignment. */
function bruteForceMaximum(truth: readonly TimedActivity[], predicted: readonly TimedActivity[], tol: number): number {
  const used = new Array<boolean>(truth.length).fill(false);
  const best = (j: number): number => {
    if (j === predicted.length) return 0;
    let max = best(j + 1);
    for (let t = 0; t < truth.length; t++) {
      if (used[t] || truth[t].activity !== predicted[j].activity || Math.abs(truth[t].timeUs - predicted[j].timeUs) > tol) continue;
      used[t] = true;
      max = Math.max(max, 1 + best(j + 1));
      used[t] = false;
    }
    return max;
  };
  return best(0);
}

test('matchTimeline() finds as many pairs as an exhaustive search on 3000 small random timelines', () => {
  const next = seededRandom(7);
  const int = (n: number): number => Math.floor(next() * n);
  for (let round = 0; round < 3000; round++) {
    const tol = int(15);
    const make = (): TimedActivity[] => Array.from({ length: int(7) }, () => ({ timeUs: int(60), activity: int(2) }));
    const truth = make();
    const predicted = make();
    const m = matchTimeline(truth, predicted, { toleranceUs: tol, classes: ['x', 'y'] });
    assert.equal(m.pairs.length, bruteForceMaximum(truth, predicted, tol), `round ${round}: ${JSON.stringify({ tol, truth, predicted })}`);
    // Every pair is valid and nothing is used twice or lost.
    for (const p of m.pairs) {
      assert.equal(p.truth.activity, p.predicted.activity);
      assert.ok(Math.abs(p.offsetUs) <= tol);
      assert.equal(p.offsetUs, p.predicted.timeUs - p.truth.timeUs);
    }
    assert.equal(new Set(m.pairs.map((p) => p.truth)).size, m.pairs.length);
    assert.equal(new Set(m.pairs.map((p) => p.predicted)).size, m.pairs.length);
    assert.equal(m.pairs.length + m.missed.length, truth.length);
    assert.equal(m.pairs.length + m.falseAlarms.length, predicted.length);
  }
});

test('sweepMatch() leaves an early truth to the prediction that alone can reach it', () => {
  // Nearest-first would pair 10↔12 and strand 22; the sweep pairs 10↔0 and 22↔12.
  assert.deepEqual(sweepMatch([0, 22], [10, 12], 10), [
    [0, 0],
    [1, 1],
  ]);
  assert.deepEqual(sweepMatch([5], [0, 1, 2], 10), [[0, 0]]);
  assert.deepEqual(sweepMatch([], [1], 10), []);
});

test('matchTimeline() counts a prediction exactly 15 minutes away as right and one a microsecond further as wrong', () => {
  assert.equal(DEFAULT_TOLERANCE_US, 15 * MIN_US);
  const truth = [{ timeUs: T0, activity: 0 }];
  assert.equal(matchTimeline(truth, [{ timeUs: T0 + 15 * MIN_US, activity: 0 }]).pairs.length, 1);
  assert.equal(matchTimeline(truth, [{ timeUs: T0 - 15 * MIN_US, activity: 0 }]).pairs.length, 1);
  assert.equal(matchTimeline(truth, [{ timeUs: T0 + 15 * MIN_US + 1, activity: 0 }]).pairs.length, 0);
  assert.equal(matchTimeline(truth, [{ timeUs: T0 - 15 * MIN_US - 1, activity: 0 }]).pairs.length, 0);
  assert.equal(matchTimeline(truth, [{ timeUs: T0 + 20 * MIN_US, activity: 0 }], { toleranceUs: 20 * MIN_US }).pairs.length, 1);
  assert.equal(matchTimeline(truth, [{ timeUs: T0, activity: 0 }], { toleranceUs: 0 }).pairs.length, 1);
});

test('matchTimeline() scores a day per class: right class in time, wrong class, missed, false alarm, duplicate', () => {
  const truth: TimedActivity[] = [
    { timeUs: T0, activity: 0 }, // wake_up 07:00
    { timeUs: T0 + 60 * MIN_US, activity: 1 }, // leave_home 08:00
    { timeUs: T0 + 600 * MIN_US, activity: 2 }, // return_home 17:00
    { timeUs: T0 + 900 * MIN_US, activity: 4 }, // go_to_bed 22:00
  ];
  const predicted: TimedActivity[] = [
    { timeUs: T0 + 5 * MIN_US, activity: 0 }, // right, 5 min late
    { timeUs: T0 + 8 * MIN_US, activity: 0 }, // a second wake_up: the truth is taken, so a false alarm
    { timeUs: T0 + 55 * MIN_US, activity: 3 }, // wrong class: a false leave_temporarily (leave_home missed)
    { timeUs: T0 + 590 * MIN_US, activity: 2 }, // right, 10 min early
    // go_to_bed missed
  ];
  const m = matchTimeline(truth, predicted);
  assert.deepEqual(
    m.pairs.map((p) => [p.truth.activity, p.offsetUs / MIN_US]),
    [
      [0, 5],
      [2, -10],
    ],
  );
  assert.deepEqual(
    m.missed.map((a) => a.activity),
    [1, 4],
  );
  assert.deepEqual(
    m.falseAlarms.map((a) => a.activity),
    [0, 3],
  );
  const [wake, leave, back, temp, bed] = m.perClass;
  assert.deepEqual([wake.precision, wake.recall, wake.f1], [0.5, 1, 2 / 3]);
  assert.deepEqual([leave.precision, leave.recall, leave.f1, leave.support], [0, 0, 0, 1]);
  assert.deepEqual([back.precision, back.recall, back.f1], [1, 1, 1]);
  assert.deepEqual([temp.precision, temp.recall, temp.f1, temp.predicted], [0, 0, 0, 1]);
  assert.deepEqual([bed.precision, bed.recall, bed.f1], [0, 0, 0]);
  assert.equal(m.macroF1, (2 / 3 + 0 + 1 + 0 + 0) / 5);
  assert.equal(m.precision, 2 / 4);
  assert.equal(m.recall, 2 / 4);
  assert.equal(m.classes[4], 'go_to_bed');
});

test('matchTimeline() pairs only the same resident with byResident, and anyone by default', () => {
  const truth: TimedActivity[] = [{ timeUs: T0, activity: 0, resident: 'alice' }];
  const predicted: TimedActivity[] = [{ timeUs: T0, activity: 0, resident: 'bob' }];
  assert.equal(matchTimeline(truth, predicted).pairs.length, 1);
  assert.equal(matchTimeline(truth, predicted, { byResident: true }).pairs.length, 0);
  assert.equal(matchTimeline(truth, [{ timeUs: T0, activity: 0, resident: 'alice' }], { byResident: true }).pairs.length, 1);
});

test('matchTimeline() macro-averages only classes present and rejects bad input', () => {
  const m = matchTimeline([{ timeUs: T0, activity: 2 }], [{ timeUs: T0, activity: 2 }]);
  assert.equal(m.macroF1, 1);
  assert.deepEqual(m.macroClasses, [2]);
  const empty = matchTimeline([], []);
  assert.deepEqual([empty.macroF1, empty.precision, empty.recall], [0, 0, 0]);
  assert.throws(() => matchTimeline([], [{ timeUs: T0, activity: 5 }]), /predicted\[0\] has activity 5/);
  assert.throws(() => matchTimeline([{ timeUs: Number.NaN, activity: 0 }], []), /truth\[0\] has time NaN/);
  assert.throws(() => matchTimeline([], [], { toleranceUs: -1 }), /tolerance -1/);
});
