/**
 * The internet checksum (RFC 1071) and the IPv4/IPv6 pseudo-headers that UDP, TCP and ICMPv6 cover.
 * Encoders write whatever checksum a layer value holds; these helpers compute the right one over
 * bytes already written, for a packet builder (see packet-builder.ts) or for a check in tests.
 *
 * ```ts
 * const pseudo = ipv4PseudoHeaderSum(out, ipOffset, 17, udpLength);
 * fillChecksum(out, udpOffset, udpOffset + udpLength, udpOffset + UDP_CHECKSUM_OFFSET, pseudo, true);
 * ```
 */
import { putU16be } from '../../core/bytes.js';

/** Where the checksum sits inside each header. */
export const IPV4_CHECKSUM_OFFSET = 10;
export const UDP_CHECKSUM_OFFSET = 6;
export const TCP_CHECKSUM_OFFSET = 16;
export const ICMP_CHECKSUM_OFFSET = 2;

const IPV4_SRC_OFFSET = 12;
const IPV6_SRC_OFFSET = 8;
const IPV6_ADDRESSES_BYTES = 32;

/**
 * Adds the big-endian 16-bit words of `bytes[start..end)` to `acc` (an odd last byte is padded with
 * zero) and returns the unfolded sum. Sums of up to 2^37 bytes stay exact in a JavaScript number.
 */
export function sumWords(bytes: Uint8Array, start: number, end: number, acc = 0): number {
  let sum = acc;
  let i = start;
  for (; i + 1 < end; i += 2) sum += (bytes[i] << 8) | bytes[i + 1];
  if (i < end) sum += bytes[i] << 8;
  return sum;
}

/** Folds a word sum to 16 bits and returns its ones' complement: the checksum to write. */
export function finishChecksum(sum: number): number {
  let s = sum;
  while (s > 0xffff) s = (s % 0x10000) + Math.floor(s / 0x10000);
  return ~s & 0xffff;
}

/** The internet checksum of `bytes[start..end)` plus an optional pseudo-header sum. */
export function internetChecksum(bytes: Uint8Array, start: number, end: number, pseudoSum = 0): number {
  return finishChecksum(sumWords(bytes, start, end, pseudoSum));
}

/**
 * The word sum of the IPv4 pseudo-header (source, destination, protocol, length) reading the
 * addresses from the IPv4 header written at `ipv4Offset`.
 */
export function ipv4PseudoHeaderSum(bytes: Uint8Array, ipv4Offset: number, protocol: number, length: number): number {
  const a = ipv4Offset + IPV4_SRC_OFFSET;
  return sumWords(bytes, a, a + 8, protocol + (length >>> 16) + (length & 0xffff));
}

/**
 * The word sum of the IPv6 pseudo-header (source, destination, upper-layer length, next header)
 * reading the addresses from the IPv6 header written at `ipv6Offset`. (With a routing header the
 * pseudo-header should use the final destination; this uses the header's destination.)
 */
export function ipv6PseudoHeaderSum(bytes: Uint8Array, ipv6Offset: number, nextHeader: number, length: number): number {
  const a = ipv6Offset + IPV6_SRC_OFFSET;
  return sumWords(bytes, a, a + IPV6_ADDRESSES_BYTES, nextHeader + (length >>> 16) + (length & 0xffff));
}

/**
 * Computes the checksum of `bytes[start..end)` (plus `pseudoSum`) as if the 16-bit field at
 * `fieldAt` were zero, writes it there and returns it. With `zeroAsOnes` a computed 0 is written as
 * 0xffff, as UDP requires (0 there means "no checksum").
 */
export function fillChecksum(
  bytes: Uint8Array,
  start: number,
  end: number,
  fieldAt: number,
  pseudoSum = 0,
  zeroAsOnes = false,
): number {
  putU16be(bytes, fieldAt, 0);
  let value = internetChecksum(bytes, start, end, pseudoSum);
  if (zeroAsOnes && value === 0) value = 0xffff;
  putU16be(bytes, fieldAt, value);
  return value;
}

/** True when `bytes[start..end)` (checksum field included) plus `pseudoSum` sums to all ones. */
export function checksumIsValid(bytes: Uint8Array, start: number, end: number, pseudoSum = 0): boolean {
  return internetChecksum(bytes, start, end, pseudoSum) === 0;
}

/** Computes and writes the header checksum of the IPv4 header at `offset`; returns it. */
export function fillIpv4HeaderChecksum(bytes: Uint8Array, offset: number): number {
  const headerLength = (bytes[offset] & 0x0f) * 4;
  return fillChecksum(bytes, offset, offset + headerLength, offset + IPV4_CHECKSUM_OFFSET);
}

