/**
 * Writes TLS ClientHellos: for tests, the simulator and the defences.
 *
 * ```ts
 * const bytes = encodeClientHello({ serverNames: ['api.example'], alpn: ['h2'], supportedVersions: [0x0304, 0x0303] });
 * // → a handshake record (22, 0x0301, length) holding the hello; split into several records with
 * //   `maxRecordBytes`, padded with `paddingBytes`.
 * ```
 *
 * `encodeTlsClientHelloLayer` writes a decoded layer back: the record version, legacy version,
 * random, session id, cipher suites, compression methods and the extensions in order with their
 * lengths; server_name, ALPN and supported_versions are rebuilt from the layer's lists and every
 * other extension (key_share, GREASE, ECH...) is written as zero bytes of its recorded length, so
 * that decoding the output gives the same layer back. The handshake is split over `records` records.
 */
import { putU16be } from '../../core/bytes.js';
import type { TlsClientHelloLayer } from './tls-client-hello.js';
import {
  TLS_CONTENT_HANDSHAKE,
  TLS_EXTENSION,
  TLS_HANDSHAKE_CLIENT_HELLO,
  TLS_HANDSHAKE_HEADER_BYTES,
  TLS_MAX_PLAINTEXT_BYTES,
  TLS_RANDOM_BYTES,
  TLS_RECORD_HEADER_BYTES,
  TLS_SNI_HOST_NAME,
} from './tls-constants.js';
import { hexToBytes } from '../hex.js';

export interface ClientHelloOptions {
  /** host_name entries of the server_name extension; no extension when empty (default). */
  readonly serverNames?: readonly string[];
  /** ALPN protocol names; no extension when empty (default). */
  readonly alpn?: readonly string[];
  /** supported_versions list, e.g. [0x0304, 0x0303]; no extension when empty (default). */
  readonly supportedVersions?: readonly number[];
  /** Default: the three TLS 1.3 suites and four common TLS 1.2 ECDHE suites. */
  readonly cipherSuites?: readonly number[];
  /** Default [0] (null compression). */
  readonly compressionMethods?: readonly number[];
  /** Default 0x0303. */
  readonly handshakeVersion?: number;
  /** Default 0x0301. */
  readonly recordVersion?: number;
  /** 32 bytes; default 32 zero bytes (deterministic). */
  readonly random?: Uint8Array;
  /** Default empty. */
  readonly sessionId?: Uint8Array;
  /** supported_groups list (JA3's elliptic curves); no extension when empty (default). */
  readonly supportedGroups?: readonly number[];
  /** ec_point_formats list; no extension when empty (default). */
  readonly ecPointFormats?: readonly number[];
  /** Add an encrypted_client_hello extension with this many bytes of (zero) payload. */
  readonly echBytes?: number;
  /** Add a padding extension (type 21) of this many zero bytes. */
  readonly paddingBytes?: number;
  /** More extensions, written after the ones above. */
  readonly extraExtensions?: readonly { readonly type: number; readonly data: Uint8Array }[];
  /** Largest record payload: a larger hello is split over several records (default 16384). */
  readonly maxRecordBytes?: number;
}

export const DEFAULT_CIPHER_SUITES: readonly number[] = [0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030];

interface Extension {
  readonly type: number;
  readonly data: Uint8Array;
}

const utf8 = new TextEncoder();

function listWithU16Length(parts: readonly Uint8Array[]): Uint8Array {
  const n = parts.reduce((sum, p) => sum + p.length, 0);
  const out = new Uint8Array(2 + n);
  putU16be(out, 0, n);
  let pos = 2;
  for (const p of parts) {
    out.set(p, pos);
    pos += p.length;
  }
  return out;
}

function serverNameData(names: readonly string[]): Uint8Array {
  return listWithU16Length(
    names.map((name) => {
      const b = utf8.encode(name);
      const entry = new Uint8Array(3 + b.length);
      entry[0] = TLS_SNI_HOST_NAME;
      putU16be(entry, 1, b.length);
      entry.set(b, 3);
      return entry;
    }),
  );
}

function alpnData(protocols: readonly string[]): Uint8Array {
  return listWithU16Length(
    protocols.map((p) => {
      const b = utf8.encode(p);
      if (b.length === 0 || b.length > 255) throw new RangeError(`ALPN protocol name of ${b.length} bytes`);
      const entry = new Uint8Array(1 + b.length);
      entry[0] = b.length;
      entry.set(b, 1);
      return entry;
    }),
  );
}

function versionsData(versions: readonly number[]): Uint8Array {
  const out = new Uint8Array(1 + 2 * versions.length);
  out[0] = 2 * versions.length;
  versions.forEach((v, i) => putU16be(out, 1 + 2 * i, v));
  return out;
}

function groupsData(groups: readonly number[]): Uint8Array {
  const out = new Uint8Array(2 + 2 * groups.length);
  putU16be(out, 0, 2 * groups.length);
  groups.forEach((g, i) => putU16be(out, 2 + 2 * i, g));
  return out;
}

function pointFormatsData(formats: readonly number[]): Uint8Array {
  return Uint8Array.from([formats.length, ...formats]);
}

/**
 * A rebuilt list in an extension of the recorded length, zero-padded (the decoder reads a list up to
 * its own length, so the padding reads as nothing); a list that does not fit (none does that the
 * decoder read from this extension) leaves zeros, which read as an empty list.
 */
function sized(data: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  if (data.length <= length) out.set(data);
  return out;
}

interface HelloParts {
  readonly recordVersion: number;
  readonly handshakeVersion: number;
  readonly random: Uint8Array;
  readonly sessionId: Uint8Array;
  readonly cipherSuites: readonly number[];
  readonly compressionMethods: readonly number[];
  /** null: no extensions block at all. */
  readonly extensions: readonly Extension[] | null;
}

/** The handshake message (header included). */
function handshakeBytes(h: HelloParts): Uint8Array {
  if (h.random.length !== TLS_RANDOM_BYTES) throw new RangeError(`random of ${h.random.length} bytes, expected 32`);
  const extBytes = h.extensions === null ? 0 : 2 + h.extensions.reduce((n, e) => n + 4 + e.data.length, 0);
  const bodyLength = 2 + TLS_RANDOM_BYTES + 1 + h.sessionId.length + 2 + 2 * h.cipherSuites.length + 1 + h.compressionMethods.length + extBytes;
  const out = new Uint8Array(TLS_HANDSHAKE_HEADER_BYTES + bodyLength);
  out[0] = TLS_HANDSHAKE_CLIENT_HELLO;
  out[1] = bodyLength >>> 16;
  putU16be(out, 2, bodyLength & 0xffff);
  let p = TLS_HANDSHAKE_HEADER_BYTES;
  putU16be(out, p, h.handshakeVersion);
  out.set(h.random, p + 2);
  p += 2 + TLS_RANDOM_BYTES;
  out[p++] = h.sessionId.length;
  out.set(h.sessionId, p);
  p += h.sessionId.length;
  putU16be(out, p, 2 * h.cipherSuites.length);
  p += 2;
  for (const cs of h.cipherSuites) {
    putU16be(out, p, cs);
    p += 2;
  }
  out[p++] = h.compressionMethods.length;
  for (const m of h.compressionMethods) out[p++] = m;
  if (h.extensions !== null) {
    putU16be(out, p, extBytes - 2);
    p += 2;
    for (const e of h.extensions) {
      putU16be(out, p, e.type);
      putU16be(out, p + 2, e.data.length);
      out.set(e.data, p + 4);
      p += 4 + e.data.length;
    }
  }
  return out;
}

/** Splits a handshake message over `records` records of (nearly) equal size. */
function recordBytes(hs: Uint8Array, recordVersion: number, records: number): Uint8Array {
  const out = new Uint8Array(hs.length + records * TLS_RECORD_HEADER_BYTES);
  const base = Math.floor(hs.length / records);
  const longer = hs.length % records;
  let p = 0;
  let from = 0;
  for (let i = 0; i < records; i++) {
    const n = base + (i < longer ? 1 : 0);
    out[p] = TLS_CONTENT_HANDSHAKE;
    putU16be(out, p + 1, recordVersion);
    putU16be(out, p + 3, n);
    out.set(hs.subarray(from, from + n), p + TLS_RECORD_HEADER_BYTES);
    p += TLS_RECORD_HEADER_BYTES + n;
    from += n;
  }
  return out;
}

/** The bytes of one or more handshake records holding a ClientHello built from `options`. */
export function encodeClientHello(options: ClientHelloOptions = {}): Uint8Array {
  const extensions: Extension[] = [];
  if (options.serverNames?.length) extensions.push({ type: TLS_EXTENSION.serverName, data: serverNameData(options.serverNames) });
  if (options.alpn?.length) extensions.push({ type: TLS_EXTENSION.alpn, data: alpnData(options.alpn) });
  if (options.supportedVersions?.length) {
    extensions.push({ type: TLS_EXTENSION.supportedVersions, data: versionsData(options.supportedVersions) });
  }
  if (options.supportedGroups?.length) extensions.push({ type: TLS_EXTENSION.supportedGroups, data: groupsData(options.supportedGroups) });
  if (options.ecPointFormats?.length) extensions.push({ type: TLS_EXTENSION.ecPointFormats, data: pointFormatsData(options.ecPointFormats) });
  if (options.echBytes !== undefined) extensions.push({ type: TLS_EXTENSION.encryptedClientHello, data: new Uint8Array(options.echBytes) });
  if (options.paddingBytes !== undefined) extensions.push({ type: TLS_EXTENSION.padding, data: new Uint8Array(options.paddingBytes) });
  for (const e of options.extraExtensions ?? []) extensions.push(e);
  const recordVersion = options.recordVersion ?? 0x0301;
  const hs = handshakeBytes({
    recordVersion,
    handshakeVersion: options.handshakeVersion ?? 0x0303,
    random: options.random ?? new Uint8Array(TLS_RANDOM_BYTES),
    sessionId: options.sessionId ?? new Uint8Array(0),
    cipherSuites: options.cipherSuites ?? DEFAULT_CIPHER_SUITES,
    compressionMethods: options.compressionMethods ?? [0],
    extensions,
  });
  const maxRecordBytes = options.maxRecordBytes ?? TLS_MAX_PLAINTEXT_BYTES;
  return recordBytes(hs, recordVersion, Math.ceil(hs.length / maxRecordBytes));
}

function layerBytes(layer: TlsClientHelloLayer): Uint8Array {
  const extensions: Extension[] = layer.extensions.map((e) => {
    switch (e.type) {
      case TLS_EXTENSION.serverName:
        return { type: e.type, data: serverNameData(layer.serverNames) };
      case TLS_EXTENSION.alpn:
        return { type: e.type, data: alpnData(layer.alpn) };
      case TLS_EXTENSION.supportedVersions:
        return { type: e.type, data: versionsData(layer.supportedVersions) };
      case TLS_EXTENSION.supportedGroups:
        return { type: e.type, data: sized(groupsData(layer.supportedGroups), e.length) };
      case TLS_EXTENSION.ecPointFormats:
        return { type: e.type, data: sized(pointFormatsData(layer.ecPointFormats), e.length) };
      default:
        return { type: e.type, data: new Uint8Array(e.length) };
    }
  });
  const hs = handshakeBytes({
    recordVersion: layer.recordVersion,
    handshakeVersion: layer.handshakeVersion,
    random: hexToBytes(layer.random),
    sessionId: hexToBytes(layer.sessionId),
    cipherSuites: layer.cipherSuites,
    compressionMethods: layer.compressionMethods,
    extensions: extensions.length > 0 ? extensions : null,
  });
  return recordBytes(hs, layer.recordVersion, Math.min(hs.length, Math.max(1, layer.records)));
}

/** Writes the layer's hello (its records) at `offset`; returns the end index. */
export function encodeTlsClientHelloLayer(layer: TlsClientHelloLayer, out: Uint8Array, offset: number): number {
  const b = layerBytes(layer);
  out.set(b, offset);
  return offset + b.length;
}

export function tlsClientHelloLayerEncodingLength(layer: TlsClientHelloLayer): number {
  return layerBytes(layer).length;
}
