/**
 * Small helpers for text a person reads in a terminal: aligned tables, thousands separators, byte
 * sizes, durations, UTC times. Every cell that may have come off the wire goes through
 * {@link visibleControls} so a DNS name cannot move the cursor or forge a line.
 */
import { visibleControls } from '../core/table-format.js';

export function thousands(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB'];

/** Below this a value keeps its unit: from it up, it rounds to 1000 and takes the next one. */
const NEXT_UNIT_AT = 999.5;

/** Decimal byte size: `1.8 MB`. */
export function byteSize(n: number): string {
  let v = n;
  let u = 0;
  while (v >= NEXT_UNIT_AT && u < UNITS.length - 1) {
    v /= 1000;
    u++;
  }
  return u === 0 ? `${v} B` : `${v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0)} ${UNITS[u]}`;
}

/** `3 d 4 h`, `5 min 2 s`, `0.125 s`. */
export function duration(seconds: number): string {
  const rounded = Number(seconds.toFixed(3));
  if (rounded < 60) return `${rounded} s`;
  const s = Math.floor(rounded);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d} d ${h} h`;
  if (h > 0) return `${h} h ${m} min`;
  return `${m} min ${s % 60} s`;
}

/**
 * An epoch time string `1698413468.559085894` as `2023-10-27 13:31:08.559085894 UTC`. A time past
 * what a Date holds (±8.64e12 s; a pcapng timestamp may reach 2^64 s) is written as seconds.
 */
export function utcTime(epoch: string): string {
  const [sec, frac = ''] = epoch.split('.');
  const date = new Date(Number(sec) * 1000);
  if (Number.isNaN(date.getTime())) return `${epoch} s after 1970-01-01 UTC`;
  const iso = date.toISOString().slice(0, 19).replace('T', ' ');
  return `${iso}${frac ? '.' + frac : ''} UTC`;
}

/** Left-aligned text columns, right-aligned numeric columns, two spaces apart. */
export function table(header: readonly string[], rows: readonly (readonly string[])[], numeric: readonly boolean[] = []): string {
  const clean = rows.map((r) => r.map((c) => visibleControls(c)));
  const widths = header.map((h, i) => Math.max(h.length, ...clean.map((r) => r[i]?.length ?? 0)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]) : i === cells.length - 1 ? c : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), ...clean.map(line)].map((l) => '  ' + l).join('\n') + '\n';
}
