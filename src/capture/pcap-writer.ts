/**
 * Writes classic pcap: either byte order, micro- or nanosecond timestamps, one link type.
 *
 * ```ts
 * const w = new PcapWriter({ to: 'out.pcap', precision: 'ns' });
 * w.writePacket({ tsSec: 1698413468, tsNsec: 559085894, data: frame });
 * w.close();
 * const inMemory = new PcapWriter({ byteOrder: 'be' }); // ... inMemory.toBytes()
 * ```
 */
import { putU16be, putU16le, putU32be, putU32le } from '../core/bytes.js';
import { ByteSink } from './byte-sink.js';
import { capturedLength, checkTime, type CaptureWriter, type PacketToWrite } from './capture-writer.js';
import { LINKTYPE_ETHERNET } from '../core/link-type.js';
import {
  PCAP_DEFAULT_SNAPLEN,
  PCAP_FILE_HEADER_BYTES,
  PCAP_LINKTYPE_OFFSET,
  PCAP_MAGIC_MICROSECONDS,
  PCAP_MAGIC_NANOSECONDS,
  PCAP_RECORD_HEADER_BYTES,
  PCAP_SNAPLEN_OFFSET,
  PCAP_VERSION_MAJOR,
  PCAP_VERSION_MINOR,
} from './pcap-format.js';
import type { CaptureRecord } from './record.js';

export interface PcapWriterOptions {
  /** A file path, `'-'` for stdout; omitted: in memory. */
  to?: string;
  /** LINKTYPE_* (default Ethernet). */
  linkType?: number;
  /** Longest captured length (default 262144). */
  snaplen?: number;
  /** Timestamp resolution (default microseconds). */
  precision?: 'us' | 'ns';
  /** Default little-endian. */
  byteOrder?: 'le' | 'be';
}

const NS_PER_US = 1000;
const MAX_U32 = 0xffff_ffff;

export class PcapWriter implements CaptureWriter {
  readonly format = 'pcap';
  packetsWritten = 0;
  readonly snaplen: number;
  private readonly sink: ByteSink;
  private readonly le: boolean;
  private readonly nanos: boolean;

  constructor(options: PcapWriterOptions = {}) {
    this.le = (options.byteOrder ?? 'le') === 'le';
    this.nanos = options.precision === 'ns';
    this.snaplen = options.snaplen ?? PCAP_DEFAULT_SNAPLEN;
    const linkType = options.linkType ?? LINKTYPE_ETHERNET;
    if (!Number.isInteger(this.snaplen) || this.snaplen < 0 || this.snaplen > MAX_U32) throw new RangeError(`Bad snaplen ${this.snaplen}`);
    if (!Number.isInteger(linkType) || linkType < 0 || linkType > 0xffff) throw new RangeError(`Bad link type ${linkType}`);
    this.sink = new ByteSink(options.to);
    const put16 = this.le ? putU16le : putU16be;
    const put32 = this.le ? putU32le : putU32be;
    const b = this.sink.buf;
    const at = this.sink.reserve(PCAP_FILE_HEADER_BYTES);
    b.fill(0, at, at + PCAP_FILE_HEADER_BYTES);
    put32(b, at, this.nanos ? PCAP_MAGIC_NANOSECONDS : PCAP_MAGIC_MICROSECONDS);
    put16(b, at + 4, PCAP_VERSION_MAJOR);
    put16(b, at + 6, PCAP_VERSION_MINOR);
    put32(b, at + PCAP_SNAPLEN_OFFSET, this.snaplen);
    put32(b, at + PCAP_LINKTYPE_OFFSET, linkType);
  }

  get bytesWritten(): number {
    return this.sink.bytesWritten;
  }

  writePacket(packet: PacketToWrite): void {
    const data = packet.data;
    this.write(data, 0, data.length, packet.tsSec, packet.tsNsec, packet.origLen ?? data.length, packet.iface ?? 0);
  }

  writeRecord(rec: CaptureRecord): void {
    this.write(rec.buf, rec.offset, rec.capLen, rec.tsSec, rec.tsNsec, rec.origLen, 0);
  }

  close(): void {
    this.sink.close();
  }

  toBytes(): Uint8Array {
    return this.sink.toBytes();
  }

  private write(src: Uint8Array, from: number, length: number, tsSec: number, tsNsec: number, origLen: number, iface: number): void {
    checkTime(tsSec, tsNsec);
    if (tsSec < 0 || tsSec > MAX_U32) throw new RangeError(`pcap cannot hold time ${tsSec} s (needs 0..2^32-1)`);
    if (iface !== 0) throw new RangeError(`pcap has one interface; got iface ${iface}`);
    const capLen = capturedLength(length, this.snaplen, origLen);
    const put32 = this.le ? putU32le : putU32be;
    const b = this.sink.buf;
    const at = this.sink.reserve(PCAP_RECORD_HEADER_BYTES);
    put32(b, at, tsSec);
    put32(b, at + 4, this.nanos ? tsNsec : Math.floor(tsNsec / NS_PER_US));
    put32(b, at + 8, capLen);
    put32(b, at + 12, origLen);
    this.sink.copy(src, from, capLen);
    this.packetsWritten++;
  }
}
