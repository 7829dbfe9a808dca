/**
 * The residents' day as the attack inferred it, in the two forms it is shown: a text table (time in
 * UTC to the minute, activity, confidence, the uses behind it) and JSON objects (times in ISO 8601,
 * confidence to 4 decimals, each use with its time, device and kind). `peephole attack` prints both;
 * the study writes the table of its observer's capture. A device id came from a capture or a CSV and
 * an activity name may come from a model file: the text and the JSON strings have their control
 * characters made visible (core/table-format.ts).
 */
import type { DeviceUse } from '../core/device-use.js';
import { visibleControls, visibleLines, visibleStrings } from '../core/table-format.js';

/** One inferred activity (attack/episodes.ts `TimelineEntry` is one). */
export interface InferredActivity {
  readonly timeUs: number;
  readonly activity: string;
  /** 0..1. */
  readonly confidence: number;
  /** The uses behind it. */
  readonly events: readonly DeviceUse[];
}

export interface InferredDayTextOptions {
  /**
   * How a use behind an activity is named (the name then has its control characters made visible:
   * a device id from a CSV or a capture is untrusted). By default its device and its kind:
   * `hall (light)`.
   */
  readonly useLabel?: (use: DeviceUse) => string;
  /**
   * Width of the time column: 16, the time itself, by default; `peephole attack` pads it to 17, as
   * it always has.
   */
  readonly timeWidth?: number;
}

/** The same activity as JSON: `peephole attack --json` lists these. */
export interface InferredActivityJson {
  readonly time: string;
  readonly activity: string;
  readonly confidence: number;
  readonly uses: readonly { readonly time: string; readonly device: string; readonly kind: string }[];
}

const ACTIVITY_WIDTH = 17;

function isoTime(timeUs: number): string {
  return new Date(Math.floor(timeUs / 1000)).toISOString();
}

/** `2026-11-02 06:40`: UTC, to the minute. */
function minuteTime(timeUs: number): string {
  return isoTime(timeUs).slice(0, 16).replace('T', ' ');
}

function defaultUseLabel(use: DeviceUse): string {
  return `${use.device} (${use.kind})`;
}

/** The table's header line and one line per activity (no line ends). */
export function inferredDayTable(day: readonly InferredActivity[], options: InferredDayTextOptions = {}): { header: string; rows: string[] } {
  const useLabel = options.useLabel ?? defaultUseLabel;
  const timeWidth = options.timeWidth ?? 16;
  const header = `${'time (UTC)'.padEnd(timeWidth)}  ${'activity'.padEnd(ACTIVITY_WIDTH)}  conf  uses behind it`;
  const rows = day.map(
    (t) => `${minuteTime(t.timeUs).padEnd(timeWidth)}  ${visibleControls(t.activity).padEnd(ACTIVITY_WIDTH)}  ${t.confidence.toFixed(2)}  ${t.events.map((e) => visibleControls(useLabel(e))).join(', ')}`,
  );
  return { header, rows };
}

/** The table as text, each line ended; a day with no activity says so under the header. */
export function inferredDayText(day: readonly InferredActivity[], options: InferredDayTextOptions = {}): string {
  const { header, rows } = inferredDayTable(day, options);
  return visibleLines([header, ...(rows.length > 0 ? rows : ['(no activity inferred)'])].join('\n') + '\n');
}

/** The day as JSON objects, every string with its control characters made visible. */
export function inferredDayJson(day: readonly InferredActivity[]): InferredActivityJson[] {
  return visibleStrings(
    day.map((t) => ({
      time: isoTime(t.timeUs),
      activity: t.activity,
      confidence: Number(t.confidence.toFixed(4)),
      uses: t.events.map((e) => ({ time: isoTime(e.timeUs), device: e.device, kind: e.kind })),
    })),
  );
}
