/**
 * The sequence feature set: for each device use, the K uses before it, the use itself and the K uses
 * after it (K = {@link DEFAULT_SEQUENCE_K} = 8 unless given), as a fixed-size numeric sequence for a
 * sequence model (a recurrent or convolutional network reads the steps in order). Nothing here reads
 * why a use happened: the label cannot leak into a row.
 *
 * Shape: rows × steps × {@link SEQUENCE_STEP_WIDTH}, steps = 2K + 1, flattened row-major (row, then
 * step, then column). Step 0 is the K-th use before, step K the use itself, step 2K the K-th use after.
 * Where the home's history runs out (the first and last K uses) the missing steps are padding: every
 * column 0, `present` 0.
 *
 * | step column | meaning |
 * | --- | --- |
 * | `offset` | signed log-scaled time from this row's use to the step's use: −1 … 0 before, 0 … 1 after, ±(ln(1 + minutes) / ln(1 + 1440)), clamped at ±1 (24 h or more) |
 * | `hour_sin`, `hour_cos` | the step's time of day: sin and cos of 2π · minute of the UTC day / 1440 |
 * | `kind_lock` … `kind_other` | the step's kind, one-hot over the ten attack kinds (core/kinds.ts) |
 * | `same_device` | 1 when the step's use is of this row's device (1 at step K) |
 * | `present` | 1 for a real use, 0 for padding |
 *
 * The flat column names are `<step>_<column>` with steps named `before8` … `before1`, `self`,
 * `after1` … `after8` (see {@link sequenceColumns}).
 */
import { ATTACK_KINDS, attackKindIndex } from '../core/kinds.js';
import { assertTimeSorted } from './extended.js';
import { minuteOfDay } from './paper-features.js';
import { type DeviceUse } from '../core/device-use.js';

export const DEFAULT_SEQUENCE_K = 8;

export const SEQUENCE_STEP_COLUMNS: readonly string[] = [
  'offset',
  'hour_sin',
  'hour_cos',
  ...ATTACK_KINDS.map((k) => `kind_${k}`),
  'same_device',
  'present',
];
export const SEQUENCE_STEP_WIDTH = SEQUENCE_STEP_COLUMNS.length;

const MINUTE_US = 60e6;
const DAY_MINUTES = 1440;
const LOG_DAY_MINUTES = Math.log1p(DAY_MINUTES);
const C_OFFSET = 0;
const C_HOUR_SIN = 1;
const C_KIND = 3;
const C_SAME_DEVICE = C_KIND + ATTACK_KINDS.length;
const C_PRESENT = C_SAME_DEVICE + 1;

/** The signed log-scaled offset of a step `deltaUs` away (negative before), clamped to −1 … 1. */
export function signedScaledOffset(deltaUs: number): number {
  const scaled = Math.min(1, Math.log1p(Math.abs(deltaUs) / MINUTE_US) / LOG_DAY_MINUTES);
  return deltaUs < 0 ? -scaled : scaled;
}

/** The names of the steps of a window with K uses either side: `before<K>` … `before1`, `self`, `after1` … `after<K>`. */
export function sequenceStepNames(k: number = DEFAULT_SEQUENCE_K): string[] {
  const names: string[] = [];
  for (let s = k; s >= 1; s--) names.push(`before${s}`);
  names.push('self');
  for (let s = 1; s <= k; s++) names.push(`after${s}`);
  return names;
}

/** The flat column names of one row, `<step>_<column>`, in the order of the values. */
export function sequenceColumns(k: number = DEFAULT_SEQUENCE_K): string[] {
  return sequenceStepNames(k).flatMap((step) => SEQUENCE_STEP_COLUMNS.map((c) => `${step}_${c}`));
}

/** One row's shape: [steps, columns per step]. */
export function sequenceShape(k: number = DEFAULT_SEQUENCE_K): [number, number] {
  return [2 * k + 1, SEQUENCE_STEP_WIDTH];
}

/**
 * The sequence window of every use in `events` (sorted by time; a RangeError names the first one out
 * of order), as rows × (2K + 1) × {@link SEQUENCE_STEP_WIDTH} values, rows in the order of the events.
 */
export function sequenceWindowValues(events: readonly DeviceUse[], k: number = DEFAULT_SEQUENCE_K): Float32Array {
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`K must be a whole number ≥ 0, got ${k}`);
  assertTimeSorted(events);
  const n = events.length;
  const steps = 2 * k + 1;
  const rowWidth = steps * SEQUENCE_STEP_WIDTH;
  const v = new Float32Array(n * rowWidth);
  // Each use's own step is the same in every row that shows it: compute it once.
  const kinds = new Int32Array(n);
  const hourSin = new Float32Array(n);
  const hourCos = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    kinds[i] = attackKindIndex(events[i].kind);
    const angle = (2 * Math.PI * minuteOfDay(events[i].timeUs)) / DAY_MINUTES;
    hourSin[i] = Math.sin(angle);
    hourCos[i] = Math.cos(angle);
  }
  for (let i = 0; i < n; i++) {
    const t = events[i].timeUs;
    const device = events[i].device;
    for (let s = 0; s < steps; s++) {
      const j = i + s - k;
      if (j < 0 || j >= n) continue;
      const at = i * rowWidth + s * SEQUENCE_STEP_WIDTH;
      v[at + C_OFFSET] = signedScaledOffset(events[j].timeUs - t);
      v[at + C_HOUR_SIN] = hourSin[j];
      v[at + C_HOUR_SIN + 1] = hourCos[j];
      v[at + C_KIND + kinds[j]] = 1;
      v[at + C_SAME_DEVICE] = events[j].device === device ? 1 : 0;
      v[at + C_PRESENT] = 1;
    }
  }
  return v;
}
