/**
 * The capture stage: streaming pcap/pcapng readers and writers.
 *
 * ```ts
 * import { readCapture, PcapngWriter } from './capture/index.js';
 * const summary = await readCapture('home.pcap', (rec) => decode(rec.buf, rec.offset, rec.capLen));
 * ```
 */
export {
  createRecord,
  formatTimeEpoch,
  recordBytes,
  recordTimeNs,
  recordTimeSeconds,
  recordView,
  type CaptureRecord,
} from './record.js';
export {
  encodeTsresol,
  formatTsresol,
  parseTsresol,
  TimestampConverter,
  TSRESOL_MICROSECONDS,
  TSRESOL_NANOSECONDS,
  unitsPerSecond,
  type TsResolution,
} from './timestamp.js';
export {
  MAX_BLOCK_BYTES,
  type ByteOrder,
  type CaptureInterface,
  type CaptureParser,
  type CaptureSection,
  type DamageReport,
  type ParserOptions,
  type RecordCallback,
  type Truncation,
} from './capture-parser.js';
export { PcapParser, MAX_PCAP_CAPTURED_BYTES, type PcapHeaderInfo } from './pcap-parser.js';
export { PcapngParser } from './pcapng-parser.js';
export { blockTypeName } from './pcapng-format.js';
export { createCaptureParser, detectFormat } from './format-detect.js';
export {
  readCapture,
  DEFAULT_READ_BUFFER_BYTES,
  PROGRESS_STEP_BYTES,
  type CaptureSource,
  type CaptureSummary,
  type ReadCaptureOptions,
} from './reader.js';
export { type GzipDamage } from './gzip.js';
export type { CaptureWriter, PacketToWrite } from './capture-writer.js';
export { PcapWriter, type PcapWriterOptions } from './pcap-writer.js';
export {
  PcapngWriter,
  type PcapngInterfaceSpec,
  type PcapngSectionSpec,
  type PcapngWriterOptions,
} from './pcapng-writer.js';
