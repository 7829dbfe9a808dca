/**
 * Exit codes and the one place that maps errors to them: 0 ok, 1 bad input (a one-line message naming
 * the file and the byte offset), 2 usage error. Anything else is a bug in peephole and says so.
 */
import { DecodeError } from '../core/decode-error.js';
import { BadInputError } from '../core/bad-input-error.js';

export const EXIT_OK = 0;
export const EXIT_BAD_INPUT = 1;
export const EXIT_USAGE = 2;
export const EXIT_BUG = 70;

/** A mistake in how the command was called. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Input that cannot be used, found outside a decoder (a missing file, a bad option file). */
export class InputError extends Error {
  override readonly name = 'InputError';
}

export function exitCodeFor(err: unknown): { code: number; message: string } {
  if (err instanceof UsageError) return { code: EXIT_USAGE, message: `peephole: ${err.message}` };
  if (err instanceof DecodeError || err instanceof InputError || err instanceof BadInputError) return { code: EXIT_BAD_INPUT, message: `peephole: ${err.message}` };
  const e = err as NodeJS.ErrnoException;
  if (e && typeof e.code === 'string' && typeof e.path === 'string') {
    const what: Record<string, string> = { ENOENT: 'no such file', EACCES: 'permission denied', EISDIR: 'is a directory' };
    return { code: EXIT_BAD_INPUT, message: `peephole: ${e.path}: ${what[e.code] ?? e.message}` };
  }
  const detail = err instanceof Error ? (process.env.PEEPHOLE_DEBUG ? err.stack ?? err.message : err.message) : String(err);
  return { code: EXIT_BUG, message: `peephole: internal error (please report): ${detail}` };
}
