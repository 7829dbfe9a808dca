/**
 * DNS messages (RFC 1035 §4), also as mDNS (RFC 6762) and LLMNR (RFC 4795) use them: the header,
 * its flags, the questions and the three record sections.
 *
 * ```ts
 * const dns = dnsCodec.decode(bytes, udpPayloadStart, udpPayloadEnd, ctx); // DnsLayer | null
 * for (const q of dns?.questions ?? []) console.log(q.name, q.type);      // 'captive.apple.com' 1
 * const out = new Uint8Array(dnsCodec.encodingLength(dns!, { compress: true }));
 * dnsCodec.encode(dns!, out, 0, { compress: true });
 * ```
 *
 * As tshark does, decoding stops at the first question or record that cannot be read, and what was
 * decoded before it is kept (the message is still returned, with an anomaly). A record whose data
 * does not fit its type keeps its data raw and decoding goes on. For mDNS the top bit of a
 * question's class is the unicast-response (QU) bit and that of a record's class the cache-flush
 * bit (RFC 6762 §18.12, §18.13); for DNS and LLMNR the class keeps all 16 bits. For LLMNR the bits
 * read as `authoritative` and `recursionDesired` are its C (conflict) and T (tentative) flags.
 */
import { putU16be, putU32be, u16be, u32be } from '../../core/bytes.js';
import type { DecodeContext } from '../context.js';
import type { LayerBase, LayerCodec } from '../layer.js';
import { dnsCutAnomaly } from './dns-cut.js';
import { DNS_NAME_ANOMALIES, DnsNameCache, DnsNameCompressor, decodeDnsName, encodeDnsName } from './dns-name.js';
import {
  DNS_RECORD_DATA_ANOMALIES,
  DNS_TYPE,
  decodeDnsRecordData,
  dnsRecordDataType,
  encodeDnsRecordData,
  type DnsRecordData,
} from './dns-record-data.js';
import { DNS_SVC_PARAMS_ANOMALIES } from './dns-svc-params.js';

export type { DnsRecordData, DnsSvcParam } from './dns-record-data.js';
export { DNS_TYPE } from './dns-record-data.js';

export type DnsTransport = 'udp' | 'tcp';
export type DnsProtocol = 'dns' | 'mdns' | 'llmnr';

export interface DnsQuestion {
  readonly name: string;
  readonly type: number;
  /** The class (for mDNS without its top bit). */
  readonly class: number;
  /** mDNS QU bit: the asker wants a unicast answer. Always false for DNS and LLMNR. */
  readonly unicastResponse: boolean;
}

export interface DnsResourceRecord {
  readonly name: string;
  readonly type: number;
  /** The class (for mDNS without its top bit; for OPT the UDP payload size). */
  readonly class: number;
  /** mDNS cache-flush bit. Always false for DNS, LLMNR and OPT records. */
  readonly cacheFlush: boolean;
  readonly ttl: number;
  readonly data: DnsRecordData;
}

export interface DnsLayer extends LayerBase {
  readonly kind: 'dns';
  readonly transport: DnsTransport;
  readonly protocol: DnsProtocol;
  /**
   * True when the message was put together from several TCP segments: then `offset` is where this
   * segment's payload starts and `headerLength` the message bytes (length prefix included) that
   * were in this segment.
   */
  readonly reassembled: boolean;
  readonly id: number;
  /** The 16-bit flags word. */
  readonly flags: number;
  readonly isResponse: boolean;
  readonly opcode: number;
  readonly authoritative: boolean;
  readonly truncated: boolean;
  readonly recursionDesired: boolean;
  readonly recursionAvailable: boolean;
  readonly authenticData: boolean;
  readonly checkingDisabled: boolean;
  readonly rcode: number;
  /** Counts as the header gives them (the sections may hold fewer when the message is damaged). */
  readonly questionCount: number;
  readonly answerCount: number;
  readonly authorityCount: number;
  readonly additionalCount: number;
  readonly questions: readonly DnsQuestion[];
  readonly answers: readonly DnsResourceRecord[];
  readonly authorities: readonly DnsResourceRecord[];
  readonly additionals: readonly DnsResourceRecord[];
}

export const DNS_ANOMALIES: Readonly<Record<string, string>> = {
  ...DNS_NAME_ANOMALIES,
  ...DNS_RECORD_DATA_ANOMALIES,
  ...DNS_SVC_PARAMS_ANOMALIES,
  dns_trailing_data: 'bytes follow the last record the header counts (tshark: "Extraneous data")',
};

export const DNS_HEADER_BYTES = 12;
const QUESTION_FIXED_BYTES = 4;
const RECORD_FIXED_BYTES = 10;
const MDNS_CLASS_TOP_BIT = 0x8000;
const FLAG_QR = 0x8000;
const FLAG_AA = 0x0400;
const FLAG_TC = 0x0200;
const FLAG_RD = 0x0100;
const FLAG_RA = 0x0080;
const FLAG_AD = 0x0020;
const FLAG_CD = 0x0010;
const OPCODE_SHIFT = 11;
const OPCODE_MASK = 0xf;
const RCODE_MASK = 0xf;

const NO_QUESTIONS: readonly DnsQuestion[] = Object.freeze([]);
const NO_RECORDS: readonly DnsResourceRecord[] = Object.freeze([]);

export interface DnsDecodeOptions {
  readonly transport?: DnsTransport;
  readonly protocol?: DnsProtocol;
  /** See {@link DnsLayer.reassembled}. */
  readonly reassembled?: boolean;
  /** Absolute index to store as the layer's offset (default: `offset`). */
  readonly layerOffset?: number;
  /** Header length to store (default: the bytes the message takes). */
  readonly layerHeaderLength?: number;
}

/** Where the reader stands: the index of the next byte, or -1 once a part could not be read. */
interface Cursor {
  pos: number;
  /** Names read so far in the message (null for a message with a single name). */
  readonly names: DnsNameCache | null;
}

function readQuestions(b: Uint8Array, cur: Cursor, count: number, ms: number, me: number, mdns: boolean, ctx: DecodeContext): DnsQuestion[] {
  const out: DnsQuestion[] = [];
  for (let i = 0; i < count; i++) {
    const n = decodeDnsName(b, cur.pos, ms, me, ctx, cur.names);
    if (n === null) {
      cur.pos = -1;
      break;
    }
    if (n.end + QUESTION_FIXED_BYTES > me) {
      dnsCutAnomaly(ctx, n.end, me, 'question', QUESTION_FIXED_BYTES);
      cur.pos = -1;
      break;
    }
    const rawClass = u16be(b, n.end + 2);
    out.push({
      name: n.name,
      type: u16be(b, n.end),
      class: mdns ? rawClass & ~MDNS_CLASS_TOP_BIT : rawClass,
      unicastResponse: mdns && (rawClass & MDNS_CLASS_TOP_BIT) !== 0,
    });
    cur.pos = n.end + QUESTION_FIXED_BYTES;
  }
  return out;
}

function readRecords(b: Uint8Array, cur: Cursor, count: number, ms: number, me: number, mdns: boolean, ctx: DecodeContext): DnsResourceRecord[] {
  const out: DnsResourceRecord[] = [];
  for (let i = 0; i < count && cur.pos >= 0; i++) {
    const n = decodeDnsName(b, cur.pos, ms, me, ctx, cur.names);
    if (n === null) {
      cur.pos = -1;
      break;
    }
    const p = n.end;
    if (p + RECORD_FIXED_BYTES > me) {
      dnsCutAnomaly(ctx, p, me, 'resource record', RECORD_FIXED_BYTES);
      cur.pos = -1;
      break;
    }
    const type = u16be(b, p);
    const rawClass = u16be(b, p + 2);
    const ttl = u32be(b, p + 4);
    const rdStart = p + RECORD_FIXED_BYTES;
    const rdEnd = rdStart + u16be(b, p + 8);
    if (rdEnd > me) {
      dnsCutAnomaly(ctx, rdStart, me, 'record data', rdEnd - rdStart);
      cur.pos = -1;
      break;
    }
    const split = mdns && type !== DNS_TYPE.OPT;
    out.push({
      name: n.name,
      type,
      class: split ? rawClass & ~MDNS_CLASS_TOP_BIT : rawClass,
      cacheFlush: split && (rawClass & MDNS_CLASS_TOP_BIT) !== 0,
      ttl,
      data: decodeDnsRecordData(b, rdStart, rdEnd, ms, me, type, rawClass, ttl, ctx, cur.names),
    });
    cur.pos = rdEnd;
  }
  return out;
}

/**
 * Decodes the DNS message `bytes[offset, end)`. Null (with `dns_truncated`) only when the 12-byte
 * header is not there; otherwise the layer with every part that could be read.
 */
export function decodeDnsMessage(
  bytes: Uint8Array,
  offset: number,
  end: number,
  ctx: DecodeContext,
  options: DnsDecodeOptions = {},
): DnsLayer | null {
  if (end - offset < DNS_HEADER_BYTES) {
    dnsCutAnomaly(ctx, offset, end, 'header', DNS_HEADER_BYTES);
    return null;
  }
  const protocol = options.protocol ?? 'dns';
  const mdns = protocol === 'mdns';
  const flags = u16be(bytes, offset + 2);
  const qd = u16be(bytes, offset + 4);
  const an = u16be(bytes, offset + 6);
  const ns = u16be(bytes, offset + 8);
  const ar = u16be(bytes, offset + 10);
  const cur: Cursor = { pos: offset + DNS_HEADER_BYTES, names: qd + an + ns + ar > 1 ? new DnsNameCache() : null };
  const questions = qd === 0 ? NO_QUESTIONS : readQuestions(bytes, cur, qd, offset, end, mdns, ctx);
  const answers = an === 0 || cur.pos < 0 ? NO_RECORDS : readRecords(bytes, cur, an, offset, end, mdns, ctx);
  const authorities = ns === 0 || cur.pos < 0 ? NO_RECORDS : readRecords(bytes, cur, ns, offset, end, mdns, ctx);
  const additionals = ar === 0 || cur.pos < 0 ? NO_RECORDS : readRecords(bytes, cur, ar, offset, end, mdns, ctx);
  let consumed = end - offset;
  if (cur.pos >= 0 && cur.pos < end) {
    consumed = cur.pos - offset;
    ctx.anomaly('dns_trailing_data', cur.pos, `${end - cur.pos} bytes after the last record`);
  }
  return {
    kind: 'dns',
    offset: (options.layerOffset ?? offset) - ctx.base,
    headerLength: options.layerHeaderLength ?? consumed,
    payloadLength: options.layerHeaderLength === undefined ? end - offset - consumed : 0,
    transport: options.transport ?? 'udp',
    protocol,
    reassembled: options.reassembled ?? false,
    id: u16be(bytes, offset),
    flags,
    isResponse: (flags & FLAG_QR) !== 0,
    opcode: (flags >> OPCODE_SHIFT) & OPCODE_MASK,
    authoritative: (flags & FLAG_AA) !== 0,
    truncated: (flags & FLAG_TC) !== 0,
    recursionDesired: (flags & FLAG_RD) !== 0,
    recursionAvailable: (flags & FLAG_RA) !== 0,
    authenticData: (flags & FLAG_AD) !== 0,
    checkingDisabled: (flags & FLAG_CD) !== 0,
    rcode: flags & RCODE_MASK,
    questionCount: qd,
    answerCount: an,
    authorityCount: ns,
    additionalCount: ar,
    questions,
    answers,
    authorities,
    additionals,
  };
}

export interface DnsEncodeOptions {
  /** Compress names (RFC 1035 §4.1.4). Default false: every name written in full. */
  readonly compress?: boolean;
}

function writeRecords(records: readonly DnsResourceRecord[], out: Uint8Array | null, pos: number, c: DnsNameCompressor | null, mdns: boolean): number {
  for (const rr of records) {
    pos = encodeDnsName(rr.name, out, pos, c);
    const rdStart = pos + RECORD_FIXED_BYTES;
    const rdEnd = encodeDnsRecordData(rr.data, out, rdStart, c);
    if (out) {
      putU16be(out, pos, rr.type);
      putU16be(out, pos + 2, rr.class | (mdns && rr.cacheFlush ? MDNS_CLASS_TOP_BIT : 0));
      putU32be(out, pos + 4, rr.ttl);
      putU16be(out, pos + 8, rdEnd - rdStart);
    }
    pos = rdEnd;
  }
  return pos;
}

/**
 * Writes the message `layer` describes at `offset` (with `out` null, only measures) and returns the
 * end index. The header counts are written as the layer gives them. Throws for a record whose data
 * type does not match its `type` field (a bug in the caller).
 */
export function encodeDnsMessage(layer: DnsLayer, out: Uint8Array | null, offset: number, options: DnsEncodeOptions = {}): number {
  const mdns = layer.protocol === 'mdns';
  const c = options.compress ? new DnsNameCompressor(offset) : null;
  if (out) {
    putU16be(out, offset, layer.id);
    putU16be(out, offset + 2, layer.flags);
    putU16be(out, offset + 4, layer.questionCount);
    putU16be(out, offset + 6, layer.answerCount);
    putU16be(out, offset + 8, layer.authorityCount);
    putU16be(out, offset + 10, layer.additionalCount);
  }
  let pos = offset + DNS_HEADER_BYTES;
  for (const q of layer.questions) {
    pos = encodeDnsName(q.name, out, pos, c);
    if (out) {
      putU16be(out, pos, q.type);
      putU16be(out, pos + 2, q.class | (mdns && q.unicastResponse ? MDNS_CLASS_TOP_BIT : 0));
    }
    pos += QUESTION_FIXED_BYTES;
  }
  for (const section of [layer.answers, layer.authorities, layer.additionals]) {
    for (const rr of section) {
      if (dnsRecordDataType(rr.data) !== rr.type) {
        throw new TypeError(`DNS record of type ${rr.type} holds ${rr.data.type} data`);
      }
    }
    pos = writeRecords(section, out, pos, c, mdns);
  }
  return pos;
}

/** A DNS layer codec for one protocol (the bindings pick DNS, mDNS or LLMNR by port). */
export interface DnsCodec extends LayerCodec<DnsLayer> {
  encodingLength(layer: DnsLayer, options?: DnsEncodeOptions): number;
  encode(layer: DnsLayer, out: Uint8Array, offset: number, options?: DnsEncodeOptions): number;
}

function codecFor(protocol: DnsProtocol): DnsCodec {
  const options: DnsDecodeOptions = { protocol };
  return {
    kind: 'dns',
    decode: (bytes, offset, end, ctx) => decodeDnsMessage(bytes, offset, end, ctx, options),
    encode: (layer, out, offset, options) => encodeDnsMessage(layer, out, offset, options),
    encodingLength: (layer, options) => encodeDnsMessage(layer, null, 0, options),
  };
}

/** DNS over UDP (port 53). */
export const dnsCodec: DnsCodec = codecFor('dns');
/** Multicast DNS (UDP port 5353). */
export const mdnsCodec: DnsCodec = codecFor('mdns');
/** LLMNR (UDP port 5355). */
export const llmnrCodec: DnsCodec = codecFor('llmnr');
