/**
 * IPv6 (RFC 8200) and its extension header chain. Addresses are RFC 5952 text as tshark prints them
 * (`formatIpv6` in bytes.ts; IPv4-mapped ones as `::ffff:192.168.1.10`). The decoder walks
 * hop-by-hop (0), routing (43), fragment (44) and destination options (60) headers, and steps over an
 * authentication header (51) by its length; `protocol` is the header after the chain (59 for "no next
 * header", 50 for ESP, which cannot be walked), and `headerLength` includes the chain.
 *
 * ```ts
 * const ip = ipv6Codec.decode(bytes, 14, bytes.length, ctx);
 * if (ip && !ip.isFragment) nextLayerFor('ipv6', ip.protocol); // payload at 14 + ip.headerLength
 * ```
 *
 * Matches tshark 4.0: `ipv6.nxt` is the first next header (`nextHeader`); with reassembly on (the
 * default) neither the first fragment (offset 0, more fragments) nor later ones show the upper layer,
 * so `isFragment` is set for both; an atomic fragment (offset 0, no more fragments) is not a fragment.
 * A version other than 6 makes the decoder return null; an extension header cut short by the capture
 * gives the layer up to the header before it, with `protocol` set to the type it could not read.
 */
import { formatIpv6, parseIpv6, putU16be, putU32be, u16be, u32be } from '../../core/bytes.js';
import { need, type DecodeContext } from '../context.js';
import type { LayerBase, LayerCodec, Refillable } from '../layer.js';
import { exceedsReportedEnd } from './reported-end.js';

/** One extension header. Fields that do not apply to its type are 0 or false. */
export interface Ipv6Extension {
  /** The protocol number that named this header: 0, 43, 44, 51 or 60. */
  readonly type: number;
  /** Its length in bytes, first two bytes included. */
  readonly length: number;
  readonly nextHeader: number;
  /** Routing header only. */
  readonly routingType: number;
  /** Routing header only. */
  readonly segmentsLeft: number;
  /** Fragment header only: offset of this fragment's data in the original packet, in bytes. */
  readonly fragmentOffset: number;
  /** Fragment header only. */
  readonly moreFragments: boolean;
  /** Fragment header only. */
  readonly identification: number;
  /**
   * The bytes after the fixed fields (after byte 2, or byte 4 for routing), copied: options for
   * hop-by-hop and destination options, type-specific data for routing, the rest of an AH; empty for
   * a fragment header.
   */
  readonly data: Uint8Array;
}

export interface Ipv6Layer extends LayerBase {
  readonly kind: 'ipv6';
  readonly version: number;
  readonly trafficClass: number;
  readonly flowLabel: number;
  /** The payload length field: bytes after the 40-byte fixed header, extension headers included. */
  readonly payloadLengthField: number;
  /** The fixed header's next header field (tshark's `ipv6.nxt`). */
  readonly nextHeader: number;
  readonly hopLimit: number;
  readonly src: string;
  readonly dst: string;
  readonly extensions: readonly Ipv6Extension[];
  /** The upper-layer protocol after the extension chain: what the bindings table looks up. */
  readonly protocol: number;
  /** From the fragment header (0, false, 0 without one). */
  readonly fragmentOffset: number;
  readonly moreFragments: boolean;
  readonly identification: number;
  /** A fragment header with a nonzero offset or more fragments: the payload is part of a larger packet. */
  readonly isFragment: boolean;
}

export const IPV6_ANOMALIES: Readonly<Record<string, string>> = {
  ipv6_truncated: 'the captured bytes end inside the fixed header or an extension header',
  ipv6_bad_version: 'the version field of a packet decoded as IPv6 is not 6',
  ipv6_bad_payload_length: 'the payload length claims more bytes than the frame had on the wire',
  ipv6_bad_extension_length: 'an extension header runs past the payload the payload length declares',
};

export const IPV6_HEADER_BYTES = 40;
export const IPV6_HOP_BY_HOP = 0;
export const IPV6_ROUTING = 43;
export const IPV6_FRAGMENT = 44;
export const IPV6_AUTHENTICATION = 51;
export const IPV6_NO_NEXT_HEADER = 59;
export const IPV6_DESTINATION_OPTIONS = 60;
const FRAGMENT_HEADER_BYTES = 8;
const EXTENSION_UNIT_BYTES = 8;
const AH_UNIT_BYTES = 4;
const FRAGMENT_OFFSET_MASK = 0xfff8;
const MORE_FRAGMENTS = 0x0001;
const EMPTY: Uint8Array = Object.freeze(new Uint8Array(0)) as Uint8Array;
const NO_EXTENSIONS: readonly Ipv6Extension[] = Object.freeze([]);

/**
 * A direct-mapped cache of address text: a capture repeats few addresses, and formatting one costs
 * more than the rest of the header. A slot keeps the address's four words and its text.
 */
const CACHE_SLOTS = 4096;
const cacheWords = new Uint32Array(CACHE_SLOTS * 4);
const cacheText: (string | undefined)[] = new Array<string | undefined>(CACHE_SLOTS).fill(undefined);

/** The text of the IPv6 address at `bytes[at, at + 16)` (cached, see above): what `src` and `dst` hold. */
export function addressText(bytes: Uint8Array, at: number): string {
  const w0 = u32be(bytes, at);
  const w1 = u32be(bytes, at + 4);
  const w2 = u32be(bytes, at + 8);
  const w3 = u32be(bytes, at + 12);
  const slot = (Math.imul(w0 ^ w1 ^ w2 ^ w3, 0x9e3779b1) >>> 20) & (CACHE_SLOTS - 1);
  const k = slot * 4;
  const cached = cacheText[slot];
  if (cached !== undefined && cacheWords[k] === w0 && cacheWords[k + 1] === w1 && cacheWords[k + 2] === w2 && cacheWords[k + 3] === w3) {
    return cached;
  }
  const text = formatIpv6(bytes, at);
  cacheWords[k] = w0;
  cacheWords[k + 1] = w1;
  cacheWords[k + 2] = w2;
  cacheWords[k + 3] = w3;
  cacheText[slot] = text;
  return text;
}

/** Whether a next-header value names an extension header this decoder steps over. */
export function isExtension(type: number): boolean {
  return (
    type === IPV6_HOP_BY_HOP ||
    type === IPV6_ROUTING ||
    type === IPV6_FRAGMENT ||
    type === IPV6_DESTINATION_OPTIONS ||
    type === IPV6_AUTHENTICATION
  );
}

/** Bytes before an extension header's `data`. */
function fixedBytes(type: number): number {
  return type === IPV6_ROUTING ? 4 : 2;
}

/** Decodes an IPv6 header; with `into` (a layer it returned before), into that layer (see decodeTcp). */
export function decodeIpv6(bytes: Uint8Array, offset: number, end: number, ctx: DecodeContext, into?: Ipv6Layer): Ipv6Layer | null {
  if (!need(ctx, 'ipv6', offset, end, IPV6_HEADER_BYTES)) return null;
  const word0 = u32be(bytes, offset);
  const version = word0 >>> 28;
  if (version !== 6) {
    ctx.anomaly('ipv6_bad_version', offset, `version ${version} in an IPv6 header`);
    return null;
  }
  const payloadLengthField = u16be(bytes, offset + 4);
  const declaredEnd = offset + IPV6_HEADER_BYTES + payloadLengthField;
  if (exceedsReportedEnd(ctx, declaredEnd)) {
    ctx.anomaly('ipv6_bad_payload_length', offset + 4, `payload length ${payloadLengthField} exceeds the frame on the wire`);
  }
  const limit = declaredEnd < end ? declaredEnd : end;
  const nextHeader = bytes[offset + 6];
  let protocol = nextHeader;
  let at = offset + IPV6_HEADER_BYTES;
  let extensions = NO_EXTENSIONS;
  let fragmentOffset = 0;
  let moreFragments = false;
  let identification = 0;
  while (isExtension(protocol)) {
    const fixed = protocol === IPV6_FRAGMENT ? FRAGMENT_HEADER_BYTES : 2;
    if (at + fixed > limit) {
      reportShortExtension(ctx, protocol, at, fixed, declaredEnd, end);
      break;
    }
    const length =
      protocol === IPV6_FRAGMENT
        ? FRAGMENT_HEADER_BYTES
        : protocol === IPV6_AUTHENTICATION
          ? (bytes[at + 1] + 2) * AH_UNIT_BYTES
          : (bytes[at + 1] + 1) * EXTENSION_UNIT_BYTES;
    if (at + length > limit) {
      reportShortExtension(ctx, protocol, at, length, declaredEnd, end);
      break;
    }
    const ext = decodeExtension(bytes, at, protocol, length);
    if (protocol === IPV6_FRAGMENT) {
      fragmentOffset = ext.fragmentOffset;
      moreFragments = ext.moreFragments;
      identification = ext.identification;
    }
    if (extensions === NO_EXTENSIONS) extensions = [];
    (extensions as Ipv6Extension[]).push(ext);
    protocol = ext.nextHeader;
    at += length;
  }
  const headerLength = at - offset;
  if (into === undefined) {
    return {
      kind: 'ipv6',
      offset: offset - ctx.base,
      headerLength,
      payloadLength: limit > at ? limit - at : 0,
      version,
      trafficClass: (word0 >>> 20) & 0xff,
      flowLabel: word0 & 0xfffff,
      payloadLengthField,
      nextHeader,
      hopLimit: bytes[offset + 7],
      src: addressText(bytes, offset + 8),
      dst: addressText(bytes, offset + 24),
      extensions,
      protocol,
      fragmentOffset,
      moreFragments,
      identification,
      isFragment: moreFragments || fragmentOffset !== 0,
    };
  }
  const l = into as Refillable<Ipv6Layer>;
  l.offset = offset - ctx.base;
  l.headerLength = headerLength;
  l.payloadLength = limit > at ? limit - at : 0;
  l.version = version;
  l.trafficClass = (word0 >>> 20) & 0xff;
  l.flowLabel = word0 & 0xfffff;
  l.payloadLengthField = payloadLengthField;
  l.nextHeader = nextHeader;
  l.hopLimit = bytes[offset + 7];
  l.src = addressText(bytes, offset + 8);
  l.dst = addressText(bytes, offset + 24);
  l.extensions = extensions;
  l.protocol = protocol;
  l.fragmentOffset = fragmentOffset;
  l.moreFragments = moreFragments;
  l.identification = identification;
  l.isFragment = moreFragments || fragmentOffset !== 0;
  return l;
}

/** An extension header of `length` bytes at `at` does not fit: a bad payload length, or a short capture. */
function reportShortExtension(
  ctx: DecodeContext,
  type: number,
  at: number,
  length: number,
  declaredEnd: number,
  end: number,
): void {
  if (at + length > declaredEnd) {
    ctx.anomaly('ipv6_bad_extension_length', at, `extension header ${type} (${length} bytes) runs past the declared payload`);
  } else {
    need(ctx, 'ipv6', at, end, length, 'extension header');
  }
}

function decodeExtension(bytes: Uint8Array, at: number, type: number, length: number): Ipv6Extension {
  const isRouting = type === IPV6_ROUTING;
  const isFragment = type === IPV6_FRAGMENT;
  const word = isFragment ? u16be(bytes, at + 2) : 0;
  return {
    type,
    length,
    nextHeader: bytes[at],
    routingType: isRouting ? bytes[at + 2] : 0,
    segmentsLeft: isRouting ? bytes[at + 3] : 0,
    fragmentOffset: word & FRAGMENT_OFFSET_MASK,
    moreFragments: (word & MORE_FRAGMENTS) !== 0,
    identification: isFragment ? u32be(bytes, at + 4) : 0,
    data: isFragment ? EMPTY : bytes.slice(at + fixedBytes(type), at + length),
  };
}

function encodeExtension(ext: Ipv6Extension, out: Uint8Array, at: number): number {
  const end = at + ext.length;
  out[at] = ext.nextHeader;
  if (ext.type === IPV6_FRAGMENT) {
    out[at + 1] = 0;
    putU16be(out, at + 2, (ext.fragmentOffset & FRAGMENT_OFFSET_MASK) | (ext.moreFragments ? MORE_FRAGMENTS : 0));
    putU32be(out, at + 4, ext.identification);
    return end;
  }
  const fixed = fixedBytes(ext.type);
  if (fixed + ext.data.length > ext.length) {
    throw new RangeError(`IPv6 extension ${ext.type}: ${ext.data.length} data bytes do not fit ${ext.length} bytes`);
  }
  out[at + 1] =
    ext.type === IPV6_AUTHENTICATION ? ext.length / AH_UNIT_BYTES - 2 : ext.length / EXTENSION_UNIT_BYTES - 1;
  if (ext.type === IPV6_ROUTING) {
    out[at + 2] = ext.routingType;
    out[at + 3] = ext.segmentsLeft;
  }
  out.set(ext.data, at + fixed);
  out.fill(0, at + fixed + ext.data.length, end);
  return end;
}

function encodingLengthIpv6(layer: Ipv6Layer): number {
  let n = IPV6_HEADER_BYTES;
  for (const ext of layer.extensions) n += ext.length;
  return n;
}

/** Writes the header and its extension chain; `protocol` is not written (the chain's last `nextHeader` is). */
function encodeIpv6(layer: Ipv6Layer, out: Uint8Array, offset: number): number {
  putU32be(
    out,
    offset,
    ((layer.version & 0x0f) * 0x1000_0000 + ((layer.trafficClass & 0xff) << 20) + (layer.flowLabel & 0xfffff)) >>> 0,
  );
  putU16be(out, offset + 4, layer.payloadLengthField);
  out[offset + 6] = layer.nextHeader;
  out[offset + 7] = layer.hopLimit;
  out.set(parseIpv6(layer.src), offset + 8);
  out.set(parseIpv6(layer.dst), offset + 24);
  let at = offset + IPV6_HEADER_BYTES;
  for (const ext of layer.extensions) at = encodeExtension(ext, out, at);
  return at;
}

export const ipv6Codec: LayerCodec<Ipv6Layer> = {
  kind: 'ipv6',
  decode: decodeIpv6,
  encode: encodeIpv6,
  encodingLength: encodingLengthIpv6,
};

/**
 * The length an extension header needs for `dataLength` data bytes, rounded up to its unit (8 bytes;
 * a fragment header is always 8).
 */
export function ipv6ExtensionLength(type: number, dataLength: number): number {
  if (type === IPV6_FRAGMENT) return FRAGMENT_HEADER_BYTES;
  const raw = fixedBytes(type) + dataLength;
  return Math.max(EXTENSION_UNIT_BYTES, Math.ceil(raw / EXTENSION_UNIT_BYTES) * EXTENSION_UNIT_BYTES);
}
