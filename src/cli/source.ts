/**
 * After a command has printed what it read: damage the reader stepped over makes it exit 1.
 */
import type { CaptureSummary } from '../capture/reader.js';
import { BadInputError } from '../core/bad-input-error.js';
import { damageMessage } from '../report/damage-text.js';

/**
 * Throws a {@link BadInputError} (exit 1) when the reader had to step over damage: the message names
 * the file and the offsets; the place is the first damage: a skipped record, else the gzip damage
 * (its offset in the compressed file: a cut record there is cut because the gzip stream is), else
 * the cut record.
 */
export function reportReaderDamage(summary: CaptureSummary): void {
  const message = damageMessage(summary);
  if (!message) return;
  const offset = summary.damaged.examples[0]?.offset ?? summary.compression?.damage?.offset ?? summary.truncated?.offset;
  throw new BadInputError(message, { file: summary.file, offset });
}
