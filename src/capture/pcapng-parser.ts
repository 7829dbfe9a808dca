/**
 * Push parser for pcapng: sections in either byte order (each SHB sets its own), interfaces (IDB)
 * with if_tsresol (powers of 10 and of 2) and if_tsoffset, packets from EPBs, SPBs (no timestamp;
 * captured length from interface 0's snap length) and obsolete Packet Blocks. Other blocks (NRB, ISB,
 * DSB, custom, unknown) are skipped and counted by type; custom and systemd-journal blocks still take
 * a frame number, since tshark shows them as frames.
 *
 * Damage: a block whose lengths disagree (not a multiple of 4, shorter than 12 bytes, longer than the
 * limit, or a trailing length unlike the leading one) cannot be framed; the parser counts it and scans
 * forward byte by byte for the next block that frames (known type, sane length, equal trailing length).
 * A block that frames but makes no sense (an EPB naming an undefined interface, a captured length past
 * the block) is skipped whole and counted as damaged.
 *
 * ```ts
 * const parser = new PcapngParser((rec) => console.log(rec.iface, rec.tsSec), { file: 'a.pcapng' });
 * parser.push(bytes);
 * parser.end();
 * ```
 */
import { u16be, u16le, u32be, u32le } from '../core/bytes.js';
import {
  ChunkedParser,
  type CaptureInterface,
  type CaptureParser,
  type CaptureSection,
  type ParserOptions,
  type RecordCallback,
} from './capture-parser.js';
import { badHeaderError, emptyInputError, headerCutError, notCaptureError } from './capture-errors.js';
import {
  BLOCK_CUSTOM,
  BLOCK_CUSTOM_NO_COPY,
  BLOCK_EPB,
  BLOCK_IDB,
  BLOCK_OVERHEAD_BYTES,
  BLOCK_PB,
  BLOCK_SHB,
  BLOCK_SPB,
  BLOCK_SYSTEMD_JOURNAL,
  BYTE_ORDER_MAGIC,
  EPB_MIN_BYTES,
  IDB_MIN_BYTES,
  PACKET_DATA_OFFSET,
  PB_MIN_BYTES,
  SHB_MIN_BYTES,
  SPB_DATA_OFFSET,
  SPB_MIN_BYTES,
  blockTypeName,
  isKnownBlockType,
  padded4,
} from './pcapng-format.js';
import { readInterfaceBlock, readSectionHeader } from './pcapng-blocks.js';
import { createRecord, type CaptureRecord } from './record.js';
import type { TimestampConverter } from './timestamp.js';

const STATE_FIRST = 0;
const STATE_BLOCKS = 1;
const STATE_RESYNC = 2;
/** Bytes needed to read a block's type and length (an SHB needs 12, for its byte-order magic). */
const BLOCK_HEADER_BYTES = 8;
const SHB_PEEK_BYTES = 12;

interface SectionInterface {
  info: CaptureInterface;
  ts: TimestampConverter;
}

export class PcapngParser extends ChunkedParser implements CaptureParser {
  readonly format = 'pcapng';
  readonly sections: CaptureSection[] = [];
  readonly interfaces: CaptureInterface[] = [];
  /** Interfaces of the current section, by section-local id. */
  private sectionInterfaces: SectionInterface[] = [];
  private state = STATE_FIRST;
  private le = true;
  private readonly rec: CaptureRecord = createRecord();
  /** Blocks that tshark numbers as frames but that hold no packet (custom, systemd journal). */
  private extraFrames = 0;

  constructor(
    private readonly onRecord: RecordCallback,
    options: ParserOptions = {},
  ) {
    super(options);
    this.need = SHB_PEEK_BYTES;
  }

  protected parse(buf: Uint8Array, start: number, end: number, fileOffset: number, final: boolean): number {
    const base = fileOffset - start;
    let p = start;
    for (;;) {
      if (this.state === STATE_RESYNC) {
        p = this.resync(buf, p, end, final);
        if (this.state === STATE_RESYNC) return p;
      }
      p = this.parseBlocks(buf, p, end, base, final);
      if (this.state !== STATE_RESYNC) return p;
    }
  }

  protected finish(length: number, offset: number): void {
    if (this.state === STATE_FIRST) {
      if (this.bytesIn === 0) throw emptyInputError(this.file);
      throw headerCutError('pcapng section header block', 0, this.need, length, this.file);
    }
    if (length > 0) this.truncated = { offset, missing: this.need - length };
  }

  /** The hot loop: whole blocks in `buf[p, end)`. */
  private parseBlocks(buf: Uint8Array, p: number, end: number, base: number, final: boolean): number {
    const rec = this.rec;
    const onRecord = this.onRecord;
    const max = this.maxBlockBytes;
    let le = this.le;
    let ifaces = this.sectionInterfaces;
    for (;;) {
      const avail = end - p;
      if (avail < BLOCK_HEADER_BYTES) {
        this.need = BLOCK_HEADER_BYTES;
        return p;
      }
      const type = le ? u32le(buf, p) : u32be(buf, p);
      const len = le ? u32le(buf, p + 4) : u32be(buf, p + 4);
      // Fast path: a well-formed EPB on a known interface.
      if (type === BLOCK_EPB && avail >= len && len >= EPB_MIN_BYTES && (len & 3) === 0 && len <= max) {
        const id = le ? u32le(buf, p + 8) : u32be(buf, p + 8);
        const capLen = le ? u32le(buf, p + 20) : u32be(buf, p + 20);
        if (id < ifaces.length && capLen <= len - EPB_MIN_BYTES && (le ? u32le(buf, p + len - 4) : u32be(buf, p + len - 4)) === len) {
          const iface = ifaces[id];
          iface.ts.toRecord(le ? u32le(buf, p + 12) : u32be(buf, p + 12), le ? u32le(buf, p + 16) : u32be(buf, p + 16), rec);
          const info = iface.info;
          info.packets++;
          rec.frame = ++this.records + this.extraFrames;
          rec.linkType = info.linkType;
          rec.iface = info.index;
          rec.buf = buf;
          rec.offset = p + PACKET_DATA_OFFSET;
          rec.capLen = capLen;
          rec.origLen = le ? u32le(buf, p + 24) : u32be(buf, p + 24);
          rec.fileOffset = base + p;
          onRecord(rec);
          p += len;
          continue;
        }
      }
      // General path.
      if (type === BLOCK_SHB) {
        if (avail < SHB_PEEK_BYTES) {
          this.need = SHB_PEEK_BYTES;
          return p;
        }
        const bom = u32le(buf, p + 8);
        if (bom !== BYTE_ORDER_MAGIC && u32be(buf, p + 8) !== BYTE_ORDER_MAGIC) {
          if (this.state === STATE_FIRST) throw badHeaderError('pcapng section header block', base + p, `byte-order magic 0x${bom.toString(16)}`, this.file);
          return this.startResync(base + p, p, 'section header block with a bad byte-order magic');
        }
        le = bom === BYTE_ORDER_MAGIC;
      } else if (this.state === STATE_FIRST) {
        throw notCaptureError(buf.subarray(p, end), this.file);
      }
      const blockLen = type === BLOCK_SHB ? (le ? u32le(buf, p + 4) : u32be(buf, p + 4)) : len;
      const minLen = type === BLOCK_SHB ? SHB_MIN_BYTES : BLOCK_OVERHEAD_BYTES;
      if (blockLen < minLen || (blockLen & 3) !== 0 || blockLen > max) {
        const why = `${blockTypeName(type)} block length ${blockLen} (must be ${minLen}..${max} and a multiple of 4)`;
        if (this.state === STATE_FIRST) throw badHeaderError('pcapng section header block', base + p, why, this.file);
        return this.startResync(base + p, p, why);
      }
      if (avail < blockLen) {
        // At the end of the input, a block running past it is either the last one, cut short, or one
        // with a damaged length: it is damage when a whole block follows inside it.
        const next = final && this.state !== STATE_FIRST ? this.findFramedBlock(buf, p + 1, end) : -1;
        if (next < 0) {
          this.need = blockLen;
          return p;
        }
        this.reportDamage(base + p, next - p, `${blockTypeName(type)} block length ${blockLen} runs past the end of the input`, true);
        p = next;
        continue;
      }
      const trailing = le ? u32le(buf, p + blockLen - 4) : u32be(buf, p + blockLen - 4);
      if (trailing !== blockLen) {
        const why = `${blockTypeName(type)} block length ${blockLen} but trailing length ${trailing}`;
        if (this.state === STATE_FIRST) throw badHeaderError('pcapng section header block', base + p, why, this.file);
        return this.startResync(base + p, p, why);
      }
      switch (type) {
        case BLOCK_SHB:
          this.startSection(buf, p, blockLen, le, base + p);
          le = this.le;
          ifaces = this.sectionInterfaces;
          break;
        case BLOCK_IDB:
          if (blockLen < IDB_MIN_BYTES) this.reportDamage(base + p, blockLen, `IDB of ${blockLen} bytes`, false);
          else this.addInterface(buf, p, blockLen);
          break;
        case BLOCK_EPB:
        case BLOCK_PB:
          this.packetBlock(buf, p, blockLen, type, base + p);
          break;
        case BLOCK_SPB:
          this.simplePacketBlock(buf, p, blockLen, base + p);
          break;
        case BLOCK_CUSTOM:
        case BLOCK_CUSTOM_NO_COPY:
        case BLOCK_SYSTEMD_JOURNAL:
          this.extraFrames++;
          this.countSkipped(type);
          break;
        default:
          this.countSkipped(type);
      }
      p += blockLen;
    }
  }

  private startSection(buf: Uint8Array, p: number, len: number, le: boolean, fileOffset: number): void {
    this.le = le;
    this.state = STATE_BLOCKS;
    this.sectionInterfaces = [];
    this.sections.push(readSectionHeader(buf, p, len, le, this.sections.length, fileOffset));
  }

  private addInterface(buf: Uint8Array, p: number, len: number): void {
    const section = this.sections.length - 1;
    const iface = readInterfaceBlock(buf, p, len, this.le, section, this.sectionInterfaces.length, this.interfaces.length);
    this.interfaces.push(iface.info);
    this.sectionInterfaces.push(iface);
  }

  /** An EPB or PB that failed the fast path's checks, or any PB. */
  private packetBlock(buf: Uint8Array, p: number, len: number, type: number, fileOffset: number): void {
    const le = this.le;
    const name = blockTypeName(type);
    if (len < (type === BLOCK_EPB ? EPB_MIN_BYTES : PB_MIN_BYTES)) {
      this.reportDamage(fileOffset, len, `${name} of ${len} bytes`, true);
      return;
    }
    const id = type === BLOCK_EPB ? (le ? u32le(buf, p + 8) : u32be(buf, p + 8)) : le ? u16le(buf, p + 8) : u16be(buf, p + 8);
    const capLen = le ? u32le(buf, p + 20) : u32be(buf, p + 20);
    if (id >= this.sectionInterfaces.length) {
      this.reportDamage(fileOffset, len, `${name} on interface ${id}, but the section defines ${this.sectionInterfaces.length}`, true);
      return;
    }
    if (PACKET_DATA_OFFSET + padded4(capLen) + 4 > len) {
      this.reportDamage(fileOffset, len, `${name} captured length ${capLen} does not fit in ${len} bytes`, true);
      return;
    }
    const iface = this.sectionInterfaces[id];
    iface.ts.toRecord(le ? u32le(buf, p + 12) : u32be(buf, p + 12), le ? u32le(buf, p + 16) : u32be(buf, p + 16), this.rec);
    this.deliver(iface.info, buf, p + PACKET_DATA_OFFSET, capLen, le ? u32le(buf, p + 24) : u32be(buf, p + 24), fileOffset);
  }

  private simplePacketBlock(buf: Uint8Array, p: number, len: number, fileOffset: number): void {
    if (len < SPB_MIN_BYTES || this.sectionInterfaces.length === 0) {
      const why = len < SPB_MIN_BYTES ? `SPB of ${len} bytes` : 'SPB before any IDB in its section';
      this.reportDamage(fileOffset, len, why, true);
      return;
    }
    const origLen = this.le ? u32le(buf, p + 8) : u32be(buf, p + 8);
    const iface = this.sectionInterfaces[0];
    const snaplen = iface.info.snaplen;
    const capLen = snaplen !== 0 && origLen > snaplen ? snaplen : origLen;
    if (SPB_DATA_OFFSET + padded4(capLen) + 4 > len) {
      this.reportDamage(fileOffset, len, `SPB of ${len} bytes too short for ${capLen} captured bytes`, true);
      return;
    }
    this.rec.tsSec = 0;
    this.rec.tsNsec = 0;
    this.deliver(iface.info, buf, p + SPB_DATA_OFFSET, capLen, origLen, fileOffset);
  }

  private deliver(info: CaptureInterface, buf: Uint8Array, offset: number, capLen: number, origLen: number, fileOffset: number): void {
    const rec = this.rec;
    info.packets++;
    rec.frame = ++this.records + this.extraFrames;
    rec.linkType = info.linkType;
    rec.iface = info.index;
    rec.buf = buf;
    rec.offset = offset;
    rec.capLen = capLen;
    rec.origLen = origLen;
    rec.fileOffset = fileOffset;
    this.onRecord(rec);
  }

  /** Counts the unframed block at `p` as damage and switches to scanning from the next byte. */
  private startResync(fileOffset: number, p: number, why: string): number {
    this.reportDamage(fileOffset, 1, why, true);
    this.state = STATE_RESYNC;
    return p + 1;
  }

  /** Scans for the next block that frames; every byte passed over is damage. */
  private resync(buf: Uint8Array, p: number, end: number, final: boolean): number {
    for (let q = p; ; q++) {
      if (end - q < SHB_PEEK_BYTES) {
        if (final) {
          this.extendDamage(end - p);
          return end;
        }
        this.extendDamage(q - p);
        this.need = SHB_PEEK_BYTES;
        return q;
      }
      const len = this.candidateLength(buf, q);
      if (len === 0) continue;
      if (end - q < len) {
        if (final) {
          // A plausible block cut by the end of the input: report it as the truncated last block.
          this.extendDamage(q - p);
          this.state = STATE_BLOCKS;
          return q;
        }
        this.extendDamage(q - p);
        this.need = len;
        return q;
      }
      if (this.trailingMatches(buf, q, len)) {
        this.extendDamage(q - p);
        this.state = STATE_BLOCKS;
        return q;
      }
    }
  }

  /** The length of a plausible block starting at `q`, or 0. */
  private candidateLength(buf: Uint8Array, q: number): number {
    let le = this.le;
    const type = le ? u32le(buf, q) : u32be(buf, q);
    if (type === BLOCK_SHB) {
      const bom = u32le(buf, q + 8);
      if (bom !== BYTE_ORDER_MAGIC && u32be(buf, q + 8) !== BYTE_ORDER_MAGIC) return 0;
      le = bom === BYTE_ORDER_MAGIC;
    } else if (!isKnownBlockType(type)) {
      return 0;
    }
    const len = le ? u32le(buf, q + 4) : u32be(buf, q + 4);
    const min = type === BLOCK_SHB ? SHB_MIN_BYTES : type === BLOCK_EPB ? EPB_MIN_BYTES : BLOCK_OVERHEAD_BYTES;
    if (len < min || (len & 3) !== 0 || len > this.maxBlockBytes) return 0;
    if (type === BLOCK_EPB) {
      const id = le ? u32le(buf, q + 8) : u32be(buf, q + 8);
      const capLen = le ? u32le(buf, q + 20) : u32be(buf, q + 20);
      if (id >= this.sectionInterfaces.length || capLen > len - EPB_MIN_BYTES) return 0;
    }
    return len;
  }

  /** The first index in `buf[from, end)` where a whole block that frames starts, or -1. */
  private findFramedBlock(buf: Uint8Array, from: number, end: number): number {
    for (let q = from; end - q >= SHB_PEEK_BYTES; q++) {
      const len = this.candidateLength(buf, q);
      if (len !== 0 && end - q >= len && this.trailingMatches(buf, q, len)) return q;
    }
    return -1;
  }

  private trailingMatches(buf: Uint8Array, q: number, len: number): boolean {
    let le = this.le;
    if ((le ? u32le(buf, q) : u32be(buf, q)) === BLOCK_SHB) le = u32le(buf, q + 8) === BYTE_ORDER_MAGIC;
    return (le ? u32le(buf, q + len - 4) : u32be(buf, q + len - 4)) === len;
  }
}
