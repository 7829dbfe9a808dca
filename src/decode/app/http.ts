/**
 * The head of a plain-HTTP message (HTTP/1.x over TCP, on the ports tshark binds to HTTP: 80 and
 * 8080 here): a request's line and headers, for what a device says of itself in clear — the `Host` it
 * asks and its `User-Agent` (firmware and SDK names: `Withings UserAgent`, `Roku/DVP-9.10`,
 * `Dalvik/2.1.0`) — and a response's status line and `Server` (a device's own web server:
 * `lighttpd/1.4.34`, `Boa/0.94.14rc21`).
 *
 * ```ts
 * const http = httpCodec.decode(bytes, tcpPayloadStart, tcpPayloadEnd, ctx); // HttpLayer | null
 * if (http?.method !== null) console.log(http.method, http.host, http.userAgent); // 'GET' 'scalews.withings.net' 'Withings UserAgent'
 * ```
 *
 * As tshark 4.0 shows `http.request.method`, `http.request.uri`, `http.response.code`, `http.host`,
 * `http.user_agent` and `http.server`: the header value after the colon and the blanks after it (blanks
 * at its end kept, as tshark keeps them);
 * text is the bytes read as UTF-8 (an invalid sequence as U+FFFD), control characters kept: it is
 * untrusted and whoever shows it escapes it. Lines end with CRLF or a bare LF; a header name matches
 * whatever its case, and a repeated header keeps its first value in the named field.
 *
 * A head split over segments is put together by {@link HttpHeads} (in order, bounded) and given on
 * the segment that completes it, as tshark does. Anything else on the port (a body, a segment that
 * starts no head) gives no layer and no anomaly: most segments there are bodies, and no `packets`
 * column holds an HTTP field. Bounded: at most {@link MAX_HTTP_HEADERS} header lines, a head of at
 * most {@link MAX_HTTP_HEAD_BYTES} bytes.
 */
import type { DecodeContext } from '../context.js';
import type { LayerBase, LayerCodec } from '../layer.js';
import { asciiText, findByte, utf8Text } from './display-text.js';

export interface HttpHeader {
  readonly name: string;
  readonly value: string;
}

export interface HttpLayer extends LayerBase {
  readonly kind: 'http';
  /** True when the head was put together from several segments (`offset`: this segment's payload). */
  readonly reassembled: boolean;
  /** A request's method and target; null in a response. */
  readonly method: string | null;
  readonly uri: string | null;
  /** A response's status code; null in a request. */
  readonly statusCode: number | null;
  /** `HTTP/1.1`. */
  readonly version: string;
  readonly host: string | null;
  readonly userAgent: string | null;
  readonly server: string | null;
  /** Every header line read, in order. */
  readonly headers: readonly HttpHeader[];
}

export const MAX_HTTP_HEADERS = 64;
export const MAX_HTTP_HEAD_BYTES = 8192;
/** The TCP ports HTTP heads are read on: tshark 4.0 binds both to HTTP and neither to TLS (data/tshark-tls-ports.tsv). */
export const HTTP_TCP_PORTS = [80, 8080] as const;

const LF = 0x0a;
const CR = 0x0d;
const COLON = 0x3a;
const SPACE = 0x20;
const TAB = 0x09;
/** The methods read as a request's start (RFC 9110's, and UPnP's over TCP). */
const METHODS = new Set(['GET', 'POST', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'CONNECT', 'TRACE', 'SUBSCRIBE', 'UNSUBSCRIBE', 'NOTIFY']);
const HTTP_VERSION = /^HTTP\/1\.[01]$/;
const STATUS_LINE = /^(HTTP\/1\.[01]) (\d{3})(?: |$)/;
const utf8Encoder = new TextEncoder();


const isBlank = (c: number): boolean => c === SPACE || c === TAB;
const isUpper = (c: number): boolean => (c >= 0x41 && c <= 0x5a) || c === 0x2d;

/** True when `bytes[start, end)` may start a head (an upper-case letter first): the cheap test before {@link headStart}. */
export function mayStartHttp(bytes: Uint8Array, start: number, end: number): boolean {
  return start < end && bytes[start] >= 0x41 && bytes[start] <= 0x5a;
}

/** True when the bytes begin a request line's method and a space, or `HTTP/1.` (a status line). */
export function headStart(b: Uint8Array, offset: number, end: number): boolean {
  if (!mayStartHttp(b, offset, end)) return false;
  if (end - offset >= 8 && asciiText(b, offset, offset + 7) === 'HTTP/1.') return true;
  let m = offset;
  while (m < end && m - offset < 12 && isUpper(b[m])) m++;
  return m < end && b[m] === SPACE && METHODS.has(asciiText(b, offset, m));
}

/** Index one past the blank line that ends the head in `b[offset, end)`, or -1 when it is not there. */
export function headEnd(b: Uint8Array, offset: number, end: number): number {
  for (let p = findByte(b, LF, offset, end); p < end; p = findByte(b, LF, p + 1, end)) {
    if (p + 1 < end && b[p + 1] === LF) return p + 2;
    if (p + 2 < end && b[p + 1] === CR && b[p + 2] === LF) return p + 3;
  }
  return -1;
}

/**
 * Decodes the head at `bytes[offset, end)`; null when it does not start with a request or status
 * line. The head ends at the blank line, or at `end` when the bytes end before one.
 */
export function decodeHttp(bytes: Uint8Array, offset: number, end: number, ctx: DecodeContext): HttpLayer | null {
  if (!headStart(bytes, offset, end)) return null;
  const limit = Math.min(end, offset + MAX_HTTP_HEAD_BYTES);
  let lf = findByte(bytes, LF, offset, limit);
  if (lf >= limit) return null;
  const first = utf8Text(bytes, offset, lf > offset && bytes[lf - 1] === CR ? lf - 1 : lf);
  let method: string | null = null;
  let uri: string | null = null;
  let statusCode: number | null = null;
  let version: string;
  const status = STATUS_LINE.exec(first);
  if (status !== null) {
    version = status[1];
    statusCode = Number(status[2]);
  } else {
    const sp1 = first.indexOf(' ');
    const sp2 = first.lastIndexOf(' ');
    if (sp2 <= sp1 || !HTTP_VERSION.test(first.slice(sp2 + 1))) return null;
    method = first.slice(0, sp1);
    uri = first.slice(sp1 + 1, sp2);
    version = first.slice(sp2 + 1);
  }
  const headers: HttpHeader[] = [];
  let host: string | null = null;
  let userAgent: string | null = null;
  let server: string | null = null;
  let headEndAt = end;
  for (let p = lf + 1; p < limit && headers.length < MAX_HTTP_HEADERS; p = lf + 1) {
    lf = findByte(bytes, LF, p, limit);
    if (lf === limit) break;
    const e = lf > p && bytes[lf - 1] === CR ? lf - 1 : lf;
    if (e === p) {
      headEndAt = lf + 1;
      break;
    }
    const colon = findByte(bytes, COLON, p, e);
    if (colon === e || colon === p || isBlank(bytes[p])) continue;
    let ne = colon;
    while (ne > p && isBlank(bytes[ne - 1])) ne--;
    let vs = colon + 1;
    const ve = e;
    while (vs < ve && isBlank(bytes[vs])) vs++;
    const h: HttpHeader = { name: utf8Text(bytes, p, ne), value: utf8Text(bytes, vs, ve) };
    headers.push(h);
    const name = h.name.toLowerCase();
    if (name === 'host') host ??= h.value;
    else if (name === 'user-agent') userAgent ??= h.value;
    else if (name === 'server') server ??= h.value;
  }
  return {
    kind: 'http',
    offset: offset - ctx.base,
    headerLength: headEndAt - offset,
    payloadLength: end - headEndAt,
    reassembled: false,
    method,
    uri,
    statusCode,
    version,
    host,
    userAgent,
    server,
    headers,
  };
}

/** Most directions with a head in progress at once, and segments one head may take. */
const MAX_HEADS_IN_PROGRESS = 256;
const MAX_HEAD_SEGMENTS = 16;

interface Pending {
  bytes: Uint8Array;
  length: number;
  nextSeq: number;
  segments: number;
}

/**
 * Heads split over segments, per direction: a segment that starts a head without its blank line is
 * kept, the next in-order segments appended, and the head decoded on the segment that completes it
 * (tshark's desegmentation of HTTP headers). Out-of-order or retransmitted segments end the attempt;
 * past {@link MAX_HEAD_SEGMENTS} segments or {@link MAX_HTTP_HEAD_BYTES} bytes, what was kept is decoded.
 */
export class HttpHeads {
  private readonly pending = new Map<string, Pending>();

  get size(): number {
    return this.pending.size;
  }

  push(key: string, seq: number, bytes: Uint8Array, start: number, end: number, ctx: DecodeContext): HttpLayer | null {
    const p = this.pending.get(key);
    if (p !== undefined) {
      if (seq >>> 0 !== p.nextSeq) {
        this.pending.delete(key);
      } else {
        const n = Math.min(end - start, MAX_HTTP_HEAD_BYTES - p.length);
        p.bytes.set(bytes.subarray(start, start + n), p.length);
        const from = Math.max(0, p.length - 3);
        p.length += n;
        p.nextSeq = (p.nextSeq + (end - start)) >>> 0;
        p.segments++;
        const done = headEnd(p.bytes, from, p.length) >= 0 || p.length >= MAX_HTTP_HEAD_BYTES || p.segments >= MAX_HEAD_SEGMENTS;
        if (!done) return null;
        this.pending.delete(key);
        const whole = decodeHttp(p.bytes, 0, p.length, { frame: ctx.frame, base: 0, anomaly: () => {} });
        if (whole === null) return null;
        return { ...whole, reassembled: true, offset: start - ctx.base, headerLength: end - start, payloadLength: 0 };
      }
    }
    if (!headStart(bytes, start, end)) return null;
    if (headEnd(bytes, start, Math.min(end, start + MAX_HTTP_HEAD_BYTES)) < 0 && end - start < MAX_HTTP_HEAD_BYTES) {
      if (this.pending.size >= MAX_HEADS_IN_PROGRESS) this.pending.delete(this.pending.keys().next().value as string);
      const buf = new Uint8Array(MAX_HTTP_HEAD_BYTES);
      buf.set(bytes.subarray(start, end));
      this.pending.set(key, { bytes: buf, length: end - start, nextSeq: (seq + (end - start)) >>> 0, segments: 1 });
      return null;
    }
    return decodeHttp(bytes, start, end, ctx);
  }

  /** Forgets a direction (on FIN or RST). */
  close(key: string): void {
    this.pending.delete(key);
  }
}

function headText(layer: HttpLayer): string {
  let s = layer.method !== null ? `${layer.method} ${layer.uri ?? '/'} ${layer.version}\r\n` : `${layer.version} ${layer.statusCode ?? 200} OK\r\n`;
  for (const h of layer.headers) s += `${h.name}: ${h.value}\r\n`;
  return `${s}\r\n`;
}

/** Writes the head (UTF-8) at `offset`; returns the end index. `headers` holds the named fields. */
export function encodeHttp(layer: HttpLayer, out: Uint8Array, offset: number): number {
  const bytes = utf8Encoder.encode(headText(layer));
  out.set(bytes, offset);
  return offset + bytes.length;
}

export const httpCodec: LayerCodec<HttpLayer> = {
  kind: 'http',
  decode: decodeHttp,
  encode: encodeHttp,
  encodingLength: (layer) => utf8Encoder.encode(headText(layer)).length,
};

/** A head for tests and the simulator (a request when `method` or no `statusCode` is given), as the decoder reads it back. */
export function makeHttp(init: { method?: string; uri?: string; statusCode?: number; headers: readonly (readonly [string, string])[] }): HttpLayer {
  const headers = init.headers.map(([name, value]) => ({ name, value }));
  const first = (n: string): string | null => headers.find((h) => h.name.toLowerCase() === n)?.value ?? null;
  const request = init.statusCode === undefined;
  const draft: HttpLayer = {
    kind: 'http',
    offset: 0,
    headerLength: 0,
    payloadLength: 0,
    reassembled: false,
    method: request ? (init.method ?? 'GET') : null,
    uri: request ? (init.uri ?? '/') : null,
    statusCode: request ? null : init.statusCode!,
    version: 'HTTP/1.1',
    host: first('host'),
    userAgent: first('user-agent'),
    server: first('server'),
    headers,
  };
  return { ...draft, headerLength: httpCodec.encodingLength(draft) };
}
