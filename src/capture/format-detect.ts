/**
 * Telling a capture format from its first bytes, and making the matching push parser.
 *
 * ```ts
 * detectFormat(head);                                  // 'pcap' | 'pcapng' | 'gzip' | null
 * const parser = createCaptureParser('pcapng', onRecord, { file });
 * ```
 */
import { u32be, u32le } from '../core/bytes.js';
import type { CaptureParser, ParserOptions, RecordCallback } from './capture-parser.js';
import { PCAP_MAGIC_MICROSECONDS, PCAP_MAGIC_MODIFIED, PCAP_MAGIC_NANOSECONDS } from './pcap-format.js';
import { PcapParser } from './pcap-parser.js';
import { BLOCK_SHB } from './pcapng-format.js';
import { PcapngParser } from './pcapng-parser.js';
import type { CaptureFormat } from '../core/vantage.js';

const GZIP_ID1 = 0x1f;
const GZIP_ID2 = 0x8b;
/** Bytes {@link detectFormat} needs to decide. */
export const MAGIC_BYTES = 4;

function isPcapMagic(m: number): boolean {
  return m === PCAP_MAGIC_MICROSECONDS || m === PCAP_MAGIC_NANOSECONDS || m === PCAP_MAGIC_MODIFIED;
}

/**
 * The format `head` starts with: a capture format, `'gzip'` for gzip-compressed input, or null when
 * it is none of them (or shorter than {@link MAGIC_BYTES} and not gzip).
 */
export function detectFormat(head: Uint8Array): CaptureFormat | 'gzip' | null {
  if (head.length >= 2 && head[0] === GZIP_ID1 && head[1] === GZIP_ID2) return 'gzip';
  if (head.length < MAGIC_BYTES) return null;
  if (u32le(head, 0) === BLOCK_SHB) return 'pcapng';
  if (isPcapMagic(u32le(head, 0)) || isPcapMagic(u32be(head, 0))) return 'pcap';
  return null;
}

/** A push parser for `format`. */
export function createCaptureParser(format: CaptureFormat, onRecord: RecordCallback, options: ParserOptions = {}): CaptureParser {
  return format === 'pcap' ? new PcapParser(onRecord, options) : new PcapngParser(onRecord, options);
}
