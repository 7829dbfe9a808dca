/**
 * ICMP for IPv4 (RFC 792): the 8-byte header. The rest of the message is the payload; for an error
 * (destination unreachable 3, source quench 4, redirect 5, time exceeded 11, parameter problem 12)
 * it is the offending datagram's IP header and first bytes, and `embedded` tells the driver to decode
 * it as IPv4, as tshark does (`ip.src` then reads "outer,inner", `ip.proto` "1,17").
 *
 * ```ts
 * const icmp = icmpCodec.decode(bytes, ipPayloadStart, ipPayloadEnd, ctx);
 * if (icmp?.embedded) ipv4Codec.decode(bytes, ipPayloadStart + 8, ipPayloadEnd, quoteCtx);
 * ```
 */
import { need, type DecodeContext } from '../context.js';
import { putU16be, putU32be, u16be, u32be } from '../../core/bytes.js';
import type { LayerBase, LayerCodec } from '../layer.js';

export interface IcmpLayer extends LayerBase {
  readonly kind: 'icmp';
  readonly type: number;
  readonly code: number;
  readonly checksum: number;
  /** Header bytes 4..8 as an unsigned 32-bit number: what `encode` writes. */
  readonly restOfHeader: number;
  /** The upper half of `restOfHeader`: an echo's (or timestamp's) identifier. */
  readonly identifier: number;
  /** The lower half of `restOfHeader`: an echo's sequence number (next-hop MTU for type 3 code 4). */
  readonly sequence: number;
  /** An error message whose payload is the offending IPv4 datagram. */
  readonly embedded: boolean;
}

export const ICMP_ANOMALIES: Readonly<Record<string, string>> = {
  icmp_truncated: 'the captured bytes end inside the 8-byte ICMP header',
};

export const ICMP_HEADER_BYTES = 8;
export const ICMP_ECHO_REPLY = 0;
export const ICMP_DESTINATION_UNREACHABLE = 3;
export const ICMP_SOURCE_QUENCH = 4;
export const ICMP_REDIRECT = 5;
export const ICMP_ECHO_REQUEST = 8;
export const ICMP_TIME_EXCEEDED = 11;
export const ICMP_PARAMETER_PROBLEM = 12;

/** True for the ICMP types whose payload quotes the offending IPv4 datagram. */
export function icmpEmbedsDatagram(type: number): boolean {
  return (
    type === ICMP_DESTINATION_UNREACHABLE ||
    type === ICMP_SOURCE_QUENCH ||
    type === ICMP_REDIRECT ||
    type === ICMP_TIME_EXCEEDED ||
    type === ICMP_PARAMETER_PROBLEM
  );
}

function decodeIcmp(bytes: Uint8Array, offset: number, end: number, ctx: DecodeContext): IcmpLayer | null {
  if (!need(ctx, 'icmp', offset, end, ICMP_HEADER_BYTES)) return null;
  const type = bytes[offset];
  return {
    kind: 'icmp',
    offset: offset - ctx.base,
    headerLength: ICMP_HEADER_BYTES,
    payloadLength: end - offset - ICMP_HEADER_BYTES,
    type,
    code: bytes[offset + 1],
    checksum: u16be(bytes, offset + 2),
    restOfHeader: u32be(bytes, offset + 4),
    identifier: u16be(bytes, offset + 4),
    sequence: u16be(bytes, offset + 6),
    embedded: icmpEmbedsDatagram(type),
  };
}

function encodeIcmp(layer: IcmpLayer, out: Uint8Array, offset: number): number {
  out[offset] = layer.type;
  out[offset + 1] = layer.code;
  putU16be(out, offset + 2, layer.checksum);
  putU32be(out, offset + 4, layer.restOfHeader);
  return offset + ICMP_HEADER_BYTES;
}

export const icmpCodec: LayerCodec<IcmpLayer> = {
  kind: 'icmp',
  decode: decodeIcmp,
  encode: encodeIcmp,
  encodingLength: (): number => ICMP_HEADER_BYTES,
};
