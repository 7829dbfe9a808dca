/**
 * DHCP messages (RFC 2131, options RFC 2132): the BOOTP fixed header, the magic cookie and the
 * options, with the ones that name a device (host name 12, vendor class 60, client identifier 61)
 * and a few others read into fields of their own.
 *
 * ```ts
 * const dhcp = dhcpCodec.decode(bytes, udpPayloadStart, udpPayloadEnd, ctx); // DhcpLayer | null
 * if (dhcp?.messageType === DHCP_MESSAGE_TYPE.REQUEST) console.log(dhcp.hostName, dhcp.vendorClass); // 'DCS-935L' 'udhcp 1.22.1'
 * const out = new Uint8Array(dhcpCodec.encodingLength(dhcp!));
 * dhcpCodec.encode(dhcp!, out, 0);
 * ```
 *
 * As tshark 4.0 does:
 * - text options (12, 15, 60) and the sname/file fields read as tshark's ASCII strings: up to the
 *   first NUL (so trailing NULs go), each byte at or above 0x80 as U+FFFD, control bytes kept as
 *   they are (see `formatAsciiField`); the text is untrusted, and whoever shows it escapes it;
 * - when option 52 (Option Overload) says the sname and/or file fields hold options, they are read
 *   there, at the place of option 52, the sname field first and then the file field (tshark's
 *   order), and `sname`/`file` are empty;
 * - an option repeated keeps every copy in `options`; the named fields hold the first.
 *
 * The decoder returns null only when the 236-byte fixed header is not there. Without the DHCP magic
 * cookie (plain BOOTP, or damage) the bytes after the fixed header are kept raw in `vendorData`.
 * The whole UDP payload is the message: `headerLength` covers it, the padding after the End option
 * included, and `payloadLength` is 0.
 */
import { u16be, u32be, u48be } from '../../core/bytes.js';
import type { DecodeContext } from '../context.js';
import type { LayerBase, LayerCodec } from '../layer.js';
import type { ReportedEndContext } from '../net/reported-end.js';
import { bytesToHex } from '../hex.js';
import { formatAsciiField } from './display-text.js';
import { dhcpEncodingLength, encodeDhcp } from './dhcp-encoder.js';
import {
  DHCP_CHADDR_BYTES,
  DHCP_CHADDR_OFFSET,
  DHCP_ETHERNET_HLEN,
  DHCP_FILE_BYTES,
  DHCP_FILE_OFFSET,
  DHCP_FIXED_HEADER_BYTES,
  DHCP_HTYPE_ETHERNET,
  DHCP_MAGIC_COOKIE,
  DHCP_MAGIC_COOKIE_BYTES,
  DHCP_OPTION,
  DHCP_OVERLOAD_FILE,
  DHCP_OVERLOAD_SNAME,
  DHCP_SNAME_BYTES,
  DHCP_SNAME_OFFSET,
} from './dhcp-constants.js';

/** Where an option sits: the options field, or a fixed field that option 52 overloads. */
export type DhcpOptionArea = 'options' | 'sname' | 'file';

export interface DhcpOption {
  readonly code: number;
  /** The length byte. */
  readonly length: number;
  /** The option's data as lower-case hex: `length` bytes, fewer when the message ends inside it. */
  readonly data: string;
  readonly area: DhcpOptionArea;
}

export interface DhcpLayer extends LayerBase {
  readonly kind: 'dhcp';
  /** 1 request (client), 2 reply (server). */
  readonly op: number;
  readonly htype: number;
  readonly hlen: number;
  readonly hops: number;
  /** Transaction id. */
  readonly xid: number;
  readonly secs: number;
  /** The flags word (top bit: broadcast). */
  readonly flags: number;
  /** Client, "your", next-server and relay-agent IPv4 addresses as unsigned 32-bit numbers. */
  readonly ciaddr: number;
  readonly yiaddr: number;
  readonly siaddr: number;
  readonly giaddr: number;
  /** The client's hardware address: a 48-bit number for Ethernet (htype 1, hlen 6), else hex of hlen (at most 16) bytes. */
  readonly chaddr: number | string;
  /** Server host name and boot file name ('' when not given or when option 52 overloads them). */
  readonly sname: string;
  readonly file: string;
  /** The 4 bytes after the fixed header (0x63825363 for DHCP), null when fewer were there (reported). */
  readonly magicCookie: number | null;
  /** Without the DHCP magic cookie: every byte after the fixed header as hex (cookie included); else ''. */
  readonly vendorData: string;
  /** Option 52: 1 file, 2 sname, 3 both hold options; 0 when absent. */
  readonly overload: number;
  /** Option 53 (1 Discover ... 8 Inform, see DHCP_MESSAGE_TYPE). */
  readonly messageType: number | null;
  /** Option 12, as tshark shows it. */
  readonly hostName: string | null;
  /** Option 60, as tshark shows it. */
  readonly vendorClass: string | null;
  /** Option 50. */
  readonly requestedIp: number | null;
  /** Option 54. */
  readonly serverId: number | null;
  /** Option 61 as hex (its first byte is a hardware type, 1 for a MAC). */
  readonly clientId: string | null;
  /** Option 55: the option codes the client asks for. */
  readonly parameterList: readonly number[] | null;
  /** Option 15, as tshark shows it. */
  readonly domainName: string | null;
  /** Option 51, seconds. */
  readonly leaseTime: number | null;
  /** Every option but Pad and End, in the order tshark lists them. */
  readonly options: readonly DhcpOption[];
  /** Bytes after the End option of the options field. */
  readonly paddingLength: number;
}

/** Most options kept from one message (a 1500-byte message holds at most ~630). */
export const MAX_DHCP_OPTIONS = 512;

export const DHCP_ANOMALIES: Readonly<Record<string, string>> = {
  dhcp_truncated: 'the message ends inside the 236-byte fixed header, the magic cookie or an option',
  dhcp_snapped: 'the capture snap length cut the DHCP message: decoded what was captured',
  dhcp_bad_magic_cookie: 'the 4 bytes after the fixed header are not 99.130.83.99: no DHCP options read',
  dhcp_bad_hardware_length: 'hlen is above 16, the size of the chaddr field',
  dhcp_bad_option_length: 'an option runs past the sname/file field holding it, or its length does not fit its type',
  dhcp_bad_overload: 'option 52 is not 1, 2 or 3, is repeated, or appears in a field it overloads: ignored',
  dhcp_end_missing: 'an options area ends without the End option (tshark: "End option missing")',
  dhcp_too_many_options: `more than ${MAX_DHCP_OPTIONS} options: the rest are not read`,
};
const IPV4_BYTES = 4;
const NO_OPTIONS: readonly DhcpOption[] = Object.freeze([]);
/** {@link readArea} results other than an index: the area ended without End; an option was cut (reported). */
const AREA_END_MISSING = -1;
const AREA_CUT = -2;

/** What the options read so far say: one object per message, of a fixed shape. */
class OptionsRead {
  readonly options: DhcpOption[] = [];
  overload = 0;
  messageType: number | null = null;
  hostName: string | null = null;
  vendorClass: string | null = null;
  requestedIp: number | null = null;
  serverId: number | null = null;
  clientId: string | null = null;
  parameterList: number[] | null = null;
  domainName: string | null = null;
  leaseTime: number | null = null;
}

function cutKind(ctx: DecodeContext, end: number): string {
  const reported = (ctx as ReportedEndContext).reportedEnd;
  return reported !== undefined && reported > end ? 'dhcp_snapped' : 'dhcp_truncated';
}

function badLength(ctx: DecodeContext, at: number, code: number, length: number, want: number): void {
  ctx.anomaly('dhcp_bad_option_length', at, `option ${code} has length ${length}, not ${want}`);
}

/** Reads the named fields of the complete option `code` whose data is `b[d, d + n)`. */
function readNamed(b: Uint8Array, at: number, d: number, n: number, code: number, r: OptionsRead, ctx: DecodeContext): void {
  switch (code) {
    case DHCP_OPTION.MESSAGE_TYPE:
      if (n !== 1) badLength(ctx, at, code, n, 1);
      else if (r.messageType === null) r.messageType = b[d];
      return;
    case DHCP_OPTION.HOST_NAME:
      if (r.hostName === null) r.hostName = formatAsciiField(b, d, d + n);
      return;
    case DHCP_OPTION.VENDOR_CLASS:
      if (r.vendorClass === null) r.vendorClass = formatAsciiField(b, d, d + n);
      return;
    case DHCP_OPTION.DOMAIN_NAME:
      if (r.domainName === null) r.domainName = formatAsciiField(b, d, d + n);
      return;
    case DHCP_OPTION.CLIENT_ID:
      if (r.clientId === null) r.clientId = bytesToHex(b, d, d + n);
      return;
    case DHCP_OPTION.PARAMETER_LIST:
      if (r.parameterList === null) r.parameterList = Array.from(b.subarray(d, d + n));
      return;
    case DHCP_OPTION.REQUESTED_IP:
    case DHCP_OPTION.SERVER_ID:
    case DHCP_OPTION.LEASE_TIME: {
      if (n !== IPV4_BYTES) return badLength(ctx, at, code, n, IPV4_BYTES);
      const v = u32be(b, d);
      if (code === DHCP_OPTION.REQUESTED_IP) r.requestedIp ??= v;
      else if (code === DHCP_OPTION.SERVER_ID) r.serverId ??= v;
      else r.leaseTime ??= v;
      return;
    }
    default:
      return;
  }
}

/**
 * Reads the options of one area `b[start, areaEnd)` into `r`; returns the index after its End
 * option, AREA_END_MISSING when the area ends before one, or AREA_CUT when an option was cut or the
 * option limit met (both reported here). In the options field, option 52 reads the fields it
 * overloads (`message` is the index of the message's first byte).
 */
function readArea(b: Uint8Array, start: number, areaEnd: number, area: DhcpOptionArea, message: number, r: OptionsRead, ctx: DecodeContext): number {
  let p = start;
  while (p < areaEnd) {
    const code = b[p];
    if (code === DHCP_OPTION.PAD) {
      p++;
      continue;
    }
    if (code === DHCP_OPTION.END) return p + 1;
    if (r.options.length >= MAX_DHCP_OPTIONS) {
      ctx.anomaly('dhcp_too_many_options', p, `more than ${MAX_DHCP_OPTIONS} options`);
      return AREA_CUT;
    }
    const n = p + 1 < areaEnd ? b[p + 1] : -1;
    const d = p + 2;
    if (n < 0 || d + n > areaEnd) {
      const what = n < 0 ? `option ${code}: its length byte` : `option ${code}: need ${n} bytes of data`;
      if (area === 'options') ctx.anomaly(cutKind(ctx, areaEnd), p, `Cannot decode DHCP ${what} at offset ${p - ctx.base}, have ${areaEnd - d < 0 ? 0 : areaEnd - d}`);
      else ctx.anomaly('dhcp_bad_option_length', p, `${what} runs past the ${area} field`);
      if (n >= 0) r.options.push({ code, length: n, data: bytesToHex(b, d, areaEnd), area });
      return AREA_CUT;
    }
    r.options.push({ code, length: n, data: bytesToHex(b, d, d + n), area });
    if (code === DHCP_OPTION.OVERLOAD) readOverload(b, p, d, n, area, message, r, ctx);
    else readNamed(b, p, d, n, code, r, ctx);
    p = d + n;
  }
  return AREA_END_MISSING;
}

function readOverload(b: Uint8Array, at: number, d: number, n: number, area: DhcpOptionArea, message: number, r: OptionsRead, ctx: DecodeContext): void {
  if (n !== 1) return badLength(ctx, at, DHCP_OPTION.OVERLOAD, n, 1);
  const v = b[d];
  if (area !== 'options' || r.overload !== 0 || v < 1 || v > 3) {
    const why = area !== 'options' ? `inside the ${area} field` : r.overload !== 0 ? 'repeated' : `value ${v}`;
    ctx.anomaly('dhcp_bad_overload', at, `option 52 ${why}`);
    return;
  }
  r.overload = v;
  const fields: [number, number, number, DhcpOptionArea][] = [
    [DHCP_OVERLOAD_SNAME, DHCP_SNAME_OFFSET, DHCP_SNAME_BYTES, 'sname'],
    [DHCP_OVERLOAD_FILE, DHCP_FILE_OFFSET, DHCP_FILE_BYTES, 'file'],
  ];
  for (const [bit, offset, size, name] of fields) {
    if ((v & bit) === 0) continue;
    const start = message + offset;
    if (readArea(b, start, start + size, name, message, r, ctx) === AREA_END_MISSING) {
      ctx.anomaly('dhcp_end_missing', start, `the ${name} field holds options but no End option`);
    }
  }
}

/**
 * Decodes the DHCP message `bytes[offset, end)` (a UDP payload). Null (with `dhcp_truncated` or
 * `dhcp_snapped`) only when the 236-byte fixed header is not there; otherwise the layer with every
 * option that could be read, and an anomaly for what could not.
 */
export function decodeDhcp(bytes: Uint8Array, offset: number, end: number, ctx: DecodeContext): DhcpLayer | null {
  if (end - offset < DHCP_FIXED_HEADER_BYTES) {
    const have = end > offset ? end - offset : 0;
    ctx.anomaly(cutKind(ctx, end), offset, `Cannot decode DHCP header: need ${DHCP_FIXED_HEADER_BYTES} bytes at offset ${offset - ctx.base}, have ${have}`);
    return null;
  }
  const htype = bytes[offset + 1];
  const hlen = bytes[offset + 2];
  const chaddrAt = offset + DHCP_CHADDR_OFFSET;
  if (hlen > DHCP_CHADDR_BYTES) ctx.anomaly('dhcp_bad_hardware_length', offset + 2, `hlen ${hlen} > ${DHCP_CHADDR_BYTES}`);
  const chaddr =
    htype === DHCP_HTYPE_ETHERNET && hlen === DHCP_ETHERNET_HLEN ? u48be(bytes, chaddrAt) : bytesToHex(bytes, chaddrAt, chaddrAt + Math.min(hlen, DHCP_CHADDR_BYTES));
  const r = new OptionsRead();
  const vendorAt = offset + DHCP_FIXED_HEADER_BYTES;
  let magicCookie: number | null = null;
  let vendorData = '';
  let paddingLength = 0;
  if (end - vendorAt < DHCP_MAGIC_COOKIE_BYTES) {
    // tshark too reads a message without a whole cookie as malformed, even one of 236 bytes.
    vendorData = bytesToHex(bytes, vendorAt, end);
    ctx.anomaly(cutKind(ctx, end), vendorAt, `Cannot decode DHCP magic cookie: need 4 bytes at offset ${vendorAt - ctx.base}, have ${end - vendorAt}`);
  } else if ((magicCookie = u32be(bytes, vendorAt)) !== DHCP_MAGIC_COOKIE) {
    vendorData = bytesToHex(bytes, vendorAt, end);
    ctx.anomaly('dhcp_bad_magic_cookie', vendorAt, `magic cookie 0x${magicCookie.toString(16).padStart(8, '0')}`);
  } else {
    const after = readArea(bytes, vendorAt + DHCP_MAGIC_COOKIE_BYTES, end, 'options', offset, r, ctx);
    if (after >= 0) paddingLength = end - after;
    else if (after === AREA_END_MISSING) {
      const kind = cutKind(ctx, end);
      ctx.anomaly(kind === 'dhcp_snapped' ? kind : 'dhcp_end_missing', end, kind === 'dhcp_snapped' ? 'the capture ends before the End option' : 'the options end without an End option');
    }
  }
  return {
    kind: 'dhcp',
    offset: offset - ctx.base,
    headerLength: end - offset,
    payloadLength: 0,
    op: bytes[offset],
    htype,
    hlen,
    hops: bytes[offset + 3],
    xid: u32be(bytes, offset + 4),
    secs: u16be(bytes, offset + 8),
    flags: u16be(bytes, offset + 10),
    ciaddr: u32be(bytes, offset + 12),
    yiaddr: u32be(bytes, offset + 16),
    siaddr: u32be(bytes, offset + 20),
    giaddr: u32be(bytes, offset + 24),
    chaddr,
    sname: (r.overload & DHCP_OVERLOAD_SNAME) !== 0 ? '' : formatAsciiField(bytes, offset + DHCP_SNAME_OFFSET, offset + DHCP_SNAME_OFFSET + DHCP_SNAME_BYTES),
    file: (r.overload & DHCP_OVERLOAD_FILE) !== 0 ? '' : formatAsciiField(bytes, offset + DHCP_FILE_OFFSET, offset + DHCP_FILE_OFFSET + DHCP_FILE_BYTES),
    magicCookie,
    vendorData,
    overload: r.overload,
    messageType: r.messageType,
    hostName: r.hostName,
    vendorClass: r.vendorClass,
    requestedIp: r.requestedIp,
    serverId: r.serverId,
    clientId: r.clientId,
    parameterList: r.parameterList,
    domainName: r.domainName,
    leaseTime: r.leaseTime,
    options: r.options.length === 0 ? NO_OPTIONS : r.options,
    paddingLength,
  };
}

export { dhcpEncodingLength, encodeDhcp };

export const dhcpCodec: LayerCodec<DhcpLayer> = {
  kind: 'dhcp',
  decode: decodeDhcp,
  encode: encodeDhcp,
  encodingLength: dhcpEncodingLength,
};
