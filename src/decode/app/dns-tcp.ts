/**
 * DNS over TCP (RFC 1035 §4.2.2, RFC 7766): each message is preceded by a 2-byte length. One
 * segment may hold several messages, and one message may span several segments: the packet driver
 * feeds every TCP payload of a DNS connection to {@link DnsTcpStreams.push}, which returns the
 * messages that segment completes, as tshark reports a split message's fields on the frame that
 * completes it.
 *
 * ```ts
 * const dnsTcp = new DnsTcpStreams();
 * // for each TCP segment with payload on port 53, key naming the direction (src>dst):
 * for (const dns of dnsTcp.push(`${src}:${sport}>${dst}:${dport}`, tcp.seq, bytes, start, end, ctx)) {
 *   packet.layers.push(dns);
 * }
 * ```
 *
 * The common case (whole messages in one segment, nothing pending) is decoded in place with no copy;
 * only a message cut by a segment boundary is buffered (see tcp-reassembly.ts for the bounds). A
 * segment already seen (a retransmission) gives nothing, so no message is reported twice. A message
 * longer than the stream buffer is stepped over with `dns_tcp_message_too_large`.
 */
import { putU16be, u16be } from '../../core/bytes.js';
import type { DecodeContext } from '../context.js';
import { AnomaliesAt } from './anomalies-at.js';
import { decodeDnsMessage, encodeDnsMessage, type DnsEncodeOptions, type DnsLayer, type DnsProtocol } from './dns.js';
import { TcpReassembler, seqDiff, type TcpReassemblyOptions, type TcpStream } from './tcp-reassembly.js';

export const DNS_TCP_ANOMALIES: Readonly<Record<string, string>> = {
  dns_tcp_message_too_large: 'a DNS-over-TCP message is longer than the reassembly buffer; it was skipped',
};

/** Bytes of the length prefix. */
export const DNS_TCP_LENGTH_BYTES = 2;
const NONE: readonly DnsLayer[] = Object.freeze([]);

export class DnsTcpStreams {
  private readonly reassembler: TcpReassembler;

  constructor(options: TcpReassemblyOptions = {}) {
    this.reassembler = new TcpReassembler(options);
  }

  /** Directions followed now (each bounded; see tcp-reassembly.ts). */
  get size(): number {
    return this.reassembler.size;
  }

  /** Forgets a direction (e.g. on FIN or RST). */
  close(key: string): void {
    this.reassembler.close(key);
  }

  /**
   * Feeds the TCP payload `bytes[offset, end)` of direction `key`, whose first byte has sequence
   * number `seq`; returns the DNS messages this segment completes (often none or one).
   */
  push(
    key: string,
    seq: number,
    bytes: Uint8Array,
    offset: number,
    end: number,
    ctx: DecodeContext,
    protocol: DnsProtocol = 'dns',
  ): readonly DnsLayer[] {
    const len = end - offset;
    if (len <= 0) return NONE;
    const r = this.reassembler;
    let s = r.get(key) ?? r.open(key, seq);
    if (s.overflowed) s = r.open(key, seq); // held segments filled the buffer: start again here
    const d = seqDiff(seq, s.nextSeq);
    if (d > 0 || d + len <= 0 || (d < 0 && !r.trimOverlaps)) {
      r.push(s, seq, bytes, offset, end); // held past a gap, or dropped as already seen
      return NONE;
    }
    const found: DnsLayer[] = [];
    for (;;) {
      const pos = offset + seqDiff(s.nextSeq, seq); // the first byte of the segment not yet taken
      if (pos >= end) break;
      if (s.length === 0 && s.skip === 0) {
        this.decodeInPlace(s, seq, bytes, offset, pos, end, ctx, protocol, found);
        continue;
      }
      let take = end - pos;
      if (s.skip > 0) {
        if (s.skip < take) take = s.skip;
      } else {
        const need = s.length < DNS_TCP_LENGTH_BYTES ? DNS_TCP_LENGTH_BYTES - s.length : DNS_TCP_LENGTH_BYTES + u16be(s.data, 0) - s.length;
        if (need < take) take = need;
      }
      r.push(s, s.nextSeq, bytes, pos, pos + take);
      this.decodeBuffered(s, seq, offset, end, ctx, protocol, found);
    }
    this.decodeBuffered(s, seq, offset, end, ctx, protocol, found);
    return found.length === 0 ? NONE : found;
  }

  /** Decodes the whole messages at `bytes[pos, end)` in place and buffers a cut one. */
  private decodeInPlace(
    s: TcpStream,
    seq: number,
    bytes: Uint8Array,
    offset: number,
    pos: number,
    end: number,
    ctx: DecodeContext,
    protocol: DnsProtocol,
    found: DnsLayer[],
  ): void {
    while (end - pos >= DNS_TCP_LENGTH_BYTES) {
      const total = DNS_TCP_LENGTH_BYTES + u16be(bytes, pos);
      if (pos + total > end) break;
      const dns = decodeDnsMessage(bytes, pos + DNS_TCP_LENGTH_BYTES, pos + total, ctx, {
        transport: 'tcp',
        protocol,
        layerOffset: pos,
        layerHeaderLength: total,
      });
      if (dns) found.push(dns);
      pos += total;
    }
    s.nextSeq = (seq + (pos - offset)) >>> 0;
    if (pos === end) return;
    if (end - pos >= DNS_TCP_LENGTH_BYTES && this.tooLarge(DNS_TCP_LENGTH_BYTES + u16be(bytes, pos), ctx, pos)) {
      s.skip = DNS_TCP_LENGTH_BYTES + u16be(bytes, pos) - (end - pos);
      s.nextSeq = (seq + (end - offset)) >>> 0;
      return;
    }
    this.reassembler.push(s, s.nextSeq, bytes, pos, end);
  }

  /** Decodes the whole messages in the stream buffer (reassembled ones, or held segments drained). */
  private decodeBuffered(
    s: TcpStream,
    seq: number,
    offset: number,
    end: number,
    ctx: DecodeContext,
    protocol: DnsProtocol,
    found: DnsLayer[],
  ): void {
    const r = this.reassembler;
    while (s.length >= DNS_TCP_LENGTH_BYTES) {
      const total = DNS_TCP_LENGTH_BYTES + u16be(s.data, 0);
      if (this.tooLarge(total, ctx, offset)) {
        r.consume(s, total);
        continue;
      }
      if (s.length < total) return;
      // The part of the message (its stream bytes [startSeq, startSeq + total)) in this segment.
      const rel = seqDiff((s.nextSeq - s.length) >>> 0, seq);
      const here = Math.max(0, Math.min(end - offset, rel + total) - Math.max(0, rel));
      const dns = decodeDnsMessage(s.data, DNS_TCP_LENGTH_BYTES, total, new AnomaliesAt(ctx, offset), {
        transport: 'tcp',
        protocol,
        reassembled: true,
        layerOffset: offset - ctx.base,
        layerHeaderLength: here,
      });
      if (dns) found.push(dns);
      r.consume(s, total);
    }
  }

  private tooLarge(total: number, ctx: DecodeContext, at: number): boolean {
    if (total <= this.reassembler.maxBytesPerStream) return false;
    ctx.anomaly('dns_tcp_message_too_large', at, `message of ${total - DNS_TCP_LENGTH_BYTES} bytes skipped`);
    return true;
  }
}

/** Bytes a message takes on a TCP stream, length prefix included. */
export function dnsTcpEncodingLength(layer: DnsLayer, options: DnsEncodeOptions = {}): number {
  return DNS_TCP_LENGTH_BYTES + encodeDnsMessage(layer, null, 0, options);
}

/** Writes the length prefix and the message at `offset`; returns the end index. */
export function encodeDnsTcpMessage(layer: DnsLayer, out: Uint8Array, offset: number, options: DnsEncodeOptions = {}): number {
  const endAt = encodeDnsMessage(layer, out, offset + DNS_TCP_LENGTH_BYTES, options);
  putU16be(out, offset, endAt - offset - DNS_TCP_LENGTH_BYTES);
  return endAt;
}
