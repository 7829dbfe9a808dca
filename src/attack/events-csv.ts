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
 * `readEventsCsv()` reads a file whole. `scanEventsCsv()` then `eventsCsvUses()` read it a piece at a
 * time, twice (once to check and count it, then for its uses), holding none of it: a file of any
 * length in bounded memory, with the same uses and the same errors.
 *
 * Every cell came from elsewhere: errors quote cells with control characters made visible and long
 * ones cut, as `events.csv:17: time "yesterday" is neither ISO 8601 nor epoch seconds`.
 */
import { statSync } from 'node:fs';
import { atPlace, BadInputError, readInputText } from '../core/bad-input-error.js';
import { ACTIVITIES, NON_ACTIVITY_CAUSES, type UsageCause } from '../core/activities.js';
import { attackKind, type AttackKind } from '../core/kinds.js';
import type { DeviceUse } from '../core/device-use.js';
import { quotedCell } from '../core/table-format.js';
import { csvRecords, CsvSyntaxError, fileCsvRecords, type CsvRecord } from './csv-records.js';
import { sortedByTime, type SortOptions } from './sorted-runs.js';

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
const KNOWN_CAUSES: ReadonlyMap<string, UsageCause> = new Map([...ACTIVITIES, ...NON_ACTIVITY_CAUSES].map((c) => [c, c]));
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
  const quick = isoZuluTimeUs(cell);
  return quick >= 0 ? { ok: true, timeUs: quick } : parseEventTimeByPattern(cell);
}

/** The value of a decimal digit at `i` of `text`, or -1 when it is not one. */
function digitAt(text: string, i: number): number {
  const d = text.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : -1;
}

/** The two-digit number at `i` of `text`, or -1. */
function twoDigitsAt(text: string, i: number): number {
  const a = digitAt(text, i);
  const b = digitAt(text, i + 1);
  return a < 0 || b < 0 ? -1 : a * 10 + b;
}

/** Days in a month (1..12) of a year of the Gregorian calendar, as `Date` counts them. */
function daysIn(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

const CHAR_T = 84;
const CHAR_LOWER_T = 116;
const CHAR_SPACE = 32;
const CHAR_COLON = 58;
const CHAR_DASH = 45;
const CHAR_DOT = 46;
const CHAR_COMMA = 44;
const CHAR_Z = 90;
const CHAR_LOWER_Z = 122;
const MAX_FRACTION_DIGITS = 9;

/**
 * The usual form of a time cell, read character by character: `2026-11-02T06:40:08.841Z` (UTC, a
 * year from 1970, seconds and fraction optional, as the simulator writes), in µs since the epoch; -1
 * for any other cell, left to {@link parseEventTimeByPattern} (which gives the same time for every
 * cell read here). With it, reading 1,000,000 uses of the simulator's events.csv took 2.6 s instead
 * of 5.7 s, and checking them 1.7 s instead of 3.8 s (one run each, on a busy machine).
 */
export function isoZuluTimeUs(text: string): number {
  const n = text.length;
  if (n < 17 || text.charCodeAt(4) !== CHAR_DASH || text.charCodeAt(7) !== CHAR_DASH || text.charCodeAt(13) !== CHAR_COLON) return -1;
  const sep = text.charCodeAt(10);
  if (sep !== CHAR_T && sep !== CHAR_LOWER_T && sep !== CHAR_SPACE) return -1;
  let year = 0;
  for (let i = 0; i < 4; i++) {
    const d = digitAt(text, i);
    if (d < 0) return -1;
    year = year * 10 + d;
  }
  const month = twoDigitsAt(text, 5);
  const day = twoDigitsAt(text, 8);
  const hour = twoDigitsAt(text, 11);
  const minute = twoDigitsAt(text, 14);
  if (year < 1970 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour < 0 || hour > 23 || minute < 0 || minute > 59) return -1;
  let i = 16;
  let second = 0;
  let fraction = 0;
  if (text.charCodeAt(i) === CHAR_COLON) {
    second = twoDigitsAt(text, i + 1);
    if (second < 0 || second > 59) return -1;
    i += 3;
    const mark = text.charCodeAt(i);
    if (mark === CHAR_DOT || mark === CHAR_COMMA) {
      let digits = 0;
      let scale = 100_000;
      for (i++; i < n; i++) {
        const d = digitAt(text, i);
        if (d < 0) break;
        if (++digits > MAX_FRACTION_DIGITS) return -1;
        // Digits past the sixth are cut, not rounded (fractionUs).
        if (digits <= MICRO_DIGITS) fraction += d * scale;
        scale /= 10;
      }
      if (digits === 0) return -1;
    }
  }
  const zone = text.charCodeAt(i);
  if ((zone !== CHAR_Z && zone !== CHAR_LOWER_Z) || i + 1 !== n) return -1;
  const timeUs = Date.UTC(year, month - 1, day, hour, minute, second) * US_PER_MS + fraction;
  return Number.isSafeInteger(timeUs) ? timeUs : -1;
}

/** {@link parseEventTime} by its patterns alone (regular expressions), without the quick reading of the usual form. */
export function parseEventTimeByPattern(cell: string): { ok: true; timeUs: number } | { ok: false; problem: string } {
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

/** Checks an events CSV's records after its header, as its header names the columns, and gives their uses. */
class EventsCsvRows {
  readonly unknownKinds = new Map<string, number>();
  /** Device ids as kept: one string for each id, that holds only its own text. */
  private readonly devices = new Map<string, string>();
  private readonly timeColumn: number;
  private readonly deviceColumn: number;
  private readonly kindColumn: number;
  private readonly causeColumn: number;
  private readonly width: number;

  /** Reads the header; throws {@link EventsCsvError} when it lacks a column or names one twice. */
  constructor(
    readonly file: string,
    header: CsvRecord,
  ) {
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
    this.timeColumn = column('time', true);
    this.deviceColumn = column('device', true);
    this.kindColumn = column('kind', true);
    this.causeColumn = column(CAUSE_COLUMN, false);
    this.width = header.cells.length;
  }

  /** True when the header has a `cause` column. */
  get labelled(): boolean {
    return this.causeColumn >= 0;
  }

  /** The use of one record; throws {@link EventsCsvError} naming its line. */
  use(record: CsvRecord): DeviceUse<AttackKind> {
    const { line, cells } = record;
    const file = this.file;
    if (cells.length !== this.width) throw new EventsCsvError(file, line, `${cells.length} cells, but the header has ${this.width}`);
    const time = parseEventTime(cells[this.timeColumn]);
    if (!time.ok) throw new EventsCsvError(file, line, time.problem);
    const device = this.device(cells[this.deviceColumn]);
    if (device.length === 0) throw new EventsCsvError(file, line, 'device is empty');
    const written = cells[this.kindColumn];
    const kind = attackKind(written);
    if (kind === 'other' && !OTHER_SPELLINGS.has(written.trim().toLowerCase())) this.unknownKinds.set(written, (this.unknownKinds.get(written) ?? 0) + 1);
    let cause: UsageCause | undefined;
    if (this.causeColumn >= 0) {
      const c = cells[this.causeColumn].trim();
      if (c !== '') {
        cause = KNOWN_CAUSES.get(c);
        if (cause === undefined) throw new EventsCsvError(file, line, `cause ${shownCell(c)} is none of ${[...KNOWN_CAUSES.keys()].join(', ')}`);
      }
    }
    return cause === undefined ? { timeUs: time.timeUs, device, kind } : { timeUs: time.timeUs, device, kind, cause };
  }

  /**
   * The device id of a cell. A cell is a slice of the text read with it, and would keep all of that
   * text alive as long as the use: `peephole attack` on 1,000,000 uses peaked at 310 MB with the
   * cells kept, at 251 MB with ids of their own.
   */
  private device(cell: string): string {
    let id = this.devices.get(cell);
    if (id === undefined) {
      // Concatenated, then sliced: a string of its own (the slice keeps only the short concatenation).
      id = (' ' + cell).slice(1);
      if (this.devices.size < MAX_DEVICE_IDS) this.devices.set(id, id);
    }
    return id;
  }
}

/** Distinct device ids an events CSV reader shares; past them, each use has its own copy. */
const MAX_DEVICE_IDS = 1 << 16;

function emptyFile(file: string): EventsCsvError {
  return new EventsCsvError(file, 1, `empty file: expected a header with the columns ${EVENTS_CSV_COLUMNS.join(', ')}`);
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
  if (records.length === 0) throw emptyFile(file);
  const rows = new EventsCsvRows(file, records[0]);
  const events: DeviceUse<AttackKind>[] = [];
  for (let r = 1; r < records.length; r++) events.push(rows.use(records[r]));
  // Array.prototype.sort is stable: uses at one instant keep their file order.
  events.sort((a, b) => a.timeUs - b.timeUs);
  return { file, events, labelled: rows.labelled, unknownKinds: rows.unknownKinds };
}

/** Reads and parses an events CSV file (UTF-8). Throws {@link EventsCsvError}, or a FileAccessError naming the file. */
export function readEventsCsv(path: string): EventsCsv {
  return parseEventsCsv(readInputText(path), path);
}

/** What reading an events CSV once found, without keeping its uses: what {@link eventsCsvUses} reads them by. */
export interface EventsCsvScan {
  readonly file: string;
  /** Uses in the file. */
  readonly uses: number;
  readonly labelled: boolean;
  readonly unknownKinds: ReadonlyMap<string, number>;
  /** True when the file has its uses in time order (then they are read as they come, else sorted). */
  readonly sorted: boolean;
  /** The uses of a file that cannot be read twice (a pipe), read whole; undefined for a file. */
  readonly held?: readonly DeviceUse<AttackKind>[];
}

/**
 * Reads an events CSV file (UTF-8) through once, a piece at a time, and checks it as
 * {@link readEventsCsv} does, with the same errors: a line no CSV reader can split, anywhere in the
 * file, before the first line whose header or cells are wrong. Keeps none of its uses.
 */
export function scanEventsCsv(path: string): EventsCsvScan {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (stat !== undefined && !stat.isFile() && !stat.isDirectory()) {
    // A pipe is read once: whole.
    const csv = readEventsCsv(path);
    return { file: path, uses: csv.events.length, labelled: csv.labelled, unknownKinds: csv.unknownKinds, sorted: true, held: csv.events };
  }
  let rows: EventsCsvRows | null = null;
  let problem: EventsCsvError | null = null;
  let uses = 0;
  let sorted = true;
  let lastUs = -Infinity;
  try {
    for (const record of fileCsvRecords(path)) {
      // Past the first problem only the CSV syntax is checked: a syntax error anywhere comes first.
      if (problem !== null) continue;
      try {
        if (rows === null) {
          rows = new EventsCsvRows(path, record);
          continue;
        }
        const use = rows.use(record);
        uses++;
        if (use.timeUs < lastUs) sorted = false;
        lastUs = use.timeUs;
      } catch (err) {
        if (!(err instanceof EventsCsvError)) throw err;
        problem = err;
      }
    }
  } catch (err) {
    if (err instanceof CsvSyntaxError) throw new EventsCsvError(path, err.line, err.problem);
    throw err;
  }
  if (problem !== null) throw problem;
  if (rows === null) throw emptyFile(path);
  return { file: path, uses, labelled: rows.labelled, unknownKinds: rows.unknownKinds, sorted };
}

/**
 * The uses of an events CSV {@link scanEventsCsv} read, sorted by time (uses at one instant in file
 * order), as they are needed: the file is read again a piece at a time. A file in time order is read
 * as it comes; another one is sorted in runs of uses written to a temporary
 * folder, then merged (sorted-runs.ts), so that memory holds one run however long the file.
 */
export function* eventsCsvUses(scan: EventsCsvScan, options: SortOptions = {}): Generator<DeviceUse<AttackKind>> {
  if (scan.held !== undefined) {
    yield* scan.held;
    return;
  }
  const uses = fileUses(scan);
  yield* scan.sorted ? uses : sortedByTime(uses, options);
}

function* fileUses(scan: EventsCsvScan): Generator<DeviceUse<AttackKind>> {
  const file = scan.file;
  let rows: EventsCsvRows | null = null;
  let count = 0;
  let lastLine = 1;
  try {
    for (const record of fileCsvRecords(file)) {
      lastLine = record.line;
      if (rows === null) rows = new EventsCsvRows(file, record);
      else {
        count++;
        yield rows.use(record);
      }
    }
  } catch (err) {
    if (err instanceof CsvSyntaxError) throw new EventsCsvError(file, err.line, err.problem);
    throw err;
  }
  if (count !== scan.uses) throw new EventsCsvError(file, lastLine, `the file changed while it was read: ${scan.uses} uses, then ${count}`);
}
