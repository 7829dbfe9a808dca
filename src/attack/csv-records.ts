/**
 * CSV records (RFC 4180) with the line each starts on, for files that come from elsewhere: quoted
 * cells may hold commas, quotes (doubled) and line breaks; CRLF and LF both end a record; a UTF-8
 * byte order mark is skipped; blank lines are skipped. Cells are returned as they are, never
 * interpreted.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { atPlace, BadInputError, FileAccessError } from '../core/bad-input-error.js';

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
  const reader = new CsvRecordReader(file);
  const records = reader.push(text);
  for (const r of reader.end()) records.push(r);
  return records;
}

/**
 * Splits text into records as it comes, a piece at a time (a file read in chunks): the records of
 * all the pieces are those {@link csvRecords} gives their whole text, with the same lines and errors.
 * A record is given once the text after it shows it complete (a line end, or the end of the text).
 */
export class CsvRecordReader {
  private text = '';
  private at = 0;
  private line = 1;
  private started = false;

  constructor(readonly file: string) {}

  /** Takes the next piece of text; returns the records it completed. */
  push(piece: string): CsvRecord[] {
    this.text = this.at > 0 ? this.text.slice(this.at) + piece : this.text + piece;
    this.at = 0;
    return this.records(false);
  }

  /** The records left at the end of the text; throws {@link CsvSyntaxError} for a quote never closed. */
  end(): CsvRecord[] {
    const out = this.records(true);
    this.text = '';
    this.at = 0;
    return out;
  }

  private records(final: boolean): CsvRecord[] {
    if (!this.started && this.text.length > 0) {
      this.started = true;
      if (this.text.charCodeAt(0) === BOM) this.at = 1;
    }
    const out: CsvRecord[] = [];
    for (;;) {
      const r = this.record(final);
      if (r === null) return out;
      if (r !== BLANK) out.push(r);
    }
  }

  /** The record at {@link at}, {@link BLANK} for a blank line, or null when the text so far does not hold all of it (or holds nothing more). */
  private record(final: boolean): CsvRecord | typeof BLANK | null {
    const text = this.text;
    const n = text.length;
    let i = this.at;
    if (i >= n) return null;
    let line = this.line;
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
          if (close < 0) {
            if (!final) return null;
            throw new CsvSyntaxError(this.file, quoteLine, 'a quoted cell is never closed');
          }
          // A quote that ends the text so far may be the first of a doubled one.
          if (close + 1 >= n && !final) return null;
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
        if (i < n && c !== COMMA && c !== LF && c !== CR) throw new CsvSyntaxError(this.file, line, 'text after a closing quote');
        cell = parts;
      } else {
        let end = i;
        while (end < n) {
          const c = text.charCodeAt(end);
          if (c === COMMA || c === LF || c === CR) break;
          end++;
        }
        if (end >= n && !final) return null;
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
    if (text.charCodeAt(i) === CR) {
      i++;
      if (i >= n && !final) return null;
    }
    if (text.charCodeAt(i) === LF) i++;
    this.at = i;
    this.line = line + 1;
    return cells.length === 1 && cells[0] === '' ? BLANK : { line: startLine, cells };
  }
}

/** Bytes read from a file at a time. */
const READ_BYTES = 1 << 16;

/**
 * The records of a CSV file (UTF-8), read a piece at a time: those {@link csvRecords} gives the
 * file's text. A FileAccessError names the file when it cannot be opened or read.
 */
export function* fileCsvRecords(path: string): Generator<CsvRecord> {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw new FileAccessError(path, error, 'read');
  }
  try {
    const reader = new CsvRecordReader(path);
    const decoder = new StringDecoder('utf8');
    const buffer = Buffer.allocUnsafe(READ_BYTES);
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, buffer, 0, buffer.length, null);
      } catch (error) {
        throw new FileAccessError(path, error, 'read');
      }
      if (n === 0) break;
      yield* reader.push(decoder.write(buffer.subarray(0, n)));
    }
    yield* reader.push(decoder.end());
    yield* reader.end();
  } finally {
    closeSync(fd);
  }
}

/** A blank line: no record. */
const BLANK = Symbol('blank line');

function countLineBreaks(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === LF || (c === CR && text.charCodeAt(i + 1) !== LF)) count++;
  }
  return count;
}
