/**
 * The one interface every attack preset has, learned or not: per-use class probabilities from
 * time-sorted device uses. Presets differ in what they read (the rules preset reads the uses, a
 * learned model reads a feature set's rows), never in how they are called.
 */
import type { DeviceUse } from '../core/device-use.js';

export interface ActivityPredictor {
  /** The preset's name (`rules`, `paper`, …). */
  readonly name: string;
  /** The class names, one per probability column: the five activities, and `none` when the preset has it. */
  readonly classes: readonly string[];
  /**
   * One row of probabilities per use, in the order of `events` (which must be sorted by time), as
   * rows × classes.length, row-major; each row sums to 1.
   */
  predict(events: readonly DeviceUse[]): Float32Array;
}
