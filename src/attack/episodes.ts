/**
 * From per-use class probabilities to the residents' day: uses close in time (each at most
 * {@link EPISODE_GAP_US}, 10 min, after the one before) form an episode; an episode's activity is
 * the class of highest mean probability over its uses, its confidence that mean. Episodes whose best
 * class is `none` (class 5, when the probabilities have six columns) are dropped: nothing happened.
 */
import { ACTIVITIES, type Activity } from '../core/activities.js';
import { assertTimeSorted, EPISODE_GAP_US } from '../features/extended.js';
import type { DeviceUse } from '../core/device-use.js';

export { EPISODE_GAP_US };

/** One activity of the residents' day, as the attack infers it. */
export interface TimelineEntry {
  /** When the episode's first use happened. */
  readonly timeUs: number;
  readonly activity: Activity;
  /** The mean probability of `activity` over the episode's uses, 0..1. */
  readonly confidence: number;
  readonly events: DeviceUse[];
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
  /**
   * How uses become activities. `runs` (default): each use takes its most probable class; uses
   * whose class is `none` are set aside; a run of uses of one class, each within the gap of the one
   * before, is one activity (so a motion sensor firing all evening neither hides an activity nor
   * joins two). `episodes`: uses within the gap of each other form an episode whatever their
   * classes, and the episode takes the class of highest mean probability.
   */
  readonly mode?: 'runs' | 'episodes';
}

/**
 * The residents' day from time-sorted uses and their probabilities (rows × 5 or rows × 6, the sixth
 * column `none`). A RangeError says when the probabilities do not fit the uses.
 */
export function activityTimeline(events: readonly DeviceUse[], probabilities: Float32Array, options: TimelineOptions = {}): TimelineEntry[] {
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
  const gapUs = options.gapUs ?? EPISODE_GAP_US;
  if ((options.mode ?? 'runs') === 'runs') return runsTimeline(events, probabilities, width, gapUs);
  const timeline: TimelineEntry[] = [];
  const mean = new Float64Array(width);
  for (const { start, end } of groupUses(events, gapUs)) {
    mean.fill(0);
    for (let i = start; i <= end; i++) for (let c = 0; c < width; c++) mean[c] += probabilities[i * width + c];
    const count = end - start + 1;
    let best = 0;
    for (let c = 1; c < width; c++) if (mean[c] > mean[best]) best = c;
    if (best >= ACTIVITIES.length) continue;
    const uses: DeviceUse[] = [];
    for (let i = start; i <= end; i++) uses.push({ timeUs: events[i].timeUs, device: events[i].device, kind: events[i].kind });
    timeline.push({ timeUs: events[start].timeUs, activity: ACTIVITIES[best], confidence: mean[best] / count, events: uses });
  }
  return timeline;
}

function runsTimeline(events: readonly DeviceUse[], probabilities: Float32Array, width: number, gapUs: number): TimelineEntry[] {
  const timeline: TimelineEntry[] = [];
  let runClass = -1;
  let runSum = 0;
  let runLastUs = -Infinity;
  let runUses: DeviceUse[] = [];
  const flush = (): void => {
    if (runClass >= 0) timeline.push({ timeUs: runUses[0].timeUs, activity: ACTIVITIES[runClass], confidence: runSum / runUses.length, events: runUses });
    runClass = -1;
    runSum = 0;
    runUses = [];
  };
  for (let i = 0; i < events.length; i++) {
    let best = 0;
    for (let c = 1; c < width; c++) if (probabilities[i * width + c] > probabilities[i * width + best]) best = c;
    if (best >= ACTIVITIES.length) continue;
    const e = events[i];
    if (best !== runClass || e.timeUs - runLastUs > gapUs) {
      flush();
      runClass = best;
    }
    runSum += probabilities[i * width + best];
    runLastUs = e.timeUs;
    runUses.push({ timeUs: e.timeUs, device: e.device, kind: e.kind });
  }
  flush();
  return timeline;
}
