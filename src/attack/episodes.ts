/**
 * From per-use class probabilities to the residents' day: uses close in time (each at most
 * {@link EPISODE_GAP_US}, 10 min, after the one before) form an episode; an episode's activity is
 * the class of highest mean probability over its uses, its confidence that mean. Episodes whose best
 * class is `none` (class 5, when the probabilities have six columns) are dropped: nothing happened.
 */
import { ACTIVITIES, type Activity } from '../home/types.js';
import { assertTimeSorted, EPISODE_GAP_US } from '../features/extended.js';
import type { FeatureEvent } from '../features/paper-features.js';

export { EPISODE_GAP_US };

/** One use behind a timeline entry. */
export interface TimelineUse {
  readonly timeUs: number;
  readonly device: string;
  readonly kind: string;
}

/** One activity of the residents' day, as the attack infers it. */
export interface TimelineEntry {
  /** When the episode's first use happened. */
  readonly timeUs: number;
  readonly activity: Activity;
  /** The mean probability of `activity` over the episode's uses, 0..1. */
  readonly confidence: number;
  readonly events: TimelineUse[];
}

/** A run of uses close in time: indices `start` to `end` (both included) of the time-sorted uses. */
export interface UseGroup {
  readonly start: number;
  readonly end: number;
}

/** Groups time-sorted uses into episodes: a use at most `gapUs` after the one before joins its episode. */
export function groupUses(events: readonly { readonly timeUs: number }[], gapUs: number = EPISODE_GAP_US): UseGroup[] {
  const groups: UseGroup[] = [];
  let start = 0;
  for (let i = 1; i <= events.length; i++) {
    if (i === events.length || events[i].timeUs - events[i - 1].timeUs > gapUs) {
      groups.push({ start, end: i - 1 });
      start = i;
    }
  }
  return groups;
}

export interface TimelineOptions {
  /** The largest gap between two uses of one episode; 10 min by default. */
  readonly gapUs?: number;
}

/**
 * The residents' day from time-sorted uses and their probabilities (rows × 5 or rows × 6, the sixth
 * column `none`). A RangeError says when the probabilities do not fit the uses.
 */
export function activityTimeline(events: readonly FeatureEvent[], probabilities: Float32Array, options: TimelineOptions = {}): TimelineEntry[] {
  const n = events.length;
  if (n === 0) {
    if (probabilities.length !== 0) throw new RangeError(`${probabilities.length} probabilities for no uses`);
    return [];
  }
  const width = probabilities.length / n;
  if (width !== ACTIVITIES.length && width !== ACTIVITIES.length + 1) {
    throw new RangeError(`${probabilities.length} probabilities for ${n} uses: expected ${n} rows of 5 or 6 classes`);
  }
  assertTimeSorted(events);
  const timeline: TimelineEntry[] = [];
  const mean = new Float64Array(width);
  for (const { start, end } of groupUses(events, options.gapUs ?? EPISODE_GAP_US)) {
    mean.fill(0);
    for (let i = start; i <= end; i++) for (let c = 0; c < width; c++) mean[c] += probabilities[i * width + c];
    const count = end - start + 1;
    let best = 0;
    for (let c = 1; c < width; c++) if (mean[c] > mean[best]) best = c;
    if (best >= ACTIVITIES.length) continue;
    const uses: TimelineUse[] = [];
    for (let i = start; i <= end; i++) uses.push({ timeUs: events[i].timeUs, device: events[i].device, kind: events[i].kind });
    timeline.push({ timeUs: events[start].timeUs, activity: ACTIVITIES[best], confidence: mean[best] / count, events: uses });
  }
  return timeline;
}
