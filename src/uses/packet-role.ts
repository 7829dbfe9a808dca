/**
 * What one packet of a device is for, as far as its headers tell, without looking into encrypted
 * payloads: application data (a TCP segment or UDP datagram with payload on no service port below),
 * a bare TCP acknowledgement, a connection's setup (SYN, a TLS handshake record) or teardown (FIN,
 * RST), a name lookup (DNS), a clock check (NTP), address upkeep (DHCP), local discovery (mDNS,
 * SSDP, LLMNR, NetBIOS) or anything else (ICMP, other IP protocols).
 *
 * ```ts
 * const facts = new PacketFacts();
 * observed.read(decoder.decode(rec), rec);
 * if (facts.read(observed)) facts.role; // PacketRole.Data
 * ```
 */
import { TlsRecord, WlanDs, type ObservedPacket } from '../observe/observed-packet.js';

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

const WLAN_DATA = 2;
/**
 * An encrypted 802.11 data frame's body around the transport payload: CCMP's header and MIC (16
 * bytes, the cipher of WPA2 and of the simulator), the LLC/SNAP header (8) and IPv4 and TCP headers
 * without options (40).
 */
const SEALED_OVERHEAD_BYTES = 64;
/**
 * A sealed frame whose payload so reckoned is at most this carries no use: a TCP acknowledgement, a
 * keep-alive ping, a DNS question. Measured on Wi-Fi captures of simulated homes (14 days, seed 7,
 * uses found against the uses lived): at 12 (an acknowledgement with TCP's timestamp option) the
 * paper home's Tuya plug gave 20,063 uses (58 from its LAN capture), its keep-alives and lookups
 * read as data; at 48 still 20,063; at 100, 98; the family home's nine devices gave 2,652 uses at 12,
 * 1,045 at 48 and at 100 (626 lived), and at 160 its LIFX light lost most of its uses (139 to 56; 83 lived).
 */
const SEALED_ACK_MAX_BYTES = 100;

/**
 * The facts of one packet that burst grouping needs, refilled by {@link PacketFacts.read} for each
 * packet (one object, no allocation per packet) from what observe/ read of it.
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
   * An encrypted 802.11 data frame's station: its source when a station sent it to the access point,
   * its destination when the AP sent it to the station; -1 for any other packet (see
   * handshake.ts: SealedHandshake). `stationSent`: the station sent it.
   */
  station = -1;
  stationSent = false;

  /**
   * Reads an IP packet's facts, or an encrypted 802.11 data frame's (see {@link readSealed}); false
   * for a packet without link addresses (or their stand-ins: observed-packet.ts) or without an IP
   * header otherwise (then the device table does not count it either).
   */
  read(o: ObservedPacket): boolean {
    if (o.srcMac < 0) return false;
    if (o.ipVersion === 0) return o.wlanType === WLAN_DATA && o.wlanBodyBytes > 0 && this.readSealed(o);
    this.srcMac = o.srcMac;
    this.dstMac = o.dstMac;
    this.srcIp = o.srcIp;
    this.dstIp = o.dstIp;
    this.srcOutside = !o.srcLocal && !o.srcGroup;
    this.station = -1;
    this.timeUs = o.timeUs;
    this.frameBytes = o.frameBytes;
    const payload = o.payloadBytes;
    let role: PacketRole = PacketRole.Other;
    let clientHello = false;
    this.tcp = false;
    if (o.protocol === 'udp') {
      const special = udpRole(o.srcPort);
      role = special !== PacketRole.Data ? special : udpRole(o.dstPort);
      if (role === PacketRole.Data && payload === 0) role = PacketRole.Other;
    } else if (o.protocol === 'tcp') {
      this.tcp = true;
      this.srcPort = o.srcPort;
      this.dstPort = o.dstPort;
      if (o.syn) role = PacketRole.Setup;
      else if (o.fin || o.rst) role = PacketRole.Teardown;
      else if (o.srcPort === DNS_PORT || o.dstPort === DNS_PORT) role = PacketRole.Dns;
      else if (payload === 0) role = PacketRole.Ack;
      else {
        // A TLS handshake or change_cipher_spec record sets a session up.
        role = o.tlsRecord === TlsRecord.None ? PacketRole.Data : PacketRole.Setup;
        clientHello = o.tlsRecord === TlsRecord.ClientHello;
      }
    }
    if (o.clientHellos.length > 0) {
      // A ClientHello (possibly put together from several segments) sets a session up.
      if (role === PacketRole.Data) role = PacketRole.Setup;
      clientHello = true;
    }
    this.payloadBytes = payload;
    this.role = role;
    this.clientHello = clientHello;
    return true;
  }

  /**
   * An encrypted 802.11 data frame (a Wi-Fi sniffer's): only its size, time and way through the
   * access point are known, so its payload is reckoned from its body's size and it is data, or a bare
   * acknowledgement when small; its station is noted for handshake.ts (SealedHandshake), which tells
   * a TLS set-up's frames by their order.
   */
  private readSealed(o: ObservedPacket): boolean {
    this.srcMac = o.srcMac;
    this.dstMac = o.dstMac;
    this.srcIp = 0;
    this.dstIp = 0;
    this.srcOutside = false;
    this.timeUs = o.timeUs;
    this.frameBytes = o.frameBytes;
    const payload = Math.max(0, o.wlanBodyBytes - SEALED_OVERHEAD_BYTES);
    this.payloadBytes = payload;
    this.role = payload <= SEALED_ACK_MAX_BYTES ? PacketRole.Ack : PacketRole.Data;
    this.tcp = false;
    this.clientHello = false;
    const ds = o.wlanDs;
    this.station = ds === WlanDs.ToDs ? o.srcMac : ds === WlanDs.FromDs ? o.dstMac : -1;
    this.stationSent = ds === WlanDs.ToDs;
    return true;
  }
}
