/**
 * DHCP messages from the fields that matter, for tests and the simulator: give the names a device
 * sends (host name, vendor class ...) and get the bytes a real client or server would put on the
 * wire, or the layer the decoder reads from them.
 *
 * ```ts
 * const bytes = encodeDhcpMessage({ messageType: DHCP_MESSAGE_TYPE.REQUEST, chaddr: parseMac('68:c6:3a:42:83:f6'), hostName: 'ESP_E67CDE' });
 * const layer = makeDhcp({ messageType: DHCP_MESSAGE_TYPE.ACK, chaddr: 1, yiaddr: parseIpv4('192.168.1.23') });
 * ```
 */
import { CollectingContext } from '../context.js';
import { bytesToHex, hexToBytes } from '../hex.js';
import { dhcpCodec, encodeDhcp, dhcpEncodingLength, type DhcpLayer, type DhcpOption, type DhcpOptionArea } from './dhcp.js';
import {
  DHCP_ETHERNET_HLEN,
  DHCP_HTYPE_ETHERNET,
  DHCP_MAGIC_COOKIE,
  DHCP_MESSAGE_TYPE,
  DHCP_OP,
  DHCP_OPTION,
  DHCP_OVERLOAD_FILE,
  DHCP_OVERLOAD_SNAME,
} from './dhcp-constants.js';

/** An option to write as given: its data as bytes or as hex. */
export interface DhcpRawOption {
  readonly code: number;
  readonly data: Uint8Array | string;
}

export interface DhcpInit {
  /** Default: 2 (reply) for Offer, ACK and NAK, else 1 (request). */
  readonly op?: number;
  /** A MAC as a 48-bit number (htype 1, hlen 6), or hex of another hardware address (htype/hlen to give). */
  readonly chaddr: number | string;
  readonly htype?: number;
  readonly hlen?: number;
  readonly hops?: number;
  readonly xid?: number;
  readonly secs?: number;
  readonly flags?: number;
  readonly ciaddr?: number;
  readonly yiaddr?: number;
  readonly siaddr?: number;
  readonly giaddr?: number;
  readonly sname?: string;
  readonly file?: string;
  /** Options 53, 61 (hex), 50, 54, 51, 12, 60, 15, 55, written in this order when given. Text as UTF-8. */
  readonly messageType?: number;
  readonly clientId?: string;
  readonly requestedIp?: number;
  readonly serverId?: number;
  readonly leaseTime?: number;
  readonly hostName?: string;
  readonly vendorClass?: string;
  readonly domainName?: string;
  readonly parameterList?: readonly number[];
  /** More options, after the named ones. */
  readonly options?: readonly DhcpRawOption[];
  /** Options put in the sname / file fields: option 52 is added to say so. */
  readonly snameOptions?: readonly DhcpRawOption[];
  readonly fileOptions?: readonly DhcpRawOption[];
  /** Zero bytes after End (BOOTP clients pad messages to 300 bytes: 300 - 240 - options - 1). */
  readonly paddingLength?: number;
}

const utf8 = new TextEncoder();
const REPLIES = new Set<number>([DHCP_MESSAGE_TYPE.OFFER, DHCP_MESSAGE_TYPE.ACK, DHCP_MESSAGE_TYPE.NAK]);

function u32(v: number): Uint8Array {
  return Uint8Array.of(v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
}

function option(code: number, data: Uint8Array | string, area: DhcpOptionArea): DhcpOption {
  const hex = typeof data === 'string' ? bytesToHex(hexToBytes(data)) : bytesToHex(data);
  return { code, length: hex.length >>> 1, data: hex, area };
}

function namedOptions(init: DhcpInit): DhcpOption[] {
  const out: DhcpOption[] = [];
  const add = (code: number, data: Uint8Array | string | undefined): void => {
    if (data !== undefined) out.push(option(code, data, 'options'));
  };
  add(DHCP_OPTION.MESSAGE_TYPE, init.messageType === undefined ? undefined : Uint8Array.of(init.messageType));
  add(DHCP_OPTION.CLIENT_ID, init.clientId);
  add(DHCP_OPTION.REQUESTED_IP, init.requestedIp === undefined ? undefined : u32(init.requestedIp));
  add(DHCP_OPTION.SERVER_ID, init.serverId === undefined ? undefined : u32(init.serverId));
  add(DHCP_OPTION.LEASE_TIME, init.leaseTime === undefined ? undefined : u32(init.leaseTime));
  add(DHCP_OPTION.HOST_NAME, init.hostName === undefined ? undefined : utf8.encode(init.hostName));
  add(DHCP_OPTION.VENDOR_CLASS, init.vendorClass === undefined ? undefined : utf8.encode(init.vendorClass));
  add(DHCP_OPTION.DOMAIN_NAME, init.domainName === undefined ? undefined : utf8.encode(init.domainName));
  add(DHCP_OPTION.PARAMETER_LIST, init.parameterList === undefined ? undefined : Uint8Array.from(init.parameterList));
  const overload = (init.snameOptions ? DHCP_OVERLOAD_SNAME : 0) | (init.fileOptions ? DHCP_OVERLOAD_FILE : 0);
  if (overload !== 0) add(DHCP_OPTION.OVERLOAD, Uint8Array.of(overload));
  for (const o of init.options ?? []) out.push(option(o.code, o.data, 'options'));
  for (const o of init.snameOptions ?? []) out.push(option(o.code, o.data, 'sname'));
  for (const o of init.fileOptions ?? []) out.push(option(o.code, o.data, 'file'));
  return out;
}

/** The bytes of the DHCP message `init` describes. */
export function encodeDhcpMessage(init: DhcpInit): Uint8Array {
  const ethernet = typeof init.chaddr === 'number';
  const draft: DhcpLayer = {
    kind: 'dhcp',
    offset: 0,
    headerLength: 0,
    payloadLength: 0,
    op: init.op ?? (init.messageType !== undefined && REPLIES.has(init.messageType) ? DHCP_OP.REPLY : DHCP_OP.REQUEST),
    htype: init.htype ?? (ethernet ? DHCP_HTYPE_ETHERNET : 0),
    hlen: init.hlen ?? (ethernet ? DHCP_ETHERNET_HLEN : (init.chaddr as string).length >>> 1),
    hops: init.hops ?? 0,
    xid: init.xid ?? 0,
    secs: init.secs ?? 0,
    flags: init.flags ?? 0,
    ciaddr: init.ciaddr ?? 0,
    yiaddr: init.yiaddr ?? 0,
    siaddr: init.siaddr ?? 0,
    giaddr: init.giaddr ?? 0,
    chaddr: init.chaddr,
    sname: init.sname ?? '',
    file: init.file ?? '',
    magicCookie: DHCP_MAGIC_COOKIE,
    vendorData: '',
    overload: (init.snameOptions ? DHCP_OVERLOAD_SNAME : 0) | (init.fileOptions ? DHCP_OVERLOAD_FILE : 0),
    messageType: null,
    hostName: null,
    vendorClass: null,
    requestedIp: null,
    serverId: null,
    clientId: null,
    parameterList: null,
    domainName: null,
    leaseTime: null,
    options: namedOptions(init),
    paddingLength: init.paddingLength ?? 0,
  };
  const out = new Uint8Array(dhcpEncodingLength(draft));
  encodeDhcp(draft, out, 0);
  return out;
}

/** The layer the decoder reads from {@link encodeDhcpMessage}'s bytes (offset 0). Throws if they read with an anomaly. */
export function makeDhcp(init: DhcpInit): DhcpLayer {
  const bytes = encodeDhcpMessage(init);
  const ctx = new CollectingContext();
  const layer = dhcpCodec.decode(bytes, 0, bytes.length, ctx);
  if (layer === null || ctx.anomalies.length > 0) throw new RangeError(`DHCP message does not read back cleanly: ${ctx.anomalies.map((a) => a.message).join('; ')}`);
  return layer;
}
