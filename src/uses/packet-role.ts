/**
 * What one packet of a device is for, as far as its headers tell, without looking into encrypted
 * payloads: application data (a TCP segment or UDP datagram with payload on no service port below),
 * a bare TCP acknowledgement, a connection's setup (SYN, a TLS handshake record) or teardown (FIN,
 * RST), a name lookup (DNS), a clock check (NTP), address upkeep (DHCP), local discovery (mDNS,
 * SSDP, LLMNR, NetBIOS) or anything else (ICMP, other IP protocols).
 *
 * ```ts
 * const facts = new PacketFacts();
 * if (facts.read(packet, rec)) facts.role; // PacketRole.Data
 * ```
 */
import type { CaptureRecord } from '../capture/record.js';
import type { Packet } from '../decode/packet.js';
import { isGroupIpv4, isGroupIpv6, isLocalIpv4, isLocalIpv6 } from '../observe/address.js';

export const PacketRole = {
  Data: 0,
  Ack: 1,
  Setup: 2,
  Teardown: 3,
  Dns: 4,
  Ntp: 5,
  Dhcp: 6,
  Discovery: 7,
  Other: 8,
} as const;
export type PacketRole = (typeof PacketRole)[keyof typeof PacketRole];

/** The roles by name, in the order of their values (for reports). */
export const PACKET_ROLE_NAMES = ['data', 'ack', 'setup', 'teardown', 'dns', 'ntp', 'dhcp', 'discovery', 'other'] as const;

const DNS_PORT = 53;
const MDNS_PORT = 5353;
const LLMNR_PORT = 5355;
const NETBIOS_NAME_PORT = 137;
const NTP_PORT = 123;
const DHCP_SERVER_PORT = 67;
const DHCP_CLIENT_PORT = 68;
const DHCPV6_CLIENT_PORT = 546;
const DHCPV6_SERVER_PORT = 547;
const SSDP_PORT = 1900;
/** TLS record content types that set a session up: change_cipher_spec, alert, handshake. */
const TLS_CHANGE_CIPHER_SPEC = 20;
const TLS_HANDSHAKE = 22;
/** TLS record versions start with this byte (SSL 3.0 .. TLS 1.3 all write 0x03xx). */
const TLS_VERSION_MAJOR = 3;
/** TLS 1.3 is 0x0304; a higher minor byte is not a TLS record. */
const TLS_MAX_MINOR = 4;
const TLS_RECORD_HEADER_BYTES = 5;
/** The handshake message type of a ClientHello. */
const TLS_CLIENT_HELLO = 1;
const UDP_HEADER_BYTES = 8;
const US_PER_SECOND = 1e6;
const NS_PER_US = 1000;

function udpRole(port: number): PacketRole {
  switch (port) {
    case DNS_PORT:
      return PacketRole.Dns;
    case NTP_PORT:
      return PacketRole.Ntp;
    case DHCP_SERVER_PORT:
    case DHCP_CLIENT_PORT:
    case DHCPV6_CLIENT_PORT:
    case DHCPV6_SERVER_PORT:
      return PacketRole.Dhcp;
    case MDNS_PORT:
    case LLMNR_PORT:
    case NETBIOS_NAME_PORT:
    case SSDP_PORT:
      return PacketRole.Discovery;
    default:
      return PacketRole.Data;
  }
}

/**
 * The facts of one packet that burst grouping needs, refilled by {@link PacketFacts.read} for each
 * packet (one object, no allocation per packet).
 */
export class PacketFacts {
  /** Time in µs since the epoch. */
  timeUs = 0;
  /** Ethernet source and destination as 48-bit numbers. */
  srcMac = -1;
  dstMac = -1;
  /** Length on the wire. */
  frameBytes = 0;
  /** Transport payload bytes on the wire (0 for a bare TCP ACK or a non-TCP/UDP packet). */
  payloadBytes = 0;
  role: PacketRole = PacketRole.Other;
  /** TCP only: ports and addresses (IPv4 as a number, IPv6 as text) to tell its connection. */
  tcp = false;
  srcPort = 0;
  dstPort = 0;
  srcIp: number | string = 0;
  dstIp: number | string = 0;
  /** The TCP payload begins with a TLS ClientHello record. */
  clientHello = false;
  /** The source address is outside the home (the sender forwards for others: a router). */
  srcOutside = false;

  /**
   * Reads an Ethernet IP packet; false when it has no Ethernet or no IP layer (then the device
   * table does not count it either). `rec` is the record the packet was decoded from (its bytes
   * tell TLS handshake records from application data).
   */
  read(p: Packet, rec: CaptureRecord): boolean {
    let eth = false;
    let ipEnd = -1;
    let role: PacketRole = PacketRole.Other;
    let payload = 0;
    let transportSeen = false;
    let tcp = false;
    let clientHello = false;
    for (const l of p.layers) {
      switch (l.kind) {
        case 'ethernet':
          if (!eth) {
            eth = true;
            this.srcMac = l.src;
            this.dstMac = l.dst;
          }
          break;
        case 'ipv4':
          if (ipEnd < 0) {
            ipEnd = l.offset + l.totalLength;
            this.srcIp = l.src;
            this.dstIp = l.dst;
            this.srcOutside = !isLocalIpv4(l.src) && !isGroupIpv4(l.src);
          }
          break;
        case 'ipv6':
          if (ipEnd < 0) {
            ipEnd = l.offset + l.headerLength + l.payloadLengthField;
            this.srcIp = l.src;
            this.dstIp = l.dst;
            this.srcOutside = !isLocalIpv6(l.src) && !isGroupIpv6(l.src);
          }
          break;
        case 'udp':
          if (!transportSeen && ipEnd >= 0) {
            transportSeen = true;
            payload = Math.max(0, l.length - UDP_HEADER_BYTES);
            const special = udpRole(l.srcPort);
            role = special !== PacketRole.Data ? special : udpRole(l.dstPort);
            if (role === PacketRole.Data && payload === 0) role = PacketRole.Other;
          }
          break;
        case 'tcp':
          if (!transportSeen && ipEnd >= 0) {
            transportSeen = true;
            tcp = true;
            this.srcPort = l.srcPort;
            this.dstPort = l.dstPort;
            const start = l.offset + l.headerLength;
            payload = Math.max(0, ipEnd - start);
            if (l.syn) role = PacketRole.Setup;
            else if (l.fin || l.rst) role = PacketRole.Teardown;
            else if (l.srcPort === DNS_PORT || l.dstPort === DNS_PORT) role = PacketRole.Dns;
            else if (payload === 0) role = PacketRole.Ack;
            else {
              const record = tlsSetupRecord(rec, start);
              role = record === NOT_SETUP ? PacketRole.Data : PacketRole.Setup;
              clientHello = record === CLIENT_HELLO;
            }
          }
          break;
        case 'tls':
          // A ClientHello (possibly put together from several segments) sets a session up.
          if (role === PacketRole.Data) role = PacketRole.Setup;
          clientHello = true;
          break;
        default:
          break;
      }
    }
    if (!eth || ipEnd < 0) return false;
    this.timeUs = p.tsSec * US_PER_SECOND + Math.floor(p.tsNsec / NS_PER_US);
    this.frameBytes = p.origLen;
    this.payloadBytes = payload;
    this.role = role;
    this.tcp = tcp;
    this.clientHello = clientHello;
    return true;
  }
}

const NOT_SETUP = 0;
const SETUP_RECORD = 1;
const CLIENT_HELLO = 2;

/**
 * Whether the TCP payload at `start` (relative to the packet) begins with a TLS handshake or
 * change_cipher_spec record ({@link SETUP_RECORD}), a ClientHello ({@link CLIENT_HELLO}), or neither.
 */
function tlsSetupRecord(rec: CaptureRecord, start: number): number {
  const at = rec.offset + start;
  if (start + TLS_RECORD_HEADER_BYTES > rec.capLen) return NOT_SETUP;
  const type = rec.buf[at];
  if ((type !== TLS_HANDSHAKE && type !== TLS_CHANGE_CIPHER_SPEC) || rec.buf[at + 1] !== TLS_VERSION_MAJOR || rec.buf[at + 2] > TLS_MAX_MINOR) return NOT_SETUP;
  const helloType = start + TLS_RECORD_HEADER_BYTES < rec.capLen ? rec.buf[at + TLS_RECORD_HEADER_BYTES] : -1;
  return type === TLS_HANDSHAKE && helloType === TLS_CLIENT_HELLO ? CLIENT_HELLO : SETUP_RECORD;
}
