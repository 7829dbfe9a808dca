/**
 * Encrypted ClientHello (ECH, RFC 9849, formerly draft-ietf-tls-esni) on a written capture: every TLS
 * ClientHello that names a server becomes the outer hello a client with an ECH config sends. Its
 * server_name is the client-facing server's public name, the same for every device, and the real
 * hello (with the real name) travels encrypted in an `encrypted_client_hello` extension (0xfe0d):
 *
 *   ECHClientHello { type = outer (0); cipher_suite (kdf_id, aead_id); config_id; enc<0..2^16-1>; payload<1..2^16-1> }
 *
 * The deployment modelled is Cloudflare's, the one a vendor's cloud would sit behind: public name
 * `cloudflare-ech.com` ("the SNI that all websites will share on Cloudflare",
 * developers.cloudflare.com/ssl/edge-certificates/ech/), and its published ECHConfig (quoted on
 * ntc.party, decoded: config id 0xf2, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256 with AES-128-GCM,
 * maximum_name_length 0). The same shape is in the shared capture tls13-ech-outer-sni.pcap (Zeek's
 * tls13-ech trace, Chrome to 162.159.138.85): outer SNI cloudflare-ech.com, an 0xfe0d extension of
 * 186 bytes = 1 + 4 + 1 + 2 + 32 (enc) + 2 + 144 (payload: 128 bytes of inner hello and the 16-byte tag).
 *
 * The payload's length is what RFC 9849 makes it: the EncodedClientHelloInner (the hello without
 * its session id, with the real server_name, the inner `encrypted_client_hello` marker, and every other
 * extension of the outer hello referenced by one `ech_outer_extensions`, §5.1) padded as §6.1.3 says
 * (to maximum_name_length for the name, then to a multiple of 32), plus the AEAD tag. Its bytes are
 * random, as ciphertext is to an observer; so is `enc`, the HPKE encapsulated key.
 *
 * The connections keep their server addresses. Behind a CDN a vendor's cloud would be reached at the
 * CDN's addresses (the Zeek trace's 162.159.138.85 is Cloudflare's), so an observer who maps addresses
 * to their owners learns less from real ECH than from this capture: the model errs on the observer's
 * side. `peephole devices` names no one by address alone.
 *
 * On the wire the record grows: its header's and the handshake's lengths follow, the bytes go at the
 * record's end in its last segment (or, past the MSS, in a segment right after it), and every later
 * sequence and acknowledgement number shifts by as much (tcp-edits.ts). A connection to DNS over TLS
 * (port 853) keeps its hello: a DoT client is configured with its resolver's name and looks up no
 * HTTPS record to find an ECH config in. A hello the capture does not hold whole (cut by the snap length,
 * or its first bytes missed) is left as it is, and counted in the notes; so is one that ends inside a
 * segment too full to grow. Only hellos that open their TCP stream are looked for: not one after a
 * plain-text start (STARTTLS), nor QUIC's (peephole reads no QUIC, and its simulated devices send none).
 */
import { putU16be, u16be } from '../../core/bytes.js';
import type { Random } from '../../core/random.js';
import type { FrameContext, FrameDefence } from './frame-defence.js';
import { capturedPayload, PROTO_TCP, synMss, TCP_ACK, TCP_PSH, TCP_SYN } from './frame-bytes.js';
import type { HeldFrame } from './held-capture.js';
import { TcpEditor, TLS_RECORD_HEADER_BYTES, type Connection, type Direction } from './tcp-edits.js';

export interface EchOptions {
  /** The client-facing server's public name, sent as the outer hello's server_name. */
  readonly publicName: string;
  readonly configId: number;
  /** ECHConfig maximum_name_length: the inner name is padded to at least this many bytes (§6.1.3). */
  readonly maxNameLength: number;
}

/** The encrypted_client_hello extension (RFC 9849 §11.1) and ech_outer_extensions (§5.1). */
export const EXT_ENCRYPTED_CLIENT_HELLO = 0xfe0d;
const EXT_ECH_OUTER_EXTENSIONS = 0xfd00;
const EXT_SERVER_NAME = 0;
const EXT_PADDING = 21;
const EXT_PRE_SHARED_KEY = 41;
const ECH_OUTER = 0;
/** HKDF-SHA256 and AES-128-GCM (RFC 9180 §7.2, §7.3), the suite of Cloudflare's config. */
const KDF_HKDF_SHA256 = 0x0001;
const AEAD_AES_128_GCM = 0x0001;
/** DHKEM(X25519, HKDF-SHA256)'s encapsulated key: 32 bytes (RFC 9180 §7.1). */
const ENC_BYTES = 32;
const AEAD_TAG_BYTES = 16;
const TLS_HANDSHAKE = 22;
const HANDSHAKE_CLIENT_HELLO = 1;
const HANDSHAKE_HEADER_BYTES = 4;
/** The longest TLSPlaintext fragment (RFC 8446 §5.1): a hello that would outgrow it is left alone. */
const TLS_MAX_PLAINTEXT = 2 ** 14;
const DOT_PORT = 853;
const DEFAULT_MSS = 1448;

interface Extension {
  readonly type: number;
  readonly data: Uint8Array;
}

/** A ClientHello's parts (the handshake body), or null when `body` is not one this can rewrite. */
interface ClientHello {
  /** legacy_version, random and legacy_session_id, as sent. */
  readonly head: Uint8Array;
  readonly cipherSuites: Uint8Array;
  readonly compression: Uint8Array;
  readonly extensions: Extension[];
}

function parseClientHello(body: Uint8Array): ClientHello | null {
  if (body.length < 2 + 32 + 1) return null;
  let p = 2 + 32;
  const sid = body[p];
  p += 1 + sid;
  if (p + 2 > body.length) return null;
  const head = body.subarray(0, p);
  const cs = u16be(body, p);
  if (p + 2 + cs > body.length) return null;
  const cipherSuites = body.subarray(p, p + 2 + cs);
  p += 2 + cs;
  if (p + 1 > body.length) return null;
  const comp = body[p];
  if (p + 1 + comp > body.length) return null;
  const compression = body.subarray(p, p + 1 + comp);
  p += 1 + comp;
  if (p + 2 > body.length) return null;
  const extLen = u16be(body, p);
  p += 2;
  if (p + extLen !== body.length) return null;
  const extensions: Extension[] = [];
  while (p < body.length) {
    if (p + 4 > body.length) return null;
    const type = u16be(body, p);
    const len = u16be(body, p + 2);
    if (p + 4 + len > body.length) return null;
    extensions.push({ type, data: body.subarray(p + 4, p + 4 + len) });
    p += 4 + len;
  }
  return { head, cipherSuites, compression, extensions };
}

/** The host name a server_name extension carries (RFC 6066 §3), or null. */
function hostName(data: Uint8Array): string | null {
  if (data.length < 5 || u16be(data, 0) !== data.length - 2 || data[2] !== 0) return null;
  const len = u16be(data, 3);
  if (5 + len > data.length) return null;
  return new TextDecoder().decode(data.subarray(5, 5 + len));
}

function serverNameExtension(name: string): Uint8Array {
  const bytes = new TextEncoder().encode(name);
  const out = new Uint8Array(5 + bytes.length);
  putU16be(out, 0, 3 + bytes.length);
  out[2] = 0;
  putU16be(out, 3, bytes.length);
  out.set(bytes, 5);
  return out;
}

const extensionBytes = (list: readonly Extension[]): number => list.reduce((n, e) => n + 4 + e.data.length, 0);

/**
 * The EncodedClientHelloInner's length once padded (RFC 9849 §5.1, §6.1.3): the hello without a
 * session id, its extensions its own server_name (`nameBytes` long), the inner ECH marker (one byte)
 * and one ech_outer_extensions naming `referenced` extensions of the outer hello.
 */
export function paddedInnerLength(hello: Pick<ClientHello, 'cipherSuites' | 'compression'>, nameBytes: number, referenced: number, maxNameLength: number): number {
  const extensions = 4 + 5 + nameBytes + (4 + 1) + (referenced > 0 ? 4 + 1 + 2 * referenced : 0);
  const unpadded = 2 + 32 + 1 + hello.cipherSuites.length + hello.compression.length + 2 + extensions;
  const named = unpadded + Math.max(0, maxNameLength - nameBytes);
  return named + (31 - ((named - 1) % 32));
}

/** The outer ECHClientHello extension's body for an inner hello of `innerLength` bytes. */
function echExtension(options: EchOptions, innerLength: number, random: Random): Uint8Array {
  const payload = innerLength + AEAD_TAG_BYTES;
  const out = new Uint8Array(1 + 4 + 1 + 2 + ENC_BYTES + 2 + payload);
  let p = 0;
  out[p++] = ECH_OUTER;
  putU16be(out, p, KDF_HKDF_SHA256);
  putU16be(out, p + 2, AEAD_AES_128_GCM);
  p += 4;
  out[p++] = options.configId;
  putU16be(out, p, ENC_BYTES);
  p += 2;
  out.set(random.bytes(ENC_BYTES), p);
  p += ENC_BYTES;
  putU16be(out, p, payload);
  p += 2;
  out.set(random.bytes(payload), p);
  return out;
}

/**
 * The outer hello's TLS record for the ClientHello record `record` (header included), or null when
 * it is not one ECH applies to: not a lone ClientHello, no server name, already ECH, or already the
 * public name.
 */
export function echOuterRecord(record: Uint8Array, options: EchOptions, random: Random): Uint8Array | null {
  if (record.length < TLS_RECORD_HEADER_BYTES + HANDSHAKE_CLIENT_HELLO || record[0] !== TLS_HANDSHAKE) return null;
  const fragment = record.subarray(TLS_RECORD_HEADER_BYTES);
  if (fragment.length < HANDSHAKE_HEADER_BYTES || fragment[0] !== HANDSHAKE_CLIENT_HELLO) return null;
  const bodyLength = (fragment[1] << 16) | (fragment[2] << 8) | fragment[3];
  if (HANDSHAKE_HEADER_BYTES + bodyLength !== fragment.length) return null;
  const hello = parseClientHello(fragment.subarray(HANDSHAKE_HEADER_BYTES));
  if (hello === null || hello.extensions.some((e) => e.type === EXT_ENCRYPTED_CLIENT_HELLO)) return null;
  const sni = hello.extensions.find((e) => e.type === EXT_SERVER_NAME);
  const name = sni === undefined ? null : hostName(sni.data);
  if (name === null || name.toLowerCase() === options.publicName) return null;
  const referenced = hello.extensions.filter((e) => e.type !== EXT_SERVER_NAME && e.type !== EXT_PADDING).length;
  const inner = paddedInnerLength(hello, new TextEncoder().encode(name).length, referenced, options.maxNameLength);
  const ech: Extension = { type: EXT_ENCRYPTED_CLIENT_HELLO, data: echExtension(options, inner, random) };
  const outer: Extension[] = hello.extensions.map((e) => (e.type === EXT_SERVER_NAME ? { type: e.type, data: serverNameExtension(options.publicName) } : e));
  // pre_shared_key must be the last extension (RFC 8446 §4.2.11), and padding sits before it.
  const tail = outer.findIndex((e) => e.type === EXT_PADDING || e.type === EXT_PRE_SHARED_KEY);
  outer.splice(tail < 0 ? outer.length : tail, 0, ech);
  const body = hello.head.length + hello.cipherSuites.length + hello.compression.length + 2 + extensionBytes(outer);
  const fragmentLength = HANDSHAKE_HEADER_BYTES + body;
  if (fragmentLength > TLS_MAX_PLAINTEXT) return null;
  const out = new Uint8Array(TLS_RECORD_HEADER_BYTES + fragmentLength);
  out.set(record.subarray(0, 3), 0);
  putU16be(out, 3, fragmentLength);
  let p = TLS_RECORD_HEADER_BYTES;
  out[p] = HANDSHAKE_CLIENT_HELLO;
  out[p + 1] = (body >> 16) & 0xff;
  out[p + 2] = (body >> 8) & 0xff;
  out[p + 3] = body & 0xff;
  p += HANDSHAKE_HEADER_BYTES;
  for (const part of [hello.head, hello.cipherSuites, hello.compression]) {
    out.set(part, p);
    p += part.length;
  }
  putU16be(out, p, extensionBytes(outer));
  p += 2;
  for (const e of outer) {
    putU16be(out, p, e.type);
    putU16be(out, p + 2, e.data.length);
    out.set(e.data, p + 4);
    p += 4 + e.data.length;
  }
  return out;
}

/** The bytes at the start of a direction's stream, [0, length), or null when the capture does not hold them all. */
function streamStart(d: Direction, editor: TcpEditor, frames: readonly HeldFrame[], length: number): Uint8Array | null {
  const out = new Uint8Array(length);
  let covered = 0;
  const pieces: { x: number; bytes: Uint8Array }[] = [];
  for (const i of d.frames) {
    const info = editor.infos[i]!;
    if (info.payloadLen === 0) continue;
    const x = d.rel(info.seq);
    if (x < length && x + info.payloadLen > 0) pieces.push({ x, bytes: capturedPayload(frames[i].data, info) });
  }
  pieces.sort((a, b) => a.x - b.x);
  for (const p of pieces) {
    if (p.x > covered) break;
    const end = Math.min(length, p.x + p.bytes.length);
    if (end <= covered) continue;
    out.set(p.bytes.subarray(covered - p.x, end - p.x), covered);
    covered = end;
  }
  return covered === length ? out : null;
}

/** The MSS the peer's SYN advertised to direction `dir`, or null. */
function peerMss(conn: Connection, dir: 0 | 1, editor: TcpEditor, frames: readonly HeldFrame[]): number | null {
  for (const i of conn.dirs[1 - dir].frames) {
    const info = editor.infos[i]!;
    if ((info.flags & TCP_SYN) === 0) return null;
    return synMss(frames[i].data, info.l4, info.l4Header);
  }
  return null;
}

export function echFrames(options: EchOptions): FrameDefence {
  return {
    apply(frames: readonly HeldFrame[], context: FrameContext): HeldFrame[] {
      const editor = new TcpEditor(frames);
      let rewritten = 0;
      let left = 0;
      let addedFrames = 0;
      for (const conn of editor.connections.values()) {
        for (const dir of [0, 1] as const) {
          const d = conn.dirs[dir];
          const first = d.frames.find((i) => editor.infos[i]!.payloadLen > 0);
          if (first === undefined) continue;
          const info = editor.infos[first]!;
          if (info.proto !== PROTO_TCP || info.dstPort === DOT_PORT) continue;
          // A hello begins its stream: handshake record, ClientHello message.
          const head = capturedPayload(frames[first].data, info);
          const looksLikeHello = head.length >= 6 && head[0] === TLS_HANDSHAKE && head[1] === 3 && head[5] === HANDSHAKE_CLIENT_HELLO;
          if (!looksLikeHello) continue;
          // Its stream starts there (after a SYN, or at the first byte the capture saw of a connection begun before it).
          const recordLength = TLS_RECORD_HEADER_BYTES + u16be(head, 3);
          const record = d.rel(info.seq) === 0 ? streamStart(d, editor, frames, recordLength) : null;
          if (record === null) {
            left++;
            continue;
          }
          const outer = echOuterRecord(record, options, context.random);
          if (outer === null) continue;
          if (outer.length < record.length) throw new RangeError(`ech: an outer hello of ${outer.length} bytes for one of ${record.length}`);
          // The grown bytes go at the record's end: in the segment that ends it while that stays within
          // the MSS, the rest (when the record ends its segment) in segments right after it.
          const last = d.frames.find((i) => {
            const x = d.rel(editor.infos[i]!.seq);
            return x < recordLength && x + editor.infos[i]!.payloadLen >= recordLength;
          })!;
          const lastInfo = editor.infos[last]!;
          const mss = peerMss(conn, dir, editor, frames) ?? Math.max(DEFAULT_MSS, d.maxPayload);
          const endsSegment = d.rel(lastInfo.seq) + lastInfo.payloadLen === recordLength;
          const grown = outer.subarray(record.length);
          const inPlace = Math.min(grown.length, Math.max(0, mss - lastInfo.payloadLen));
          if (inPlace < grown.length && !endsSegment) {
            left++;
            continue;
          }
          rewritten++;
          for (let j = 0; j < record.length; j++) if (outer[j] !== record[j]) d.patches.set(j, outer[j]);
          if (inPlace > 0) d.addGrowth(recordLength, grown.slice(0, inPlace));
          const rest = grown.subarray(inPlace);
          if (rest.length > 0) {
            const t = frames[last].timeUs + 1;
            const segments = [];
            for (let o = 0; o < rest.length; o += mss) segments.push({ timeUs: t, dir, flags: TCP_ACK | TCP_PSH, payload: rest.slice(o, Math.min(rest.length, o + mss)) });
            editor.addSegments(conn, segments);
            addedFrames += segments.length;
          }
        }
      }
      if (left > 0) context.ledger.notes.push(`${left} ClientHello(s) left as they were: cut by the snap length, their first bytes missed, or no room after them in their segment`);
      const out = editor.emit();
      let bytes = 0;
      for (const f of out) bytes += f.origLen;
      for (const f of frames) bytes -= f.origLen;
      context.ledger.add('encrypted ClientHello', addedFrames, bytes);
      if (rewritten === 0 && left === 0) context.ledger.notes.push('no ClientHello named a server');
      return out;
    },
  };
}
