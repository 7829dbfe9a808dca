/**
 * The residents' day as the attack inferred it, in the two forms it is shown: a text table (time in
 * UTC to the minute, activity, confidence, the uses behind it) and JSON objects (times in ISO 8601,
 * confidence to 4 decimals, each use with its time, device and kind). `peephole attack` prints both;
 * the study writes the table of its observer's capture.
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
   * How a use behind an activity is named. By default its device, with control characters made
   * visible (a device id from a CSV or a capture is untrusted), and its kind: `hall (light)`.
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

/** The table's header line (no line end). */
export function inferredDayHeader(options: InferredDayTextOptions = {}): string {
  return `${'time (UTC)'.padEnd(options.timeWidth ?? 16)}  ${'activity'.padEnd(ACTIVITY_WIDTH)}  conf  uses behind it`;
}

/** The table's line of one activity (no line end). */
export function inferredDayRow(t: InferredActivity, options: InferredDayTextOptions = {}): string {
  const useLabel = options.useLabel ?? defaultUseLabel;
  return `${minuteTime(t.timeUs).padEnd(options.timeWidth ?? 16)}  ${visibleControls(t.activity).padEnd(ACTIVITY_WIDTH)}  ${t.confidence.toFixed(2)}  ${usesText(t.events, useLabel)}`;
}

/**
 * The uses behind an activity, each label once in the order it first comes, with how many uses it
 * stands for after it when more than one: `hall (light) ×3, door (lock)`. A device that fires every
 * minute otherwise fills a line with the same label 40 times (a chatty motion sensor of a random
 * home) and hides the one use of another device beside it; `--json` keeps every use with its time.
 */
function usesText(uses: readonly DeviceUse[], useLabel: (use: DeviceUse) => string): string {
  const counts = new Map<string, number>();
  for (const use of uses) {
    const label = visibleControls(useLabel(use));
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  return [...counts].map(([label, n]) => (n > 1 ? `${label} ×${n}` : label)).join(', ');
}

/** What the table says under its header when no activity was inferred. */
export const NO_ACTIVITY_LINE = '(no activity inferred)';

/** The table's header line and one line per activity (no line ends). */
export function inferredDayTable(day: readonly InferredActivity[], options: InferredDayTextOptions = {}): { header: string; rows: string[] } {
  return { header: inferredDayHeader(options), rows: day.map((t) => inferredDayRow(t, options)) };
}

/** The table as text, each line ended; a day with no activity says so under the header. */
export function inferredDayText(day: readonly InferredActivity[], options: InferredDayTextOptions = {}): string {
  const { header, rows } = inferredDayTable(day, options);
  return visibleLines([header, ...(rows.length > 0 ? rows : [NO_ACTIVITY_LINE])].join('\n') + '\n');
}

/** One activity as JSON. */
export function inferredActivityJson(t: InferredActivity): InferredActivityJson {
  return visibleStrings({
    time: isoTime(t.timeUs),
    activity: t.activity,
    confidence: Number(t.confidence.toFixed(4)),
    uses: t.events.map((e) => ({ time: isoTime(e.timeUs), device: e.device, kind: e.kind })),
  });
}

/** The day as JSON objects. */
export function inferredDayJson(day: readonly InferredActivity[]): InferredActivityJson[] {
  return day.map(inferredActivityJson);
}

const JSON_INDENT = 2;
/** An item of an array that is a member of the top object: two levels in. */
const ITEM_INDENT = ' '.repeat(2 * JSON_INDENT);

/**
 * `JSON.stringify({ ...head, activities: inferredDayJson(day) }, null, 2) + '\n'`, written as the
 * activities come: {@link open} (the head's members and the opening bracket), {@link item} for each
 * activity, then {@link close}. The text is the same, byte for byte.
 */
export class InferredDayJsonText {
  private items = 0;

  constructor(private readonly head: Readonly<Record<string, unknown>>) {}

  open(): string {
    const empty = JSON.stringify(visibleStrings({ ...this.head, activities: [] }), null, JSON_INDENT);
    // It ends with the empty array and the object's closing brace: `[]\n}`.
    return empty.slice(0, empty.length - '[]\n}'.length) + '[';
  }

  item(t: InferredActivity): string {
    // Strings in JSON hold no line break: every line of an item is indented the same.
    const text = ITEM_INDENT + JSON.stringify(inferredActivityJson(t), null, JSON_INDENT).replaceAll('\n', `\n${ITEM_INDENT}`);
    return `${this.items++ > 0 ? ',' : ''}\n${text}`;
  }

  close(): string {
    return this.items > 0 ? `\n${' '.repeat(JSON_INDENT)}]\n}\n` : ']\n}\n';
  }
}
