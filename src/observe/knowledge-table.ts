/**
 * The reader every knowledge-base table in `data/` shares (vendors.tsv, the device patterns under
 * data/patterns/): tab-separated, a header line naming the columns in order, then one row a line;
 * blank lines and `#` comment lines are skipped. Each row is checked when the table is loaded: a bad
 * one throws a {@link KnowledgeTableError} naming the file and line (`data/vendors.tsv:12: ...`),
 * which the CLI prints as one line and exits 1.
 *
 * ```ts
 * const rows = readTable(text, 'data/vendors.tsv', ['vendor', 'owner'], (cells, fail) => {
 *   if (cells.vendor === '') fail('empty vendor');
 *   return { vendor: cells.vendor };
 * });
 * ```
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { atPlace, BadInputError } from '../core/bad-input-error.js';

/** A bad knowledge-base table: names the file and line, and says what is wrong. */
export class KnowledgeTableError extends BadInputError {
  override readonly name = 'KnowledgeTableError';
  declare readonly file: string;
  declare readonly line: number;

  constructor(file: string, line: number, problem: string) {
    super(atPlace({ file, line }, problem), { file, line });
  }
}

/** Where a row came from: the table's file name (no folder) and the 1-based line. */
export interface RowPlace {
  readonly table: string;
  readonly line: number;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Reads the rows of a table with `columns` (the header must name them, in order). `row` turns each
 * row's cells into a value, calling `fail(problem)` for a bad cell (it throws, naming the line).
 */
export function readTable<T>(
  text: string,
  file: string,
  columns: readonly string[],
  row: (cells: Readonly<Record<string, string>>, fail: (problem: string) => never, place: RowPlace) => T,
): T[] {
  const out: T[] = [];
  const header = columns.join('\t');
  const table = basename(file);
  let headerSeen = false;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const line = lines[i].endsWith('\r') ? lines[i].slice(0, -1) : lines[i];
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const fail = (problem: string): never => {
      throw new KnowledgeTableError(file, lineNo, problem);
    };
    if (!headerSeen) {
      if (line.trim() !== header) fail(`expected the header "${columns.join('<TAB>')}"`);
      headerSeen = true;
      continue;
    }
    const cells = line.split('\t').map((c) => c.trim());
    if (cells.length !== columns.length) {
      fail(`wrong number of columns: expected ${columns.length} (${columns.join(', ')}) separated by tabs, got ${cells.length}`);
    }
    const record: Record<string, string> = {};
    columns.forEach((c, j) => (record[c] = cells[j]));
    if ('date' in record && record.date !== '' && !isCalendarDate(record.date)) fail(`bad date '${record.date}' (expected YYYY-MM-DD)`);
    if ('source' in record && record.source === '') fail('empty source: every row says where its knowledge comes from');
    out.push(row(record, fail, { table, line: lineNo }));
  }
  if (!headerSeen) throw new KnowledgeTableError(file, Math.max(1, lines.length), `no header line "${columns.join('<TAB>')}"`);
  return out;
}

/** Reads a table from a file (see {@link readTable}). */
export function readTableFile<T>(file: string, columns: readonly string[], row: Parameters<typeof readTable<T>>[3]): T[] {
  return readTable(readFileSync(file, 'utf8'), file, columns, row);
}

/** True for a real calendar day written YYYY-MM-DD. */
export function isCalendarDate(text: string): boolean {
  const m = DATE_RE.exec(text);
  if (m === null) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}
