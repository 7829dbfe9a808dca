/**
 * What one packet shows, as neutral facts, read once from the decoder's output: when it was sent and
 * how big it was; the link addresses it went between; the address, transport and port it went from
 * and to, and how much payload it carried; the first bytes of that payload when they are a TLS record;
 * and the names it spoke: DNS questions and answers, a DHCP client's names, an SSDP server, a
 * ClientHello's server names (and its JA3), a plain-HTTP head, an NTP message. The device table (device-table.ts), its name table and the use
 * detector (uses/) all read these facts, so a capture is read, decoded and walked once for all three.
 *
 * ```ts
 * const o = new ObservedPacket();
 * await readCapture('home.pcap', (rec) => {
 *   o.read(decoder.decode(rec), rec);
 *   if (o.protocol === 'tcp') console.log(o.srcMac, o.srcIp, o.srcPort, '->', o.dstIp, o.dstPort, o.payloadBytes);
 * });
 * ```
 *
 * One object, refilled by {@link ObservedPacket.read} for each packet: a consumer keeps what it needs
 * (numbers and strings), never the object or the layers it points to.
 */
import type { CaptureRecord } from '../capture/record.js';
import {
  LINKTYPE_IEEE802_11,
  LINKTYPE_IEEE802_11_AVS,
  LINKTYPE_IEEE802_11_PRISM,
  LINKTYPE_IEEE802_11_RADIOTAP,
  LINKTYPE_PPI,
} from '../core/link-type.js';
import type { DhcpLayer } from '../decode/app/dhcp.js';
import type { DnsLayer } from '../decode/app/dns.js';
import type { SsdpLayer } from '../decode/app/ssdp.js';
import type { HttpLayer } from '../decode/app/http.js';
import type { NtpLayer } from '../decode/app/ntp.js';
import type { TlsClientHelloLayer } from '../decode/app/tls-client-hello.js';
import type { Ieee80211Layer } from '../decode/link/ieee80211.js';
import type { Packet } from '../decode/packet.js';
import { isGroupIpv4, isGroupIpv6, isLocalIpv4, isLocalIpv6 } from './address.js';
import { AddressKeys, OUTSIDE_KEY } from './address-keys.js';
import { wlanManagementNames, type WlanName } from './wlan-names.js';

/** What a TCP payload's first bytes are, as far as TLS goes. */
export const TlsRecord = {
  /** Not a TLS record header, or no payload. */
  None: 0,
  /** A handshake or change_cipher_spec record header (SSL 3.0 .. TLS 1.3) that is not a ClientHello's. */
  Setup: 1,
  /** A handshake record whose message is a ClientHello. */
  ClientHello: 2,
} as const;
export type TlsRecord = (typeof TlsRecord)[keyof typeof TlsRecord];

/** An 802.11 data frame's way through the access point (see {@link ObservedPacket.wlanDs}). */
export const WlanDs = { None: 0, ToDs: 1, FromDs: 2 } as const;
export type WlanDs = (typeof WlanDs)[keyof typeof WlanDs];

/** Link types a Wi-Fi sniffer writes: 802.11 alone or under a radio header (radiotap, AVS, Prism, PPI). */
const WIFI_LINK_TYPES: ReadonlySet<number> = new Set([LINKTYPE_IEEE802_11, LINKTYPE_IEEE802_11_PRISM, LINKTYPE_IEEE802_11_RADIOTAP, LINKTYPE_IEEE802_11_AVS, LINKTYPE_PPI]);

/** True for the link types of a Wi-Fi sniffer's capture (802.11 frames, with or without a radio header). */
export function isWifiLinkType(linkType: number): boolean {
  return WIFI_LINK_TYPES.has(linkType);
}

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
const WLAN_MANAGEMENT = 0;
const WLAN_DATA = 2;
const US_PER_SECOND = 1e6;
const NS_PER_US = 1000;
const NS_PER_SECOND = 1e9;

export class ObservedPacket {
  /** The record's frame number (1-based), the byte offset of its record header or block in the file, and link type. */
  frame = 0;
  recordOffset = 0;
  linkType = 0;
  /** Seconds since the epoch (fractional), and whole µs since the epoch. */
  time = 0;
  timeUs = 0;
  /** Bytes on the wire. */
  frameBytes = 0;
  /** Layers the decoder read: 0 when it could not read even the link header. */
  layerCount = 0;
  /** An 802.11 frame (or a radio header): a Wi-Fi sniffer's. */
  wifi = false;
  /**
   * Source and destination of the first Ethernet header, as 48-bit numbers; -1 without one. Without
   * an Ethernet header, an 802.11 data frame's source and destination (wlan.sa and wlan.da, or the
   * transmitter and receiver); in a capture with no link addresses at all (raw IP, Linux cooked,
   * loopback), the IP addresses' keys (address-keys.ts: `addressKeyed`), an outside address of a
   * packet that has a home address being {@link OUTSIDE_KEY}.
   */
  srcMac = -1;
  dstMac = -1;
  /** `srcMac` and `dstMac` are keys of IP addresses (see address-keys.ts), not MACs. */
  addressKeyed = false;
  /** The keys given to IP addresses in this pass (one object for all packets). */
  readonly addressKeys = new AddressKeys();
  /**
   * An 802.11 frame: its type (0 management, 2 data; -1 without one), its BSSID (-1 when none), and
   * the bytes of a data frame's body (for a protected frame: cipher header, encrypted data and MIC).
   */
  wlanType = -1;
  wlanBssid = -1;
  wlanBodyBytes = 0;
  /**
   * An 802.11 data frame's way through the access point: 1 to the distribution system (a station sent
   * it: its source is the station), 2 from it (the AP sent it to a station: its destination is the
   * station), 0 otherwise (no data frame, neither or both DS flags set).
   */
  wlanDs: WlanDs = WlanDs.None;
  /** Names a management frame's transmitter gave (see wlan-names.ts); the frame's transmitter is `srcMac`. */
  readonly wlanNames: WlanName[] = [];
  /** An ARP sender's MAC and IPv4 address (both numbers, the address not 0.0.0.0); -1 and 0 when none. */
  arpSenderMac = -1;
  arpSenderIp = 0;
  /** The first IP header's version (0: none) and addresses: IPv4 as a uint32, IPv6 as RFC 5952 text. */
  ipVersion: 0 | 4 | 6 = 0;
  srcIp: number | string = 0;
  dstIp: number | string = 0;
  /** Each address is inside a home (private, link-local, loopback) or names a group (multicast, broadcast, unspecified). */
  srcLocal = false;
  dstLocal = false;
  srcGroup = false;
  dstGroup = false;
  /** The first transport header after it: its protocol and ports (0 without one). */
  protocol: 'tcp' | 'udp' | 'other' = 'other';
  srcPort = 0;
  dstPort = 0;
  /** Transport payload on the wire: TCP up to the IP header's length, UDP by its length field; 0 otherwise. */
  payloadBytes = 0;
  /** TCP flags. */
  syn = false;
  fin = false;
  rst = false;
  /** What the TCP payload's first captured bytes are (see {@link TlsRecord}). */
  tlsRecord: TlsRecord = TlsRecord.None;
  /** Application messages, in the order decoded (the decoder gives one message per datagram, several DNS messages per TCP segment). */
  readonly dns: DnsLayer[] = [];
  readonly dhcp: DhcpLayer[] = [];
  readonly ssdp: SsdpLayer[] = [];
  readonly clientHellos: TlsClientHelloLayer[] = [];
  /** Plain-HTTP heads (requests and responses) and NTP messages. */
  readonly http: HttpLayer[] = [];
  readonly ntp: NtpLayer[] = [];
  /** Where the first IP datagram ends on the wire, relative to the packet; -1 without one. */
  private ipEnd = -1;

  /** Refills the facts from `p` (decoded from `rec`, whose bytes tell TLS records apart). */
  read(p: Packet, rec: CaptureRecord): void {
    this.frame = p.frame;
    this.recordOffset = rec.fileOffset;
    this.linkType = p.linkType;
    this.time = p.tsSec + p.tsNsec / NS_PER_SECOND;
    this.timeUs = p.tsSec * US_PER_SECOND + Math.floor(p.tsNsec / NS_PER_US);
    this.frameBytes = p.origLen;
    this.clear();
    const layers = p.layers;
    this.layerCount = layers.length;
    let wifi = isWifiLinkType(p.linkType);
    let transportSeen = false;
    for (let i = 0; i < layers.length; i++) {
      const l = layers[i];
      switch (l.kind) {
        case 'ethernet':
          if (this.srcMac < 0) {
            this.srcMac = l.src;
            this.dstMac = l.dst;
          }
          break;
        case 'radiotap':
          wifi = true;
          break;
        case 'ieee80211':
          wifi = true;
          if (this.wlanType < 0) this.wlan(l, rec);
          break;
        case 'arp':
          // Only where the frame has link addresses: an ARP sender in a Linux cooked capture would be a second device for one address.
          if (this.srcMac >= 0 && typeof l.senderMac === 'number' && typeof l.senderIp === 'number' && l.senderIp !== 0) {
            this.arpSenderMac = l.senderMac;
            this.arpSenderIp = l.senderIp;
          }
          break;
        case 'ipv4':
          if (this.ipVersion === 0) {
            this.ipVersion = 4;
            this.ipEnd = l.offset + l.totalLength;
            this.srcIp = l.src;
            this.dstIp = l.dst;
            this.srcLocal = isLocalIpv4(l.src);
            this.dstLocal = isLocalIpv4(l.dst);
            this.srcGroup = isGroupIpv4(l.src);
            this.dstGroup = isGroupIpv4(l.dst);
          }
          break;
        case 'ipv6':
          if (this.ipVersion === 0) {
            this.ipVersion = 6;
            this.ipEnd = l.offset + l.headerLength + l.payloadLengthField;
            this.srcIp = l.src;
            this.dstIp = l.dst;
            this.srcLocal = isLocalIpv6(l.src);
            this.dstLocal = isLocalIpv6(l.dst);
            this.srcGroup = isGroupIpv6(l.src);
            this.dstGroup = isGroupIpv6(l.dst);
          }
          break;
        case 'udp':
          if (!transportSeen && this.ipVersion !== 0) {
            transportSeen = true;
            this.protocol = 'udp';
            this.srcPort = l.srcPort;
            this.dstPort = l.dstPort;
            this.payloadBytes = Math.max(0, l.length - UDP_HEADER_BYTES);
          }
          break;
        case 'tcp':
          if (!transportSeen && this.ipVersion !== 0) {
            transportSeen = true;
            this.protocol = 'tcp';
            this.srcPort = l.srcPort;
            this.dstPort = l.dstPort;
            this.syn = l.syn;
            this.fin = l.fin;
            this.rst = l.rst;
            const start = l.offset + l.headerLength;
            this.payloadBytes = Math.max(0, this.ipEnd - start);
            if (this.payloadBytes > 0) this.tlsRecord = tlsRecordAt(rec, start);
          }
          break;
        case 'dns':
          this.dns.push(l);
          break;
        case 'dhcp':
          this.dhcp.push(l);
          break;
        case 'ssdp':
          this.ssdp.push(l);
          break;
        case 'tls':
          this.clientHellos.push(l);
          break;
        case 'http':
          this.http.push(l);
          break;
        case 'ntp':
          this.ntp.push(l);
          break;
        default:
          break;
      }
    }
    this.wifi = wifi;
    // A frame whose Ethernet addresses are both zero (Linux's loopback interface) has none either.
    if ((this.srcMac < 0 || (this.srcMac === 0 && this.dstMac === 0)) && this.ipVersion !== 0 && !wifi) this.keyAddresses();
  }

  /** The link addresses of an 802.11 frame: a data frame's, or a management frame's transmitter and the names it gave. */
  private wlan(l: Ieee80211Layer, rec: CaptureRecord): void {
    this.wlanType = l.type;
    this.wlanBssid = l.bssid ?? -1;
    if (l.type === WLAN_DATA) {
      this.srcMac = l.source ?? l.transmitter ?? -1;
      this.dstMac = l.destination ?? l.receiver;
      this.wlanBodyBytes = l.payloadKind === 'none' ? 0 : l.payloadLength;
      this.wlanDs = l.toDs === l.fromDs ? WlanDs.None : l.toDs ? WlanDs.ToDs : WlanDs.FromDs;
    } else if (l.type === WLAN_MANAGEMENT && l.transmitter !== null) {
      this.srcMac = l.transmitter;
      this.dstMac = l.receiver;
      const start = l.offset + l.headerLength;
      wlanManagementNames(rec.buf, rec.offset + start, rec.offset + Math.min(rec.capLen, start + l.payloadLength), l.subtype, this.wlanNames);
    }
  }

  /** Link addresses from IP addresses, for a frame that has none (see {@link srcMac}). */
  private keyAddresses(): void {
    this.addressKeyed = true;
    const anyLocal = this.srcLocal || this.dstLocal;
    this.srcMac = this.srcGroup ? -1 : this.srcLocal || !anyLocal ? this.addressKeys.key(this.srcIp) : OUTSIDE_KEY;
    this.dstMac = this.dstGroup ? -1 : this.dstLocal || !anyLocal ? this.addressKeys.key(this.dstIp) : OUTSIDE_KEY;
  }

  /** The facts of a packet with no layers. */
  private clear(): void {
    this.wifi = false;
    this.srcMac = -1;
    this.dstMac = -1;
    this.addressKeyed = false;
    this.wlanType = -1;
    this.wlanBssid = -1;
    this.wlanBodyBytes = 0;
    this.wlanDs = WlanDs.None;
    while (this.wlanNames.length > 0) this.wlanNames.pop();
    this.arpSenderMac = -1;
    this.arpSenderIp = 0;
    this.ipVersion = 0;
    this.ipEnd = -1;
    this.srcIp = 0;
    this.dstIp = 0;
    this.srcLocal = false;
    this.dstLocal = false;
    this.srcGroup = false;
    this.dstGroup = false;
    this.protocol = 'other';
    this.srcPort = 0;
    this.dstPort = 0;
    this.payloadBytes = 0;
    this.syn = false;
    this.fin = false;
    this.rst = false;
    this.tlsRecord = TlsRecord.None;
    // Emptied by popping: `length = 0` would give the storage back and the next push allocate it again.
    while (this.dns.length > 0) this.dns.pop();
    while (this.dhcp.length > 0) this.dhcp.pop();
    while (this.ssdp.length > 0) this.ssdp.pop();
    while (this.clientHellos.length > 0) this.clientHellos.pop();
    while (this.http.length > 0) this.http.pop();
    while (this.ntp.length > 0) this.ntp.pop();
  }
}

/** What the TCP payload at `start` (relative to the packet) begins with, from the record's captured bytes. */
function tlsRecordAt(rec: CaptureRecord, start: number): TlsRecord {
  const at = rec.offset + start;
  if (start + TLS_RECORD_HEADER_BYTES > rec.capLen) return TlsRecord.None;
  const type = rec.buf[at];
  if ((type !== TLS_HANDSHAKE && type !== TLS_CHANGE_CIPHER_SPEC) || rec.buf[at + 1] !== TLS_VERSION_MAJOR || rec.buf[at + 2] > TLS_MAX_MINOR) return TlsRecord.None;
  const helloType = start + TLS_RECORD_HEADER_BYTES < rec.capLen ? rec.buf[at + TLS_RECORD_HEADER_BYTES] : -1;
  return type === TLS_HANDSHAKE && helloType === TLS_CLIENT_HELLO ? TlsRecord.ClientHello : TlsRecord.Setup;
}
