/**
 * The published feature set (Al Ameedee & Lee, SECURWARE 2018, section II.B), one row per device use:
 *
 * | column | meaning |
 * | --- | --- |
 * | `time` | when the encrypted data was sent: minute of the day, 0..1439 (UTC). The paper turned the time into a number with scikit-learn; a LabelEncoder over every "HH:MM" of a day gives exactly this number. |
 * | `device_light`, `device_lock`, `device_alarm` | which device sent it, one bit each (the paper: every feature but time is 0 or 1). A device of another kind has all three at 0. |
 * | `used_before_5h` | this same device was used in the 5 hours before (5 h exactly counts). |
 * | `used_after_5h` | this same device is used in the 5 hours after (5 h exactly counts). |
 * | `lock_30min`, `lock_1h`, `lock_2h`, `lock_3h` | the smart lock was used (another use than this row's own) within 30 min, 1 h, 2 h, 3 h of this send, before or after; the windows nest, so `lock_1h` is 1 whenever `lock_30min` is. |
 * | `user_activity` | the label: the activity behind the use, 0 wake_up, 1 leave_home, 2 return_home, 3 leave_temporarily, 4 go_to_bed. |
 *
 * The paper leaves open what one "use" is, and which way the lock windows look; data/paper-choices.md
 * says what was chosen and why. Rows are computed in two linear passes over the time-sorted uses
 * (one forward for "before", one backward for "after"), never by rescanning the events for each row.
 */
import { activityId, isActivity } from '../core/activities.js';
import type { DeviceUse } from '../core/device-use.js';

export const PAPER_FEATURE_COLUMNS = [
  'time',
  'device_light',
  'device_lock',
  'device_alarm',
  'used_before_5h',
  'used_after_5h',
  'lock_30min',
  'lock_1h',
  'lock_2h',
  'lock_3h',
] as const;
export const PAPER_LABEL_COLUMN = 'user_activity';

const MINUTE_US = 60e6;
const HOUR_US = 3_600e6;
const DAY_MINUTES = 1440;
const USE_WINDOW_US = 5 * HOUR_US;
const LOCK_WINDOWS_US = [30 * MINUTE_US, HOUR_US, 2 * HOUR_US, 3 * HOUR_US] as const;
const DEVICE_COLUMN: Readonly<Record<string, number>> = { light: 1, lock: 2, alarm: 3 };
const COL_BEFORE = 4;
const COL_AFTER = 5;
const COL_LOCK_FIRST = 6;
/** The farthest a row looks from its use, before or after: the 5 h of `used_before_5h` and `used_after_5h` (the lock windows are shorter). */
export const PAPER_REACH_US = USE_WINDOW_US;

/** One row: the use it describes, its feature values (in {@link PAPER_FEATURE_COLUMNS} order) and its label. */
export interface PaperFeatureRow {
  readonly timeUs: number;
  readonly device: string;
  readonly kind: string;
  readonly values: number[];
  /** The class id 0..4, or -1 for a use with no activity behind it (noise, cover) or no cause given. */
  readonly label: number;
}

/** Minute of the UTC day, 0..1439, of a time in µs since the epoch. */
export function minuteOfDay(timeUs: number): number {
  const minutes = Math.floor(timeUs / MINUTE_US);
  return ((minutes % DAY_MINUTES) + DAY_MINUTES) % DAY_MINUTES;
}

/**
 * The published features of every use in `events`, which must be sorted by time (a RangeError names
 * the first one out of order). Rows come in the same order as the events.
 */
export function paperFeatureRows(events: readonly DeviceUse[]): PaperFeatureRow[] {
  const n = events.length;
  const rows: PaperFeatureRow[] = new Array(n);
  // Forward: the previous use of each device and the previous lock use.
  const lastUse = new Map<string, number>();
  let lastLockUs = -Infinity;
  for (let i = 0; i < n; i++) {
    const e = events[i];
    if (i > 0 && e.timeUs < events[i - 1].timeUs) {
      throw new RangeError(`Uses must be sorted by time: use ${i} (${e.device}) is earlier than use ${i - 1}`);
    }
    const values = new Array<number>(PAPER_FEATURE_COLUMNS.length).fill(0);
    values[0] = minuteOfDay(e.timeUs);
    const deviceColumn = DEVICE_COLUMN[e.kind];
    if (deviceColumn !== undefined) values[deviceColumn] = 1;
    const previous = lastUse.get(e.device);
    if (previous !== undefined && e.timeUs - previous <= USE_WINDOW_US) values[COL_BEFORE] = 1;
    markLock(values, e.timeUs - lastLockUs);
    lastUse.set(e.device, e.timeUs);
    if (e.kind === 'lock') lastLockUs = e.timeUs;
    const label = e.cause === undefined || !isActivity(e.cause) ? -1 : activityId(e.cause);
    rows[i] = { timeUs: e.timeUs, device: e.device, kind: e.kind, values, label };
  }
  // Backward: the next use of each device and the next lock use.
  const nextUse = new Map<string, number>();
  let nextLockUs = Infinity;
  for (let i = n - 1; i >= 0; i--) {
    const e = events[i];
    const values = rows[i].values;
    const next = nextUse.get(e.device);
    if (next !== undefined && next - e.timeUs <= USE_WINDOW_US) values[COL_AFTER] = 1;
    markLock(values, nextLockUs - e.timeUs);
    nextUse.set(e.device, e.timeUs);
    if (e.kind === 'lock') nextLockUs = e.timeUs;
  }
  return rows;
}

/** Sets each lock window bit whose window holds a lock use `distanceUs` away (bits only ever go to 1). */
function markLock(values: number[], distanceUs: number): void {
  for (let w = 0; w < LOCK_WINDOWS_US.length; w++) {
    if (distanceUs <= LOCK_WINDOWS_US[w]) values[COL_LOCK_FIRST + w] = 1;
  }
}

/** The CSV header of the published format: the feature columns, then `user_activity`. */
export function paperCsvHeader(): string {
  return [...PAPER_FEATURE_COLUMNS, PAPER_LABEL_COLUMN].join(',');
}

/** One CSV line (no newline) of a labelled row; a row without a label (-1) is an error. */
export function paperCsvLine(row: PaperFeatureRow): string {
  if (row.label < 0) throw new RangeError(`The use of ${row.device} at ${new Date(row.timeUs / 1000).toISOString()} has no activity label`);
  return `${row.values.join(',')},${row.label}`;
}
