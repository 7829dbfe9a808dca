/**
 * SvcParams of SVCB and HTTPS records (RFC 9460 §2.2, §7; ECH configs per
 * draft-ietf-tls-esni §4): a list of `{ key, value }`, the value decoded for the keys browsers and
 * devices use (mandatory, alpn, no-default-alpn, port, ipv4hint, ech, ipv6hint) and kept as hex for
 * the others.
 *
 * ```ts
 * const params = decodeSvcParams(bytes, afterTargetName, rdataEnd, ctx);
 * for (const p of params ?? []) if (p.value.kind === 'alpn') console.log(p.value.protocols); // ['h2', 'h3']
 * ```
 */
import { formatIpv4, formatIpv6, parseIpv4, parseIpv6, putU16be, putU32be, u16be, u32be } from '../../core/bytes.js';
import type { DecodeContext } from '../context.js';
import { formatDisplayText } from './display-text.js';
import { bytesToHex, hexToBytes } from '../hex.js';

export const SVC_PARAM_KEY = {
  mandatory: 0,
  alpn: 1,
  'no-default-alpn': 2,
  port: 3,
  ipv4hint: 4,
  ech: 5,
  ipv6hint: 6,
} as const;

/** What one ECHConfig in an `ech` param says; fields are null for a version other than 0xfe0d. */
export interface EchConfigSummary {
  readonly version: number;
  readonly configId: number | null;
  readonly kemId: number | null;
  readonly cipherSuites: readonly { readonly kdfId: number; readonly aeadId: number }[];
  readonly maximumNameLength: number | null;
  /** The public (outer) server name a client puts in the outer ClientHello's SNI. */
  readonly publicName: string | null;
}

export type DnsSvcValue =
  | { readonly kind: 'mandatory'; readonly keys: readonly number[] }
  | { readonly kind: 'alpn'; readonly protocols: readonly string[] }
  | { readonly kind: 'no-default-alpn' }
  | { readonly kind: 'port'; readonly port: number }
  | { readonly kind: 'ipv4hint'; readonly addresses: readonly string[] }
  | { readonly kind: 'ipv6hint'; readonly addresses: readonly string[] }
  | {
      readonly kind: 'ech';
      /** The ECHConfigList bytes as hex (what the encoder writes back). */
      readonly configList: string;
      /** Decoded from `configList`; empty when it cannot be read. */
      readonly configs: readonly EchConfigSummary[];
    }
  | { readonly kind: 'raw'; readonly hex: string };

export interface DnsSvcParam {
  readonly key: number;
  readonly value: DnsSvcValue;
}

export const DNS_SVC_PARAMS_ANOMALIES: Readonly<Record<string, string>> = {
  dns_bad_svc_param: 'an SVCB/HTTPS parameter runs past the record or its value does not fit its key (kept as hex)',
};

const PARAM_HEADER_BYTES = 4;
const ECH_VERSION_DRAFT = 0xfe0d;
const utf8 = new TextEncoder();

/** Reads the params at `bytes[start, end)`; null (after an anomaly) when the list itself is broken. */
export function decodeSvcParams(bytes: Uint8Array, start: number, end: number, ctx: DecodeContext): DnsSvcParam[] | null {
  const params: DnsSvcParam[] = [];
  let pos = start;
  while (pos < end) {
    if (pos + PARAM_HEADER_BYTES > end || pos + PARAM_HEADER_BYTES + u16be(bytes, pos + 2) > end) {
      ctx.anomaly('dns_bad_svc_param', pos, 'a parameter runs past the record data');
      return null;
    }
    const key = u16be(bytes, pos);
    const vs = pos + PARAM_HEADER_BYTES;
    const ve = vs + u16be(bytes, pos + 2);
    let value = decodeValue(bytes, key, vs, ve);
    if (value === null) {
      ctx.anomaly('dns_bad_svc_param', pos, `value of key ${key} does not fit its ${ve - vs} bytes`);
      value = { kind: 'raw', hex: bytesToHex(bytes, vs, ve) };
    }
    params.push({ key, value });
    pos = ve;
  }
  return params;
}

function decodeValue(b: Uint8Array, key: number, s: number, e: number): DnsSvcValue | null {
  const n = e - s;
  switch (key) {
    case SVC_PARAM_KEY.mandatory: {
      if (n % 2 !== 0) return null;
      const keys: number[] = [];
      for (let i = s; i < e; i += 2) keys.push(u16be(b, i));
      return { kind: 'mandatory', keys };
    }
    case SVC_PARAM_KEY.alpn: {
      const protocols: string[] = [];
      for (let i = s; i < e; i += 1 + b[i]) {
        if (b[i] === 0 || i + 1 + b[i] > e) return null;
        protocols.push(formatDisplayText(b, i + 1, i + 1 + b[i]));
      }
      return { kind: 'alpn', protocols };
    }
    case SVC_PARAM_KEY['no-default-alpn']:
      return n === 0 ? { kind: 'no-default-alpn' } : null;
    case SVC_PARAM_KEY.port:
      return n === 2 ? { kind: 'port', port: u16be(b, s) } : null;
    case SVC_PARAM_KEY.ipv4hint: {
      if (n === 0 || n % 4 !== 0) return null;
      const addresses: string[] = [];
      for (let i = s; i < e; i += 4) addresses.push(formatIpv4(u32be(b, i)));
      return { kind: 'ipv4hint', addresses };
    }
    case SVC_PARAM_KEY.ipv6hint: {
      if (n === 0 || n % 16 !== 0) return null;
      const addresses: string[] = [];
      for (let i = s; i < e; i += 16) addresses.push(formatIpv6(b, i));
      return { kind: 'ipv6hint', addresses };
    }
    case SVC_PARAM_KEY.ech:
      return { kind: 'ech', configList: bytesToHex(b, s, e), configs: decodeEchConfigList(b, s, e) };
    default:
      return { kind: 'raw', hex: bytesToHex(b, s, e) };
  }
}

/** The configs of an ECHConfigList (2-byte length, then configs); [] when it cannot be read. */
export function decodeEchConfigList(b: Uint8Array, s: number, e: number): EchConfigSummary[] {
  const configs: EchConfigSummary[] = [];
  if (e - s < 2 || s + 2 + u16be(b, s) !== e) return configs;
  for (let pos = s + 2; pos < e; ) {
    if (pos + 4 > e) return [];
    const version = u16be(b, pos);
    const cs = pos + 4;
    const ce = cs + u16be(b, pos + 2);
    if (ce > e) return [];
    configs.push(version === ECH_VERSION_DRAFT ? (readEchContents(b, cs, ce) ?? unknownConfig(version)) : unknownConfig(version));
    pos = ce;
  }
  return configs;
}

function unknownConfig(version: number): EchConfigSummary {
  return { version, configId: null, kemId: null, cipherSuites: [], maximumNameLength: null, publicName: null };
}

function readEchContents(b: Uint8Array, s: number, e: number): EchConfigSummary | null {
  let p = s;
  if (p + 5 > e) return null;
  const configId = b[p];
  const kemId = u16be(b, p + 1);
  p += 5 + u16be(b, p + 3); // public key
  if (p + 2 > e) return null;
  const suitesEnd = p + 2 + u16be(b, p);
  if (suitesEnd > e) return null;
  const cipherSuites: { kdfId: number; aeadId: number }[] = [];
  for (let i = p + 2; i + 4 <= suitesEnd; i += 4) cipherSuites.push({ kdfId: u16be(b, i), aeadId: u16be(b, i + 2) });
  p = suitesEnd;
  if (p + 2 > e || p + 2 + b[p + 1] > e) return null;
  const maximumNameLength = b[p];
  const publicName = formatDisplayText(b, p + 2, p + 2 + b[p + 1]);
  return { version: ECH_VERSION_DRAFT, configId, kemId, cipherSuites, maximumNameLength, publicName };
}

function valueBytes(v: DnsSvcValue): Uint8Array {
  switch (v.kind) {
    case 'mandatory': {
      const out = new Uint8Array(2 * v.keys.length);
      v.keys.forEach((k, i) => putU16be(out, 2 * i, k));
      return out;
    }
    case 'alpn': {
      const parts = v.protocols.map((p) => utf8.encode(p));
      const out = new Uint8Array(parts.reduce((n, p) => n + 1 + p.length, 0));
      let pos = 0;
      for (const p of parts) {
        out[pos] = p.length;
        out.set(p, pos + 1);
        pos += 1 + p.length;
      }
      return out;
    }
    case 'no-default-alpn':
      return new Uint8Array(0);
    case 'port': {
      const out = new Uint8Array(2);
      putU16be(out, 0, v.port);
      return out;
    }
    case 'ipv4hint': {
      const out = new Uint8Array(4 * v.addresses.length);
      v.addresses.forEach((a, i) => putU32be(out, 4 * i, parseIpv4(a)));
      return out;
    }
    case 'ipv6hint': {
      const out = new Uint8Array(16 * v.addresses.length);
      v.addresses.forEach((a, i) => out.set(parseIpv6(a), 16 * i));
      return out;
    }
    case 'ech':
      return hexToBytes(v.configList);
    case 'raw':
      return hexToBytes(v.hex);
    default: {
      const never: never = v;
      throw new TypeError(`Unknown SvcParam value ${JSON.stringify(never)}`);
    }
  }
}

/** Writes the params at `offset`, returns the end index. */
export function encodeSvcParams(params: readonly DnsSvcParam[], out: Uint8Array, offset: number): number {
  let pos = offset;
  for (const p of params) {
    const v = valueBytes(p.value);
    putU16be(out, pos, p.key);
    putU16be(out, pos + 2, v.length);
    out.set(v, pos + PARAM_HEADER_BYTES);
    pos += PARAM_HEADER_BYTES + v.length;
  }
  return pos;
}

export function svcParamsEncodingLength(params: readonly DnsSvcParam[]): number {
  let n = 0;
  for (const p of params) n += PARAM_HEADER_BYTES + valueBytes(p.value).length;
  return n;
}
