/**
 * Writes usage events as an events CSV that the attack reads (attack/events-csv.ts):
 * `time,device,kind,packets,bytes`, one use a line in time order, `time` in ISO 8601 UTC with
 * microseconds (`2026-11-02T07:09:01.235509Z`), `device` the MAC, `kind` the attack kind.
 *
 * ```ts
 * writeUsageCsv('uses.csv', report.events);
 * readEventsCsv('uses.csv').events; // the same uses, as AttackEvents
 * ```
 */
import { writeFileSync } from 'node:fs';
import { csvCell } from '../core/table-format.js';
import type { DetectedUse } from './detected-use.js';

export const USAGE_CSV_HEADER = 'time,device,kind,packets,bytes';

const US_PER_MS = 1000;
const MICRO_DIGITS = 3;

/** A time in µs since the epoch as ISO 8601 UTC with six decimals. */
export function isoTimeUs(timeUs: number): string {
  const ms = Math.floor(timeUs / US_PER_MS);
  const extra = Math.round(timeUs - ms * US_PER_MS);
  return `${new Date(ms).toISOString().slice(0, -1)}${String(extra).padStart(MICRO_DIGITS, '0')}Z`;
}

export function usageCsvLine(e: DetectedUse): string {
  return `${isoTimeUs(e.timeUs)},${csvCell(e.device)},${e.kind},${e.packets},${e.bytes}`;
}

/** The whole file's text: the header and one line per event, in the order given. */
export function formatUsageCsv(events: readonly DetectedUse[]): string {
  let out = `${USAGE_CSV_HEADER}\n`;
  for (const e of events) out += `${usageCsvLine(e)}\n`;
  return out;
}

export function writeUsageCsv(path: string, events: readonly DetectedUse[]): void {
  writeFileSync(path, formatUsageCsv(events));
}
