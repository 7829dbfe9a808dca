/**
 * The extended feature set: one row per device use, generic over homes (any mix of kinds, several
 * devices of a kind, kinds mapped by core/kinds.ts), for the learned presets beyond the paper.
 * Nothing here reads why a use happened (`cause`, `resident`): the label cannot leak into a row.
 *
 * Gaps are "log-scaled minutes": `ln(1 + minutes) / ln(1 + 1440)`, so 0 is now, 1 is exactly 24 h,
 * and a gap longer than 24 h (or no use at all) is {@link NO_USE_IN_24H} = 1.25, past the cap.
 * Counts are `log2(1 + n)`. Windows include their bounds: a use exactly 15 min away is in the 15 min
 * window. "Before" and "after" are by order in the time-sorted uses, so uses at the same instant are
 * each other's neighbours, and a row never counts its own use. Times of day and days of week are UTC.
 * An episode is a run of uses each at most 10 min ({@link EPISODE_GAP_US}) after the one before.
 *
 * | column | meaning |
 * | --- | --- |
 * | `hour_sin`, `hour_cos` | time of day: sin and cos of 2π · minute of the day / 1440 |
 * | `weekday_sin`, `weekday_cos` | day of week: sin and cos of 2π · d / 7, d = 0 Monday … 6 Sunday |
 * | `weekend` | 1 on Saturday and Sunday |
 * | `kind_lock` … `kind_other` | this use's kind, one-hot over the ten attack kinds (lock, door, light, motion, alarm, camera, plug, speaker, thermostat, other) |
 * | `since_lock` … `since_other` | for each kind: log-scaled time since the last earlier use of a device of that kind |
 * | `until_lock` … `until_other` | for each kind: log-scaled time until the next later use of a device of that kind |
 * | `device_gap_before` | log-scaled time since this same device's previous use |
 * | `device_gap_after` | log-scaled time until this same device's next use |
 * | `device_uses_1h` | log2(1 + uses of this same device within 1 h before or after): a sensor that fires all day is busy |
 * | `count_before_15min`, `count_before_1h`, `count_before_5h` | log2(1 + uses of any device in the 15 min, 1 h, 5 h before) |
 * | `count_after_15min`, `count_after_1h`, `count_after_5h` | log2(1 + uses of any device in the 15 min, 1 h, 5 h after) |
 * | `silence_before` | log-scaled time since the previous use of any device: the home's silence before |
 * | `silence_after` | log-scaled time until the next use of any device: the home's silence after |
 * | `episode_uses` | log2(uses in this use's episode, itself included) |
 * | `episode_span` | log-scaled time from the episode's first use to its last |
 * | `episode_silence_before` | log-scaled silence before the episode's first use (a use inside a wake-up burst still sees the night) |
 * | `episode_silence_after` | log-scaled silence after the episode's last use |
 * | `episode_entry_before` | 1 when a lock or door use comes earlier in this episode: in through the door, then lights on |
 * | `episode_entry_after` | 1 when a lock or door use comes later in this episode: lights off, then out through the door |
 *
 * Rows are computed in linear passes over the time-sorted uses (forward for "before", backward for
 * "after", two pointers for the sliding windows), never by rescanning the uses for each row.
 */
import { ATTACK_KINDS, attackKindIndex, isEntranceKind } from '../core/kinds.js';
import { minuteOfDay } from './paper-features.js';
import { type DeviceUse } from '../core/device-use.js';

/** One documented column: its name and what it means. */
export interface ColumnDoc {
  readonly name: string;
  readonly meaning: string;
}

const MINUTE_US = 60e6;
const HOUR_US = 3_600e6;
const DAY_US = 24 * HOUR_US;
const DAY_MINUTES = 1440;
const LOG_DAY_MINUTES = Math.log1p(DAY_MINUTES);
/** The value of a gap longer than 24 h, or of a use that has no neighbour at all. */
export const NO_USE_IN_24H = 1.25;
/**
 * The farthest a row looks before its episode's first use or after its last: a gap past 24 h reads
 * as no use at all ({@link NO_USE_IN_24H}), and every window is shorter.
 */
export const EXTENDED_REACH_US = DAY_US;
/** Uses at most this far apart belong to one episode. */
export const EPISODE_GAP_US = 10 * MINUTE_US;
const DEVICE_WINDOW_US = HOUR_US;
const COUNT_WINDOWS = [
  { label: '15min', us: 15 * MINUTE_US, text: '15 min' },
  { label: '1h', us: HOUR_US, text: '1 h' },
  { label: '5h', us: 5 * HOUR_US, text: '5 h' },
] as const;
/** 1970-01-01 was a Thursday: day 3 when Monday is 0. */
const EPOCH_WEEKDAY = 3;
const SATURDAY = 5;

/** A gap in µs as log-scaled minutes: 0 now, 1 at 24 h, {@link NO_USE_IN_24H} past 24 h or for none (Infinity). */
export function scaledGap(gapUs: number): number {
  if (!(gapUs <= DAY_US)) return NO_USE_IN_24H;
  return Math.log1p(gapUs / MINUTE_US) / LOG_DAY_MINUTES;
}

/** A count as log2(1 + n). */
export function scaledCount(n: number): number {
  return Math.log2(1 + n);
}

/** The UTC day of week of a time in µs, 0 Monday … 6 Sunday. */
export function dayOfWeek(timeUs: number): number {
  const days = Math.floor(timeUs / DAY_US);
  return (((days + EPOCH_WEEKDAY) % 7) + 7) % 7;
}

function kindColumns(prefix: string, meaning: (kind: string) => string): ColumnDoc[] {
  return ATTACK_KINDS.map((k) => ({ name: `${prefix}_${k}`, meaning: meaning(k) }));
}

export const EXTENDED_COLUMNS: readonly ColumnDoc[] = [
  { name: 'hour_sin', meaning: 'sin(2π · minute of the UTC day / 1440)' },
  { name: 'hour_cos', meaning: 'cos(2π · minute of the UTC day / 1440)' },
  { name: 'weekday_sin', meaning: 'sin(2π · d / 7), d = UTC day of week, 0 Monday … 6 Sunday' },
  { name: 'weekday_cos', meaning: 'cos(2π · d / 7), d = UTC day of week, 0 Monday … 6 Sunday' },
  { name: 'weekend', meaning: '1 on Saturday and Sunday (UTC)' },
  ...kindColumns('kind', (k) => `1 when this use is of a ${k} device`),
  ...kindColumns('since', (k) => `log-scaled time since the last earlier use of a ${k} device`),
  ...kindColumns('until', (k) => `log-scaled time until the next later use of a ${k} device`),
  { name: 'device_gap_before', meaning: "log-scaled time since this same device's previous use" },
  { name: 'device_gap_after', meaning: "log-scaled time until this same device's next use" },
  { name: 'device_uses_1h', meaning: 'log2(1 + uses of this same device within 1 h before or after)' },
  ...COUNT_WINDOWS.map((w) => ({ name: `count_before_${w.label}`, meaning: `log2(1 + uses of any device in the ${w.text} before)` })),
  ...COUNT_WINDOWS.map((w) => ({ name: `count_after_${w.label}`, meaning: `log2(1 + uses of any device in the ${w.text} after)` })),
  { name: 'silence_before', meaning: 'log-scaled time since the previous use of any device' },
  { name: 'silence_after', meaning: 'log-scaled time until the next use of any device' },
  { name: 'episode_uses', meaning: "log2(uses in this use's episode, itself included)" },
  { name: 'episode_span', meaning: "log-scaled time from the episode's first use to its last" },
  { name: 'episode_silence_before', meaning: "log-scaled silence before the episode's first use" },
  { name: 'episode_silence_after', meaning: "log-scaled silence after the episode's last use" },
  { name: 'episode_entry_before', meaning: '1 when a lock or door use comes earlier in this episode' },
  { name: 'episode_entry_after', meaning: '1 when a lock or door use comes later in this episode' },
];

export const EXTENDED_WIDTH = EXTENDED_COLUMNS.length;

function col(name: string): number {
  const i = EXTENDED_COLUMNS.findIndex((c) => c.name === name);
  if (i < 0) throw new Error(`No extended column ${name}`);
  return i;
}

const KINDS = ATTACK_KINDS.length;
const C_HOUR_SIN = col('hour_sin');
const C_WEEKDAY_SIN = col('weekday_sin');
const C_WEEKEND = col('weekend');
const C_KIND = col('kind_lock');
const C_SINCE = col('since_lock');
const C_UNTIL = col('until_lock');
const C_DEVICE_BEFORE = col('device_gap_before');
const C_DEVICE_AFTER = col('device_gap_after');
const C_DEVICE_USES = col('device_uses_1h');
const C_COUNT_BEFORE = col('count_before_15min');
const C_COUNT_AFTER = col('count_after_15min');
const C_SILENCE_BEFORE = col('silence_before');
const C_SILENCE_AFTER = col('silence_after');
const C_EPISODE_USES = col('episode_uses');
const C_EPISODE_SPAN = col('episode_span');
const C_EPISODE_SILENCE_BEFORE = col('episode_silence_before');
const C_EPISODE_SILENCE_AFTER = col('episode_silence_after');
const C_ENTRY_BEFORE = col('episode_entry_before');
const C_ENTRY_AFTER = col('episode_entry_after');

/** Throws a RangeError naming the first use out of time order. */
export function assertTimeSorted(events: readonly DeviceUse[]): void {
  for (let i = 1; i < events.length; i++) {
    if (events[i].timeUs < events[i - 1].timeUs) {
      throw new RangeError(`Uses must be sorted by time: use ${i} (${events[i].device}) is earlier than use ${i - 1}`);
    }
  }
}

/**
 * The extended features of every use in `events` (sorted by time; a RangeError names the first one
 * out of order), as rows × {@link EXTENDED_WIDTH} values in {@link EXTENDED_COLUMNS} order, rows in
 * the order of the events.
 */
export function extendedFeatureValues(events: readonly DeviceUse[]): Float32Array {
  assertTimeSorted(events);
  const n = events.length;
  const w = EXTENDED_WIDTH;
  const v = new Float32Array(n * w);
  const times = new Float64Array(n);
  const kinds = new Int32Array(n);
  const entrance = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    times[i] = events[i].timeUs;
    kinds[i] = attackKindIndex(events[i].kind);
    entrance[i] = isEntranceKind(events[i].kind) ? 1 : 0;
  }
  const episodeStart = new Int32Array(n);
  const episodeEnd = new Int32Array(n);

  // Forward: time, kind, last use of each kind and device, windows before, episode starts.
  const lastKindUs = new Float64Array(KINDS).fill(-Infinity);
  const lastDeviceUs = new Map<string, number>();
  const lo = COUNT_WINDOWS.map(() => 0);
  const hi = COUNT_WINDOWS.map(() => 0);
  let lastEntrance = -1;
  for (let i = 0; i < n; i++) {
    const t = times[i];
    const row = i * w;
    const angle = (2 * Math.PI * minuteOfDay(t)) / DAY_MINUTES;
    v[row + C_HOUR_SIN] = Math.sin(angle);
    v[row + C_HOUR_SIN + 1] = Math.cos(angle);
    const day = dayOfWeek(t);
    v[row + C_WEEKDAY_SIN] = Math.sin((2 * Math.PI * day) / 7);
    v[row + C_WEEKDAY_SIN + 1] = Math.cos((2 * Math.PI * day) / 7);
    v[row + C_WEEKEND] = day >= SATURDAY ? 1 : 0;
    v[row + C_KIND + kinds[i]] = 1;
    for (let k = 0; k < KINDS; k++) v[row + C_SINCE + k] = scaledGap(t - lastKindUs[k]);
    lastKindUs[kinds[i]] = t;
    const device = events[i].device;
    const previous = lastDeviceUs.get(device);
    v[row + C_DEVICE_BEFORE] = scaledGap(previous === undefined ? Infinity : t - previous);
    lastDeviceUs.set(device, t);
    for (let c = 0; c < COUNT_WINDOWS.length; c++) {
      const span = COUNT_WINDOWS[c].us;
      while (times[lo[c]] < t - span) lo[c]++;
      if (hi[c] < i) hi[c] = i;
      while (hi[c] + 1 < n && times[hi[c] + 1] <= t + span) hi[c]++;
      v[row + C_COUNT_BEFORE + c] = scaledCount(i - lo[c]);
      v[row + C_COUNT_AFTER + c] = scaledCount(hi[c] - i);
    }
    v[row + C_SILENCE_BEFORE] = scaledGap(i > 0 ? t - times[i - 1] : Infinity);
    v[row + C_SILENCE_AFTER] = scaledGap(i + 1 < n ? times[i + 1] - t : Infinity);
    episodeStart[i] = i > 0 && t - times[i - 1] <= EPISODE_GAP_US ? episodeStart[i - 1] : i;
    v[row + C_ENTRY_BEFORE] = lastEntrance >= episodeStart[i] ? 1 : 0;
    if (entrance[i]) lastEntrance = i;
  }

  // Backward: next use of each kind and device, episode ends.
  const nextKindUs = new Float64Array(KINDS).fill(Infinity);
  const nextDeviceUs = new Map<string, number>();
  let nextEntrance = n;
  for (let i = n - 1; i >= 0; i--) {
    const t = times[i];
    const row = i * w;
    for (let k = 0; k < KINDS; k++) v[row + C_UNTIL + k] = scaledGap(nextKindUs[k] - t);
    nextKindUs[kinds[i]] = t;
    const device = events[i].device;
    const next = nextDeviceUs.get(device);
    v[row + C_DEVICE_AFTER] = scaledGap(next === undefined ? Infinity : next - t);
    nextDeviceUs.set(device, t);
    episodeEnd[i] = i + 1 < n && times[i + 1] - t <= EPISODE_GAP_US ? episodeEnd[i + 1] : i;
    v[row + C_ENTRY_AFTER] = nextEntrance <= episodeEnd[i] ? 1 : 0;
    if (entrance[i]) nextEntrance = i;
    const start = episodeStart[i];
    const end = episodeEnd[i];
    v[row + C_EPISODE_USES] = Math.log2(end - start + 1);
    v[row + C_EPISODE_SPAN] = scaledGap(times[end] - times[start]);
    v[row + C_EPISODE_SILENCE_BEFORE] = scaledGap(start > 0 ? times[start] - times[start - 1] : Infinity);
    v[row + C_EPISODE_SILENCE_AFTER] = scaledGap(end + 1 < n ? times[end + 1] - times[end] : Infinity);
  }

  // Per device: its uses within 1 h either side, two pointers over each device's own uses.
  const byDevice = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    const list = byDevice.get(events[i].device);
    if (list === undefined) byDevice.set(events[i].device, [i]);
    else list.push(i);
  }
  for (const list of byDevice.values()) {
    let first = 0;
    let last = 0;
    for (let j = 0; j < list.length; j++) {
      const t = times[list[j]];
      while (times[list[first]] < t - DEVICE_WINDOW_US) first++;
      if (last < j) last = j;
      while (last + 1 < list.length && times[list[last + 1]] <= t + DEVICE_WINDOW_US) last++;
      v[list[j] * w + C_DEVICE_USES] = scaledCount(last - first);
    }
  }
  return v;
}
