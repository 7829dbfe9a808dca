/**
 * Payload bytes for the simulator's flows: DNS queries and answers (encoded once per name, the id
 * patched per lookup), DHCP messages, NTP packets, and TLS application-data streams.
 */
import { encodeDnsMessage } from '../../decode/app/dns.js';
import { dnsMessage } from '../../decode/app/dns-fixtures.js';
import { encodeDhcpMessage } from '../../decode/app/dhcp-message.js';
import { DHCP_MESSAGE_TYPE } from '../../decode/app/dhcp-constants.js';
import { putU16be, putU32be } from '../../core/bytes.js';
import type { DnsNameProfile } from './device-profiles.js';
import type { PayloadRandom } from './frame-slab.js';

const DNS_TYPE_A = 1;
const DNS_TYPE_CNAME = 5;
const DNS_CLASS_IN = 1;
const DNS_FLAGS_QUERY = 0x0100;
const DNS_FLAGS_RESPONSE = 0x8180;
const TLS_APPLICATION_DATA = 23;
const TLS_RECORD_HEADER_BYTES = 5;
/** The longest TLS record body (RFC 8446 §5.2). */
const TLS_MAX_RECORD_BODY = 2 ** 14 + 256;
const NTP_BYTES = 48;
const NTP_EPOCH_OFFSET_SECONDS = 2_208_988_800;
const DHCP_LEASE_SECONDS = 86_400;
const DHCP_PARAMETERS = [1, 3, 6, 15, 28, 42];
const DHCP_OPTION_SUBNET_MASK = 1;
const DHCP_OPTION_ROUTER = 3;
const DHCP_OPTION_DNS = 6;
const SUBNET_MASK_24 = 0xffffff00;

/** A DNS query and its answer for one name, encoded once; {@link DnsPair.withId} sets the id. */
export class DnsPair {
  readonly query: Uint8Array;
  readonly answer: Uint8Array;

  constructor(readonly profile: DnsNameProfile) {
    const question = { name: profile.name, type: DNS_TYPE_A, class: DNS_CLASS_IN, unicastResponse: false };
    const chain = [profile.name, ...profile.cnames];
    const records = [
      ...chain.slice(1).map((target, i) => ({ name: chain[i], type: DNS_TYPE_CNAME, class: DNS_CLASS_IN, cacheFlush: false, ttl: profile.ttlSeconds, data: { type: 'CNAME' as const, name: target } })),
      ...profile.addresses.map((address) => ({ name: chain[chain.length - 1], type: DNS_TYPE_A, class: DNS_CLASS_IN, cacheFlush: false, ttl: profile.ttlSeconds, data: { type: 'A' as const, address } })),
    ];
    this.query = encode(dnsMessage({ id: 0, flags: DNS_FLAGS_QUERY, questions: [question] }), false);
    this.answer = encode(dnsMessage({ id: 0, flags: DNS_FLAGS_RESPONSE, questions: [question], answers: records }, 0, true), true);
  }

  /** Sets the transaction id of both messages (they are sent before the next lookup changes it). */
  withId(id: number): void {
    putU16be(this.query, 0, id);
    putU16be(this.answer, 0, id);
  }
}

function encode(layer: ReturnType<typeof dnsMessage>, compress: boolean): Uint8Array {
  const out = new Uint8Array(encodeDnsMessage(layer, null, 0, { compress }));
  encodeDnsMessage(layer, out, 0, { compress });
  return out;
}

export interface DhcpExchange {
  readonly discover: Uint8Array;
  readonly offer: Uint8Array;
  readonly request: Uint8Array;
  readonly ack: Uint8Array;
}

/** DISCOVER, OFFER, REQUEST and ACK for a device taking `ip` from the router (its host name when it has one). */
export function dhcpExchange(xid: number, mac: number, ip: number, routerIp: number, hostName: string | undefined, renew = false): DhcpExchange {
  const common = { xid, chaddr: mac };
  const server = {
    ...common,
    yiaddr: ip,
    siaddr: routerIp,
    serverId: routerIp,
    leaseTime: DHCP_LEASE_SECONDS,
    options: [
      { code: DHCP_OPTION_SUBNET_MASK, data: u32(SUBNET_MASK_24) },
      { code: DHCP_OPTION_ROUTER, data: u32(routerIp) },
      { code: DHCP_OPTION_DNS, data: u32(routerIp) },
    ],
  };
  return {
    discover: encodeDhcpMessage({ ...common, messageType: DHCP_MESSAGE_TYPE.DISCOVER, hostName, parameterList: DHCP_PARAMETERS }),
    offer: encodeDhcpMessage({ ...server, messageType: DHCP_MESSAGE_TYPE.OFFER }),
    request: encodeDhcpMessage({
      ...common,
      ciaddr: renew ? ip : 0,
      messageType: DHCP_MESSAGE_TYPE.REQUEST,
      requestedIp: renew ? undefined : ip,
      serverId: renew ? undefined : routerIp,
      hostName,
      parameterList: DHCP_PARAMETERS,
    }),
    ack: encodeDhcpMessage({ ...server, messageType: DHCP_MESSAGE_TYPE.ACK }),
  };
}

function u32(v: number): Uint8Array {
  const b = new Uint8Array(4);
  putU32be(b, 0, v);
  return b;
}

/** An NTP v4 client request (mode 3) or server reply (mode 4, stratum 2) at `timeUs`, into `out`. */
export function ntpPacket(out: Uint8Array, timeUs: number, reply: boolean, random: PayloadRandom): Uint8Array {
  out.fill(0, 0, NTP_BYTES);
  out[0] = reply ? 0x24 : 0x23;
  out[1] = reply ? 2 : 0;
  out[2] = 6;
  out[3] = reply ? 0xe9 : 0xec;
  const seconds = Math.floor(timeUs / 1e6) + NTP_EPOCH_OFFSET_SECONDS;
  const fraction = Math.floor(((timeUs % 1e6) / 1e6) * 2 ** 32) >>> 0;
  if (reply) {
    putU32be(out, 4, 0x0000_0120);
    putU32be(out, 8, 0x0000_0300);
    putU32be(out, 12, random.word()); // reference id: an upstream server's address
    putU32be(out, 16, seconds - 64);
    putU32be(out, 24, seconds);
    putU32be(out, 32, seconds);
    putU32be(out, 36, fraction);
  }
  putU32be(out, 40, seconds);
  putU32be(out, 44, fraction);
  return out.subarray(0, NTP_BYTES);
}

export const NTP_PACKET_BYTES = NTP_BYTES;

/**
 * Fills `out[0..bytes)` with a TLS application-data stream of `bytes` bytes: records of at most
 * 16640-byte bodies, each with its header, random bodies. `bytes` must be at least 6.
 */
export function tlsStream(out: Uint8Array, bytes: number, random: PayloadRandom): void {
  random.fill(out, 0, bytes);
  let at = 0;
  while (at < bytes) {
    const left = bytes - at - TLS_RECORD_HEADER_BYTES;
    let body = Math.min(left, TLS_MAX_RECORD_BODY);
    const rest = left - body;
    // Never leave a tail too short for a record of its own.
    if (rest > 0 && rest <= TLS_RECORD_HEADER_BYTES) body -= TLS_RECORD_HEADER_BYTES + 1;
    out[at] = TLS_APPLICATION_DATA;
    out[at + 1] = 3;
    out[at + 2] = 3;
    putU16be(out, at + 3, body);
    at += TLS_RECORD_HEADER_BYTES + body;
  }
}
