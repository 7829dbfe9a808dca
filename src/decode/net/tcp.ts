/**
 * TCP (RFC 9293) with its options parsed into a list. TCP has no length field: the payload is what
 * follows the header up to `end` (the IP payload's end, which trims Ethernet padding).
 *
 * ```ts
 * const tcp = tcpCodec.decode(bytes, ipPayloadStart, ipPayloadEnd, ctx);
 * if (tcp?.syn) console.log(tcp.options.find((o) => o.kind === 'mss'));
 * ```
 *
 * `flags` holds the 12 bits after the data offset (the 8 classic flags, AE/NS and 3 reserved bits)
 * and is what `encode` writes; the booleans are views of it. The acknowledgment number is
 * `ackNumber` because `ack` is the ACK flag. Options keep their bytes exactly: a malformed tail, or
 * nonzero bytes after End of Option List, become an `unparsed` entry written back verbatim.
 */
import { need, type DecodeContext } from '../context.js';
import { putU16be, putU32be, u16be, u32be } from '../../core/bytes.js';
import type { LayerBase, LayerCodec, Refillable } from '../layer.js';
import { exceedsReportedEnd } from './reported-end.js';

export interface TcpSackBlock {
  readonly left: number;
  readonly right: number;
}

export type TcpOption =
  | { readonly kind: 'eol' }
  | { readonly kind: 'nop' }
  | { readonly kind: 'mss'; readonly mss: number }
  | { readonly kind: 'window_scale'; readonly shift: number }
  | { readonly kind: 'sack_permitted' }
  | { readonly kind: 'sack'; readonly blocks: readonly TcpSackBlock[] }
  | { readonly kind: 'timestamps'; readonly value: number; readonly echoReply: number }
  /** Any other option, or a known one with an unexpected length: written as type, length, data. */
  | { readonly kind: 'other'; readonly type: number; readonly data: Uint8Array }
  /** Bytes written verbatim: a malformed tail, or nonzero bytes after End of Option List. */
  | { readonly kind: 'unparsed'; readonly data: Uint8Array };

export interface TcpLayer extends LayerBase {
  readonly kind: 'tcp';
  readonly srcPort: number;
  readonly dstPort: number;
  readonly seq: number;
  readonly ackNumber: number;
  /** Header length in bytes (the data offset field × 4); equals `headerLength`. */
  readonly dataOffset: number;
  /** The 12 bits after the data offset: reserved (3), AE/NS, CWR, ECE, URG, ACK, PSH, RST, SYN, FIN. */
  readonly flags: number;
  readonly fin: boolean;
  readonly syn: boolean;
  readonly rst: boolean;
  readonly psh: boolean;
  readonly ack: boolean;
  readonly urg: boolean;
  readonly ece: boolean;
  readonly cwr: boolean;
  readonly window: number;
  readonly checksum: number;
  readonly urgentPointer: number;
  readonly options: readonly TcpOption[];
}

export const TCP_ANOMALIES: Readonly<Record<string, string>> = {
  tcp_truncated: 'the captured bytes end inside the TCP header (options included)',
  tcp_bad_data_offset: 'the data offset is below 20 bytes, or past the segment the IP layer carried',
  tcp_bad_option_length: 'an option has no length byte, a length below 2 or past the header, or the wrong length for its kind',
};

export const TCP_MIN_HEADER_BYTES = 20;
export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;
export const TCP_URG = 0x20;
export const TCP_ECE = 0x40;
export const TCP_CWR = 0x80;

const OPT_EOL = 0;
const OPT_NOP = 1;
const OPT_MSS = 2;
const OPT_WINDOW_SCALE = 3;
const OPT_SACK_PERMITTED = 4;
const OPT_SACK = 5;
const OPT_TIMESTAMPS = 8;
const SACK_BLOCK_BYTES = 8;
const EOL: TcpOption = Object.freeze({ kind: 'eol' });
const NOP: TcpOption = Object.freeze({ kind: 'nop' });
const SACK_PERMITTED: TcpOption = Object.freeze({ kind: 'sack_permitted' });
const NO_OPTIONS: readonly TcpOption[] = Object.freeze([]);

function knownLengthOk(type: number, length: number): boolean {
  switch (type) {
    case OPT_MSS:
      return length === 4;
    case OPT_WINDOW_SCALE:
      return length === 3;
    case OPT_SACK_PERMITTED:
      return length === 2;
    case OPT_SACK:
      return length >= 2 + SACK_BLOCK_BYTES && (length - 2) % SACK_BLOCK_BYTES === 0;
    case OPT_TIMESTAMPS:
      return length === 10;
    default:
      return true;
  }
}

function parseOption(bytes: Uint8Array, i: number, type: number, length: number): TcpOption {
  switch (type) {
    case OPT_MSS:
      return { kind: 'mss', mss: u16be(bytes, i + 2) };
    case OPT_WINDOW_SCALE:
      return { kind: 'window_scale', shift: bytes[i + 2] };
    case OPT_SACK_PERMITTED:
      return SACK_PERMITTED;
    case OPT_SACK: {
      const blocks: TcpSackBlock[] = [];
      for (let b = i + 2; b < i + length; b += SACK_BLOCK_BYTES) {
        blocks.push({ left: u32be(bytes, b), right: u32be(bytes, b + 4) });
      }
      return { kind: 'sack', blocks };
    }
    case OPT_TIMESTAMPS:
      return { kind: 'timestamps', value: u32be(bytes, i + 2), echoReply: u32be(bytes, i + 6) };
    default:
      return { kind: 'other', type, data: bytes.slice(i + 2, i + length) };
  }
}

/**
 * Whether the options in `bytes[from..to)` are well formed: true exactly when {@link parseOptions}
 * would report no anomaly for them (tcp.test.ts checks the two against each other on random bytes).
 * Nothing is allocated: `PacketDecoder.commonShape()` asks it for every segment with options.
 */
export function tcpOptionsWellFormed(bytes: Uint8Array, from: number, to: number): boolean {
  let i = from;
  while (i < to) {
    const type = bytes[i];
    if (type === OPT_NOP) {
      i++;
      continue;
    }
    if (type === OPT_EOL) return true;
    const length = i + 1 < to ? bytes[i + 1] : 0;
    if (length < 2 || i + length > to || !knownLengthOk(type, length)) return false;
    i += length;
  }
  return true;
}

/** Parses the options in `bytes[from..to)`, reporting malformed ones through `ctx`. */
function parseOptions(bytes: Uint8Array, from: number, to: number, ctx: DecodeContext): TcpOption[] {
  const list: TcpOption[] = [];
  let i = from;
  while (i < to) {
    const type = bytes[i];
    if (type === OPT_NOP) {
      list.push(NOP);
      i++;
      continue;
    }
    if (type === OPT_EOL) {
      list.push(EOL);
      i++;
      let j = i;
      while (j < to && bytes[j] === 0) j++;
      if (j < to) list.push({ kind: 'unparsed', data: bytes.slice(i, to) });
      return list;
    }
    const length = i + 1 < to ? bytes[i + 1] : 0;
    if (length < 2 || i + length > to) {
      ctx.anomaly(
        'tcp_bad_option_length',
        i,
        i + 1 < to ? `option ${type} has length ${length}, ${to - i} header bytes left` : `option ${type} has no length byte`,
      );
      list.push({ kind: 'unparsed', data: bytes.slice(i, to) });
      return list;
    }
    if (knownLengthOk(type, length)) {
      list.push(parseOption(bytes, i, type, length));
    } else {
      ctx.anomaly('tcp_bad_option_length', i, `option ${type} has length ${length}`);
      list.push({ kind: 'other', type, data: bytes.slice(i + 2, i + length) });
    }
    i += length;
  }
  return list;
}

/**
 * Decodes a TCP header. With `into` (a layer this function returned before, which the caller is done
 * with), the header is written into it instead of a new object: the packet decoder's reuse mode.
 */
export function decodeTcp(bytes: Uint8Array, offset: number, end: number, ctx: DecodeContext, into?: TcpLayer): TcpLayer | null {
  if (!need(ctx, 'tcp', offset, end, TCP_MIN_HEADER_BYTES)) return null;
  const dataOffset = (bytes[offset + 12] >>> 4) * 4;
  if (dataOffset < TCP_MIN_HEADER_BYTES) {
    ctx.anomaly('tcp_bad_data_offset', offset + 12, `data offset ${dataOffset} < 20`);
    return null;
  }
  if (end - offset < dataOffset) {
    if (exceedsReportedEnd(ctx, offset + dataOffset)) {
      ctx.anomaly('tcp_bad_data_offset', offset + 12, `data offset ${dataOffset} exceeds the segment on the wire`);
    } else {
      need(ctx, 'tcp', offset, end, dataOffset);
    }
    return null;
  }
  const flags = ((bytes[offset + 12] & 0x0f) << 8) | bytes[offset + 13];
  const options =
    dataOffset > TCP_MIN_HEADER_BYTES ? parseOptions(bytes, offset + TCP_MIN_HEADER_BYTES, offset + dataOffset, ctx) : NO_OPTIONS;
  if (into === undefined) {
    return {
      kind: 'tcp',
      offset: offset - ctx.base,
      headerLength: dataOffset,
      payloadLength: end - offset - dataOffset,
      srcPort: u16be(bytes, offset),
      dstPort: u16be(bytes, offset + 2),
      seq: u32be(bytes, offset + 4),
      ackNumber: u32be(bytes, offset + 8),
      dataOffset,
      flags,
      fin: (flags & TCP_FIN) !== 0,
      syn: (flags & TCP_SYN) !== 0,
      rst: (flags & TCP_RST) !== 0,
      psh: (flags & TCP_PSH) !== 0,
      ack: (flags & TCP_ACK) !== 0,
      urg: (flags & TCP_URG) !== 0,
      ece: (flags & TCP_ECE) !== 0,
      cwr: (flags & TCP_CWR) !== 0,
      window: u16be(bytes, offset + 14),
      checksum: u16be(bytes, offset + 16),
      urgentPointer: u16be(bytes, offset + 18),
      options,
    };
  }
  // The same fields, in the same order, written into the layer given back.
  const l = into as Refillable<TcpLayer>;
  l.offset = offset - ctx.base;
  l.headerLength = dataOffset;
  l.payloadLength = end - offset - dataOffset;
  l.srcPort = u16be(bytes, offset);
  l.dstPort = u16be(bytes, offset + 2);
  l.seq = u32be(bytes, offset + 4);
  l.ackNumber = u32be(bytes, offset + 8);
  l.dataOffset = dataOffset;
  l.flags = flags;
  l.fin = (flags & TCP_FIN) !== 0;
  l.syn = (flags & TCP_SYN) !== 0;
  l.rst = (flags & TCP_RST) !== 0;
  l.psh = (flags & TCP_PSH) !== 0;
  l.ack = (flags & TCP_ACK) !== 0;
  l.urg = (flags & TCP_URG) !== 0;
  l.ece = (flags & TCP_ECE) !== 0;
  l.cwr = (flags & TCP_CWR) !== 0;
  l.window = u16be(bytes, offset + 14);
  l.checksum = u16be(bytes, offset + 16);
  l.urgentPointer = u16be(bytes, offset + 18);
  l.options = options;
  return l;
}

/** Bytes the options take when written, before padding to a multiple of 4. */
export function tcpOptionsLength(options: readonly TcpOption[]): number {
  let n = 0;
  for (const o of options) {
    switch (o.kind) {
      case 'eol':
      case 'nop':
        n += 1;
        break;
      case 'mss':
        n += 4;
        break;
      case 'window_scale':
        n += 3;
        break;
      case 'sack_permitted':
        n += 2;
        break;
      case 'sack':
        n += 2 + SACK_BLOCK_BYTES * o.blocks.length;
        break;
      case 'timestamps':
        n += 10;
        break;
      case 'other':
        n += 2 + o.data.length;
        break;
      case 'unparsed':
        n += o.data.length;
        break;
      default: {
        const never: never = o;
        throw new TypeError(`Unknown TCP option ${JSON.stringify(never)}`);
      }
    }
  }
  return n;
}

function encodeOption(o: TcpOption, out: Uint8Array, i: number): number {
  switch (o.kind) {
    case 'eol':
      out[i] = OPT_EOL;
      return i + 1;
    case 'nop':
      out[i] = OPT_NOP;
      return i + 1;
    case 'mss':
      out[i] = OPT_MSS;
      out[i + 1] = 4;
      putU16be(out, i + 2, o.mss);
      return i + 4;
    case 'window_scale':
      out[i] = OPT_WINDOW_SCALE;
      out[i + 1] = 3;
      out[i + 2] = o.shift;
      return i + 3;
    case 'sack_permitted':
      out[i] = OPT_SACK_PERMITTED;
      out[i + 1] = 2;
      return i + 2;
    case 'sack': {
      out[i] = OPT_SACK;
      out[i + 1] = 2 + SACK_BLOCK_BYTES * o.blocks.length;
      let b = i + 2;
      for (const block of o.blocks) {
        putU32be(out, b, block.left);
        putU32be(out, b + 4, block.right);
        b += SACK_BLOCK_BYTES;
      }
      return b;
    }
    case 'timestamps':
      out[i] = OPT_TIMESTAMPS;
      out[i + 1] = 10;
      putU32be(out, i + 2, o.value);
      putU32be(out, i + 6, o.echoReply);
      return i + 10;
    case 'other':
      out[i] = o.type;
      out[i + 1] = 2 + o.data.length;
      out.set(o.data, i + 2);
      return i + 2 + o.data.length;
    case 'unparsed':
      out.set(o.data, i);
      return i + o.data.length;
    default: {
      const never: never = o;
      throw new TypeError(`Unknown TCP option ${JSON.stringify(never)}`);
    }
  }
}

function encodeTcp(layer: TcpLayer, out: Uint8Array, offset: number): number {
  const end = offset + layer.dataOffset;
  if (TCP_MIN_HEADER_BYTES + tcpOptionsLength(layer.options) > layer.dataOffset) {
    throw new RangeError(`TCP options do not fit a ${layer.dataOffset}-byte header`);
  }
  putU16be(out, offset, layer.srcPort);
  putU16be(out, offset + 2, layer.dstPort);
  putU32be(out, offset + 4, layer.seq);
  putU32be(out, offset + 8, layer.ackNumber);
  out[offset + 12] = (((layer.dataOffset >>> 2) & 0x0f) << 4) | ((layer.flags >>> 8) & 0x0f);
  out[offset + 13] = layer.flags & 0xff;
  putU16be(out, offset + 14, layer.window);
  putU16be(out, offset + 16, layer.checksum);
  putU16be(out, offset + 18, layer.urgentPointer);
  let i = offset + TCP_MIN_HEADER_BYTES;
  for (const o of layer.options) i = encodeOption(o, out, i);
  out.fill(0, i, end);
  return end;
}

export const tcpCodec: LayerCodec<TcpLayer> = {
  kind: 'tcp',
  decode: decodeTcp,
  encode: encodeTcp,
  encodingLength: (layer: TcpLayer): number => layer.dataOffset,
};
