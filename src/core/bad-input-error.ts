/**
 * The root of every error that means "this input cannot be used" (a capture, a home spec, a model
 * folder, an events CSV, a rules table, a file the system will not read…): the CLI maps the family to
 * exit code 1 and prints its one-line message. Each error carries where the problem is: the file and,
 * as fits the input, the byte offset (binary), the 1-based line (text tables) or the field's path
 * (structured files). RangeError, TypeError and plain Error are left for bugs.
 *
 * This module imports nothing of the project, so the CLI can recognise these errors without loading
 * the modules that throw them.
 */
import { readFileSync } from 'node:fs';

/** Where in an input a problem is. */
export interface InputPlace {
  /** The file as the user named it (`-` for standard input), or a built-in input's name. */
  readonly file?: string;
  /** The byte offset where the problem starts (binary inputs: captures). */
  readonly offset?: number;
  /** The 1-based line (text tables: CSV, TSV). */
  readonly line?: number;
  /** The field's path, as `devices[2].mac` (structured inputs: home specs, model manifests). */
  readonly field?: string;
}

export class BadInputError extends Error {
  override readonly name: string = 'BadInputError';
  readonly file: string | undefined;
  readonly offset: number | undefined;
  readonly line: number | undefined;
  readonly field: string | undefined;

  /**
   * `message` is the one line a user reads: it names the file and the place (subclasses word it with
   * {@link atPlace}); `place` is the same place for programs.
   */
  constructor(message: string, place: InputPlace = {}) {
    super(message);
    this.file = place.file;
    this.offset = place.offset;
    this.line = place.line;
    this.field = place.field;
  }
}

/**
 * A problem worded at its place: `rows.csv:12: problem` (a line), `home.yaml: devices[2].mac: problem`
 * (a field), `model.json: problem` (the whole file). A byte offset is worded by the problem itself
 * (`… at offset 1234`), as decoders say what they needed there.
 */
export function atPlace(place: InputPlace, problem: string): string {
  if (place.file === undefined) return problem;
  const line = place.line !== undefined ? `:${place.line}` : '';
  const field = place.field ? `${place.field}: ` : '';
  return `${place.file}${line}: ${field}${problem}`;
}

const ERRNO_TEXT: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'is a directory, not a file',
  ENOTDIR: 'a part of the path is not a directory',
  EMFILE: 'too many open files',
  EIO: 'input/output error',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'file name too long',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EPIPE: 'the reader went away (broken pipe)',
};

/** An operating-system error in plain words: `no such file (ENOENT)`; its own message for other codes. */
export function errnoText(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && ERRNO_TEXT[code] !== undefined) return `${ERRNO_TEXT[code]} (${code})`;
  return error instanceof Error ? error.message : String(error);
}

/**
 * A file the user named that the system would not open, read or write (missing, a directory, no
 * permission, a full disk): `rules.tsv: cannot be read: no such file (ENOENT)`.
 */
export class FileAccessError extends BadInputError {
  override readonly name: string = 'FileAccessError';
  declare readonly file: string;
  /** The system's error code (`ENOENT`…), when it gave one. */
  readonly code: string | undefined;

  /** `hint`, when given, says what to do about it (`; make it with …`). */
  constructor(file: string, error: unknown, access: 'read' | 'write' = 'read', hint = '') {
    super(`${file}: cannot be ${access === 'read' ? 'read' : 'written'}: ${errnoText(error)}${hint}`, { file });
    const code = (error as { code?: unknown } | null)?.code;
    this.code = typeof code === 'string' ? code : undefined;
  }
}

/** The text (UTF-8) of a file the user named; a FileAccessError names it when it cannot be read. */
export function readInputText(path: string, hint = ''): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new FileAccessError(path, error, 'read', hint);
  }
}
