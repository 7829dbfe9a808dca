/**
 * Exit codes and the one place that maps errors to them: 0 ok, 1 bad input (a {@link BadInputError}:
 * one line naming the file and the byte offset, line or field), 2 usage error. Anything else is a bug
 * in peephole and says so (70), with no stack trace unless PEEPHOLE_DEBUG is set.
 */
import { BadInputError, errnoText } from '../core/bad-input-error.js';
import { visibleControls } from '../core/table-format.js';

export const EXIT_OK = 0;
export const EXIT_BAD_INPUT = 1;
export const EXIT_USAGE = 2;
export const EXIT_BUG = 70;

/** A mistake in how the command was called. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Input that cannot be used, found by a command itself (the bundled model not built…). */
export class InputError extends BadInputError {
  override readonly name: string = 'InputError';
}

/** One line, whatever the message holds: a line break or a terminal escape from a file name is shown, not obeyed. */
function line(text: string): string {
  return `peephole: ${visibleControls(text)}`;
}

export function exitCodeFor(err: unknown): { code: number; message: string } {
  if (err instanceof UsageError) return { code: EXIT_USAGE, message: line(err.message) };
  if (err instanceof BadInputError) return { code: EXIT_BAD_INPUT, message: line(err.message) };
  // A file a command writes or reads without a library in between (an --out folder, a figure).
  const e = err as NodeJS.ErrnoException;
  if (e && typeof e.code === 'string' && typeof e.path === 'string') return { code: EXIT_BAD_INPUT, message: line(`${e.path}: ${errnoText(e)}`) };
  if (process.env.PEEPHOLE_DEBUG && err instanceof Error) return { code: EXIT_BUG, message: `peephole: internal error (please report): ${err.stack ?? err.message}` };
  return { code: EXIT_BUG, message: line(`internal error (please report): ${err instanceof Error ? err.message : String(err)}`) };
}
