/**
 * A preset scored on a labelled home read from files (labelled-home.ts): a real home recorded by
 * others, or any home a user labelled. Only the uses' times, devices and kinds reach the predictor;
 * its inferred day is matched against the labels on the timeline at each tolerance asked for
 * (evaluate/timeline-match.ts: right when a true activity of the same class lies within the
 * tolerance, each matched once), with the confusion of each (evaluate/timeline-confusion.ts) and the
 * two days side by side (report/labelled-evaluation-text.ts shows them).
 */
import { activityId } from '../core/activities.js';
import { matchTimeline, type TimedActivity, type TimelineMatch } from '../evaluate/timeline-match.js';
import { timelineConfusion, type TimelineConfusion } from '../evaluate/timeline-confusion.js';
import type { TimelineEntry } from './episodes.js';
import type { LabelledHome } from './labelled-home.js';
import { inferredDay, type ActivityPredictor } from './predictor.js';

/** The tolerances scored by default: 15 and 30 minutes. */
export const DEFAULT_LABELLED_TOLERANCES_US: readonly number[] = [15 * 60e6, 30 * 60e6];

export interface LabelledToleranceScore {
  readonly match: TimelineMatch;
  readonly confusion: TimelineConfusion;
}

/** A row of the two days side by side: a true activity, the prediction that found it, or both. */
export interface SideBySideRow {
  /** The earlier of the two times. */
  readonly timeUs: number;
  readonly truth: TimedActivity | null;
  readonly predicted: TimelineEntry | null;
}

export interface LabelledEvaluation {
  readonly eventsFile: string;
  readonly labelsFile: string;
  readonly predictor: string;
  readonly uses: number;
  readonly truth: readonly TimedActivity[];
  /** The inferred day, in time order. */
  readonly predicted: readonly TimelineEntry[];
  /** One per tolerance, in the order asked. */
  readonly scores: readonly LabelledToleranceScore[];
  /** Both days in time order, pairs as the widest tolerance found them. */
  readonly sideBySide: readonly SideBySideRow[];
}

/** The score at the widest tolerance: the one the side-by-side rows pair by. */
export function widestScore(scores: readonly LabelledToleranceScore[]): LabelledToleranceScore {
  return scores.reduce((a, b) => (b.match.toleranceUs > a.match.toleranceUs ? b : a));
}

/** Scores `predictor` on `home` at each tolerance (µs; by default 15 and 30 min). */
export function evaluateLabelledHome(predictor: ActivityPredictor, home: LabelledHome, tolerancesUs: readonly number[] = DEFAULT_LABELLED_TOLERANCES_US): LabelledEvaluation {
  const predicted = inferredDay(predictor, home.events);
  const timed = predicted.map((t) => ({ timeUs: t.timeUs, activity: activityId(t.activity) }));
  if (tolerancesUs.length === 0) throw new RangeError('Cannot score a labelled home at no tolerance');
  const scores = tolerancesUs.map((toleranceUs) => {
    const match = matchTimeline(home.labels, timed, { toleranceUs });
    return { match, confusion: timelineConfusion(match) };
  });
  const widest = widestScore(scores).match;
  const entryOf = new Map<TimedActivity, TimelineEntry>(timed.map((t, i) => [t, predicted[i]]));
  const rows: SideBySideRow[] = [
    ...widest.pairs.map((p) => ({ timeUs: Math.min(p.truth.timeUs, p.predicted.timeUs), truth: p.truth, predicted: entryOf.get(p.predicted)! })),
    ...widest.missed.map((t) => ({ timeUs: t.timeUs, truth: t, predicted: null })),
    ...widest.falseAlarms.map((p) => ({ timeUs: p.timeUs, truth: null, predicted: entryOf.get(p)! })),
  ];
  // Stable sort: at one instant, found pairs first, then missed truths, then false predictions.
  rows.sort((a, b) => a.timeUs - b.timeUs);
  return { eventsFile: home.eventsFile, labelsFile: home.labelsFile, predictor: predictor.name, uses: home.events.length, truth: home.labels, predicted, scores, sideBySide: rows };
}
