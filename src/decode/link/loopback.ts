/**
 * BSD loopback headers: a 4-byte address family. LINKTYPE_NULL (0) writes it in the byte order of the
 * machine that captured; {@link nullCodec} takes the order that gives a value below 65536 (as tcpdump
 * and tshark do). LINKTYPE_LOOP (108) writes it big-endian: {@link loopCodec}. Both give a 'loopback'
 * layer that says which order it found, so encoding writes the same bytes back.
 *
 * IPv4 is family 2 everywhere; IPv6 is 24 (NetBSD, OpenBSD, BSD/OS), 28 (FreeBSD), 30 (Darwin),
 * 10 (Linux) or 23 (Windows). tshark 4.0 knows only the BSD values: it shows family 10 as data and 23
 * as IPX (AF_IPX on the BSDs). So 10 and 23 read as IPv6 only when the payload starts with an IPv6
 * version nibble; an IPX packet under 23 (which starts with checksum 0xffff) stays 'other'.
 */
import { need, type DecodeContext } from '../context.js';
import { putU32be, putU32le, u32be, u32le } from '../../core/bytes.js';
import type { LayerBase, LayerCodec } from '../layer.js';

export const LOOPBACK_HEADER_BYTES = 4;
const HIGH_HALF_MASK = 0xffff0000;

export const AF_INET = 2;
/** IPv6 address family numbers of the systems that write loopback captures. */
export const AF_INET6_VALUES = {
  BSD: 24,
  FREEBSD: 28,
  DARWIN: 30,
  LINUX: 10,
  WINDOWS: 23,
} as const;

const IPV6_VERSION = 6;

export type LoopbackNetwork = 'ipv4' | 'ipv6' | 'other';

export interface LoopbackLayer extends LayerBase {
  readonly kind: 'loopback';
  /** The address family value, read in `byteOrder`. */
  readonly family: number;
  /** Byte order of the family field: 'le' or 'be' (LINKTYPE_LOOP is always 'be'). */
  readonly byteOrder: 'le' | 'be';
  /** What the family says follows. */
  readonly network: LoopbackNetwork;
}

export const LOOPBACK_ANOMALIES: Readonly<Record<string, string>> = {
  loopback_truncated: 'fewer than 4 bytes for the loopback address family',
};

/**
 * The network layer an address family names. Families 10 and 23 are also other protocols' numbers
 * (see above); they name IPv6 only when `payloadVersion` (the payload's first nibble) is 6.
 */
export function loopbackNetwork(family: number, payloadVersion: number): LoopbackNetwork {
  switch (family) {
    case AF_INET:
      return 'ipv4';
    case AF_INET6_VALUES.BSD:
    case AF_INET6_VALUES.FREEBSD:
    case AF_INET6_VALUES.DARWIN:
      return 'ipv6';
    case AF_INET6_VALUES.LINUX:
    case AF_INET6_VALUES.WINDOWS:
      return payloadVersion === IPV6_VERSION ? 'ipv6' : 'other';
    default:
      return 'other';
  }
}

function decodeWith(
  hostOrder: boolean,
  bytes: Uint8Array,
  offset: number,
  end: number,
  ctx: DecodeContext,
): LoopbackLayer | null {
  if (!need(ctx, 'loopback', offset, end, LOOPBACK_HEADER_BYTES)) return null;
  let family = u32be(bytes, offset);
  let byteOrder: 'le' | 'be' = 'be';
  if (hostOrder) {
    const le = u32le(bytes, offset);
    if ((le & HIGH_HALF_MASK) === 0) {
      family = le;
      byteOrder = 'le';
    }
  }
  return {
    kind: 'loopback',
    offset: offset - ctx.base,
    headerLength: LOOPBACK_HEADER_BYTES,
    payloadLength: end - offset - LOOPBACK_HEADER_BYTES,
    family,
    byteOrder,
    network: loopbackNetwork(family, end - offset > LOOPBACK_HEADER_BYTES ? bytes[offset + LOOPBACK_HEADER_BYTES] >>> 4 : -1),
  };
}

function encode(layer: LoopbackLayer, out: Uint8Array, offset: number): number {
  if (layer.byteOrder === 'le') putU32le(out, offset, layer.family);
  else putU32be(out, offset, layer.family);
  return offset + LOOPBACK_HEADER_BYTES;
}

const encodingLength = (): number => LOOPBACK_HEADER_BYTES;

/** LINKTYPE_NULL: family in the capturing host's byte order, detected per packet. */
export const nullCodec: LayerCodec<LoopbackLayer> = {
  kind: 'loopback',
  decode: (bytes, offset, end, ctx) => decodeWith(true, bytes, offset, end, ctx),
  encode,
  encodingLength,
};

/** LINKTYPE_LOOP: family big-endian. */
export const loopCodec: LayerCodec<LoopbackLayer> = {
  kind: 'loopback',
  decode: (bytes, offset, end, ctx) => decodeWith(false, bytes, offset, end, ctx),
  encode,
  encodingLength,
};
