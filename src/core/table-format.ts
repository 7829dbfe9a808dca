/**
 * Row formats shared by every command that prints rows: TSV (tshark's `-T fields` layout), CSV
 * (RFC 4180) and NDJSON. Cells that came off the wire are untrusted: CSV cells that a spreadsheet
 * would run as a formula (starting with `=`, `+`, `-`, `@`, tab or carriage return) are neutralised
 * with a leading `'`; control characters of untrusted cells are made visible in every format, so a
 * name cannot break a row nor reach a terminal as an escape sequence.
 */
export type RowFormat = 'tsv' | 'csv' | 'json';

const FORMULA_START = /^[=+\-@\t\r]/;
const CSV_QUOTE_NEEDED = /[",\r\n]/;
// eslint-disable-next-line no-control-regex
const HAS_CONTROL = /[\u0000-\u001f\u007f]/;
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u001f\u007f]/g;

/** Makes control characters visible as `\xNN` so a cell cannot break a line or a column. */
export function visibleControls(cell: string): string {
  return HAS_CONTROL.test(cell) ? cell.replace(CONTROLS, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`) : cell;
}

/** A cell as an error message shows it: in quotes, control characters visible, cut after `maxChars`. */
export function quotedCell(cell: string, maxChars: number): string {
  const cut = cell.length > maxChars ? `${cell.slice(0, maxChars)}…` : cell;
  return `"${visibleControls(cut).replace(/"/g, '\\"')}"`;
}

/** One CSV cell: formula starts neutralised, quoted when needed. */
export function csvCell(cell: string): string {
  let s = cell;
  if (FORMULA_START.test(s) && !/^-?\d+(\.\d+)?$/.test(s)) s = `'${s}`;
  return CSV_QUOTE_NEEDED.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Formats rows of string cells under a fixed header. Cells of the columns listed as `untrusted`
 * (text that came off the wire) have their control characters made visible in every format (TSV,
 * CSV and JSON string values), so no name from the wire reaches a terminal or a spreadsheet as a
 * live control; the other columns are the caller's own text (numbers, addresses), written as they are.
 */
export class RowFormatter {
  private readonly untrusted: boolean[];

  constructor(
    readonly format: RowFormat,
    readonly columns: readonly string[],
    untrustedColumns: readonly string[] = columns,
  ) {
    this.untrusted = columns.map((c) => untrustedColumns.includes(c));
  }

  header(): string {
    switch (this.format) {
      case 'tsv':
        return this.columns.join('\t') + '\n';
      case 'csv':
        return this.columns.map(csvCell).join(',') + '\n';
      case 'json':
        return '';
    }
  }

  /**
   * The TSV cells to write for a row: `cells` itself, with the untrusted ones made safe in place
   * (for writers that join cells themselves, see `TextSink.writeCells`).
   */
  safeTsvCells(cells: string[]): string[] {
    const u = this.untrusted;
    for (let i = 0; i < cells.length; i++) if (u[i] && cells[i] !== '') cells[i] = visibleControls(cells[i]);
    return cells;
  }

  /** Cell `i`, with its control characters made visible when its column is untrusted. */
  private safe(cells: readonly string[], i: number): string {
    return this.untrusted[i] ? visibleControls(cells[i]) : cells[i];
  }

  row(cells: readonly string[]): string {
    const n = this.columns.length;
    switch (this.format) {
      case 'tsv':
        return this.safeTsvCells(cells.slice(0, n)).join('\t') + '\n';
      case 'csv': {
        let s = csvCell(this.safe(cells, 0));
        for (let i = 1; i < n; i++) s += ',' + csvCell(this.safe(cells, i));
        return s + '\n';
      }
      case 'json': {
        // Valid JSON keeps a raw ESC as \u001b, which `jq -r` turns back into a live terminal escape.
        const obj: Record<string, string> = {};
        for (let i = 0; i < n; i++) if (cells[i] !== '') obj[this.columns[i]] = this.safe(cells, i);
        return JSON.stringify(obj) + '\n';
      }
    }
  }
}
