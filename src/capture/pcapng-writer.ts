/**
 * Writes pcapng: sections in either byte order, several interfaces each with its own link type, snap
 * length and timestamp resolution (10^-k or 2^-k, plus if_tsoffset), packets as EPBs; for tests also
 * SPBs, obsolete Packet Blocks and arbitrary blocks.
 *
 * ```ts
 * const w = new PcapngWriter({
 *   to: 'out.pcapng',
 *   interfaces: [{ linkType: LINKTYPE_ETHERNET, tsresol: TSRESOL_NANOSECONDS, name: 'br-lan' }],
 * });
 * w.writePacket({ tsSec: 1698413468, tsNsec: 559085894, data: frame });
 * w.newSection({ byteOrder: 'be', interfaces: [{ linkType: LINKTYPE_RAW }] });
 * w.close();
 * ```
 *
 * Interface ids in `writePacket({ iface })` are those of the current section (0, 1, ... in the order
 * given), as an EPB stores them.
 */
import { putU16be, putU16le, putU32be, putU32le } from '../core/bytes.js';
import { ByteSink } from './byte-sink.js';
import { capturedLength, checkTime, type CaptureWriter, type PacketToWrite } from './capture-writer.js';
import { LINKTYPE_ETHERNET } from '../core/link-type.js';
import { PCAP_DEFAULT_SNAPLEN } from './pcap-format.js';
import {
  BLOCK_EPB,
  BLOCK_IDB,
  BLOCK_OVERHEAD_BYTES,
  BLOCK_PB,
  BLOCK_SHB,
  BLOCK_SPB,
  BYTE_ORDER_MAGIC,
  IF_DESCRIPTION,
  IF_FCSLEN,
  IF_NAME,
  IF_TSOFFSET,
  IF_TSRESOL,
  OPT_COMMENT,
  PACKET_DATA_OFFSET,
  PCAPNG_VERSION_MAJOR,
  PCAPNG_VERSION_MINOR,
  SHB_HARDWARE,
  SHB_OS,
  SHB_USERAPPL,
  SPB_DATA_OFFSET,
  padded4,
} from './pcapng-format.js';
import { OptionsBuilder } from './pcapng-options.js';
import type { CaptureRecord } from './record.js';
import { encodeTsresol, TimestampConverter, TSRESOL_MICROSECONDS, type TsResolution } from './timestamp.js';

export interface PcapngInterfaceSpec {
  /** LINKTYPE_* (default Ethernet). */
  linkType?: number;
  /** Longest captured length (default 262144; 0 means no limit). */
  snaplen?: number;
  /** Timestamp unit (default 10^-6 s, written without an if_tsresol option). */
  tsresol?: TsResolution;
  /** if_tsoffset: seconds added to every timestamp of this interface (default 0, not written). */
  tsOffsetSec?: number;
  name?: string;
  description?: string;
  /** if_fcslen: bytes of FCS at the end of each frame. */
  fcsLength?: number;
}

export interface PcapngSectionSpec {
  /** Default little-endian. */
  byteOrder?: 'le' | 'be';
  /** The section's interfaces (default one Ethernet interface). More can be added with `addInterface()`. */
  interfaces?: PcapngInterfaceSpec[];
  comment?: string;
  hardware?: string;
  os?: string;
  /** shb_userappl (default `peephole`). */
  userAppl?: string;
}

export interface PcapngWriterOptions extends PcapngSectionSpec {
  /** A file path, `'-'` for stdout; omitted: in memory. */
  to?: string;
}

interface WriterInterface {
  snaplen: number;
  ts: TimestampConverter;
}

const MAX_U32 = 0xffff_ffff;
const DEFAULT_USER_APPL = 'peephole';
const SECTION_LENGTH_UNKNOWN = 0xffff_ffff;
const SHB_FIXED_BYTES = 16;
const IDB_FIXED_BYTES = 8;
const EPB_TRAILER_BYTES = 4;

export class PcapngWriter implements CaptureWriter {
  readonly format = 'pcapng';
  packetsWritten = 0;
  private readonly sink: ByteSink;
  private le = true;
  private interfaces: WriterInterface[] = [];

  constructor(options: PcapngWriterOptions = {}) {
    this.sink = new ByteSink(options.to);
    this.newSection(options);
  }

  get bytesWritten(): number {
    return this.sink.bytesWritten;
  }

  /** Interfaces defined in the current section. */
  get interfaceCount(): number {
    return this.interfaces.length;
  }

  /** Starts a new section (new SHB, byte order, interfaces numbered from 0 again). */
  newSection(spec: PcapngSectionSpec = {}): void {
    this.le = (spec.byteOrder ?? 'le') === 'le';
    this.interfaces = [];
    const options = new OptionsBuilder(this.le)
      .addText(OPT_COMMENT, spec.comment)
      .addText(SHB_HARDWARE, spec.hardware)
      .addText(SHB_OS, spec.os)
      .addText(SHB_USERAPPL, spec.userAppl ?? DEFAULT_USER_APPL)
      .bytes();
    const body = new Uint8Array(SHB_FIXED_BYTES + options.length);
    const put16 = this.le ? putU16le : putU16be;
    const put32 = this.le ? putU32le : putU32be;
    put32(body, 0, BYTE_ORDER_MAGIC);
    put16(body, 4, PCAPNG_VERSION_MAJOR);
    put16(body, 6, PCAPNG_VERSION_MINOR);
    put32(body, 8, SECTION_LENGTH_UNKNOWN);
    put32(body, 12, SECTION_LENGTH_UNKNOWN);
    body.set(options, SHB_FIXED_BYTES);
    this.writeBlock(BLOCK_SHB, body);
    for (const iface of spec.interfaces ?? [{}]) this.addInterface(iface);
  }

  /** Adds an interface to the current section (writes its IDB) and returns its id. */
  addInterface(spec: PcapngInterfaceSpec = {}): number {
    const linkType = spec.linkType ?? LINKTYPE_ETHERNET;
    const snaplen = spec.snaplen ?? PCAP_DEFAULT_SNAPLEN;
    const tsresol = spec.tsresol ?? TSRESOL_MICROSECONDS;
    const tsOffsetSec = spec.tsOffsetSec ?? 0;
    if (!Number.isInteger(linkType) || linkType < 0 || linkType > 0xffff) throw new RangeError(`Bad link type ${linkType}`);
    if (!Number.isInteger(snaplen) || snaplen < 0 || snaplen > MAX_U32) throw new RangeError(`Bad snaplen ${snaplen}`);
    if (!Number.isSafeInteger(tsOffsetSec)) throw new RangeError(`Bad if_tsoffset ${tsOffsetSec}`);
    const builder = new OptionsBuilder(this.le).addText(IF_NAME, spec.name).addText(IF_DESCRIPTION, spec.description);
    if (spec.tsresol !== undefined) builder.add(IF_TSRESOL, Uint8Array.of(encodeTsresol(tsresol)));
    if (spec.fcsLength !== undefined) builder.add(IF_FCSLEN, Uint8Array.of(spec.fcsLength));
    if (tsOffsetSec !== 0) builder.add(IF_TSOFFSET, this.int64(tsOffsetSec));
    const options = builder.bytes();
    const body = new Uint8Array(IDB_FIXED_BYTES + options.length);
    (this.le ? putU16le : putU16be)(body, 0, linkType);
    (this.le ? putU32le : putU32be)(body, 4, snaplen);
    body.set(options, IDB_FIXED_BYTES);
    this.writeBlock(BLOCK_IDB, body);
    this.interfaces.push({ snaplen, ts: new TimestampConverter(tsresol, tsOffsetSec) });
    return this.interfaces.length - 1;
  }

  /** Writes the packet as an Enhanced Packet Block. */
  writePacket(packet: PacketToWrite): void {
    const data = packet.data;
    this.writePacketBlock(BLOCK_EPB, data, 0, data.length, packet.tsSec, packet.tsNsec, packet.origLen ?? data.length, packet.iface ?? 0);
  }

  /** Writes the record as an EPB on interface `rec.iface` of the current section. */
  writeRecord(rec: CaptureRecord): void {
    this.writePacketBlock(BLOCK_EPB, rec.buf, rec.offset, rec.capLen, rec.tsSec, rec.tsNsec, rec.origLen, rec.iface);
  }

  /** Writes the packet as an obsolete Packet Block (type 2), which readers must still accept. */
  writeObsoletePacket(packet: PacketToWrite): void {
    const data = packet.data;
    this.writePacketBlock(BLOCK_PB, data, 0, data.length, packet.tsSec, packet.tsNsec, packet.origLen ?? data.length, packet.iface ?? 0);
  }

  /**
   * Writes the packet as a Simple Packet Block: interface 0, no timestamp. Its captured length is
   * implied (min of origLen and interface 0's snap length), so `data` must be exactly that long.
   */
  writeSimplePacket(packet: Pick<PacketToWrite, 'data' | 'origLen'>): void {
    const iface = this.interface(0);
    const data = packet.data;
    const origLen = packet.origLen ?? data.length;
    const implied = iface.snaplen !== 0 && origLen > iface.snaplen ? iface.snaplen : origLen;
    if (data.length !== implied) {
      throw new RangeError(`An SPB of original length ${origLen} holds ${implied} bytes (snaplen ${iface.snaplen}); got ${data.length}`);
    }
    const total = SPB_DATA_OFFSET + padded4(data.length) + EPB_TRAILER_BYTES;
    const put32 = this.le ? putU32le : putU32be;
    const b = this.sink.buf;
    const at = this.sink.reserve(SPB_DATA_OFFSET);
    put32(b, at, BLOCK_SPB);
    put32(b, at + 4, total);
    put32(b, at + 8, origLen);
    this.sink.copy(data, 0, data.length);
    this.trailer(data.length, total);
    this.packetsWritten++;
  }

  /** Writes any block: `body` is padded to 4 bytes and framed with type and lengths. */
  writeBlock(type: number, body: Uint8Array): void {
    const total = BLOCK_OVERHEAD_BYTES + padded4(body.length);
    const put32 = this.le ? putU32le : putU32be;
    const b = this.sink.buf;
    const at = this.sink.reserve(8);
    put32(b, at, type);
    put32(b, at + 4, total);
    this.sink.copy(body, 0, body.length);
    this.trailer(body.length, total);
  }

  close(): void {
    this.sink.close();
  }

  toBytes(): Uint8Array {
    return this.sink.toBytes();
  }

  private interface(id: number): WriterInterface {
    const iface = this.interfaces[id];
    if (iface === undefined) throw new RangeError(`No interface ${id} in this section (${this.interfaces.length} defined)`);
    return iface;
  }

  private writePacketBlock(
    type: number,
    src: Uint8Array,
    from: number,
    length: number,
    tsSec: number,
    tsNsec: number,
    origLen: number,
    id: number,
  ): void {
    checkTime(tsSec, tsNsec);
    const iface = this.interface(id);
    if (type === BLOCK_PB && id > 0xffff) throw new RangeError(`A Packet Block holds interface ids up to 65535, got ${id}`);
    const capLen = capturedLength(length, iface.snaplen, origLen);
    const ts = iface.ts;
    ts.fromTime(tsSec, tsNsec);
    const total = PACKET_DATA_OFFSET + padded4(capLen) + EPB_TRAILER_BYTES;
    const le = this.le;
    const put32 = le ? putU32le : putU32be;
    const b = this.sink.buf;
    const at = this.sink.reserve(PACKET_DATA_OFFSET);
    put32(b, at, type);
    put32(b, at + 4, total);
    if (type === BLOCK_PB) {
      (le ? putU16le : putU16be)(b, at + 8, id);
      (le ? putU16le : putU16be)(b, at + 10, 0);
    } else {
      put32(b, at + 8, id);
    }
    put32(b, at + 12, ts.high);
    put32(b, at + 16, ts.low);
    put32(b, at + 20, capLen);
    put32(b, at + 24, origLen);
    this.sink.copy(src, from, capLen);
    this.trailer(capLen, total);
    this.packetsWritten++;
  }

  /** Pads `length` bytes of body to 4 and writes the trailing block length. */
  private trailer(length: number, total: number): void {
    const pad = padded4(length) - length;
    const at = this.sink.reserve(pad + 4);
    const b = this.sink.buf;
    for (let i = 0; i < pad; i++) b[at + i] = 0;
    (this.le ? putU32le : putU32be)(b, at + pad, total);
  }

  private int64(value: number): Uint8Array {
    const out = new Uint8Array(8);
    const big = BigInt.asUintN(64, BigInt(value));
    const hi = Number(big >> 32n);
    const lo = Number(big & 0xffff_ffffn);
    if (this.le) {
      putU32le(out, 0, lo);
      putU32le(out, 4, hi);
    } else {
      putU32be(out, 0, hi);
      putU32be(out, 4, lo);
    }
    return out;
  }
}
