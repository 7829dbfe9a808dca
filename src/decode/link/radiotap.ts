/**
 * The radiotap header (LINKTYPE_IEEE802_11_RADIOTAP, 127) that precedes a captured 802.11 frame:
 * version, pad, little-endian length, one or more little-endian present bitmaps (bit 31: another word
 * follows) and the fields they announce, each aligned to its natural size relative to the header start.
 *
 * The layer names the fields of the first present word a user looks at (TSFT, flags, rate, channel,
 * antenna signal and noise). Every other field, vendor namespace data (skipped by its skip_length)
 * and whatever cannot be walked (TLVs, fields this decoder does not know) stay as raw bytes in
 * `otherFieldsHex`, in header order, so `encode(decode(x))` gives the header back byte for byte
 * (alignment padding is written as zeros, which is what writers put there).
 * The next layer is always ieee80211; `fcsAtEnd` says whether its last 4 bytes are the FCS.
 */
import { need, type DecodeContext } from '../context.js';
import { putU16le, putU32le, u16le, u32le } from '../../core/bytes.js';
import type { LayerBase, LayerCodec } from '../layer.js';
import { bytesToHex, hexToBytes } from '../hex.js';
import { VENDOR_SKIP_LENGTH_OFFSET, forEachRadiotapField, type RadiotapFieldVisitor } from './radiotap-walk.js';

export const RADIOTAP_MIN_HEADER_BYTES = 8;
const LENGTH_OFFSET = 2;
const PRESENT_OFFSET = 4;
const PRESENT_WORD_BYTES = 4;
const EXT_BIT = 0x8000_0000;

/** Present-bitmap bits of the fields the layer names. */
export const RADIOTAP_BIT = {
  TSFT: 0,
  FLAGS: 1,
  RATE: 2,
  CHANNEL: 3,
  FHSS: 4,
  DBM_ANTSIGNAL: 5,
  DBM_ANTNOISE: 6,
  TLV: 28,
  RADIOTAP_NAMESPACE: 29,
  VENDOR_NAMESPACE: 30,
  EXT: 31,
} as const;

/** Bits of the Flags field. */
export const RADIOTAP_FLAG = {
  CFP: 0x01,
  SHORT_PREAMBLE: 0x02,
  WEP: 0x04,
  FRAGMENTATION: 0x08,
  /** The frame ends with its 4-byte FCS. */
  FCS_AT_END: 0x10,
  /** Padding between the 802.11 header and its payload, to a multiple of 4 bytes. */
  DATA_PAD: 0x20,
  BAD_FCS: 0x40,
  SHORT_GI: 0x80,
} as const;

const RATE_UNITS_PER_MBPS = 2;
const TWO_POW_32 = 0x1_0000_0000;
/** High words below this keep a 64-bit value under 2^53, exact as a number. */
const SAFE_HIGH_WORD_LIMIT = 0x20_0000;

/** A little-endian 64-bit value as a bigint, with one allocation when it is below 2^53. */
function readU64le(b: Uint8Array, o: number): bigint {
  const lo = u32le(b, o);
  const hi = u32le(b, o + 4);
  if (hi < SAFE_HIGH_WORD_LIMIT) return BigInt(hi * TWO_POW_32 + lo);
  return (BigInt(hi) << 32n) | BigInt(lo);
}

export interface RadiotapLayer extends LayerBase {
  readonly kind: 'radiotap';
  /** Always 0 in a well-formed header. */
  readonly version: number;
  readonly pad: number;
  /** The header length field (bytes, including version, pad, length and present words). */
  readonly length: number;
  /** Every present bitmap word, in order. */
  readonly present: readonly number[];
  /** TSFT: the MAC's 64-bit timer when the first bit arrived, in µs (`radiotap.mactime`). */
  readonly tsft: bigint | null;
  /** The Flags field (see {@link RADIOTAP_FLAG}). */
  readonly flags: number | null;
  /** Legacy data rate in Mb/s (the field counts 500 kb/s units). */
  readonly rateMbps: number | null;
  readonly channelFrequencyMhz: number | null;
  readonly channelFlags: number | null;
  /** RF signal power at the antenna, dBm. */
  readonly antennaSignalDbm: number | null;
  /** RF noise power at the antenna, dBm. */
  readonly antennaNoiseDbm: number | null;
  /** Flags say the 802.11 frame ends with its FCS (the payload ends 4 bytes early). */
  readonly fcsAtEnd: boolean;
  /** Flags say the 802.11 header is padded to a multiple of 4 bytes. */
  readonly dataPad: boolean;
  /** Flags say the frame failed its FCS check. */
  readonly badFcs: boolean;
  /** Raw bytes of every field not named above, then whatever could not be walked, as hex. */
  readonly otherFieldsHex: string;
}

export const RADIOTAP_ANOMALIES: Readonly<Record<string, string>> = {
  radiotap_truncated: 'fewer bytes than the radiotap header, its length field or its present words need',
  radiotap_bad_length: 'the length field is smaller than the fixed 8-byte header or than its present words',
  radiotap_bad_version: 'radiotap version is not 0; its fields are kept raw',
  radiotap_field_overrun: 'a present field runs past the header length; the rest is kept raw',
};

/** Named fields gathered while walking one header (a class, not a closure, for a stable shape). */
class NamedFields implements RadiotapFieldVisitor {
  tsft: bigint | null = null;
  flags: number | null = null;
  rate: number | null = null;
  freq: number | null = null;
  chanFlags: number | null = null;
  signal: number | null = null;
  noise: number | null = null;
  other = '';

  constructor(
    readonly bytes: Uint8Array,
    readonly start: number,
  ) {}

  vendorSkipLength(at: number): number {
    return u16le(this.bytes, this.start + at + VENDOR_SKIP_LENGTH_OFFSET);
  }

  field(bit: number, named: boolean, at: number, size: number): void {
    const b = this.bytes;
    const o = this.start + at;
    if (!named) {
      this.other += bytesToHex(b, o, o + size);
      return;
    }
    switch (bit) {
      case RADIOTAP_BIT.TSFT:
        this.tsft = readU64le(b, o);
        break;
      case RADIOTAP_BIT.FLAGS:
        this.flags = b[o];
        break;
      case RADIOTAP_BIT.RATE:
        this.rate = b[o] / RATE_UNITS_PER_MBPS;
        break;
      case RADIOTAP_BIT.CHANNEL:
        this.freq = u16le(b, o);
        this.chanFlags = u16le(b, o + 2);
        break;
      case RADIOTAP_BIT.DBM_ANTSIGNAL:
        this.signal = (b[o] << 24) >> 24;
        break;
      case RADIOTAP_BIT.DBM_ANTNOISE:
        this.noise = (b[o] << 24) >> 24;
        break;
      default:
        this.other += bytesToHex(b, o, o + size);
    }
  }
}

function decode(bytes: Uint8Array, offset: number, end: number, ctx: DecodeContext): RadiotapLayer | null {
  if (!need(ctx, 'radiotap', offset, end, RADIOTAP_MIN_HEADER_BYTES)) return null;
  const version = bytes[offset];
  const length = u16le(bytes, offset + LENGTH_OFFSET);
  if (length < RADIOTAP_MIN_HEADER_BYTES) {
    ctx.anomaly('radiotap_bad_length', offset + LENGTH_OFFSET, `Radiotap length ${length} < ${RADIOTAP_MIN_HEADER_BYTES}`);
    return null;
  }
  if (!need(ctx, 'radiotap', offset, end, length)) return null;
  const present: number[] = [];
  let at = PRESENT_OFFSET;
  for (;;) {
    if (at + PRESENT_WORD_BYTES > length) {
      ctx.anomaly('radiotap_bad_length', offset + at, `Present words run past the radiotap length ${length}`);
      return null;
    }
    const word = u32le(bytes, offset + at);
    present.push(word);
    at += PRESENT_WORD_BYTES;
    if ((word & EXT_BIT) === 0) break;
  }
  const named = new NamedFields(bytes, offset);
  let stop = at;
  if (version !== 0) {
    ctx.anomaly('radiotap_bad_version', offset, `Radiotap version ${version}`);
  } else {
    stop = forEachRadiotapField(present, length, named);
    if (stop < 0) {
      stop = -stop;
      ctx.anomaly('radiotap_field_overrun', offset + stop, `A radiotap field runs past the header length ${length}`);
    }
  }
  const other = named.other + bytesToHex(bytes, offset + stop, offset + length);
  const flags = named.flags;
  return {
    kind: 'radiotap',
    offset: offset - ctx.base,
    headerLength: length,
    payloadLength: end - offset - length,
    version,
    pad: bytes[offset + 1],
    length,
    present,
    tsft: named.tsft,
    flags,
    rateMbps: named.rate,
    channelFrequencyMhz: named.freq,
    channelFlags: named.chanFlags,
    antennaSignalDbm: named.signal,
    antennaNoiseDbm: named.noise,
    fcsAtEnd: flags !== null && (flags & RADIOTAP_FLAG.FCS_AT_END) !== 0,
    dataPad: flags !== null && (flags & RADIOTAP_FLAG.DATA_PAD) !== 0,
    badFcs: flags !== null && (flags & RADIOTAP_FLAG.BAD_FCS) !== 0,
    otherFieldsHex: other,
  };
}

/** Writes the fields while walking the same way decode does; pulls unnamed fields from `other`. */
class FieldWriter implements RadiotapFieldVisitor {
  /** Bytes of `other` used so far. */
  otherAt = 0;

  constructor(
    readonly layer: RadiotapLayer,
    readonly out: Uint8Array,
    readonly start: number,
    readonly other: Uint8Array,
  ) {}

  field(bit: number, named: boolean, at: number, size: number): void {
    const out = this.out;
    const o = this.start + at;
    const l = this.layer;
    out.fill(0, o, o + size);
    if (!named) {
      this.copyOther(o, size);
      return;
    }
    switch (bit) {
      case RADIOTAP_BIT.TSFT: {
        const t = l.tsft ?? 0n;
        putU32le(out, o, Number(t & 0xffff_ffffn));
        putU32le(out, o + 4, Number((t >> 32n) & 0xffff_ffffn));
        break;
      }
      case RADIOTAP_BIT.FLAGS:
        out[o] = l.flags ?? 0;
        break;
      case RADIOTAP_BIT.RATE:
        out[o] = Math.round((l.rateMbps ?? 0) * RATE_UNITS_PER_MBPS) & 0xff;
        break;
      case RADIOTAP_BIT.CHANNEL:
        putU16le(out, o, l.channelFrequencyMhz ?? 0);
        putU16le(out, o + 2, l.channelFlags ?? 0);
        break;
      case RADIOTAP_BIT.DBM_ANTSIGNAL:
        out[o] = (l.antennaSignalDbm ?? 0) & 0xff;
        break;
      case RADIOTAP_BIT.DBM_ANTNOISE:
        out[o] = (l.antennaNoiseDbm ?? 0) & 0xff;
        break;
      default:
        this.copyOther(o, size);
    }
  }

  /** The vendor field's skip length, from the raw bytes still to come. */
  vendorSkipLength(): number {
    const i = this.otherAt + VENDOR_SKIP_LENGTH_OFFSET;
    return (this.other[i] ?? 0) | ((this.other[i + 1] ?? 0) << 8);
  }

  copyOther(o: number, size: number): void {
    const n = Math.min(size, this.other.length - this.otherAt);
    if (n > 0) this.out.set(this.other.subarray(this.otherAt, this.otherAt + n), o);
    this.otherAt += size;
  }
}

function encode(layer: RadiotapLayer, out: Uint8Array, offset: number): number {
  const length = layer.length;
  out.fill(0, offset, offset + length);
  out[offset] = layer.version;
  out[offset + 1] = layer.pad;
  putU16le(out, offset + LENGTH_OFFSET, length);
  let at = PRESENT_OFFSET;
  for (const word of layer.present) {
    putU32le(out, offset + at, word);
    at += PRESENT_WORD_BYTES;
  }
  const writer = new FieldWriter(layer, out, offset, hexToBytes(layer.otherFieldsHex));
  let stop = at;
  if (layer.version === 0) {
    stop = Math.abs(forEachRadiotapField(layer.present, length, writer));
  }
  const rest = writer.other.length - writer.otherAt;
  if (stop + rest > length) {
    throw new RangeError(`Radiotap fields need ${stop + rest} bytes, more than the length ${length}`);
  }
  if (rest > 0) out.set(writer.other.subarray(writer.otherAt), offset + stop);
  return offset + length;
}

export const radiotapCodec: LayerCodec<RadiotapLayer> = {
  kind: 'radiotap',
  decode,
  encode,
  encodingLength: (layer: RadiotapLayer): number => layer.length,
};
