/**
 * UDP (RFC 768). The length field trims the payload (as IPv4's total length trims Ethernet padding).
 *
 * ```ts
 * const udp = udpCodec.decode(bytes, ipPayloadStart, ipPayloadEnd, ctx);
 * if (udp) nextLayerFor('udp', udp.srcPort, udp.dstPort); // payload at ipPayloadStart + 8
 * ```
 *
 * Matches tshark 4.0: a length below 8 is "Bad length value 4 < 8" and tshark dissects no payload,
 * so `payloadLength` is 0; a length past the IP payload on the wire is "Bad length value 47 > IP
 * payload length" and tshark still dissects the bytes there are, so the payload is what was captured
 * (never reported when only a snap length cut the frame: see reported-end.ts).
 */
import { need, type DecodeContext } from '../context.js';
import { putU16be, u16be } from '../../core/bytes.js';
import type { LayerBase, LayerCodec, Refillable } from '../layer.js';
import { exceedsReportedEnd } from './reported-end.js';

export interface UdpLayer extends LayerBase {
  readonly kind: 'udp';
  readonly srcPort: number;
  readonly dstPort: number;
  /** The length field: header plus payload in bytes. */
  readonly length: number;
  readonly checksum: number;
}

export const UDP_ANOMALIES: Readonly<Record<string, string>> = {
  udp_truncated: 'the captured bytes end inside the 8-byte UDP header',
  udp_bad_length: 'the length field is below 8, or claims more bytes than the IP payload had on the wire',
};

export const UDP_HEADER_BYTES = 8;

/** Decodes a UDP header; with `into` (a layer it returned before), into that layer (see decodeTcp). */
export function decodeUdp(bytes: Uint8Array, offset: number, end: number, ctx: DecodeContext, into?: UdpLayer): UdpLayer | null {
  if (!need(ctx, 'udp', offset, end, UDP_HEADER_BYTES)) return null;
  const length = u16be(bytes, offset + 4);
  let payloadLength = 0;
  if (length < UDP_HEADER_BYTES) {
    ctx.anomaly('udp_bad_length', offset + 4, `length ${length} < 8`);
  } else {
    if (exceedsReportedEnd(ctx, offset + length)) {
      ctx.anomaly('udp_bad_length', offset + 4, `length ${length} exceeds the IP payload on the wire`);
    }
    const available = end - offset;
    payloadLength = (length < available ? length : available) - UDP_HEADER_BYTES;
  }
  if (into === undefined) {
    return {
      kind: 'udp',
      offset: offset - ctx.base,
      headerLength: UDP_HEADER_BYTES,
      payloadLength,
      srcPort: u16be(bytes, offset),
      dstPort: u16be(bytes, offset + 2),
      length,
      checksum: u16be(bytes, offset + 6),
    };
  }
  const l = into as Refillable<UdpLayer>;
  l.offset = offset - ctx.base;
  l.headerLength = UDP_HEADER_BYTES;
  l.payloadLength = payloadLength;
  l.srcPort = u16be(bytes, offset);
  l.dstPort = u16be(bytes, offset + 2);
  l.length = length;
  l.checksum = u16be(bytes, offset + 6);
  return l;
}

function encodeUdp(layer: UdpLayer, out: Uint8Array, offset: number): number {
  putU16be(out, offset, layer.srcPort);
  putU16be(out, offset + 2, layer.dstPort);
  putU16be(out, offset + 4, layer.length);
  putU16be(out, offset + 6, layer.checksum);
  return offset + UDP_HEADER_BYTES;
}

export const udpCodec: LayerCodec<UdpLayer> = {
  kind: 'udp',
  decode: decodeUdp,
  encode: encodeUdp,
  encodingLength: (): number => UDP_HEADER_BYTES,
};
