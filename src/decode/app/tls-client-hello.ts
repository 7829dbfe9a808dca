/**
 * The TLS ClientHello (RFC 8446 §4.1.2, RFC 5246 §7.4.1.2): the one TLS message a passive observer
 * reads in clear, with the server name (SNI, RFC 6066 §3), ALPN (RFC 7301), supported_versions and
 * whether Encrypted Client Hello (draft-ietf-tls-esni) is offered. Decoded from handshake records
 * (content type 22); the handshake message may span several records, as tshark 4.0 reassembles it.
 *
 * ```ts
 * if (probeTlsClientHello(bytes, start, end)) {
 *   const hello = tlsClientHelloCodec.decode(bytes, start, end, ctx); // whole hello in these bytes
 *   console.log(hello?.serverNames);                                   // ['api.xbcs.net']
 * }
 * ```
 *
 * A hello split across TCP segments is put together by `TlsClientHelloStreams`
 * (tls-client-hello-streams.ts); the encoder for tests and the simulator is in
 * tls-client-hello-encoder.ts.
 */
import { need, type DecodeContext } from '../context.js';
import { u16be } from '../../core/bytes.js';
import { AnomaliesAt } from './anomalies-at.js';
import type { LayerBase, LayerCodec } from '../layer.js';
import { formatAsciiField } from './display-text.js';
import { bytesToHex } from '../hex.js';
import { encodeTlsClientHelloLayer, tlsClientHelloLayerEncodingLength } from './tls-client-hello-encoder.js';
import {
  TLS_CONTENT_HANDSHAKE,
  TLS_EXTENSION,
  TLS_HANDSHAKE_CLIENT_HELLO,
  TLS_HANDSHAKE_HEADER_BYTES,
  TLS_MAX_RECORD_BYTES,
  TLS_RANDOM_BYTES,
  TLS_RECORD_HEADER_BYTES,
} from './tls-constants.js';

export {
  TLS_CONTENT_HANDSHAKE,
  TLS_EXTENSION,
  TLS_HANDSHAKE_CLIENT_HELLO,
  TLS_HANDSHAKE_HEADER_BYTES,
  TLS_RECORD_HEADER_BYTES,
} from './tls-constants.js';

export interface TlsExtensionSummary {
  readonly type: number;
  /** Bytes of extension data. */
  readonly length: number;
}

export interface TlsClientHelloLayer extends LayerBase {
  readonly kind: 'tls';
  /**
   * True when the hello was put together from several TCP segments: then `offset` is where this
   * segment's payload starts and `headerLength` the hello's bytes that were in this segment.
   */
  readonly reassembled: boolean;
  /** TLS records the handshake message spanned (1 almost always). */
  readonly records: number;
  /** Version in the first record header (0x0301 for TLS 1.0 .. 1.3 hellos, 0x0300 for SSL 3). */
  readonly recordVersion: number;
  /** legacy_version of the hello (0x0303 for TLS 1.2 and 1.3). */
  readonly handshakeVersion: number;
  /** 32 random bytes, hex. */
  readonly random: string;
  /** legacy_session_id, hex (empty string when absent). */
  readonly sessionId: string;
  readonly cipherSuites: readonly number[];
  readonly compressionMethods: readonly number[];
  /** Every extension in order, GREASE values included. */
  readonly extensions: readonly TlsExtensionSummary[];
  /**
   * Every entry of the server_name extension, in order, as tshark's
   * tls.handshake.extensions_server_name holds it (ASCII: bytes from 0x80 up become U+FFFD, a NUL
   * ends the name). Like tshark, entries of a name type other than host_name (0; no other type is
   * defined, none is seen in practice) are read with the same layout and included.
   */
  readonly serverNames: readonly string[];
  /** ALPN protocol names offered, in order (text as for `serverNames`). */
  readonly alpn: readonly string[];
  /** The supported_versions extension's list, GREASE included. */
  readonly supportedVersions: readonly number[];
  /** An encrypted_client_hello extension is present (the SNI is then the outer, public name). */
  readonly ech: boolean;
  /** The supported_groups (elliptic curves) extension's list, GREASE included: for JA3. */
  readonly supportedGroups: readonly number[];
  /** The ec_point_formats extension's list: for JA3. */
  readonly ecPointFormats: readonly number[];
}

export const TLS_ANOMALIES: Readonly<Record<string, string>> = {
  tls_truncated: 'the bytes end inside the ClientHello',
  tls_not_handshake: 'a record inside the ClientHello is not a handshake record',
  tls_bad_length: 'a length inside the ClientHello runs past what holds it',
  tls_bad_extension: 'an SNI, ALPN or supported_versions extension does not fit its format',
  tls_client_hello_too_large: 'a ClientHello is larger than the reassembly buffer; it was not decoded',
};

const RANDOM_BYTES = TLS_RANDOM_BYTES;
const MAX_RECORD_BYTES = TLS_MAX_RECORD_BYTES;
/** version + random + session id length byte. */
const HELLO_FIXED_BYTES = 2 + RANDOM_BYTES + 1;

/** {@link clientHelloExtent}: more bytes are needed. */
export const TLS_NEED_MORE = -1;
/** {@link clientHelloExtent}: these bytes do not hold a ClientHello. */
export const TLS_NOT_HELLO = -2;

function isHandshakeRecordHeader(b: Uint8Array, o: number): boolean {
  const recLen = u16be(b, o + 3);
  return b[o] === TLS_CONTENT_HANDSHAKE && b[o + 1] === 3 && b[o + 2] <= 4 && recLen > 0 && recLen <= MAX_RECORD_BYTES;
}

/**
 * Is `bytes[offset, end)` the start of a TLS handshake record holding a ClientHello? Checks the
 * record header (type 22, version 3.0..3.4, a sane length) and the handshake type (1), and the
 * hello's length when those bytes are there. Needs the first 6 bytes.
 */
export function probeTlsClientHello(bytes: Uint8Array, offset: number, end: number): boolean {
  if (end - offset < TLS_RECORD_HEADER_BYTES + 1) return false;
  if (!isHandshakeRecordHeader(bytes, offset) || bytes[offset + 5] !== TLS_HANDSHAKE_CLIENT_HELLO) return false;
  if (end - offset < TLS_RECORD_HEADER_BYTES + TLS_HANDSHAKE_HEADER_BYTES) return true;
  const hsLen = (bytes[offset + 6] << 16) | u16be(bytes, offset + 7);
  return hsLen >= HELLO_FIXED_BYTES + 2 + 1;
}

/** The first 4 handshake bytes (type and length) when they are split across records. */
function handshakeHeader(b: Uint8Array, o: number): number[] {
  const out: number[] = [];
  for (let pos = o; out.length < TLS_HANDSHAKE_HEADER_BYTES; pos += TLS_RECORD_HEADER_BYTES + u16be(b, pos + 3)) {
    const recEnd = pos + TLS_RECORD_HEADER_BYTES + u16be(b, pos + 3);
    for (let i = pos + TLS_RECORD_HEADER_BYTES; i < recEnd && out.length < TLS_HANDSHAKE_HEADER_BYTES; i++) out.push(b[i]);
  }
  return out;
}

/**
 * How many bytes from `offset` the records holding the ClientHello take (the whole last record
 * included), {@link TLS_NEED_MORE} when they go past `end`, or {@link TLS_NOT_HELLO}.
 */
export function clientHelloExtent(b: Uint8Array, offset: number, end: number): number {
  let pos = offset;
  let collected = 0;
  let total = -1;
  for (;;) {
    if (end - pos < TLS_RECORD_HEADER_BYTES) return TLS_NEED_MORE;
    if (!isHandshakeRecordHeader(b, pos)) return TLS_NOT_HELLO;
    const recLen = u16be(b, pos + 3);
    if (end - pos - TLS_RECORD_HEADER_BYTES < recLen) return TLS_NEED_MORE;
    collected += recLen;
    pos += TLS_RECORD_HEADER_BYTES + recLen;
    if (total < 0 && collected >= TLS_HANDSHAKE_HEADER_BYTES) {
      const h = handshakeHeader(b, offset);
      if (h[0] !== TLS_HANDSHAKE_CLIENT_HELLO) return TLS_NOT_HELLO;
      total = TLS_HANDSHAKE_HEADER_BYTES + ((h[1] << 16) | (h[2] << 8) | h[3]);
    }
    if (total >= 0 && collected >= total) return pos - offset;
  }
}

export interface TlsDecodeOptions {
  /** See {@link TlsClientHelloLayer.reassembled}. */
  readonly reassembled?: boolean;
  /** Absolute index to store as the layer's offset (default: `offset`). */
  readonly layerOffset?: number;
  /** Header length to store (default: the bytes of the hello's records). */
  readonly layerHeaderLength?: number;
  /** Payload length to store (default: what follows the hello's records before `end`). */
  readonly layerPayloadLength?: number;
  /** Report anomalies here instead of at their place (for bytes copied out of several packets). */
  readonly anomalyAt?: number;
}

/**
 * Decodes the ClientHello whose records start at `offset` and end before `end`. Null, with an
 * anomaly, when the records are not a ClientHello or are cut short.
 */
export function decodeTlsClientHello(
  bytes: Uint8Array,
  offset: number,
  end: number,
  ctx: DecodeContext,
  options: TlsDecodeOptions = {},
): TlsClientHelloLayer | null {
  const outer = ctx;
  if (options.anomalyAt !== undefined) ctx = new AnomaliesAt(outer, options.anomalyAt);
  if (!need(ctx, 'tls', offset, end, TLS_RECORD_HEADER_BYTES + TLS_HANDSHAKE_HEADER_BYTES, 'ClientHello record')) return null;
  const extent = clientHelloExtent(bytes, offset, end);
  if (extent === TLS_NOT_HELLO) {
    ctx.anomaly('tls_not_handshake', offset, 'the records do not hold a ClientHello');
    return null;
  }
  if (extent === TLS_NEED_MORE) {
    ctx.anomaly('tls_truncated', offset, `Cannot decode tls ClientHello: it runs past the ${end - offset} bytes there are`);
    return null;
  }
  const firstLen = u16be(bytes, offset + 3);
  let hs = bytes;
  let hsStart = offset + TLS_RECORD_HEADER_BYTES;
  let records = 1;
  const h = firstLen >= TLS_HANDSHAKE_HEADER_BYTES ? null : handshakeHeader(bytes, offset);
  const total =
    TLS_HANDSHAKE_HEADER_BYTES +
    (h === null ? (bytes[hsStart + 1] << 16) | u16be(bytes, hsStart + 2) : (h[1] << 16) | (h[2] << 8) | h[3]);
  if (firstLen < total) {
    // Handshake message spread over several records: copy its fragments together.
    hs = new Uint8Array(total);
    let filled = 0;
    records = 0;
    for (let pos = offset; filled < total; pos += TLS_RECORD_HEADER_BYTES + u16be(bytes, pos + 3)) {
      const take = Math.min(u16be(bytes, pos + 3), total - filled);
      hs.set(bytes.subarray(pos + TLS_RECORD_HEADER_BYTES, pos + TLS_RECORD_HEADER_BYTES + take), filled);
      filled += take;
      records++;
    }
    hsStart = 0;
    if (options.anomalyAt === undefined) ctx = new AnomaliesAt(outer, offset);
  }
  const layerOffset = options.layerOffset ?? offset;
  return parseHelloBody(hs, hsStart + TLS_HANDSHAKE_HEADER_BYTES, hsStart + total, ctx, {
    offset: layerOffset - outer.base,
    headerLength: options.layerHeaderLength ?? extent,
    payloadLength: options.layerPayloadLength ?? end - offset - extent,
    reassembled: options.reassembled ?? false,
    records,
    recordVersion: u16be(bytes, offset + 1),
  });
}

interface Frame {
  offset: number;
  headerLength: number;
  payloadLength: number;
  reassembled: boolean;
  records: number;
  recordVersion: number;
}

function parseHelloBody(b: Uint8Array, p: number, e: number, ctx: DecodeContext, f: Frame): TlsClientHelloLayer | null {
  if (p + HELLO_FIXED_BYTES > e || p + HELLO_FIXED_BYTES + b[p + HELLO_FIXED_BYTES - 1] + 2 > e) {
    ctx.anomaly('tls_bad_length', p, 'the ClientHello ends before its cipher suites');
    return null;
  }
  const handshakeVersion = u16be(b, p);
  const random = bytesToHex(b, p + 2, p + 2 + RANDOM_BYTES);
  const sidLen = b[p + HELLO_FIXED_BYTES - 1];
  const sessionId = bytesToHex(b, p + HELLO_FIXED_BYTES, p + HELLO_FIXED_BYTES + sidLen);
  let pos = p + HELLO_FIXED_BYTES + sidLen;
  const csLen = u16be(b, pos);
  pos += 2;
  if (pos + csLen + 1 > e || csLen % 2 !== 0) {
    ctx.anomaly('tls_bad_length', pos - 2, `cipher suites length ${csLen} does not fit the ClientHello`);
    return null;
  }
  const cipherSuites: number[] = new Array(csLen >> 1);
  for (let i = 0; i < cipherSuites.length; i++) cipherSuites[i] = u16be(b, pos + 2 * i);
  pos += csLen;
  const cmLen = b[pos++];
  if (pos + cmLen > e) {
    ctx.anomaly('tls_bad_length', pos - 1, `compression methods length ${cmLen} does not fit the ClientHello`);
    return null;
  }
  const compressionMethods = Array.from(b.subarray(pos, pos + cmLen));
  pos += cmLen;
  const extensions: TlsExtensionSummary[] = [];
  const serverNames: string[] = [];
  const alpn: string[] = [];
  const supportedVersions: number[] = [];
  const supportedGroups: number[] = [];
  const ecPointFormats: number[] = [];
  let ech = false;
  if (pos + 2 <= e) {
    let extEnd = pos + 2 + u16be(b, pos);
    if (extEnd > e) {
      ctx.anomaly('tls_bad_length', pos, `extensions length ${extEnd - pos - 2} runs past the ClientHello`);
      extEnd = e;
    }
    for (pos += 2; pos + 4 <= extEnd; ) {
      const type = u16be(b, pos);
      const len = u16be(b, pos + 2);
      const ds = pos + 4;
      if (ds + len > extEnd) {
        ctx.anomaly('tls_bad_length', pos, `extension ${type} of ${len} bytes runs past the extensions`);
        break;
      }
      extensions.push({ type, length: len });
      if (type === TLS_EXTENSION.serverName) readServerNames(b, ds, ds + len, serverNames, ctx);
      else if (type === TLS_EXTENSION.alpn) readAlpn(b, ds, ds + len, alpn, ctx);
      else if (type === TLS_EXTENSION.supportedVersions) readVersions(b, ds, ds + len, supportedVersions, ctx);
      else if (type === TLS_EXTENSION.encryptedClientHello) ech = true;
      else if (type === TLS_EXTENSION.supportedGroups) readGroups(b, ds, ds + len, supportedGroups);
      else if (type === TLS_EXTENSION.ecPointFormats) readPointFormats(b, ds, ds + len, ecPointFormats);
      pos = ds + len;
    }
  }
  return {
    kind: 'tls',
    offset: f.offset,
    headerLength: f.headerLength,
    payloadLength: f.payloadLength,
    reassembled: f.reassembled,
    records: f.records,
    recordVersion: f.recordVersion,
    handshakeVersion,
    random,
    sessionId,
    cipherSuites,
    compressionMethods,
    extensions,
    serverNames,
    alpn,
    supportedVersions,
    ech,
    supportedGroups,
    ecPointFormats,
  };
}

/**
 * The supported_groups list (a 2-byte length, then 2-byte groups). As tshark's JA3, the groups are
 * read up to the list's end or the extension's, whichever comes first; a damaged list gives what
 * fits (no anomaly: the list only feeds the fingerprint).
 */
function readGroups(b: Uint8Array, s: number, e: number, out: number[]): void {
  if (s + 2 > e) return;
  const end = Math.min(e, s + 2 + u16be(b, s));
  for (let p = s + 2; p + 2 <= end; p += 2) out.push(u16be(b, p));
}

/** The ec_point_formats list (a 1-byte length, then 1-byte formats), read as {@link readGroups}. */
function readPointFormats(b: Uint8Array, s: number, e: number, out: number[]): void {
  if (s + 1 > e) return;
  const end = Math.min(e, s + 1 + b[s]);
  for (let p = s + 1; p < end; p++) out.push(b[p]);
}

function readServerNames(b: Uint8Array, s: number, e: number, out: string[], ctx: DecodeContext): void {
  if (s + 2 > e || s + 2 + u16be(b, s) > e) {
    ctx.anomaly('tls_bad_extension', s, 'server_name list length runs past the extension');
    return;
  }
  const listEnd = s + 2 + u16be(b, s);
  for (let p = s + 2; p < listEnd; ) {
    if (p + 3 > listEnd || p + 3 + u16be(b, p + 1) > listEnd) {
      ctx.anomaly('tls_bad_extension', p, 'server_name entry runs past its list');
      return;
    }
    const len = u16be(b, p + 1);
    out.push(formatAsciiField(b, p + 3, p + 3 + len));
    p += 3 + len;
  }
}

function readAlpn(b: Uint8Array, s: number, e: number, out: string[], ctx: DecodeContext): void {
  if (s + 2 > e || s + 2 + u16be(b, s) > e) {
    ctx.anomaly('tls_bad_extension', s, 'ALPN list length runs past the extension');
    return;
  }
  const listEnd = s + 2 + u16be(b, s);
  for (let p = s + 2; p < listEnd; p += 1 + b[p]) {
    if (p + 1 + b[p] > listEnd) {
      ctx.anomaly('tls_bad_extension', p, 'ALPN protocol name runs past its list');
      return;
    }
    out.push(formatAsciiField(b, p + 1, p + 1 + b[p]));
  }
}

function readVersions(b: Uint8Array, s: number, e: number, out: number[], ctx: DecodeContext): void {
  if (s + 1 > e || s + 1 + b[s] > e || b[s] % 2 !== 0) {
    ctx.anomaly('tls_bad_extension', s, 'supported_versions list does not fit the extension');
    return;
  }
  for (let p = s + 1, end = s + 1 + b[s]; p < end; p += 2) out.push(u16be(b, p));
}

/** The ClientHello layer codec: decodes a hello whose records are all in the given bytes. */
export const tlsClientHelloCodec: LayerCodec<TlsClientHelloLayer> = {
  kind: 'tls',
  decode: (bytes, offset, end, ctx) => decodeTlsClientHello(bytes, offset, end, ctx),
  encode: encodeTlsClientHelloLayer,
  encodingLength: tlsClientHelloLayerEncodingLength,
};
