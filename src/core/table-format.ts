/**
 * The one rule for text that came from elsewhere (off the wire: DNS, mDNS, TLS, DHCP and SSDP
 * names; from a file: device ids, kinds, residents, class names, --known and --rules tables; a
 * capture's file name and options), applied where text leaves the program, in every format:
 *
 * - {@link visibleControls}: every control character (C0, DEL, C1) and every bidi control made
 *   visible as text (`\x1b`, `\u{009b}`, `\u{202e}`), so no name can move the cursor, open a link,
 *   ring the bell, forge a line or a column, or reorder what a reader sees;
 * - CSV ({@link csvCell}): that, then a cell a spreadsheet would run as a formula (starting with `=`,
 *   `+`, `-` or `@`, not a number) neutralised with a leading `'`, then RFC 4180 quoting;
 * - JSON ({@link wireJson}, {@link visibleStrings}): that, for every string value and key, so `jq -r`
 *   cannot print a live control either (valid JSON keeps ESC as `\u001b`, which `jq -r` turns back
 *   into ESC);
 * - rows ({@link RowFormatter}): TSV, CSV and NDJSON with every cell through the rule;
 * - a terminal: report/text.ts `table()` puts every cell through it, a value put in a line of text
 *   goes through it, and {@link visibleLines} is the backstop over a whole text;
 * - a figure: report/plot-label.ts (this rule, then what XML cannot hold), as data values that
 *   vega's SVG writer escapes for XML.
 *
 * Every string is treated so, not only the fields known to come from elsewhere: a field added later
 * gets the rule without being listed. The program's own text has no control characters, so it
 * comes out unchanged.
 */
export type RowFormat = 'tsv' | 'csv' | 'json';

// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
// eslint-disable-next-line no-control-regex
const UNSAFE_ALL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
/** The same, but for the line end: what a whole text may not hold raw. */
// eslint-disable-next-line no-control-regex
const UNSAFE_BUT_LF = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
// eslint-disable-next-line no-control-regex
const UNSAFE_BUT_LF_ALL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const FORMULA_START = /^[=+\-@]/;
const NUMBER = /^-?\d+(\.\d+)?$/;
const CSV_QUOTE_NEEDED = /[",]/;

/** One unsafe character as text: C0 controls and DEL as `\xNN`, C1 and bidi controls as `\u{NNNN}`. */
function shown(c: string): string {
  const code = c.charCodeAt(0);
  return code < 0x80 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16).padStart(4, '0')}}`;
}

/**
 * Text from elsewhere as it may be shown: control characters (C0, DEL, C1) and bidi controls made
 * visible (`\x1b`, `\x7f`, `\u{009b}`, `\u{202e}`); everything else (printable text, backslashes,
 * other Unicode) as it is.
 */
export function visibleControls(text: string): string {
  return UNSAFE.test(text) ? text.replace(UNSAFE_ALL, shown) : text;
}

/**
 * A whole text for a terminal, built of lines: every control and bidi character but the line end
 * made visible. A backstop over what a renderer wrote: the values it put in lines went through
 * {@link visibleControls} already (so a line break in a value does not start a line).
 */
export function visibleLines(text: string): string {
  return UNSAFE_BUT_LF.test(text) ? text.replace(UNSAFE_BUT_LF_ALL, shown) : text;
}

/** A cell as an error message shows it: in quotes, control characters visible, cut after `maxChars`. */
export function quotedCell(cell: string, maxChars: number): string {
  const cut = cell.length > maxChars ? `${cell.slice(0, maxChars)}…` : cell;
  return `"${visibleControls(cut).replace(/"/g, '\\"')}"`;
}

/** One CSV cell: control characters visible, a formula start neutralised, quoted when needed. */
export function csvCell(cell: string): string {
  return guardedCsvCell(visibleControls(cell));
}

/** A CSV cell without control characters: a formula start neutralised, quoted when needed. */
function guardedCsvCell(cell: string): string {
  const s = FORMULA_START.test(cell) && !NUMBER.test(cell) ? `'${cell}` : cell;
  return CSV_QUOTE_NEEDED.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * A copy of plain JSON data (what `JSON.parse` gives, or objects of that shape) with every string,
 * object keys included, through {@link visibleControls}; a value with `toJSON` (a Date) is copied as
 * that gives it, as `JSON.stringify` would.
 */
export function visibleStrings<T>(value: T): T {
  return copyVisible(value) as T;
}

function copyVisible(value: unknown): unknown {
  if (typeof value === 'string') return visibleControls(value);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(copyVisible);
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return copyVisible((toJSON as () => unknown).call(value));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[visibleControls(k)] = copyVisible(v);
  return out;
}

/** `JSON.stringify(value, null, space)` of {@link visibleStrings}`(value)`: JSON text a command prints or writes. */
export function wireJson(value: unknown, space?: number): string {
  return JSON.stringify(visibleStrings(value), null, space);
}

/**
 * JSON text that may hold a control or bidi character of a string: as JSON writes one (`\u001b`,
 * `\n`, ...) or raw (DEL, C1, bidi). An escaped backslash before `n` also matches: a false alarm
 * only sends the row down the slow path, which gives the same text.
 */
// eslint-disable-next-line no-control-regex
const JSON_UNSAFE = /\\u00[01]|\\[bfnrt]|[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/**
 * Formats rows of string cells under a fixed header, every cell through the rule: its control
 * characters made visible in TSV, CSV and JSON string values (and formula starts neutralised in CSV).
 * A row is first written as it is and scanned once: only a row holding a control character is
 * written again cell by cell (one scan per row instead of one per cell: `packets --csv` and
 * `--json` write ~22 cells a row, most without any).
 */
export class RowFormatter {
  constructor(
    readonly format: RowFormat,
    readonly columns: readonly string[],
  ) {}

  header(): string {
    switch (this.format) {
      case 'tsv':
        return this.columns.map(visibleControls).join('\t') + '\n';
      case 'csv':
        return this.columns.map(csvCell).join(',') + '\n';
      case 'json':
        return '';
    }
  }

  row(cells: readonly string[]): string {
    const n = this.columns.length;
    switch (this.format) {
      case 'tsv': {
        let s = cells[0];
        for (let i = 1; i < n; i++) s += '\t' + cells[i];
        if (!UNSAFE.test(s)) return s + '\n';
        s = visibleControls(cells[0]);
        for (let i = 1; i < n; i++) s += '\t' + visibleControls(cells[i]);
        return s + '\n';
      }
      case 'csv': {
        let s = guardedCsvCell(cells[0]);
        for (let i = 1; i < n; i++) s += ',' + guardedCsvCell(cells[i]);
        if (!UNSAFE.test(s)) return s + '\n';
        s = csvCell(cells[0]);
        for (let i = 1; i < n; i++) s += ',' + csvCell(cells[i]);
        return s + '\n';
      }
      case 'json': {
        const obj: Record<string, string> = {};
        for (let i = 0; i < n; i++) if (cells[i] !== '') obj[this.columns[i]] = cells[i];
        const line = JSON.stringify(obj);
        if (!JSON_UNSAFE.test(line)) return line + '\n';
        const safe: Record<string, string> = {};
        for (let i = 0; i < n; i++) if (cells[i] !== '') safe[visibleControls(this.columns[i])] = visibleControls(cells[i]);
        return JSON.stringify(safe) + '\n';
      }
    }
  }
}
