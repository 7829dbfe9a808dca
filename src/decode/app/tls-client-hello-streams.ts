/**
 * ClientHellos across TCP segments: the packet driver feeds every TCP payload of a connection it
 * sends to TLS (by port, or because `probeTlsClientHello` says so) to {@link TlsClientHelloStreams.push},
 * which returns the hello on the segment that completes it, as tshark shows the SNI on the frame that
 * completes the ClientHello.
 *
 * ```ts
 * const tls = new TlsClientHelloStreams();
 * const hello = tls.push(`${src}:${sport}>${dst}:${dport}`, tcp.seq, bytes, start, end, ctx);
 * if (hello) packet.layers.push(hello);
 * ```
 *
 * A hello in one segment (the usual case) is decoded in place, with no copy. Only a direction whose
 * segment starts a hello keeps state: while the hello is incomplete, its bytes (bounded, see
 * tcp-reassembly.ts); afterwards a small marker of the next sequence number, so that a retransmitted
 * hello is not reported twice (tshark does not dissect a retransmission either). A later hello on
 * the same direction (after a HelloRetryRequest) is decoded again.
 */
import type { DecodeContext } from '../context.js';
import { TLS_CONTENT_HANDSHAKE, TLS_RECORD_HEADER_BYTES } from './tls-constants.js';
import {
  TLS_NEED_MORE,
  TLS_NOT_HELLO,
  clientHelloExtent,
  decodeTlsClientHello,
  probeTlsClientHello,
  type TlsClientHelloLayer,
} from './tls-client-hello.js';
import { TcpReassembler, seqDiff, type TcpReassemblyOptions, type TcpStream } from './tcp-reassembly.js';

/** Bytes a segment needs for `probeTlsClientHello` to decide. */
const PROBE_BYTES = 6;

/**
 * A segment too short to probe whose bytes agree with the start of a handshake record; by content
 * alone (not `byPort`) it must hold the whole record header.
 */
function startsShortHello(b: Uint8Array, o: number, e: number, byPort: boolean): boolean {
  const n = e - o;
  if (n >= PROBE_BYTES || (!byPort && n < TLS_RECORD_HEADER_BYTES)) return false;
  if (b[o] !== TLS_CONTENT_HANDSHAKE) return false;
  if (n > 1 && b[o + 1] !== 3) return false;
  if (n > 2 && b[o + 2] > 4) return false;
  return n < 5 || (b[o + 3] << 8) + b[o + 4] > 0;
}

export class TlsClientHelloStreams {
  private readonly reassembler: TcpReassembler;

  constructor(options: TcpReassemblyOptions = {}) {
    this.reassembler = new TcpReassembler(options);
  }

  /** Directions with state now (bounded; see tcp-reassembly.ts). */
  get size(): number {
    return this.reassembler.size;
  }

  /** Forgets a direction (e.g. on FIN or RST). */
  close(key: string): void {
    this.reassembler.close(key);
  }

  /**
   * Feeds the TCP payload `bytes[offset, end)` of direction `key`, whose first byte has sequence
   * number `seq`; returns the ClientHello this segment completes, or null.
   *
   * `byPort` says how the driver chose TLS for this connection. On a port bound to TLS (true, the
   * default) a hello may start with a segment of any length, as with tshark on port 443. When the
   * connection was picked by content (false), the segment that starts a hello must hold at least
   * the 5-byte record header, as tshark 4.0's TLS heuristic requires.
   */
  push(
    key: string,
    seq: number,
    bytes: Uint8Array,
    offset: number,
    end: number,
    ctx: DecodeContext,
    byPort = true,
  ): TlsClientHelloLayer | null {
    const len = end - offset;
    if (len <= 0) return null;
    const r = this.reassembler;
    let s = r.get(key);
    if (s !== undefined) {
      if (!s.done) return this.continueHello(s, seq, bytes, offset, end, ctx);
      if (!r.advance(s, seq, len)) return null; // a retransmission
      s.nextSeq = seq >>> 0; // as if the segment had not been seen yet: it may start a new hello
    }
    if (!probeTlsClientHello(bytes, offset, end) && !startsShortHello(bytes, offset, end, byPort)) {
      if (s !== undefined) s.nextSeq = (seq + len) >>> 0;
      return null;
    }
    const extent = clientHelloExtent(bytes, offset, end);
    s ??= r.open(key, seq);
    if (extent === TLS_NEED_MORE) {
      s.done = false;
      r.push(s, seq, bytes, offset, end);
      if (s.overflowed) this.giveUp(s, ctx, offset);
      return null;
    }
    s.done = true;
    s.nextSeq = (seq + len) >>> 0;
    if (extent === TLS_NOT_HELLO) return null;
    return decodeTlsClientHello(bytes, offset, end, ctx);
  }

  private continueHello(
    s: TcpStream,
    seq: number,
    bytes: Uint8Array,
    offset: number,
    end: number,
    ctx: DecodeContext,
  ): TlsClientHelloLayer | null {
    const r = this.reassembler;
    const before = s.length;
    const startSeq = (s.nextSeq - s.length) >>> 0;
    if (r.push(s, seq, bytes, offset, end) === 0) {
      if (s.overflowed) this.giveUp(s, ctx, offset);
      return null;
    }
    const extent = clientHelloExtent(s.data, 0, s.length);
    if (extent === TLS_NEED_MORE) {
      if (s.overflowed) this.giveUp(s, ctx, offset);
      return null;
    }
    let hello: TlsClientHelloLayer | null = null;
    if (extent !== TLS_NOT_HELLO) {
      // The hello's stream bytes are [startSeq, startSeq + extent); the part of them in this segment:
      const rel = seqDiff(startSeq, seq);
      const here = Math.max(0, Math.min(end - offset, rel + extent) - Math.max(0, rel));
      hello = decodeTlsClientHello(s.data, 0, s.length, ctx, {
        reassembled: before > 0 || rel < 0,
        layerOffset: offset,
        layerHeaderLength: here,
        layerPayloadLength: end - offset - here,
        anomalyAt: offset,
      });
    }
    s.done = true;
    r.shrink(s);
    return hello;
  }

  private giveUp(s: TcpStream, ctx: DecodeContext, at: number): void {
    ctx.anomaly(
      'tls_client_hello_too_large',
      at,
      `ClientHello longer than the ${this.reassembler.maxBytesPerStream}-byte reassembly buffer`,
    );
    s.done = true;
    this.reassembler.shrink(s);
  }
}
