/**
 * SSDP (UPnP Device Architecture §1, HTTP over UDP on port 1900): the start line of a NOTIFY or
 * M-SEARCH request or of a response (`HTTP/1.1 200 OK`), and its headers, with the ones a device
 * finder wants (SERVER, USER-AGENT, USN, NT, ST, LOCATION, NTS) in fields of their own.
 *
 * ```ts
 * const ssdp = ssdpCodec.decode(bytes, udpPayloadStart, udpPayloadEnd, ctx); // SsdpLayer | null
 * if (ssdp?.method === 'NOTIFY') console.log(ssdp.server, ssdp.location); // 'Linux/3.4 UPnP/1.0 ...' 'http://...'
 * ```
 *
 * Bounded: at most {@link MAX_SSDP_HEADERS} headers are kept and a line longer than
 * {@link MAX_SSDP_LINE_BYTES} is cut there (each with an anomaly). Text is the line's bytes read as
 * UTF-8 (an invalid sequence as U+FFFD), names and values trimmed of spaces and tabs and otherwise
 * kept as they are, control characters included: it is untrusted, and whoever shows it escapes it.
 * Lines end with CRLF or a bare LF. Header names match the named fields whatever their case; a
 * header repeated keeps every copy in `headers`, the named field the first.
 *
 * The header is the start line and the header lines through the empty line that ends them; what
 * follows (a body, rare in SSDP) is the payload.
 */
import type { DecodeContext } from '../context.js';
import type { LayerBase, LayerCodec } from '../layer.js';
import type { ReportedEndContext } from '../net/reported-end.js';
import { findByte, utf8Text } from './display-text.js';

export interface SsdpHeader {
  /** As written (case kept). */
  readonly name: string;
  readonly value: string;
}

export interface SsdpLayer extends LayerBase {
  readonly kind: 'ssdp';
  /** Request method (`NOTIFY`, `M-SEARCH`), null for a response. */
  readonly method: string | null;
  /** Request target (`*`), null for a response. */
  readonly uri: string | null;
  /** `HTTP/1.1`. */
  readonly version: string;
  /** Response status code (200), null for a request. */
  readonly statusCode: number | null;
  /** Response reason phrase (`OK`), null for a request. */
  readonly reason: string | null;
  readonly server: string | null;
  readonly userAgent: string | null;
  /** Unique service name: `uuid:...::urn:schemas-upnp-org:device:...`. */
  readonly usn: string | null;
  /** Notification type (NOTIFY). */
  readonly nt: string | null;
  /** Search target (M-SEARCH and its responses). */
  readonly st: string | null;
  /** URL of the device description. */
  readonly location: string | null;
  /** Notification sub type: `ssdp:alive`, `ssdp:byebye`, `ssdp:update`. */
  readonly nts: string | null;
  /** Every header line kept, in order. */
  readonly headers: readonly SsdpHeader[];
}

/** Most header lines kept from one message. */
export const MAX_SSDP_HEADERS = 64;
/** Longest line kept, in bytes (without its line end). */
export const MAX_SSDP_LINE_BYTES = 2048;

export const SSDP_ANOMALIES: Readonly<Record<string, string>> = {
  ssdp_bad_start_line: 'the first line is neither a request line (METHOD URI HTTP/x.y) nor a status line (HTTP/x.y CODE REASON): not decoded',
  ssdp_bad_header_line: 'a header line has no colon or an empty name: skipped',
  ssdp_line_too_long: `a line is longer than ${MAX_SSDP_LINE_BYTES} bytes: kept cut there`,
  ssdp_too_many_headers: `more than ${MAX_SSDP_HEADERS} header lines: the rest are not read`,
  ssdp_truncated: 'the message ends before the empty line that ends the headers',
  ssdp_snapped: 'the capture snap length cut the SSDP message: decoded what was captured',
};

const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;
const COLON = 0x3a;
const HTTP_VERSION = /^HTTP\/\d+\.\d+$/;
const STATUS_CODE = /^\d{3}$/;
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const utf8Encoder = new TextEncoder();


/** A method and `HTTP/` both start with a letter: anything else is not SSDP, decided without reading further. */
function isLetter(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

function isBlank(c: number): boolean {
  return c === SPACE || c === TAB;
}

/** The named header fields, filled as header lines are read. */
class NamedHeaders {
  server: string | null = null;
  userAgent: string | null = null;
  usn: string | null = null;
  nt: string | null = null;
  st: string | null = null;
  location: string | null = null;
  nts: string | null = null;

  take(name: string, value: string): void {
    switch (name.toUpperCase()) {
      case 'SERVER':
        this.server ??= value;
        return;
      case 'USER-AGENT':
        this.userAgent ??= value;
        return;
      case 'USN':
        this.usn ??= value;
        return;
      case 'NT':
        this.nt ??= value;
        return;
      case 'ST':
        this.st ??= value;
        return;
      case 'LOCATION':
        this.location ??= value;
        return;
      case 'NTS':
        this.nts ??= value;
        return;
      default:
        return;
    }
  }
}


/** The line `b[p, lf)` without its CR, cut to the bound (with an anomaly): [start, end). */
function lineContent(b: Uint8Array, p: number, lf: number, ctx: DecodeContext): number {
  let e = lf > p && b[lf - 1] === CR ? lf - 1 : lf;
  if (e - p > MAX_SSDP_LINE_BYTES) {
    ctx.anomaly('ssdp_line_too_long', p, `line of ${e - p} bytes, kept ${MAX_SSDP_LINE_BYTES}`);
    e = p + MAX_SSDP_LINE_BYTES;
  }
  return e;
}

/**
 * Decodes the SSDP message `bytes[offset, end)` (a UDP payload). Null (with `ssdp_bad_start_line`)
 * when the first line is not an HTTP start line; otherwise the layer with the headers that could be
 * read.
 */
export function decodeSsdp(bytes: Uint8Array, offset: number, end: number, ctx: DecodeContext): SsdpLayer | null {
  if (end <= offset || !isLetter(bytes[offset])) {
    ctx.anomaly('ssdp_bad_start_line', offset, end <= offset ? 'empty message' : `starts with byte 0x${bytes[offset].toString(16).padStart(2, '0')}`);
    return null;
  }
  let lf = findByte(bytes, LF, offset, end);
  const first = utf8Text(bytes, offset, lineContent(bytes, offset, lf, ctx));
  const parts = first.split(' ');
  let method: string | null = null;
  let uri: string | null = null;
  let version: string;
  let statusCode: number | null = null;
  let reason: string | null = null;
  if (parts.length >= 2 && HTTP_VERSION.test(parts[0]) && STATUS_CODE.test(parts[1])) {
    version = parts[0];
    statusCode = Number(parts[1]);
    reason = parts.slice(2).join(' ');
  } else if (parts.length === 3 && TOKEN.test(parts[0]) && parts[1] !== '' && HTTP_VERSION.test(parts[2])) {
    method = parts[0];
    uri = parts[1];
    version = parts[2];
  } else {
    ctx.anomaly('ssdp_bad_start_line', offset, `not an HTTP start line: ${JSON.stringify(first.slice(0, 40))}`);
    return null;
  }
  const named = new NamedHeaders();
  const headers: SsdpHeader[] = [];
  let headerEnd = -1;
  let p = lf + 1;
  while (p < end) {
    lf = findByte(bytes, LF, p, end);
    if (lf === end) break; // a last line without its line end: the message was cut inside it
    const e = lineContent(bytes, p, lf, ctx);
    if (e === p) {
      headerEnd = lf + 1;
      break;
    }
    if (headers.length >= MAX_SSDP_HEADERS) {
      ctx.anomaly('ssdp_too_many_headers', p, `more than ${MAX_SSDP_HEADERS} header lines`);
      headerEnd = end;
      break;
    }
    const colon = findByte(bytes, COLON, p, e);
    let ne = colon === e ? p : colon;
    while (ne > p && isBlank(bytes[ne - 1])) ne--;
    if (ne === p || isBlank(bytes[p])) {
      ctx.anomaly('ssdp_bad_header_line', p, colon === e ? 'header line without a colon' : 'header line with an empty or folded name');
    } else {
      let vs = colon + 1;
      let ve = e;
      while (vs < ve && isBlank(bytes[vs])) vs++;
      while (ve > vs && isBlank(bytes[ve - 1])) ve--;
      const header: SsdpHeader = { name: utf8Text(bytes, p, ne), value: utf8Text(bytes, vs, ve) };
      headers.push(header);
      named.take(header.name, header.value);
    }
    p = lf + 1;
  }
  if (headerEnd < 0) {
    const reported = (ctx as ReportedEndContext).reportedEnd;
    const snapped = reported !== undefined && reported > end;
    ctx.anomaly(snapped ? 'ssdp_snapped' : 'ssdp_truncated', end, 'the message ends before the empty line that ends its headers');
    headerEnd = end;
  }
  return {
    kind: 'ssdp',
    offset: offset - ctx.base,
    headerLength: headerEnd - offset,
    payloadLength: end - headerEnd,
    method,
    uri,
    version,
    statusCode,
    reason,
    server: named.server,
    userAgent: named.userAgent,
    usn: named.usn,
    nt: named.nt,
    st: named.st,
    location: named.location,
    nts: named.nts,
    headers,
  };
}

/** The text {@link encodeSsdp} writes: the start line, `Name: value` lines and an empty line, each ending in CRLF. */
function ssdpText(layer: SsdpLayer): string {
  let s = layer.method !== null ? `${layer.method} ${layer.uri ?? '*'} ${layer.version}\r\n` : `${layer.version} ${layer.statusCode ?? 200} ${layer.reason ?? ''}\r\n`;
  for (const h of layer.headers) s += `${h.name}: ${h.value}\r\n`;
  return `${s}\r\n`;
}

/** Writes the message `layer` describes (UTF-8) at `offset`; returns the end index. The named fields are not written: `headers` holds them. */
export function encodeSsdp(layer: SsdpLayer, out: Uint8Array, offset: number): number {
  const bytes = utf8Encoder.encode(ssdpText(layer));
  out.set(bytes, offset);
  return offset + bytes.length;
}

export const ssdpCodec: LayerCodec<SsdpLayer> = {
  kind: 'ssdp',
  decode: decodeSsdp,
  encode: encodeSsdp,
  encodingLength: (layer: SsdpLayer): number => utf8Encoder.encode(ssdpText(layer)).length,
};

export interface SsdpInit {
  /** A request (`NOTIFY`, `M-SEARCH`) when given, else a response. */
  readonly method?: string;
  readonly uri?: string;
  readonly statusCode?: number;
  readonly reason?: string;
  readonly version?: string;
  readonly headers: readonly (readonly [name: string, value: string])[];
}

/**
 * An SSDP layer for tests and the simulator, as the decoder reads it from {@link encodeSsdp}'s bytes
 * (offset 0, the named fields filled from the headers).
 *
 * ```ts
 * makeSsdp({ method: 'M-SEARCH', headers: [['HOST', '239.255.255.250:1900'], ['MAN', '"ssdp:discover"'], ['MX', '1'], ['ST', 'ssdp:all']] });
 * ```
 */
export function makeSsdp(init: SsdpInit): SsdpLayer {
  const request = init.method !== undefined;
  const named = new NamedHeaders();
  const headers = init.headers.map(([name, value]): SsdpHeader => ({ name, value }));
  for (const h of headers) named.take(h.name, h.value);
  const draft: SsdpLayer = {
    kind: 'ssdp',
    offset: 0,
    headerLength: 0,
    payloadLength: 0,
    method: request ? init.method! : null,
    uri: request ? (init.uri ?? '*') : null,
    version: init.version ?? 'HTTP/1.1',
    statusCode: request ? null : (init.statusCode ?? 200),
    reason: request ? null : (init.reason ?? 'OK'),
    server: named.server,
    userAgent: named.userAgent,
    usn: named.usn,
    nt: named.nt,
    st: named.st,
    location: named.location,
    nts: named.nts,
    headers,
  };
  return { ...draft, headerLength: ssdpCodec.encodingLength(draft) };
}
