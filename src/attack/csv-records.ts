/**
 * CSV records (RFC 4180) with the line each starts on, for files that come from elsewhere: quoted
 * cells may hold commas, quotes (doubled) and line breaks; CRLF and LF both end a record; a UTF-8
 * byte order mark is skipped; blank lines are skipped. Cells are returned as they are, never
 * interpreted.
 */
import { atPlace, BadInputError } from '../core/bad-input-error.js';

export interface CsvRecord {
  /** The 1-based line the record starts on. */
  readonly line: number;
  readonly cells: string[];
}

/**
 * A CSV that cannot be split into records: an unterminated quote, or text after a closing quote.
 * Names the file and the line: `events.csv:12: a quoted cell is never closed`.
 */
export class CsvSyntaxError extends BadInputError {
  override readonly name: string = 'CsvSyntaxError';
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

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;
const BOM = 0xfeff;

/** Splits `text` into records; throws {@link CsvSyntaxError} naming `file` and the line. */
export function csvRecords(text: string, file: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let i = text.charCodeAt(0) === BOM ? 1 : 0;
  let line = 1;
  const n = text.length;
  while (i < n) {
    const startLine = line;
    const cells: string[] = [];
    for (;;) {
      let cell: string;
      if (text.charCodeAt(i) === QUOTE) {
        const quoteLine = line;
        let parts = '';
        let from = i + 1;
        for (;;) {
          const close = text.indexOf('"', from);
          if (close < 0) throw new CsvSyntaxError(file, quoteLine, 'a quoted cell is never closed');
          line += countLineBreaks(text, from, close);
          parts += text.slice(from, close);
          if (text.charCodeAt(close + 1) === QUOTE) {
            parts += '"';
            from = close + 2;
            continue;
          }
          i = close + 1;
          break;
        }
        const c = text.charCodeAt(i);
        if (i < n && c !== COMMA && c !== LF && c !== CR) throw new CsvSyntaxError(file, line, 'text after a closing quote');
        cell = parts;
      } else {
        let end = i;
        while (end < n) {
          const c = text.charCodeAt(end);
          if (c === COMMA || c === LF || c === CR) break;
          end++;
        }
        cell = text.slice(i, end);
        i = end;
      }
      cells.push(cell);
      if (i < n && text.charCodeAt(i) === COMMA) {
        i++;
        continue;
      }
      break;
    }
    // End of record: CRLF, LF, a lone CR, or the end of the text.
    if (text.charCodeAt(i) === CR) i++;
    if (text.charCodeAt(i) === LF) i++;
    line++;
    if (!(cells.length === 1 && cells[0] === '')) records.push({ line: startLine, cells });
  }
  return records;
}

function countLineBreaks(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === LF || (c === CR && text.charCodeAt(i + 1) !== LF)) count++;
  }
  return count;
}
