/**
 * Puts one IPv4 packet of a home's traffic on the wire as the observer sees it (DESIGN.md, "Where the
 * observer stands"), straight into frame bytes with their checksums, no layer objects per frame:
 *
 * - `lan`: Ethernet between the device and the router; the device's private address and port.
 * - `wan`: Ethernet between the router's WAN port and the ISP; after NAT the home is the router's
 *   public address and a translated port; DNS goes to the ISP's resolver; LAN-only flows (DHCP) are
 *   not seen.
 * - `wifi`: radiotap + an 802.11 QoS data frame between the device and the access point (the router,
 *   BSSID = router MAC), CCMP-protected: CCMP header, random ciphertext as long as the LLC/SNAP header
 *   and the IP packet, and an 8-byte MIC. Nothing above the MAC header can be read.
 *
 * The router's WAN MAC is its LAN MAC plus one (as many routers number their ports).
 */
import { putU16be, putU16le, putU32be, putU48be } from '../../core/bytes.js';
import type { Vantage } from '../../core/vantage.js';
import { FrameSlab, PayloadRandom } from './frame-slab.js';

/** One station on the Wi-Fi: its 802.11 sequence counter, CCMP packet number and signal strength. */
export interface Station {
  seq: number;
  pn: number;
  readonly signalDbm: number;
}

/** Both ends of a UDP or TCP flow, as the LAN sees them and as the WAN sees them after NAT. */
export interface Flow {
  readonly udp: boolean;
  readonly devMac: number;
  readonly devIp: number;
  readonly devPort: number;
  /** The MAC the device's frames are sent to on the LAN (the router, or broadcast). */
  readonly lanPeerMac: number;
  readonly lanPeerIp: number;
  readonly peerPort: number;
  /** The far end seen from the WAN (the ISP resolver for DNS), and the router's translated port. */
  readonly wanPeerIp: number;
  readonly natPort: number;
  /** Flows that never leave the home (DHCP). */
  readonly lanOnly: boolean;
  readonly station: Station;
}

export interface NetworkAddresses {
  readonly routerMac: number;
  readonly routerIp: number;
  readonly publicIp: number;
  readonly ispMac: number;
  readonly ispResolverIp: number;
}

/**
 * What a device's packets are given to: the {@link Wire} itself, or the packet seam in front of it
 * (packet-seam.ts). `up` is true for a packet the device sends.
 */
export interface PacketOut {
  udp(timeUs: number, f: Flow, up: boolean, payload: Uint8Array, len: number): void;
  tcp(timeUs: number, f: Flow, up: boolean, seq: number, ack: number, flags: number, payload: Uint8Array, off: number, len: number): void;
}

/** Where finished frames go, with their time in µs since the epoch. */
export type FrameOut = (timeUs: number, frame: Uint8Array) => void;

export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;

const ETHERNET_HEADER_BYTES = 14;
const IPV4_HEADER_BYTES = 20;
const UDP_HEADER_BYTES = 8;
const TCP_HEADER_BYTES = 20;
const ETHERTYPE_IPV4 = 0x0800;
const PROTO_TCP = 6;
const PROTO_UDP = 17;
const TTL_FROM_DEVICE = 64;
/** TTL of packets from the Internet as they reach the home's router. */
const TTL_FROM_INTERNET = 52;
const TCP_WINDOW = 64240;
const RADIOTAP_BYTES = 16;
/** Present: flags, rate, channel, antenna signal. */
const RADIOTAP_PRESENT = 0x0000_002e;
const WIFI_RATE_UNITS = 48; // 24 Mb/s in 500 kb/s units
const WIFI_CHANNEL_MHZ = 2437; // channel 6
const WIFI_CHANNEL_FLAGS = 0x00c0; // 2 GHz, OFDM
const QOS_DATA_HEADER_BYTES = 26;
const FC_QOS_DATA = 0x88;
const FC_TO_DS_PROTECTED = 0x41;
const FC_FROM_DS_PROTECTED = 0x42;
const WIFI_DURATION_US = 44;
const CCMP_HEADER_BYTES = 8;
const CCMP_EXT_IV = 0x20;
const CCMP_MIC_BYTES = 8;
const LLC_SNAP_BYTES = 8;
const MAC_SPACE = 2 ** 48;

export class Wire implements PacketOut {
  frames = 0;
  bytes = 0;
  private ipId = 0;
  private readonly routerWanMac: number;
  private readonly ap: Station = { seq: 0, pn: 0, signalDbm: 0 };
  private readonly slab = new FrameSlab();

  constructor(
    readonly vantage: Vantage,
    private readonly net: NetworkAddresses,
    private readonly out: FrameOut,
    private readonly noise: PayloadRandom,
  ) {
    this.routerWanMac = (net.routerMac + 1) % MAC_SPACE;
  }

  /** A UDP datagram carrying `payload[0..len)`, sent by the device (`up`) or to it. */
  udp(timeUs: number, f: Flow, up: boolean, payload: Uint8Array, len: number): void {
    this.packet(timeUs, f, up, UDP_HEADER_BYTES, 0, 0, 0, payload, len);
  }

  /** A TCP segment with `flags`, carrying `payload[off..off+len)` (len 0: none). */
  tcp(timeUs: number, f: Flow, up: boolean, seq: number, ack: number, flags: number, payload: Uint8Array, off: number, len: number): void {
    this.packet(timeUs, f, up, TCP_HEADER_BYTES, seq, ack, flags, payload, len, off);
  }

  private packet(timeUs: number, f: Flow, up: boolean, l4Bytes: number, seq: number, ack: number, flags: number, payload: Uint8Array, len: number, off = 0): void {
    const ipBytes = IPV4_HEADER_BYTES + l4Bytes + len;
    if (this.vantage === 'wifi') return this.wifi(timeUs, f, up, ipBytes);
    if (this.vantage === 'wan' && f.lanOnly) return;
    const wan = this.vantage === 'wan';
    const frame = this.slab.alloc(ETHERNET_HEADER_BYTES + ipBytes);
    const homeMac = wan ? this.routerWanMac : f.devMac;
    const farMac = wan ? this.net.ispMac : f.lanPeerMac;
    putU48be(frame, 0, up ? farMac : homeMac);
    putU48be(frame, 6, up ? homeMac : farMac);
    putU16be(frame, 12, ETHERTYPE_IPV4);
    const homeIp = wan ? this.net.publicIp : f.devIp;
    const farIp = wan ? f.wanPeerIp : f.lanPeerIp;
    const homePort = wan ? f.natPort : f.devPort;
    const ip = ETHERNET_HEADER_BYTES;
    frame[ip] = 0x45;
    frame[ip + 1] = 0;
    putU16be(frame, ip + 2, ipBytes);
    putU16be(frame, ip + 4, (this.ipId = (this.ipId + 1) & 0xffff));
    putU16be(frame, ip + 6, 0x4000);
    // The router forwards: one hop less on the far side of it (the WAN for uploads, the LAN for downloads).
    frame[ip + 8] = up ? TTL_FROM_DEVICE - (wan ? 1 : 0) : TTL_FROM_INTERNET + (wan ? 1 : 0);
    frame[ip + 9] = l4Bytes === UDP_HEADER_BYTES ? PROTO_UDP : PROTO_TCP;
    putU16be(frame, ip + 10, 0);
    putU32be(frame, ip + 12, up ? homeIp : farIp);
    putU32be(frame, ip + 16, up ? farIp : homeIp);
    putU16be(frame, ip + 10, ~sum16(frame, ip, ip + IPV4_HEADER_BYTES, 0) & 0xffff);
    const l4 = ip + IPV4_HEADER_BYTES;
    putU16be(frame, l4, up ? homePort : f.peerPort);
    putU16be(frame, l4 + 2, up ? f.peerPort : homePort);
    const body = l4 + l4Bytes;
    if (len > 0) frame.set(off === 0 && len === payload.length ? payload : payload.subarray(off, off + len), body);
    const l4Length = l4Bytes + len;
    let checksumAt: number;
    if (l4Bytes === UDP_HEADER_BYTES) {
      putU16be(frame, l4 + 4, l4Length);
      putU16be(frame, l4 + 6, 0);
      checksumAt = l4 + 6;
    } else {
      putU32be(frame, l4 + 4, seq);
      putU32be(frame, l4 + 8, ack);
      frame[l4 + 12] = (TCP_HEADER_BYTES / 4) << 4;
      frame[l4 + 13] = flags;
      putU16be(frame, l4 + 14, TCP_WINDOW);
      putU32be(frame, l4 + 16, 0);
      checksumAt = l4 + 16;
    }
    // Pseudo-header: source, destination, protocol, length.
    let s = sum16(frame, ip + 12, ip + 20, frame[ip + 9] + l4Length);
    s = sum16(frame, l4, l4 + l4Length, s);
    let c = ~s & 0xffff;
    if (c === 0 && l4Bytes === UDP_HEADER_BYTES) c = 0xffff;
    putU16be(frame, checksumAt, c);
    this.emit(timeUs, frame);
  }

  private wifi(timeUs: number, f: Flow, up: boolean, ipBytes: number): void {
    const encrypted = LLC_SNAP_BYTES + ipBytes;
    const total = RADIOTAP_BYTES + QOS_DATA_HEADER_BYTES + CCMP_HEADER_BYTES + encrypted + CCMP_MIC_BYTES;
    const frame = this.slab.alloc(total);
    const tx = up ? f.station : this.ap;
    frame[0] = 0;
    frame[1] = 0;
    putU16le(frame, 2, RADIOTAP_BYTES);
    putU16le(frame, 4, RADIOTAP_PRESENT & 0xffff);
    putU16le(frame, 6, RADIOTAP_PRESENT >>> 16);
    frame[8] = 0; // flags: no FCS, no padding
    frame[9] = WIFI_RATE_UNITS;
    putU16le(frame, 10, WIFI_CHANNEL_MHZ);
    putU16le(frame, 12, WIFI_CHANNEL_FLAGS);
    frame[14] = f.station.signalDbm & 0xff; // the sniffer hears the device, and the AP as strongly
    frame[15] = 0;
    const h = RADIOTAP_BYTES;
    frame[h] = FC_QOS_DATA;
    frame[h + 1] = up ? FC_TO_DS_PROTECTED : FC_FROM_DS_PROTECTED;
    putU16le(frame, h + 2, WIFI_DURATION_US);
    // To DS: RA = BSSID, TA = SA = device, DA = the router (or broadcast). From DS: RA = DA = device, TA = BSSID, SA = router.
    putU48be(frame, h + 4, up ? this.net.routerMac : f.devMac);
    putU48be(frame, h + 10, up ? f.devMac : this.net.routerMac);
    putU48be(frame, h + 16, f.lanPeerMac);
    putU16le(frame, h + 22, (tx.seq & 0x0fff) << 4);
    tx.seq = (tx.seq + 1) & 0x0fff;
    putU16le(frame, h + 24, 0);
    const c = h + QOS_DATA_HEADER_BYTES;
    const pn = ++tx.pn;
    frame[c] = pn & 0xff;
    frame[c + 1] = (pn >>> 8) & 0xff;
    frame[c + 2] = 0;
    frame[c + 3] = CCMP_EXT_IV;
    const high = Math.floor(pn / 0x10000);
    frame[c + 4] = high & 0xff;
    frame[c + 5] = (high >>> 8) & 0xff;
    frame[c + 6] = (high >>> 16) & 0xff;
    frame[c + 7] = (high >>> 24) & 0xff;
    this.noise.fill(frame, c + CCMP_HEADER_BYTES, total);
    this.emit(timeUs, frame);
  }

  private emit(timeUs: number, frame: Uint8Array): void {
    this.frames++;
    this.bytes += frame.length;
    this.out(timeUs, frame);
  }
}

/** The one's-complement sum of big-endian 16-bit words of `b[start..end)` added to `initial` (folded). */
export function sum16(b: Uint8Array, start: number, end: number, initial: number): number {
  let s = initial;
  let i = start;
  for (; i + 1 < end; i += 2) s += (b[i] << 8) | b[i + 1];
  if (i < end) s += b[i] << 8;
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return s;
}
