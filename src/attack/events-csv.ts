/**
 * Reads device uses from an events CSV: a header naming the columns `time`, `device` and `kind` (in
 * any order; other columns are ignored; names are matched ignoring case and surrounding spaces),
 * then one use a line.
 *
 * | column | meaning |
 * | --- | --- |
 * | `time` | when the device was used: ISO 8601 with `Z` or an offset (`2026-11-02T07:00:00.250+01:00`; a space may stand for the `T`; seconds and fractions optional), or epoch seconds with decimals (`1793602800.25`) |
 * | `device` | the device's id: any non-empty text, kept as it is (data, never interpreted) |
 * | `kind` | the device's kind, mapped to the attack's vocabulary (core/kinds.ts): `contact` is `door`, `hub` is `other`, and an unknown kind is `other` and counted in `unknownKinds` (not an error) |
 * | `cause` | optional: the activity behind the use (`wake_up` … `go_to_bed`), `noise`, or `cover` (a use a defence made), kept as the label; empty for unknown |
 *
 * The simulator's events.csv (`time,time_epoch,device,kind,action,cause,resident`) is read as is, its
 * `cause` as the label. Uses come out sorted by time, uses at one instant in file order.
 *
 * Every cell came from elsewhere: errors quote cells with control characters made visible and long
 * ones cut, as `events.csv:17: time "yesterday" is neither ISO 8601 nor epoch seconds`.
 */
import { atPlace, BadInputError, readInputText } from '../core/bad-input-error.js';
import { ACTIVITIES, NON_ACTIVITY_CAUSES, type UsageCause } from '../core/activities.js';
import { attackKind, type AttackKind } from '../core/kinds.js';
import type { DeviceUse } from '../core/device-use.js';
import { quotedCell } from '../core/table-format.js';
import { csvRecords, CsvSyntaxError } from './csv-records.js';

export interface EventsCsv {
  readonly file: string;
  /** The uses, sorted by time. */
  readonly events: DeviceUse<AttackKind>[];
  /** True when the file has a `cause` column (its labels are in `events[].cause`). */
  readonly labelled: boolean;
  /** Kinds the attack does not know, as written in the file, with how many uses were mapped to `other`. */
  readonly unknownKinds: ReadonlyMap<string, number>;
}

/** A bad events CSV: names the file and the 1-based line, and says what is wrong. */
export class EventsCsvError extends BadInputError {
  override readonly name: string = 'EventsCsvError';
  declare readonly file: string;
  declare readonly line: number;

  constructor(
    file: string,
    line: number,
    readonly problem: string,
  ) {
    super(atPlace({ file, line }, problem), { file, line });
  }
}

export const EVENTS_CSV_COLUMNS = ['time', 'device', 'kind'] as const;
const CAUSE_COLUMN = 'cause';
const SHOWN_CELL_CHARS = 60;
const US_PER_SECOND = 1e6;
const US_PER_MS = 1000;
const MICRO_DIGITS = 6;
const KNOWN_CAUSES: ReadonlySet<string> = new Set<string>([...ACTIVITIES, ...NON_ACTIVITY_CAUSES]);
const OTHER_SPELLINGS: ReadonlySet<string> = new Set(['other', 'hub']);

const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?$/;
const EPOCH_SECONDS = /^(\d{1,12})(?:\.(\d{1,9}))?$/;

/** A cell as it may be shown in a message: control characters visible, long text cut. */
export function shownCell(cell: string): string {
  return quotedCell(cell, SHOWN_CELL_CHARS);
}

/** The fraction digits of a decimal as whole microseconds (extra digits are cut, not rounded). */
function fractionUs(digits: string | undefined): number {
  return digits === undefined ? 0 : Number(digits.slice(0, MICRO_DIGITS).padEnd(MICRO_DIGITS, '0'));
}

/**
 * A time cell in µs since the epoch, or the reason it is not one. Accepts ISO 8601 with `Z` or an
 * offset, and epoch seconds with up to 9 decimals (cut to µs).
 */
export function parseEventTime(cell: string): { ok: true; timeUs: number } | { ok: false; problem: string } {
  const text = cell.trim();
  const epoch = EPOCH_SECONDS.exec(text);
  if (epoch !== null) return inRange(cell, Number(epoch[1]) * US_PER_SECOND + fractionUs(epoch[2]));
  const iso = ISO_TIME.exec(text);
  if (iso === null) return { ok: false, problem: `time ${shownCell(cell)} is neither ISO 8601 nor epoch seconds` };
  const [, y, mo, d, h, mi, s, frac, zulu, sign, oh, om] = iso;
  if (zulu === undefined && sign === undefined) {
    return { ok: false, problem: `time ${shownCell(cell)} has no time zone: add Z or an offset such as +01:00` };
  }
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = s === undefined ? 0 : Number(s);
  const offsetMinutes = sign === undefined ? 0 : (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om ?? '0'));
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59 || Number(oh ?? '0') > 23 || Number(om ?? '0') > 59) {
    return { ok: false, problem: `time ${shownCell(cell)} is not a valid date and time` };
  }
  const ms = Date.UTC(year, month - 1, day, hour, minute, second) - offsetMinutes * 60_000;
  return inRange(cell, ms * US_PER_MS + fractionUs(frac));
}

/** A time in µs must be exact in a number: from 1970 to 2255. */
function inRange(cell: string, timeUs: number): { ok: true; timeUs: number } | { ok: false; problem: string } {
  if (timeUs >= 0 && Number.isSafeInteger(timeUs)) return { ok: true, timeUs };
  return { ok: false, problem: `time ${shownCell(cell)} is outside 1970 to 2255` };
}

/** Parses an events CSV's text; `file` names it in errors. Throws {@link EventsCsvError}. */
export function parseEventsCsv(text: string, file: string): EventsCsv {
  let records;
  try {
    records = csvRecords(text, file);
  } catch (err) {
    if (err instanceof CsvSyntaxError) throw new EventsCsvError(file, err.line, err.problem);
    throw err;
  }
  if (records.length === 0) throw new EventsCsvError(file, 1, `empty file: expected a header with the columns ${EVENTS_CSV_COLUMNS.join(', ')}`);
  const header = records[0];
  const names = header.cells.map((c) => c.trim().toLowerCase());
  const column = (name: string, required: boolean): number => {
    const first = names.indexOf(name);
    if (first >= 0 && names.indexOf(name, first + 1) >= 0) throw new EventsCsvError(file, header.line, `the header names the column "${name}" twice`);
    if (first < 0 && required) {
      const has = header.cells.map(shownCell).join(', ');
      throw new EventsCsvError(file, header.line, `no "${name}" column: the header has ${has}; it needs ${EVENTS_CSV_COLUMNS.join(', ')}`);
    }
    return first;
  };
  const timeColumn = column('time', true);
  const deviceColumn = column('device', true);
  const kindColumn = column('kind', true);
  const causeColumn = column(CAUSE_COLUMN, false);
  const width = header.cells.length;

  const events: DeviceUse<AttackKind>[] = [];
  const unknownKinds = new Map<string, number>();
  for (let r = 1; r < records.length; r++) {
    const { line, cells } = records[r];
    if (cells.length !== width) throw new EventsCsvError(file, line, `${cells.length} cells, but the header has ${width}`);
    const time = parseEventTime(cells[timeColumn]);
    if (!time.ok) throw new EventsCsvError(file, line, time.problem);
    const device = cells[deviceColumn];
    if (device.length === 0) throw new EventsCsvError(file, line, 'device is empty');
    const written = cells[kindColumn];
    const kind = attackKind(written);
    if (kind === 'other' && !OTHER_SPELLINGS.has(written.trim().toLowerCase())) unknownKinds.set(written, (unknownKinds.get(written) ?? 0) + 1);
    let cause: UsageCause | undefined;
    if (causeColumn >= 0) {
      const c = cells[causeColumn].trim();
      if (c !== '') {
        if (!KNOWN_CAUSES.has(c)) throw new EventsCsvError(file, line, `cause ${shownCell(c)} is none of ${[...KNOWN_CAUSES].join(', ')}`);
        cause = c as UsageCause;
      }
    }
    events.push(cause === undefined ? { timeUs: time.timeUs, device, kind } : { timeUs: time.timeUs, device, kind, cause });
  }
  // Array.prototype.sort is stable: uses at one instant keep their file order.
  events.sort((a, b) => a.timeUs - b.timeUs);
  return { file, events, labelled: causeColumn >= 0, unknownKinds };
}

/** Reads and parses an events CSV file (UTF-8). Throws {@link EventsCsvError}, or a FileAccessError naming the file. */
export function readEventsCsv(path: string): EventsCsv {
  return parseEventsCsv(readInputText(path), path);
}
