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
  const builder = new TimelineBuilder(width, options);
  const timeline = builder.add(events, probabilities);
  for (const t of builder.end()) timeline.push(t);
  return timeline;
}

/**
 * The residents' day built as the uses and their probabilities come, a block at a time (as
 * use-stream.ts predicts them): each block gives the activities it closed; {@link end} gives the last
 * one. The activities are those {@link activityTimeline} gives all the uses at once.
 */
export class TimelineBuilder {
  private readonly gapUs: number;
  private readonly runs: boolean;
  /** Uses taken so far, and the time of the last one. */
  private count = 0;
  private lastUs = -Infinity;
  /** The open activity: its class (runs) or mean sums (episodes), its uses, the time of its last use. */
  private runClass = -1;
  private runSum = 0;
  private readonly sums: Float64Array;
  private openUses: DeviceUse[] = [];
  private openLastUs = -Infinity;

  /** `width`: classes per row, 5 or 6 (the sixth `none`). */
  constructor(
    private readonly width: number,
    options: TimelineOptions = {},
  ) {
    if (width !== ACTIVITIES.length && width !== ACTIVITIES.length + 1) throw new RangeError(`Rows of 5 or 6 classes, not ${width}`);
    this.gapUs = options.gapUs ?? EPISODE_GAP_US;
    this.runs = (options.mode ?? 'runs') === 'runs';
    this.sums = new Float64Array(width);
  }

  /** Takes the next uses (sorted by time, after those taken) and their probabilities; returns the activities they closed. */
  add(events: readonly DeviceUse[], probabilities: Float32Array): TimelineEntry[] {
    const width = this.width;
    if (probabilities.length !== events.length * width) {
      throw new RangeError(`${probabilities.length} probabilities for ${events.length} uses: expected ${events.length} rows of ${width} classes`);
    }
    const closed: TimelineEntry[] = [];
    for (let i = 0; i < events.length; i++) {
      const e = events[i];
      const index = this.count++;
      if (e.timeUs < this.lastUs) throw new RangeError(`Uses must be sorted by time: use ${index} (${e.device}) is earlier than use ${index - 1}`);
      this.lastUs = e.timeUs;
      if (this.runs) this.addToRun(e, probabilities, i * width, closed);
      else this.addToEpisode(e, probabilities, i * width, closed);
    }
    return closed;
  }

  /** The last activity, if one is open; call once after the last uses. */
  end(): TimelineEntry[] {
    const closed: TimelineEntry[] = [];
    if (this.runs) this.flushRun(closed);
    else this.flushEpisode(closed);
    return closed;
  }

  private addToRun(e: DeviceUse, p: Float32Array, row: number, closed: TimelineEntry[]): void {
    let best = 0;
    for (let c = 1; c < this.width; c++) if (p[row + c] > p[row + best]) best = c;
    if (best >= ACTIVITIES.length) return;
    if (best !== this.runClass || e.timeUs - this.openLastUs > this.gapUs) {
      this.flushRun(closed);
      this.runClass = best;
    }
    this.runSum += p[row + best];
    this.openLastUs = e.timeUs;
    this.openUses.push({ timeUs: e.timeUs, device: e.device, kind: e.kind });
  }

  private flushRun(closed: TimelineEntry[]): void {
    const uses = this.openUses;
    if (this.runClass >= 0) closed.push({ timeUs: uses[0].timeUs, activity: ACTIVITIES[this.runClass], confidence: this.runSum / uses.length, events: uses });
    this.runClass = -1;
    this.runSum = 0;
    this.openUses = [];
  }

  private addToEpisode(e: DeviceUse, p: Float32Array, row: number, closed: TimelineEntry[]): void {
    if (this.openUses.length > 0 && e.timeUs - this.openLastUs > this.gapUs) this.flushEpisode(closed);
    for (let c = 0; c < this.width; c++) this.sums[c] += p[row + c];
    this.openLastUs = e.timeUs;
    this.openUses.push({ timeUs: e.timeUs, device: e.device, kind: e.kind });
  }

  private flushEpisode(closed: TimelineEntry[]): void {
    const uses = this.openUses;
    if (uses.length > 0) {
      const mean = this.sums;
      let best = 0;
      for (let c = 1; c < this.width; c++) if (mean[c] > mean[best]) best = c;
      if (best < ACTIVITIES.length) closed.push({ timeUs: uses[0].timeUs, activity: ACTIVITIES[best], confidence: mean[best] / uses.length, events: uses });
    }
    this.sums.fill(0);
    this.openUses = [];
  }
}
