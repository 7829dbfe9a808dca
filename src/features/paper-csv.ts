/**
 * Reads rows in the published CSV format (`peephole simulate --preset paper` writes it): the header
 * `time,device_light,…,lock_3h,user_activity`, then numbers. Every problem is a {@link PaperCsvError}
 * naming the file and line: a wrong header (the columns it lacks or has in excess), a cell that is not
 * a number, a label outside 0..4, a row of the wrong length, no row at all.
 */
import { atPlace, BadInputError, readInputText } from '../core/bad-input-error.js';
import { quotedCell } from '../core/table-format.js';
import { PAPER_FEATURE_COLUMNS, PAPER_LABEL_COLUMN } from './paper-features.js';

export class PaperCsvError extends BadInputError {
  override readonly name: string = 'PaperCsvError';
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

export interface PaperCsvRows {
  /** rows × 10, row-major, in PAPER_FEATURE_COLUMNS order. */
  readonly values: Float32Array;
  readonly labels: Int32Array;
  readonly rows: number;
}

const CLASS_COUNT = 5;
/** Longest cell an error message quotes. */
const SHOWN_CELL_CHARS = 40;

function shown(cell: string): string {
  return quotedCell(cell, SHOWN_CELL_CHARS);
}

export function parsePaperCsv(text: string, file: string): PaperCsvRows {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  if (lines.length === 0) throw new PaperCsvError(file, 1, 'empty file: expected the header of the published format');
  const header = lines[0].replace(/\r$/, '').split(',').map((c) => c.trim());
  const want = [...PAPER_FEATURE_COLUMNS, PAPER_LABEL_COLUMN];
  const missing = want.filter((c) => !header.includes(c));
  const extra = header.filter((c) => !want.includes(c as (typeof want)[number]));
  if (missing.length > 0 || extra.length > 0) {
    const parts = [missing.length ? `missing ${missing.join(', ')}` : '', extra.length ? `unexpected ${extra.map(shown).join(', ')}` : ''].filter(Boolean);
    throw new PaperCsvError(file, 1, `not the published columns (${parts.join('; ')}); expected ${want.join(',')}`);
  }
  const at = want.map((c) => header.indexOf(c));
  const width = PAPER_FEATURE_COLUMNS.length;
  const rows = lines.length - 1;
  if (rows === 0) throw new PaperCsvError(file, 2, 'no rows after the header');
  const values = new Float32Array(rows * width);
  const labels = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    const line = r + 2;
    const cells = lines[r + 1].replace(/\r$/, '').split(',');
    if (cells.length !== header.length) throw new PaperCsvError(file, line, `${cells.length} cells, the header has ${header.length}`);
    for (let c = 0; c < width; c++) {
      const cell = cells[at[c]].trim();
      const v = Number(cell);
      if (cell === '' || !Number.isFinite(v)) throw new PaperCsvError(file, line, `${want[c]} ${shown(cell)} is not a number`);
      values[r * width + c] = v;
    }
    const labelCell = cells[at[width]].trim();
    const label = Number(labelCell);
    if (!Number.isInteger(label) || label < 0 || label >= CLASS_COUNT || labelCell === '') {
      throw new PaperCsvError(file, line, `${PAPER_LABEL_COLUMN} ${shown(labelCell)} is not a class id 0..4`);
    }
    labels[r] = label;
  }
  return { values, labels, rows };
}

/** Reads and parses a file of rows; a file that cannot be read is a FileAccessError naming it. */
export function readPaperCsv(path: string): PaperCsvRows {
  return parsePaperCsv(readInputText(path), path);
}
