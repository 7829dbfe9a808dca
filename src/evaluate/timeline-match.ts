/**
 * Scores activities found on a timeline against the true ones. A predicted activity is right when a
 * true activity of the same class lies within the tolerance of it (|predicted − true| ≤ tolerance,
 * the boundary included); each true activity and each prediction is matched at most once, and the
 * matching is a maximum one (as many right predictions as any one-to-one pairing allows).
 *
 * With `byResident`, only a prediction and a truth naming the same resident may pair (an activity
 * without a resident is its own group ''); by default residents are ignored: traffic does not say who.
 *
 * Why a greedy sweep is a maximum matching. Fix one group (one class, one resident). Sort the true
 * times t and the predicted times p. A prediction p may take any truth in the window
 * [p − tol, p + tol]; all windows have the same width, so a later prediction's window starts and ends
 * no earlier than an earlier one's. The sweep takes predictions in time order and gives each the
 * earliest free truth in its window (truths before the window are passed for good).
 * Claim: some maximum matching M agrees with the sweep's first step. Let p1 be the earliest
 * prediction and t* the earliest truth in its window.
 * - No truth in p1's window: p1 is unmatched in every matching; drop it.
 * - Otherwise, in a maximum matching M:
 *   (a) p1–t' and t*–p' in M: swap to p1–t*, p'–t'. This is valid: t* ≤ t' ≤ p1 + tol ≤ p' + tol, and
 *       t' ≥ t* ≥ p' − tol (t* was in p''s window), so t' is in p''s window. Same size.
 *   (b) p1–t' in M, t* free: replace p1–t' by p1–t*. Same size.
 *   (c) p1 free, t*–p' in M: replace p'–t* by p1–t*. Same size.
 *   (d) p1 and t* both free: adding p1–t* would make M larger, impossible.
 * So a maximum matching holds p1–t*. Remove both: what is left is the same kind of problem (the truths
 * the sweep passed lie before p1 − tol, so before the window of every later prediction), and by
 * induction the sweep matches a maximum number of the rest. The test checks it against an exhaustive
 * search on small random cases.
 * The sweep maximises the number of pairs, not the closeness of each pair: a prediction takes the
 * earliest truth it may, which leaves later truths to later predictions.
 */
import { ACTIVITIES } from '../core/activities.js';
import { classMetrics, macroF1 } from './metrics.js';
import type { ClassMetrics } from './metrics.js';

export interface TimedActivity {
  /** Microseconds since the epoch (UTC). */
  readonly timeUs: number;
  /** Class id, an index into the classes (ACTIVITIES by default: wake_up 0 … go_to_bed 4). */
  readonly activity: number;
  readonly resident?: string;
}

export interface TimelineMatchOptions {
  /** How far a prediction may be from a true activity and still be right (default 15 min). */
  toleranceUs?: number;
  /** Pair only activities of the same resident (default false). */
  byResident?: boolean;
  /**
   * Class names (default the five activities). A `none` prediction (a device use with no activity
   * behind it) is not an activity on the timeline: leave it out of `predicted`.
   */
  classes?: readonly string[];
}

export interface MatchedPair {
  readonly truth: TimedActivity;
  readonly predicted: TimedActivity;
  /** predicted − truth, µs: negative when the prediction is early. */
  readonly offsetUs: number;
}

export interface TimelineMatch {
  readonly toleranceUs: number;
  readonly classes: readonly string[];
  /** Right predictions with the truth each found, in the predictions' time order. */
  readonly pairs: readonly MatchedPair[];
  /** True activities no prediction found, in time order. */
  readonly missed: readonly TimedActivity[];
  /** Predictions no true activity backs, in time order. */
  readonly falseAlarms: readonly TimedActivity[];
  readonly perClass: readonly ClassMetrics[];
  /** Mean F1 over the classes that occur in the truth or the predictions (see metrics.ts). */
  readonly macroF1: number;
  readonly macroClasses: readonly number[];
  /** Over all classes: right predictions / predictions, found truths / truths (0 when none). */
  readonly precision: number;
  readonly recall: number;
}

export const DEFAULT_TOLERANCE_US = 15 * 60 * 1_000_000;

function check(items: readonly TimedActivity[], side: string, classCount: number): void {
  items.forEach((a, i) => {
    if (!Number.isFinite(a.timeUs)) throw new RangeError(`Cannot match timelines: ${side}[${i}] has time ${a.timeUs}`);
    if (!Number.isInteger(a.activity) || a.activity < 0 || a.activity >= classCount) {
      throw new RangeError(`Cannot match timelines: ${side}[${i}] has activity ${a.activity}, not a class id from 0 to ${classCount - 1}`);
    }
  });
}

function byTime(a: TimedActivity, b: TimedActivity): number {
  return a.timeUs - b.timeUs;
}

function groupKey(a: TimedActivity, byResident: boolean): string {
  return byResident ? `${a.activity}\u0000${a.resident ?? ''}` : String(a.activity);
}

function groups(items: readonly TimedActivity[], byResident: boolean): Map<string, TimedActivity[]> {
  const out = new Map<string, TimedActivity[]>();
  for (const a of items) {
    const key = groupKey(a, byResident);
    let list = out.get(key);
    if (list === undefined) out.set(key, (list = []));
    list.push(a);
  }
  for (const list of out.values()) list.sort(byTime);
  return out;
}

/**
 * The greedy sweep over one group, both lists in time order: the pairs as indices [truth, predicted].
 * Exported for the test that checks it against an exhaustive search.
 */
export function sweepMatch(truthUs: readonly number[], predictedUs: readonly number[], toleranceUs: number): [number, number][] {
  const pairs: [number, number][] = [];
  let next = 0;
  for (let j = 0; j < predictedUs.length && next < truthUs.length; j++) {
    const p = predictedUs[j];
    while (next < truthUs.length && truthUs[next] < p - toleranceUs) next++;
    if (next < truthUs.length && truthUs[next] <= p + toleranceUs) pairs.push([next++, j]);
  }
  return pairs;
}

/**
 * Matches predicted activities to true ones and scores them per class.
 *
 * @example
 * const m = matchTimeline([{ timeUs: 0, activity: 0 }], [{ timeUs: 600e6, activity: 0 }]);
 * m.pairs[0].offsetUs; // 600e6: ten minutes late, within the 15 min tolerance
 */
export function matchTimeline(truth: readonly TimedActivity[], predicted: readonly TimedActivity[], options: TimelineMatchOptions = {}): TimelineMatch {
  const toleranceUs = options.toleranceUs ?? DEFAULT_TOLERANCE_US;
  if (!(toleranceUs >= 0) || !Number.isFinite(toleranceUs)) throw new RangeError(`Cannot match timelines: tolerance ${toleranceUs} µs is not a time ≥ 0`);
  const classes = options.classes ?? ACTIVITIES;
  const byResident = options.byResident ?? false;
  check(truth, 'truth', classes.length);
  check(predicted, 'predicted', classes.length);

  const truthGroups = groups(truth, byResident);
  const pairs: MatchedPair[] = [];
  const matchedTruth = new Set<TimedActivity>();
  const matchedPredicted = new Set<TimedActivity>();
  for (const [key, preds] of groups(predicted, byResident)) {
    const trues = truthGroups.get(key) ?? [];
    const found = sweepMatch(
      trues.map((a) => a.timeUs),
      preds.map((a) => a.timeUs),
      toleranceUs,
    );
    for (const [t, p] of found) {
      pairs.push({ truth: trues[t], predicted: preds[p], offsetUs: preds[p].timeUs - trues[t].timeUs });
      matchedTruth.add(trues[t]);
      matchedPredicted.add(preds[p]);
    }
  }
  pairs.sort((a, b) => byTime(a.predicted, b.predicted) || a.predicted.activity - b.predicted.activity);
  const missed = truth.filter((a) => !matchedTruth.has(a)).sort(byTime);
  const falseAlarms = predicted.filter((a) => !matchedPredicted.has(a)).sort(byTime);

  const perClass = classes.map((name, c) => {
    const tp = pairs.filter((pair) => pair.truth.activity === c).length;
    const fp = falseAlarms.filter((a) => a.activity === c).length;
    const fn = missed.filter((a) => a.activity === c).length;
    return classMetrics(name, tp, fp, fn);
  });
  return {
    toleranceUs,
    classes: [...classes],
    pairs,
    missed,
    falseAlarms,
    perClass,
    ...macroF1(perClass),
    precision: predicted.length === 0 ? 0 : pairs.length / predicted.length,
    recall: truth.length === 0 ? 0 : pairs.length / truth.length,
  };
}
