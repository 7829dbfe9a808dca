/**
 * IPv4 (RFC 791). Addresses are unsigned 32-bit numbers (see `formatIpv4` in bytes.ts); options are
 * kept as the raw bytes between the fixed header and the header's end, validated while decoding and
 * listed on demand by {@link parseIpv4Options}.
 *
 * ```ts
 * const ip = ipv4Codec.decode(bytes, 14, bytes.length, ctx);
 * if (ip && !ip.isFragment) nextLayerFor('ipv4', ip.protocol); // payload at 14 + ip.headerLength
 * ```
 *
 * Matches tshark 4.0: a version other than 4, or a header length below 20 or above the total length,
 * makes tshark show no IPv4 fields, so the decoder returns null; a total length of 0 is TCP
 * segmentation offload (the captured length is used, no anomaly); a total length past the frame's end
 * on the wire is reported (never one past a snap length: see reported-end.ts). `ip.frag_offset` in
 * `tshark -T fields` is in 8-byte units; {@link Ipv4Layer.fragmentOffset} is in bytes.
 */
import { need, type DecodeContext } from '../context.js';
import { putU16be, putU32be, u16be, u32be } from '../../core/bytes.js';
import type { LayerBase, LayerCodec, Refillable } from '../layer.js';
import { exceedsReportedEnd } from './reported-end.js';

export interface Ipv4Layer extends LayerBase {
  readonly kind: 'ipv4';
  readonly version: number;
  /** Header length in bytes (the IHL field × 4), options included; equals `headerLength`. */
  readonly ihl: number;
  readonly dscp: number;
  readonly ecn: number;
  /** The total length field: header plus payload in bytes (0 under TCP segmentation offload). */
  readonly totalLength: number;
  readonly identification: number;
  /** The reserved flag bit (must be zero). */
  readonly reservedFlag: boolean;
  readonly dontFragment: boolean;
  readonly moreFragments: boolean;
  /** Offset of this fragment's data in the original datagram, in bytes (the field × 8). */
  readonly fragmentOffset: number;
  readonly ttl: number;
  readonly protocol: number;
  readonly checksum: number;
  readonly src: number;
  readonly dst: number;
  /** The option bytes (header bytes 20..ihl), copied; empty when there are none. */
  readonly options: Uint8Array;
  /** More fragments follow or this is not the first: the payload is part of a larger datagram. */
  readonly isFragment: boolean;
}

/** One IPv4 option: End of Options List (0) and No-Operation (1) have length 1 and no data. */
export interface Ipv4Option {
  readonly type: number;
  /** The option's length in bytes, type and length bytes included. */
  readonly length: number;
  readonly data: Uint8Array;
}

export const IPV4_ANOMALIES: Readonly<Record<string, string>> = {
  ipv4_truncated: 'the captured bytes end inside the IPv4 header (options included)',
  ipv4_bad_version: 'the version field of a packet decoded as IPv4 is not 4',
  ipv4_bad_header_length: 'the header length (IHL) is below 20 bytes or above the total length',
  ipv4_bad_total_length: 'the total length claims more bytes than the frame had on the wire',
  ipv4_bad_option_length: 'an option has no length byte, a length below 2, or runs past the header',
};

/** Header length without options, in bytes. */
export const IPV4_MIN_HEADER_BYTES = 20;
const OPTION_EOL = 0;
const OPTION_NOP = 1;
const FRAGMENT_UNIT_BYTES = 8;
const FRAGMENT_OFFSET_MASK = 0x1fff;
const FLAG_RESERVED = 0x8000;
const FLAG_DONT_FRAGMENT = 0x4000;
const FLAG_MORE_FRAGMENTS = 0x2000;
const NO_OPTIONS: Uint8Array = Object.freeze(new Uint8Array(0)) as Uint8Array;

/** Walks the options in `bytes[from..to)`; reports the first malformed one. Allocates nothing. */
function checkOptions(bytes: Uint8Array, from: number, to: number, ctx: DecodeContext): void {
  let i = from;
  while (i < to) {
    const type = bytes[i];
    if (type === OPTION_EOL) return;
    if (type === OPTION_NOP) {
      i++;
      continue;
    }
    const length = i + 1 < to ? bytes[i + 1] : 0;
    if (length < 2 || i + length > to) {
      ctx.anomaly(
        'ipv4_bad_option_length',
        i,
        i + 1 < to
          ? `option ${type} has length ${length}, ${to - i} header bytes left`
          : `option ${type} has no length byte`,
      );
      return;
    }
    i += length;
  }
}

/** Decodes an IPv4 header; with `into` (a layer it returned before), into that layer (see decodeTcp). */
export function decodeIpv4(bytes: Uint8Array, offset: number, end: number, ctx: DecodeContext, into?: Ipv4Layer): Ipv4Layer | null {
  if (!need(ctx, 'ipv4', offset, end, IPV4_MIN_HEADER_BYTES)) return null;
  const b0 = bytes[offset];
  const version = b0 >>> 4;
  if (version !== 4) {
    ctx.anomaly('ipv4_bad_version', offset, `version ${version} in an IPv4 header`);
    return null;
  }
  const ihl = (b0 & 0x0f) * 4;
  const totalLength = u16be(bytes, offset + 2);
  if (ihl < IPV4_MIN_HEADER_BYTES || (totalLength !== 0 && ihl > totalLength)) {
    ctx.anomaly(
      'ipv4_bad_header_length',
      offset,
      ihl < IPV4_MIN_HEADER_BYTES ? `header length ${ihl} < 20` : `header length ${ihl} > total length ${totalLength}`,
    );
    return null;
  }
  if (!need(ctx, 'ipv4', offset, end, ihl)) return null;
  if (totalLength !== 0 && exceedsReportedEnd(ctx, offset + totalLength)) {
    ctx.anomaly('ipv4_bad_total_length', offset + 2, `total length ${totalLength} exceeds the frame on the wire`);
  }
  let options = NO_OPTIONS;
  if (ihl > IPV4_MIN_HEADER_BYTES) {
    checkOptions(bytes, offset + IPV4_MIN_HEADER_BYTES, offset + ihl, ctx);
    options = bytes.slice(offset + IPV4_MIN_HEADER_BYTES, offset + ihl);
  }
  const available = end - offset;
  const datagram = totalLength === 0 || totalLength > available ? available : totalLength;
  const frag = u16be(bytes, offset + 6);
  const fragmentOffset = (frag & FRAGMENT_OFFSET_MASK) * FRAGMENT_UNIT_BYTES;
  const moreFragments = (frag & FLAG_MORE_FRAGMENTS) !== 0;
  const b1 = bytes[offset + 1];
  if (into === undefined) {
    return {
      kind: 'ipv4',
      offset: offset - ctx.base,
      headerLength: ihl,
      payloadLength: datagram - ihl,
      version,
      ihl,
      dscp: b1 >>> 2,
      ecn: b1 & 0x03,
      totalLength,
      identification: u16be(bytes, offset + 4),
      reservedFlag: (frag & FLAG_RESERVED) !== 0,
      dontFragment: (frag & FLAG_DONT_FRAGMENT) !== 0,
      moreFragments,
      fragmentOffset,
      ttl: bytes[offset + 8],
      protocol: bytes[offset + 9],
      checksum: u16be(bytes, offset + 10),
      src: u32be(bytes, offset + 12),
      dst: u32be(bytes, offset + 16),
      options,
      isFragment: moreFragments || fragmentOffset !== 0,
    };
  }
  const l = into as Refillable<Ipv4Layer>;
  l.offset = offset - ctx.base;
  l.headerLength = ihl;
  l.payloadLength = datagram - ihl;
  l.version = version;
  l.ihl = ihl;
  l.dscp = b1 >>> 2;
  l.ecn = b1 & 0x03;
  l.totalLength = totalLength;
  l.identification = u16be(bytes, offset + 4);
  l.reservedFlag = (frag & FLAG_RESERVED) !== 0;
  l.dontFragment = (frag & FLAG_DONT_FRAGMENT) !== 0;
  l.moreFragments = moreFragments;
  l.fragmentOffset = fragmentOffset;
  l.ttl = bytes[offset + 8];
  l.protocol = bytes[offset + 9];
  l.checksum = u16be(bytes, offset + 10);
  l.src = u32be(bytes, offset + 12);
  l.dst = u32be(bytes, offset + 16);
  l.options = options;
  l.isFragment = moreFragments || fragmentOffset !== 0;
  return l;
}

function encodeIpv4(layer: Ipv4Layer, out: Uint8Array, offset: number): number {
  const end = offset + layer.ihl;
  if (IPV4_MIN_HEADER_BYTES + layer.options.length > layer.ihl) {
    throw new RangeError(`IPv4 options (${layer.options.length} bytes) do not fit a ${layer.ihl}-byte header`);
  }
  out[offset] = (layer.version << 4) | ((layer.ihl >>> 2) & 0x0f);
  out[offset + 1] = ((layer.dscp & 0x3f) << 2) | (layer.ecn & 0x03);
  putU16be(out, offset + 2, layer.totalLength);
  putU16be(out, offset + 4, layer.identification);
  putU16be(
    out,
    offset + 6,
    (layer.reservedFlag ? FLAG_RESERVED : 0) |
      (layer.dontFragment ? FLAG_DONT_FRAGMENT : 0) |
      (layer.moreFragments ? FLAG_MORE_FRAGMENTS : 0) |
      (Math.floor(layer.fragmentOffset / FRAGMENT_UNIT_BYTES) & FRAGMENT_OFFSET_MASK),
  );
  out[offset + 8] = layer.ttl;
  out[offset + 9] = layer.protocol;
  putU16be(out, offset + 10, layer.checksum);
  putU32be(out, offset + 12, layer.src);
  putU32be(out, offset + 16, layer.dst);
  out.set(layer.options, offset + IPV4_MIN_HEADER_BYTES);
  out.fill(0, offset + IPV4_MIN_HEADER_BYTES + layer.options.length, end);
  return end;
}

export const ipv4Codec: LayerCodec<Ipv4Layer> = {
  kind: 'ipv4',
  decode: decodeIpv4,
  encode: encodeIpv4,
  encodingLength: (layer: Ipv4Layer): number => layer.ihl,
};

/**
 * Lists the options in `options` (an {@link Ipv4Layer.options} value). Stops after End of Options
 * List and at the first malformed option (the decoder reported it).
 */
export function parseIpv4Options(options: Uint8Array): Ipv4Option[] {
  const list: Ipv4Option[] = [];
  let i = 0;
  while (i < options.length) {
    const type = options[i];
    if (type === OPTION_EOL || type === OPTION_NOP) {
      list.push({ type, length: 1, data: NO_OPTIONS });
      if (type === OPTION_EOL) break;
      i++;
      continue;
    }
    const length = i + 1 < options.length ? options[i + 1] : 0;
    if (length < 2 || i + length > options.length) break;
    list.push({ type, length, data: options.slice(i + 2, i + length) });
    i += length;
  }
  return list;
}

/** The option bytes for a list of options (the inverse of {@link parseIpv4Options}), unpadded. */
export function serializeIpv4Options(list: readonly Ipv4Option[]): Uint8Array {
  let size = 0;
  for (const o of list) size += o.type === OPTION_EOL || o.type === OPTION_NOP ? 1 : 2 + o.data.length;
  const out = new Uint8Array(size);
  let i = 0;
  for (const o of list) {
    out[i++] = o.type;
    if (o.type === OPTION_EOL || o.type === OPTION_NOP) continue;
    out[i++] = 2 + o.data.length;
    out.set(o.data, i);
    i += o.data.length;
  }
  return out;
}
