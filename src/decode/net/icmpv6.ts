/**
 * ICMPv6 (RFC 4443) and the neighbour-discovery fields (RFC 4861) a device finder wants. The header
 * is 8 bytes; the rest is the payload. An error (destination unreachable 1, packet too big 2, time
 * exceeded 3, parameter problem 4) quotes the offending IPv6 packet, and `embedded` tells the driver
 * to decode it as IPv6, as tshark does. For neighbour discovery (133–137) the target address and the
 * source/target link-layer address options are read from the payload for convenience: they are views,
 * and `encode` writes only the 8-byte header (the packet builder appends the body as payload).
 *
 * ```ts
 * const icmp = icmpv6Codec.decode(bytes, start, end, ctx);
 * if (icmp?.type === ICMPV6_NEIGHBOR_ADVERTISEMENT) seen(icmp.targetAddress, icmp.targetLinkLayer);
 * ```
 */
import { formatIpv6, putU16be, putU32be, u16be, u32be, u48be } from '../../core/bytes.js';
import { need, type DecodeContext } from '../context.js';
import type { LayerBase, LayerCodec } from '../layer.js';
import { exceedsReportedEnd } from './reported-end.js';

export interface Icmpv6Layer extends LayerBase {
  readonly kind: 'icmpv6';
  readonly type: number;
  readonly code: number;
  readonly checksum: number;
  /** Header bytes 4..8 as an unsigned 32-bit number: what `encode` writes. */
  readonly restOfHeader: number;
  /** The upper half of `restOfHeader`: an echo's identifier. */
  readonly identifier: number;
  /** The lower half of `restOfHeader`: an echo's sequence number. */
  readonly sequence: number;
  /** An error message whose payload is the offending IPv6 packet. */
  readonly embedded: boolean;
  /** Neighbour solicitation/advertisement and redirect: the target address; else null. */
  readonly targetAddress: string | null;
  /** Source link-layer address option (type 1) holding a 6-byte MAC, as a 48-bit number; else null. */
  readonly sourceLinkLayer: number | null;
  /** Target link-layer address option (type 2) holding a 6-byte MAC, as a 48-bit number; else null. */
  readonly targetLinkLayer: number | null;
}

export const ICMPV6_ANOMALIES: Readonly<Record<string, string>> = {
  icmpv6_truncated: 'the captured bytes end inside the 8-byte ICMPv6 header',
  icmpv6_bad_nd_message: 'a neighbour-discovery message is shorter on the wire than its fixed fields',
  icmpv6_bad_nd_option: 'a neighbour-discovery option has length 0 or runs past the message on the wire',
};

export const ICMPV6_HEADER_BYTES = 8;
export const ICMPV6_DESTINATION_UNREACHABLE = 1;
export const ICMPV6_PACKET_TOO_BIG = 2;
export const ICMPV6_TIME_EXCEEDED = 3;
export const ICMPV6_PARAMETER_PROBLEM = 4;
export const ICMPV6_ECHO_REQUEST = 128;
export const ICMPV6_ECHO_REPLY = 129;
export const ICMPV6_ROUTER_SOLICITATION = 133;
export const ICMPV6_ROUTER_ADVERTISEMENT = 134;
export const ICMPV6_NEIGHBOR_SOLICITATION = 135;
export const ICMPV6_NEIGHBOR_ADVERTISEMENT = 136;
export const ICMPV6_REDIRECT = 137;
export const ND_OPTION_SOURCE_LINK_LAYER = 1;
export const ND_OPTION_TARGET_LINK_LAYER = 2;

const ND_OPTION_UNIT_BYTES = 8;
const ND_TARGET_OFFSET = 8;
const MAC_OPTION_UNITS = 1;

/** True for the ICMPv6 error types whose payload quotes the offending IPv6 packet. */
export function icmpv6EmbedsPacket(type: number): boolean {
  return type >= ICMPV6_DESTINATION_UNREACHABLE && type <= ICMPV6_PARAMETER_PROBLEM;
}

/** Bytes from the message start to a neighbour-discovery message's options; 0 for other types. */
export function ndOptionsStart(type: number): number {
  switch (type) {
    case ICMPV6_ROUTER_SOLICITATION:
      return 8;
    case ICMPV6_ROUTER_ADVERTISEMENT:
      return 16;
    case ICMPV6_NEIGHBOR_SOLICITATION:
    case ICMPV6_NEIGHBOR_ADVERTISEMENT:
      return 24;
    case ICMPV6_REDIRECT:
      return 40;
    default:
      return 0;
  }
}

function decodeIcmpv6(bytes: Uint8Array, offset: number, end: number, ctx: DecodeContext): Icmpv6Layer | null {
  if (!need(ctx, 'icmpv6', offset, end, ICMPV6_HEADER_BYTES)) return null;
  const type = bytes[offset];
  let targetAddress: string | null = null;
  let sourceLinkLayer: number | null = null;
  let targetLinkLayer: number | null = null;
  const optionsAt = ndOptionsStart(type);
  if (optionsAt !== 0) {
    if (end - offset < optionsAt) {
      if (exceedsReportedEnd(ctx, offset + optionsAt)) {
        ctx.anomaly('icmpv6_bad_nd_message', offset, `type ${type} needs ${optionsAt} bytes`);
      }
    } else {
      if (type === ICMPV6_NEIGHBOR_SOLICITATION || type === ICMPV6_NEIGHBOR_ADVERTISEMENT || type === ICMPV6_REDIRECT) {
        targetAddress = formatIpv6(bytes, offset + ND_TARGET_OFFSET);
      }
      let at = offset + optionsAt;
      while (at + 2 <= end) {
        const units = bytes[at + 1];
        const optionEnd = at + units * ND_OPTION_UNIT_BYTES;
        if (units === 0) {
          ctx.anomaly('icmpv6_bad_nd_option', at, `option ${bytes[at]} has length 0`);
          break;
        }
        if (optionEnd > end) {
          if (exceedsReportedEnd(ctx, optionEnd)) {
            ctx.anomaly('icmpv6_bad_nd_option', at, `option ${bytes[at]} of ${units * 8} bytes runs past the message`);
          }
          break;
        }
        if (units === MAC_OPTION_UNITS) {
          if (bytes[at] === ND_OPTION_SOURCE_LINK_LAYER) sourceLinkLayer = u48be(bytes, at + 2);
          else if (bytes[at] === ND_OPTION_TARGET_LINK_LAYER) targetLinkLayer = u48be(bytes, at + 2);
        }
        at = optionEnd;
      }
    }
  }
  return {
    kind: 'icmpv6',
    offset: offset - ctx.base,
    headerLength: ICMPV6_HEADER_BYTES,
    payloadLength: end - offset - ICMPV6_HEADER_BYTES,
    type,
    code: bytes[offset + 1],
    checksum: u16be(bytes, offset + 2),
    restOfHeader: u32be(bytes, offset + 4),
    identifier: u16be(bytes, offset + 4),
    sequence: u16be(bytes, offset + 6),
    embedded: icmpv6EmbedsPacket(type),
    targetAddress,
    sourceLinkLayer,
    targetLinkLayer,
  };
}

function encodeIcmpv6(layer: Icmpv6Layer, out: Uint8Array, offset: number): number {
  out[offset] = layer.type;
  out[offset + 1] = layer.code;
  putU16be(out, offset + 2, layer.checksum);
  putU32be(out, offset + 4, layer.restOfHeader);
  return offset + ICMPV6_HEADER_BYTES;
}

export const icmpv6Codec: LayerCodec<Icmpv6Layer> = {
  kind: 'icmpv6',
  decode: decodeIcmpv6,
  encode: encodeIcmpv6,
  encodingLength: (): number => ICMPV6_HEADER_BYTES,
};
