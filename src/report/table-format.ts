/**
 * Row formats shared by every command that prints rows: TSV (tshark's `-T fields` layout), CSV
 * (RFC 4180) and NDJSON. Cells that came off the wire are untrusted: CSV cells that a spreadsheet
 * would run as a formula (starting with `=`, `+`, `-`, `@`, tab or carriage return) are neutralised
 * with a leading `'`; control characters are made visible in TSV so a name cannot break a row.
 */
export type RowFormat = 'tsv' | 'csv' | 'json';

const FORMULA_START = /^[=+\-@\t\r]/;
const CSV_QUOTE_NEEDED = /[",\r\n]/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/g;

/** Makes control characters visible as `\xNN` so a cell cannot break a line or a column. */
export function visibleControls(cell: string): string {
  return CONTROL.test(cell) ? cell.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`) : cell;
}

/** One CSV cell: formula starts neutralised, quoted when needed. */
export function csvCell(cell: string): string {
  let s = cell;
  if (FORMULA_START.test(s) && !/^-?\d+(\.\d+)?$/.test(s)) s = `'${s}`;
  return CSV_QUOTE_NEEDED.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Formats rows of string cells under a fixed header. */
export class RowFormatter {
  constructor(
    readonly format: RowFormat,
    readonly columns: readonly string[],
  ) {}

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

  row(cells: readonly string[]): string {
    const n = this.columns.length;
    switch (this.format) {
      case 'tsv': {
        let s = visibleControls(cells[0]);
        for (let i = 1; i < n; i++) s += '\t' + visibleControls(cells[i]);
        return s + '\n';
      }
      case 'csv': {
        let s = csvCell(cells[0]);
        for (let i = 1; i < n; i++) s += ',' + csvCell(cells[i]);
        return s + '\n';
      }
      case 'json': {
        const obj: Record<string, string> = {};
        for (let i = 0; i < n; i++) if (cells[i] !== '') obj[this.columns[i]] = cells[i];
        return JSON.stringify(obj) + '\n';
      }
    }
  }
}
