/**
 * Every feature set in one registry, behind one interface: `rows(events)` turns time-sorted device
 * uses into a matrix (rows × width, Float32) and a label per row, for training and for prediction.
 *
 * | set | row | rows kept | a row reads ({@link UseContext}) |
 * | --- | --- | --- | --- |
 * | `paper` | the published features (paper-features.ts), 10 columns | uses caused by an activity, and uses with no cause given (label −1); noise (and cover) is left out, as published | the uses within 5 h |
 * | `extended` | features/extended.ts, {@link EXTENDED_WIDTH} columns | every use; noise and cover labelled 5 (`none`) | its episode, and the uses within 24 h of it |
 * | `sequence` | features/sequence-window.ts, K = 8: 17 steps × 15 columns | every use; noise and cover labelled 5 (`none`) | the 8 uses either side |
 *
 * Labels: the class id 0..4 of the activity behind the use (ACTIVITIES order, as published), 5
 * ({@link NONE_CLASS}) for noise and cover (no activity behind the use) in the sets that keep them, −1 when the use carries no cause (events
 * read from a capture or a CSV without labels).
 */
import { ACTIVITIES, activityId, isActivity } from '../core/activities.js';
import { EPISODE_GAP_US, EXTENDED_COLUMNS, EXTENDED_WIDTH, extendedFeatureValues, EXTENDED_REACH_US } from './extended.js';
import { PAPER_FEATURE_COLUMNS, PAPER_REACH_US, paperFeatureRows } from './paper-features.js';
import { type DeviceUse } from '../core/device-use.js';
import { DEFAULT_SEQUENCE_K, sequenceColumns, sequenceShape, sequenceWindowValues } from './sequence-window.js';

/** The classes the attack tells apart: the five activities (0..4) and `none` (5) for noise. */
export const ATTACK_CLASSES = [...ACTIVITIES, 'none'] as const;
export type AttackClass = (typeof ATTACK_CLASSES)[number];
/** The class id of a use with no activity behind it. */
export const NONE_CLASS = 5;
/** The label of a use whose cause is not known. */
export const NO_LABEL = -1;

export type FeatureSetName = 'paper' | 'extended' | 'sequence';

/**
 * What the row of one use reads besides the use itself: the uses up to `uses` places before and after
 * it, and the uses up to `spanUs` before the first and after the last use of its run (a run: uses each
 * at most `runGapUs` after the one before, so a run of 0 is the uses at one instant). A row computed
 * over any unbroken stretch of the time-sorted uses that holds all of these is the row computed over
 * all of them, so rows can be computed a stretch at a time (attack/use-stream.ts). A gap past the reach
 * reads as no use at all: the features cap their gaps there (24 h for `extended`).
 */
export interface UseContext {
  readonly uses: number;
  readonly runGapUs: number;
  readonly spanUs: number;
}

/** A feature set's rows: `values` is rows × `width`, row-major; `eventIndex[r]` is the use row r describes. */
export interface FeatureRows {
  readonly values: Float32Array;
  readonly width: number;
  readonly labels: Int32Array;
  readonly eventIndex: Int32Array;
}

export interface FeatureSet {
  readonly name: FeatureSetName;
  /** The flat column names of one row, `width` of them. */
  readonly columns: readonly string[];
  /** One row's shape: [width] for a flat set, [steps, columns per step] for a sequence. */
  readonly shape: readonly number[];
  readonly description: string;
  /** True when noise (and cover) uses are rows (labelled 5); false when they are left out. */
  readonly keepsNoise: boolean;
  /** What a row reads besides its use. */
  readonly context: UseContext;
  /** The rows of time-sorted uses (a RangeError names the first use out of order). */
  rows(events: readonly DeviceUse[]): FeatureRows;
}

/** The label of a use: its activity's class id, {@link NONE_CLASS} for noise or cover, {@link NO_LABEL} without a cause. */
export function labelOf(event: DeviceUse): number {
  if (event.cause === undefined) return NO_LABEL;
  if (!isActivity(event.cause)) return NONE_CLASS;
  return activityId(event.cause);
}

function allRows(events: readonly DeviceUse[], values: Float32Array, width: number): FeatureRows {
  const labels = new Int32Array(events.length);
  const eventIndex = new Int32Array(events.length);
  for (let i = 0; i < events.length; i++) {
    labels[i] = labelOf(events[i]);
    eventIndex[i] = i;
  }
  return { values, width, labels, eventIndex };
}

const PAPER_SET: FeatureSet = {
  name: 'paper',
  columns: PAPER_FEATURE_COLUMNS,
  shape: [PAPER_FEATURE_COLUMNS.length],
  description: 'The published features (SECURWARE 2018): minute of the day, device bits, same device within 5 h, lock within 30 min to 3 h; noise left out',
  keepsNoise: false,
  context: { uses: 0, runGapUs: 0, spanUs: PAPER_REACH_US },
  rows(events) {
    const width = PAPER_FEATURE_COLUMNS.length;
    const all = paperFeatureRows(events);
    const kept: number[] = [];
    for (let i = 0; i < all.length; i++) {
      const cause = events[i].cause;
      if (cause === undefined || isActivity(cause)) kept.push(i);
    }
    const values = new Float32Array(kept.length * width);
    const labels = new Int32Array(kept.length);
    kept.forEach((i, r) => {
      values.set(all[i].values, r * width);
      labels[r] = labelOf(events[i]);
    });
    return { values, width, labels, eventIndex: Int32Array.from(kept) };
  },
};

const EXTENDED_SET: FeatureSet = {
  name: 'extended',
  columns: EXTENDED_COLUMNS.map((c) => c.name),
  shape: [EXTENDED_WIDTH],
  description: 'Generic over homes: time of day and week, kind one-hot, time since and until each kind, same-device gaps, sliding-window counts, silences and episodes; noise kept as none',
  keepsNoise: true,
  context: { uses: 0, runGapUs: EPISODE_GAP_US, spanUs: EXTENDED_REACH_US },
  rows(events) {
    return allRows(events, extendedFeatureValues(events), EXTENDED_WIDTH);
  },
};

/** The sequence set with K uses either side of each row's use. */
export function sequenceFeatureSet(k: number = DEFAULT_SEQUENCE_K): FeatureSet {
  const [steps, stepWidth] = sequenceShape(k);
  return {
    name: 'sequence',
    columns: sequenceColumns(k),
    shape: [steps, stepWidth],
    description: `The ${k} uses before and after each use and the use itself (${steps} steps × ${stepWidth}: offset, time of day, kind, same device, present); noise kept as none`,
    keepsNoise: true,
    context: { uses: k, runGapUs: 0, spanUs: 0 },
    rows(events) {
      return allRows(events, sequenceWindowValues(events, k), steps * stepWidth);
    },
  };
}

export const FEATURE_SETS: readonly FeatureSet[] = [PAPER_SET, EXTENDED_SET, sequenceFeatureSet()];

/** The feature set of a name; an Error lists the names there are. */
export function featureSet(name: string): FeatureSet {
  const found = FEATURE_SETS.find((s) => s.name === name);
  if (found === undefined) throw new Error(`No feature set "${name}": there are ${FEATURE_SETS.map((s) => s.name).join(', ')}`);
  return found;
}
