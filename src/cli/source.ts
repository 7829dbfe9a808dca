/**
 * After a command has printed what it read: damage the reader stepped over makes it exit 1.
 */
import type { CaptureSummary } from '../capture/reader.js';
import { damageMessage } from '../report/damage-text.js';
import { InputError } from './errors.js';

/** Throws an {@link InputError} (exit 1) when the reader had to step over damage. */
export function reportReaderDamage(summary: CaptureSummary): void {
  const message = damageMessage(summary);
  if (message) throw new InputError(message);
}
