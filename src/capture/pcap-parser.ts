/**
 * Push parser for classic pcap: both byte orders, microsecond (a1b2c3d4) and nanosecond (a1b23c4d)
 * magic, and the "modified" Kuznetzov format (a1b2cd34, 24-byte record headers).
 *
 * A record header whose captured length is insane (above 16 MiB, or far above the snap length) is
 * damage: the parser counts it, scans forward byte by byte to the next plausible record header (one
 * whose lengths and fraction fit and whose time lies near the last good record's, or, before any
 * good record, one followed by another plausible header) and carries on from there.
 *
 * ```ts
 * const parser = new PcapParser((rec) => console.log(rec.frame, rec.capLen), { file: 'a.pcap' });
 * parser.push(bytes);
 * parser.end();
 * ```
 */
import { u16be, u16le, u32be, u32le } from '../core/bytes.js';
import {
  ChunkedParser,
  type ByteOrder,
  type CaptureInterface,
  type CaptureParser,
  type CaptureSection,
  type ParserOptions,
  type RecordCallback,
} from './capture-parser.js';
import { emptyInputError, headerCutError, notCaptureError } from './capture-errors.js';
import { LINKTYPE_MASK } from '../core/link-type.js';
import {
  PCAP_DEFAULT_SNAPLEN,
  PCAP_FILE_HEADER_BYTES,
  PCAP_LINKTYPE_OFFSET,
  PCAP_MAGIC_MICROSECONDS,
  PCAP_MAGIC_MODIFIED,
  PCAP_MAGIC_NANOSECONDS,
  PCAP_MODIFIED_RECORD_HEADER_BYTES,
  PCAP_RECORD_HEADER_BYTES,
  PCAP_SNAPLEN_OFFSET,
} from './pcap-format.js';
import { createRecord, type CaptureRecord } from './record.js';
import { TSRESOL_MICROSECONDS, TSRESOL_NANOSECONDS } from './timestamp.js';

/** Captured lengths above this are damage, whatever the snap length says. */
export const MAX_PCAP_CAPTURED_BYTES = 16 * 1024 * 1024;
/** A captured length above this many times max(snaplen, 262144) is damage. */
const SNAPLEN_SLACK_FACTOR = 4;
/** While resynchronising, a candidate's time must lie within this of the last good record. */
const RESYNC_BACKWARD_SECONDS = 86_400;
const RESYNC_FORWARD_SECONDS = 400 * 86_400;
const NS_PER_SECOND = 1_000_000_000;
const FCS_PRESENT_FLAG = 0x0400_0000;
const FCS_WORDS_SHIFT = 28;

const STATE_HEADER = 0;
const STATE_RECORDS = 1;
const STATE_RESYNC = 2;

/** What the pcap file header said. */
export interface PcapHeaderInfo {
  byteOrder: ByteOrder;
  precision: 'us' | 'ns';
  /** True for the a1b2cd34 (Kuznetzov) variant. */
  modified: boolean;
  versionMajor: number;
  versionMinor: number;
  /** GMT to local correction in seconds (always 0 in practice). */
  thiszone: number;
  snaplen: number;
  linkType: number;
  /** FCS length in bytes when the header's F bit is set, else null. */
  fcsLength: number | null;
}

export class PcapParser extends ChunkedParser implements CaptureParser {
  readonly format = 'pcap';
  readonly sections: CaptureSection[] = [];
  readonly interfaces: CaptureInterface[] = [];
  /** Set once the file header has been read. */
  header: PcapHeaderInfo | null = null;
  private state = STATE_HEADER;
  private le = true;
  private recordHeaderBytes = PCAP_RECORD_HEADER_BYTES;
  /** 1000 for microseconds, 1 for nanoseconds. */
  private fractionScale = 1000;
  private fractionLimit = 1_000_000;
  private capLimit = MAX_PCAP_CAPTURED_BYTES;
  private resyncCapLimit = MAX_PCAP_CAPTURED_BYTES;
  private readonly rec: CaptureRecord = createRecord();

  constructor(
    private readonly onRecord: RecordCallback,
    options: ParserOptions = {},
  ) {
    super(options);
    this.need = PCAP_FILE_HEADER_BYTES;
  }

  protected parse(buf: Uint8Array, start: number, end: number, fileOffset: number, final: boolean): number {
    const base = fileOffset - start;
    let p = start;
    if (this.state === STATE_HEADER) {
      if (end - p >= 4) this.checkMagic(buf, p, end);
      if (end - p < PCAP_FILE_HEADER_BYTES) {
        this.need = PCAP_FILE_HEADER_BYTES;
        return p;
      }
      this.readFileHeader(buf, p);
      p += PCAP_FILE_HEADER_BYTES;
      this.state = STATE_RECORDS;
    }
    for (;;) {
      if (this.state === STATE_RESYNC) {
        p = this.resync(buf, p, end, final);
        if (this.state === STATE_RESYNC) return p;
      }
      p = this.parseRecords(buf, p, end, base, final);
      if (this.state !== STATE_RESYNC) return p;
    }
  }

  protected finish(length: number, offset: number): void {
    if (this.state === STATE_HEADER) {
      if (this.bytesIn === 0) throw emptyInputError(this.file);
      throw headerCutError('pcap file header', 0, PCAP_FILE_HEADER_BYTES, length, this.file);
    }
    if (this.interfaces.length > 0) this.interfaces[0].packets = this.records;
    if (length > 0) this.truncated = { offset, missing: this.need - length };
  }

  private checkMagic(buf: Uint8Array, p: number, end: number): void {
    const le = u32le(buf, p);
    const be = u32be(buf, p);
    const known = (m: number): boolean =>
      m === PCAP_MAGIC_MICROSECONDS || m === PCAP_MAGIC_NANOSECONDS || m === PCAP_MAGIC_MODIFIED;
    if (!known(le) && !known(be)) throw notCaptureError(buf.subarray(p, end), this.file);
  }

  private readFileHeader(buf: Uint8Array, p: number): void {
    const magicLe = u32le(buf, p);
    const le =
      magicLe === PCAP_MAGIC_MICROSECONDS || magicLe === PCAP_MAGIC_NANOSECONDS || magicLe === PCAP_MAGIC_MODIFIED;
    const magic = le ? magicLe : u32be(buf, p);
    const u16 = le ? u16le : u16be;
    const u32 = le ? u32le : u32be;
    const rawLinkType = u32(buf, p + PCAP_LINKTYPE_OFFSET);
    const snaplen = u32(buf, p + PCAP_SNAPLEN_OFFSET);
    const nanos = magic === PCAP_MAGIC_NANOSECONDS;
    const header: PcapHeaderInfo = {
      byteOrder: le ? 'le' : 'be',
      precision: nanos ? 'ns' : 'us',
      modified: magic === PCAP_MAGIC_MODIFIED,
      versionMajor: u16(buf, p + 4),
      versionMinor: u16(buf, p + 6),
      thiszone: u32(buf, p + 8) | 0,
      snaplen,
      linkType: rawLinkType & LINKTYPE_MASK,
      fcsLength: (rawLinkType & FCS_PRESENT_FLAG) !== 0 ? (rawLinkType >>> FCS_WORDS_SHIFT) * 2 : null,
    };
    this.header = header;
    this.le = le;
    this.recordHeaderBytes = header.modified ? PCAP_MODIFIED_RECORD_HEADER_BYTES : PCAP_RECORD_HEADER_BYTES;
    this.fractionScale = nanos ? 1 : 1000;
    this.fractionLimit = nanos ? NS_PER_SECOND : 1_000_000;
    this.capLimit = Math.min(
      MAX_PCAP_CAPTURED_BYTES,
      this.maxBlockBytes,
      SNAPLEN_SLACK_FACTOR * Math.max(snaplen, PCAP_DEFAULT_SNAPLEN),
    );
    this.resyncCapLimit = snaplen > 0 ? Math.min(snaplen, this.capLimit) : this.capLimit;
    this.sections.push({
      index: 0,
      fileOffset: 0,
      byteOrder: header.byteOrder,
      version: `${header.versionMajor}.${header.versionMinor}`,
      hardware: null,
      os: null,
      userAppl: null,
      comment: null,
    });
    this.interfaces.push({
      index: 0,
      section: 0,
      id: 0,
      linkType: header.linkType,
      snaplen,
      tsresol: nanos ? TSRESOL_NANOSECONDS : TSRESOL_MICROSECONDS,
      tsOffsetSec: header.thiszone,
      name: null,
      description: null,
      fcsLength: header.fcsLength,
      packets: 0,
    });
    this.rec.linkType = header.linkType;
    this.rec.iface = 0;
  }

  /** The hot loop: whole records in `buf[p, end)`. */
  private parseRecords(buf: Uint8Array, p: number, end: number, base: number, final: boolean): number {
    const hdr = this.recordHeaderBytes;
    const le = this.le;
    const limit = this.capLimit;
    const scale = this.fractionScale;
    const rec = this.rec;
    const onRecord = this.onRecord;
    while (end - p >= hdr) {
      const capLen = le ? u32le(buf, p + 8) : u32be(buf, p + 8);
      if (capLen > limit) {
        this.reportDamage(base + p, 1, `captured length ${capLen} above limit ${limit}`, true);
        this.state = STATE_RESYNC;
        return p + 1;
      }
      const total = hdr + capLen;
      if (end - p < total) {
        // At the end of the input, a record running past it is either the last one, cut short, or
        // one with a damaged length: it is damage when a plausible whole record follows inside it.
        const next = final ? this.findRecord(buf, p + 1, end) : -1;
        if (next < 0) {
          this.need = total;
          return p;
        }
        this.reportDamage(base + p, next - p, `captured length ${capLen} runs past the end of the input`, true);
        p = next;
        continue;
      }
      let sec = le ? u32le(buf, p) : u32be(buf, p);
      let ns = (le ? u32le(buf, p + 4) : u32be(buf, p + 4)) * scale;
      if (ns >= NS_PER_SECOND) {
        sec += Math.floor(ns / NS_PER_SECOND);
        ns %= NS_PER_SECOND;
      }
      rec.frame = ++this.records;
      rec.tsSec = sec;
      rec.tsNsec = ns;
      rec.buf = buf;
      rec.offset = p + hdr;
      rec.capLen = capLen;
      rec.origLen = le ? u32le(buf, p + 12) : u32be(buf, p + 12);
      rec.fileOffset = base + p;
      onRecord(rec);
      p += total;
    }
    this.need = hdr;
    return p;
  }

  /** Scans for the next plausible record header; every byte passed over is damage. */
  private resync(buf: Uint8Array, p: number, end: number, final: boolean): number {
    const hdr = this.recordHeaderBytes;
    const lastSec = this.records > 0 ? this.rec.tsSec : -1;
    for (let q = p; ; q++) {
      if (end - q < hdr) {
        if (final) {
          this.extendDamage(end - p);
          return end;
        }
        this.extendDamage(q - p);
        this.need = hdr;
        return q;
      }
      if (!this.plausible(buf, q, lastSec)) continue;
      // With a time to compare against, one plausible header is evidence enough (random bytes pass
      // about once in 2^40 tries); without one, the header after it must be plausible too.
      if (lastSec < 0) {
        const next = q + hdr + (this.le ? u32le(buf, q + 8) : u32be(buf, q + 8));
        if (end - next < hdr) {
          if (!final) {
            this.extendDamage(q - p);
            this.need = next + hdr - q;
            return q;
          }
        } else if (!this.plausible(buf, next, lastSec)) {
          continue;
        }
      }
      this.extendDamage(q - p);
      this.state = STATE_RECORDS;
      return q;
    }
  }

  /** The first index in `buf[from, end)` of a plausible whole record that ends the input or is followed by another, or -1. */
  private findRecord(buf: Uint8Array, from: number, end: number): number {
    const hdr = this.recordHeaderBytes;
    const lastSec = this.records > 0 ? this.rec.tsSec : -1;
    for (let q = from; end - q >= hdr; q++) {
      if (!this.plausible(buf, q, lastSec)) continue;
      const next = q + hdr + (this.le ? u32le(buf, q + 8) : u32be(buf, q + 8));
      // A header ending exactly at the end of the input counts only once a good record has set the
      // time to compare with: before that, any few bytes before a cut could pass for one.
      if ((next === end && lastSec >= 0) || (end - next >= hdr && this.plausible(buf, next, lastSec))) return q;
    }
    return -1;
  }

  private plausible(buf: Uint8Array, q: number, lastSec: number): boolean {
    const le = this.le;
    const capLen = le ? u32le(buf, q + 8) : u32be(buf, q + 8);
    const origLen = le ? u32le(buf, q + 12) : u32be(buf, q + 12);
    if (capLen > this.resyncCapLimit || origLen < capLen || origLen === 0 || origLen > MAX_PCAP_CAPTURED_BYTES) return false;
    if ((le ? u32le(buf, q + 4) : u32be(buf, q + 4)) >= this.fractionLimit) return false;
    if (lastSec < 0) return true;
    const sec = le ? u32le(buf, q) : u32be(buf, q);
    return sec >= lastSec - RESYNC_BACKWARD_SECONDS && sec <= lastSec + RESYNC_FORWARD_SECONDS;
  }
}
