/**
 * The confusion of a timeline match: which class was predicted near each true activity. A timeline
 * has no rows to pair one to one as a per-use report has, so every true activity and every prediction
 * is placed exactly once:
 *
 * - a pair the match found (same class, within the tolerance) is on the diagonal;
 * - a true activity the match missed takes the nearest prediction of another class that the match
 *   left over and that lies within the tolerance of it (ties: the earlier one): a confusion between
 *   the two classes; no such prediction, and it is counted under "nothing predicted";
 * - a prediction left over after that is counted under "nothing true".
 *
 * A left-over prediction within the tolerance of a missed truth is always of another class: one of
 * the same class would have let the match pair them, and the match is a maximum one
 * (timeline-match.ts). Row sums are the true activities per class, column sums the predictions, so
 * the table accounts for everything the two timelines hold.
 */
import type { TimedActivity, TimelineMatch } from './timeline-match.js';

export interface TimelineConfusion {
  /** The activity classes; row `classes.length` is "nothing true", column `classes.length` "nothing predicted". */
  readonly classes: readonly string[];
  /** `counts[t][p]`: (classes + 1) × (classes + 1); `counts[classes.length][classes.length]` is always 0. */
  readonly counts: readonly (readonly number[])[];
}

/** Places each true activity and each prediction of `match` in one cell (see the module comment). */
export function timelineConfusion(match: TimelineMatch): TimelineConfusion {
  const n = match.classes.length;
  const counts = Array.from({ length: n + 1 }, () => new Array<number>(n + 1).fill(0));
  for (const pair of match.pairs) counts[pair.truth.activity][pair.predicted.activity]++;
  const left: (TimedActivity | null)[] = [...match.falseAlarms];
  for (const truth of match.missed) {
    let best = -1;
    for (let i = 0; i < left.length; i++) {
      const p = left[i];
      if (p === null || Math.abs(p.timeUs - truth.timeUs) > match.toleranceUs) continue;
      if (best < 0 || Math.abs(p.timeUs - truth.timeUs) < Math.abs(left[best]!.timeUs - truth.timeUs)) best = i;
    }
    if (best < 0) {
      counts[truth.activity][n]++;
    } else {
      counts[truth.activity][left[best]!.activity]++;
      left[best] = null;
    }
  }
  for (const p of left) if (p !== null) counts[n][p.activity]++;
  return { classes: match.classes, counts };
}
