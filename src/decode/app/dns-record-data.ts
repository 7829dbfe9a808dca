/**
 * The data (RDATA) of a DNS resource record, as a union keyed by `type`: the record types a smart
 * home's traffic shows (A, AAAA, CNAME, PTR, NS, TXT, SRV, MX, SOA, OPT, SVCB and HTTPS) are
 * decoded; any other type, and a record whose data does not fit its type, keeps its bytes as hex.
 *
 * ```ts
 * const data = decodeDnsRecordData(bytes, rdStart, rdEnd, messageStart, messageEnd, 1, ctx);
 * if (data.type === 'A') console.log(data.address); // '23.196.236.203'
 * ```
 */
import { formatIpv4, formatIpv6, parseIpv4, parseIpv6, putU16be, putU32be, u16be, u32be } from '../../core/bytes.js';
import type { DecodeContext } from '../context.js';
import { decodeDnsName, encodeDnsName, type DnsNameCache, type DnsNameCompressor } from './dns-name.js';
import { formatDisplayText } from './display-text.js';
import { decodeSvcParams, encodeSvcParams, svcParamsEncodingLength, type DnsSvcParam } from './dns-svc-params.js';
import { bytesToHex, hexToBytes } from '../hex.js';

export type { DnsSvcParam } from './dns-svc-params.js';

/** Record type numbers (IANA "Resource Record (RR) TYPEs"). */
export const DNS_TYPE = {
  A: 1,
  NS: 2,
  CNAME: 5,
  SOA: 6,
  PTR: 12,
  MX: 15,
  TXT: 16,
  AAAA: 28,
  SRV: 33,
  OPT: 41,
  SVCB: 64,
  HTTPS: 65,
} as const;

export type DnsRecordData =
  | { readonly type: 'A'; readonly address: string }
  | { readonly type: 'AAAA'; readonly address: string }
  | { readonly type: 'CNAME' | 'PTR' | 'NS'; readonly name: string }
  | {
      readonly type: 'TXT';
      /** Each character-string as tshark shows it (see display-text.ts). */
      readonly strings: readonly string[];
      /** Each character-string's bytes (copies). */
      readonly raw: readonly Uint8Array[];
    }
  | { readonly type: 'SRV'; readonly priority: number; readonly weight: number; readonly port: number; readonly target: string }
  | { readonly type: 'MX'; readonly preference: number; readonly exchange: string }
  | {
      readonly type: 'SOA';
      readonly mname: string;
      readonly rname: string;
      readonly serial: number;
      readonly refresh: number;
      readonly retry: number;
      readonly expire: number;
      readonly minimum: number;
    }
  | { readonly type: 'HTTPS' | 'SVCB'; readonly priority: number; readonly target: string; readonly params: readonly DnsSvcParam[] }
  | {
      readonly type: 'OPT';
      /** The record's class field: the sender's UDP payload size. */
      readonly udpPayloadSize: number;
      /** From the record's TTL field (read only: the encoder writes the record's `ttl`). */
      readonly extendedRcode: number;
      readonly version: number;
      readonly dnssecOk: boolean;
      readonly options: readonly { readonly code: number; readonly data: string }[];
    }
  | { readonly type: 'raw'; readonly rrType: number; readonly hex: string };

export const DNS_RECORD_DATA_ANOMALIES: Readonly<Record<string, string>> = {
  dns_bad_rdata: "a record's data does not fit its type (kept as raw hex)",
};

const A_BYTES = 4;
const AAAA_BYTES = 16;
const SOA_NUMBERS_BYTES = 20;
const OPT_OPTION_HEADER_BYTES = 4;
const OPT_DO_BIT = 0x8000;

function raw(bytes: Uint8Array, start: number, end: number, rrType: number): DnsRecordData {
  return { type: 'raw', rrType, hex: bytesToHex(bytes, start, end) };
}

function bad(ctx: DecodeContext, at: number, rrType: number, why: string): void {
  ctx.anomaly('dns_bad_rdata', at, `type ${rrType} record data: ${why}`);
}

/**
 * Decodes the data of a record of type `rrType` at `bytes[start, end)`; names in it may point
 * anywhere in the message `bytes[messageStart, messageEnd)`. Never null: data that does not fit its
 * type is reported (`dns_bad_rdata`) and kept raw.
 */
export function decodeDnsRecordData(
  bytes: Uint8Array,
  start: number,
  end: number,
  messageStart: number,
  messageEnd: number,
  rrType: number,
  rrClass: number,
  ttl: number,
  ctx: DecodeContext,
  cache: DnsNameCache | null = null,
): DnsRecordData {
  const length = end - start;
  switch (rrType) {
    case DNS_TYPE.A:
      if (length === A_BYTES) return { type: 'A', address: formatIpv4(u32be(bytes, start)) };
      bad(ctx, start, rrType, `length ${length}, expected ${A_BYTES}`);
      return raw(bytes, start, end, rrType);
    case DNS_TYPE.AAAA:
      if (length === AAAA_BYTES) return { type: 'AAAA', address: formatIpv6(bytes, start) };
      bad(ctx, start, rrType, `length ${length}, expected ${AAAA_BYTES}`);
      return raw(bytes, start, end, rrType);
    case DNS_TYPE.CNAME:
    case DNS_TYPE.PTR:
    case DNS_TYPE.NS: {
      const n = decodeDnsName(bytes, start, messageStart, messageEnd, ctx, cache);
      if (n && n.end === end) {
        return { type: rrType === DNS_TYPE.CNAME ? 'CNAME' : rrType === DNS_TYPE.PTR ? 'PTR' : 'NS', name: n.name };
      }
      if (n) bad(ctx, start, rrType, `name takes ${n.end - start} of ${length} bytes`);
      return raw(bytes, start, end, rrType);
    }
    case DNS_TYPE.MX: {
      const n = length > 2 ? decodeDnsName(bytes, start + 2, messageStart, messageEnd, ctx, cache) : null;
      if (n && n.end === end) return { type: 'MX', preference: u16be(bytes, start), exchange: n.name };
      if (length <= 2 || n) bad(ctx, start, rrType, `does not hold a preference and a name in ${length} bytes`);
      return raw(bytes, start, end, rrType);
    }
    case DNS_TYPE.SRV: {
      const n = length > 6 ? decodeDnsName(bytes, start + 6, messageStart, messageEnd, ctx, cache) : null;
      if (n && n.end === end) {
        return { type: 'SRV', priority: u16be(bytes, start), weight: u16be(bytes, start + 2), port: u16be(bytes, start + 4), target: n.name };
      }
      if (length <= 6 || n) bad(ctx, start, rrType, `does not hold priority, weight, port and a name in ${length} bytes`);
      return raw(bytes, start, end, rrType);
    }
    case DNS_TYPE.SOA:
      return decodeSoa(bytes, start, end, messageStart, messageEnd, ctx);
    case DNS_TYPE.TXT:
      return decodeTxt(bytes, start, end, ctx);
    case DNS_TYPE.SVCB:
    case DNS_TYPE.HTTPS: {
      const n = length > 2 ? decodeDnsName(bytes, start + 2, messageStart, messageEnd, ctx) : null;
      const params = n && n.end <= end ? decodeSvcParams(bytes, n.end, end, ctx) : null;
      if (n && params) {
        return { type: rrType === DNS_TYPE.HTTPS ? 'HTTPS' : 'SVCB', priority: u16be(bytes, start), target: n.name, params };
      }
      if (length <= 2 || (n && n.end > end)) bad(ctx, start, rrType, `does not hold a priority and a name in ${length} bytes`);
      return raw(bytes, start, end, rrType);
    }
    case DNS_TYPE.OPT:
      return decodeOpt(bytes, start, end, rrClass, ttl, ctx);
    default:
      return raw(bytes, start, end, rrType);
  }
}

function decodeSoa(bytes: Uint8Array, start: number, end: number, ms: number, me: number, ctx: DecodeContext): DnsRecordData {
  const m = decodeDnsName(bytes, start, ms, me, ctx);
  const r = m && m.end < end ? decodeDnsName(bytes, m.end, ms, me, ctx) : null;
  if (m && r && end - r.end === SOA_NUMBERS_BYTES) {
    const o = r.end;
    return {
      type: 'SOA',
      mname: m.name,
      rname: r.name,
      serial: u32be(bytes, o),
      refresh: u32be(bytes, o + 4),
      retry: u32be(bytes, o + 8),
      expire: u32be(bytes, o + 12),
      minimum: u32be(bytes, o + 16),
    };
  }
  if (m && (r || m.end >= end)) bad(ctx, start, DNS_TYPE.SOA, 'names and five numbers do not fill the data exactly');
  return raw(bytes, start, end, DNS_TYPE.SOA);
}

function decodeTxt(bytes: Uint8Array, start: number, end: number, ctx: DecodeContext): DnsRecordData {
  const strings: string[] = [];
  const parts: Uint8Array[] = [];
  let pos = start;
  while (pos < end) {
    const len = bytes[pos];
    if (pos + 1 + len > end) {
      bad(ctx, pos, DNS_TYPE.TXT, `string of ${len} bytes runs past the record data`);
      return raw(bytes, start, end, DNS_TYPE.TXT);
    }
    strings.push(formatDisplayText(bytes, pos + 1, pos + 1 + len));
    parts.push(bytes.slice(pos + 1, pos + 1 + len));
    pos += 1 + len;
  }
  return { type: 'TXT', strings, raw: parts };
}

function decodeOpt(bytes: Uint8Array, start: number, end: number, rrClass: number, ttl: number, ctx: DecodeContext): DnsRecordData {
  const options: { code: number; data: string }[] = [];
  let pos = start;
  while (pos < end) {
    if (pos + OPT_OPTION_HEADER_BYTES > end || pos + OPT_OPTION_HEADER_BYTES + u16be(bytes, pos + 2) > end) {
      bad(ctx, pos, DNS_TYPE.OPT, 'an option runs past the record data');
      return raw(bytes, start, end, DNS_TYPE.OPT);
    }
    const len = u16be(bytes, pos + 2);
    options.push({ code: u16be(bytes, pos), data: bytesToHex(bytes, pos + 4, pos + 4 + len) });
    pos += OPT_OPTION_HEADER_BYTES + len;
  }
  return {
    type: 'OPT',
    udpPayloadSize: rrClass,
    extendedRcode: ttl >>> 24,
    version: (ttl >>> 16) & 0xff,
    dnssecOk: (ttl & OPT_DO_BIT) !== 0,
    options,
  };
}

/** Record type number for data of a decoded type (for `raw`, its `rrType`). */
export function dnsRecordDataType(data: DnsRecordData): number {
  return data.type === 'raw' ? data.rrType : DNS_TYPE[data.type];
}

/**
 * Writes the data at `offset` (without the RDLENGTH field) and returns the end index; with `out`
 * null only measures. Names in CNAME, PTR, NS, MX and SOA data are compressed when a compressor is
 * given (RFC 3597 §4); SRV, SVCB and HTTPS targets never are (RFC 2782, RFC 9460).
 */
export function encodeDnsRecordData(
  data: DnsRecordData,
  out: Uint8Array | null,
  offset: number,
  compressor: DnsNameCompressor | null,
): number {
  switch (data.type) {
    case 'A':
      if (out) putU32be(out, offset, parseIpv4(data.address));
      return offset + A_BYTES;
    case 'AAAA':
      if (out) out.set(parseIpv6(data.address), offset);
      return offset + AAAA_BYTES;
    case 'CNAME':
    case 'PTR':
    case 'NS':
      return encodeDnsName(data.name, out, offset, compressor);
    case 'MX':
      if (out) putU16be(out, offset, data.preference);
      return encodeDnsName(data.exchange, out, offset + 2, compressor);
    case 'SRV':
      if (out) {
        putU16be(out, offset, data.priority);
        putU16be(out, offset + 2, data.weight);
        putU16be(out, offset + 4, data.port);
      }
      return encodeDnsName(data.target, out, offset + 6, null);
    case 'SOA': {
      let pos = encodeDnsName(data.mname, out, offset, compressor);
      pos = encodeDnsName(data.rname, out, pos, compressor);
      if (out) {
        putU32be(out, pos, data.serial);
        putU32be(out, pos + 4, data.refresh);
        putU32be(out, pos + 8, data.retry);
        putU32be(out, pos + 12, data.expire);
        putU32be(out, pos + 16, data.minimum);
      }
      return pos + SOA_NUMBERS_BYTES;
    }
    case 'TXT': {
      let pos = offset;
      for (const part of data.raw) {
        if (out) {
          out[pos] = part.length;
          out.set(part, pos + 1);
        }
        pos += 1 + part.length;
      }
      return pos;
    }
    case 'HTTPS':
    case 'SVCB': {
      if (out) putU16be(out, offset, data.priority);
      const pos = encodeDnsName(data.target, out, offset + 2, null);
      return out ? encodeSvcParams(data.params, out, pos) : pos + svcParamsEncodingLength(data.params);
    }
    case 'OPT': {
      let pos = offset;
      for (const o of data.options) {
        const b = hexToBytes(o.data);
        if (out) {
          putU16be(out, pos, o.code);
          putU16be(out, pos + 2, b.length);
          out.set(b, pos + 4);
        }
        pos += OPT_OPTION_HEADER_BYTES + b.length;
      }
      return pos;
    }
    case 'raw': {
      const b = hexToBytes(data.hex);
      if (out) out.set(b, offset);
      return offset + b.length;
    }
    default: {
      const never: never = data;
      throw new TypeError(`Unknown DNS record data ${JSON.stringify(never)}`);
    }
  }
}
