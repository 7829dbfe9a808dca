/**
 * One line about the damage a capture reader stepped over (damaged records skipped, a last record
 * cut short, a gzip stream cut short or corrupt), naming the file and the byte offsets, and how many
 * records were read before the first damage (and after it).
 */
import type { CaptureSummary } from '../capture/reader.js';

/** One line about the capture's damage, or null when the capture was read whole. */
export function damageMessage(summary: CaptureSummary): string | null {
  const parts: string[] = [];
  if (summary.damaged.records > 0 || summary.damaged.bytes > 0) {
    const first = summary.damaged.examples[0];
    parts.push(
      `${summary.damaged.records} damaged record(s) skipped (${summary.damaged.bytes} bytes)` +
        (first ? `, first at offset ${first.offset}: ${first.reason}` : ''),
    );
  }
  if (summary.truncated) {
    parts.push(`cut short inside the last record at offset ${summary.truncated.offset}: ${summary.truncated.missing} byte(s) missing`);
  }
  const gzip = summary.compression?.damage;
  if (gzip) parts.push(gzip.message);
  if (parts.length === 0) return null;
  const before = summary.damaged.examples[0]?.recordsBefore ?? summary.records;
  const after = summary.records - before;
  return `${summary.file}: ${parts.join('; ')}; the ${before} record(s) before were read${after > 0 ? `, and ${after} after` : ''}`;
}
