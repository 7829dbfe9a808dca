/**
 * The home's devices as a LAN observer sees them, built in one pass over decoded packets: a device is
 * a MAC address (unicast) with the home addresses it used over time (from ARP, DHCP and its own
 * traffic), the names it gave itself (DHCP host name, vendor class, parameter request list and client
 * id; mDNS names, service instances and TXT strings; SSDP server, types, location and USN; plain-HTTP
 * user agent and server), the names it asked for (DNS, HTTP Host, NTP servers) and connected to (TLS
 * SNI, and the name each remote address was resolved from when the flow began), its ClientHellos'
 * JA3 strings, and its flows. `identify.ts` then says what each device is.
 *
 * Memory stays bounded: at most `maxDevices` devices, `maxFlowsPerDevice` flows and
 * `maxNamesPerDevice` names of each sort per device; past a limit, what does not fit is counted.
 */
import { formatIpv4 } from '../core/bytes.js';
import type { DnsLayer } from '../decode/app/dns.js';
import type { DhcpLayer } from '../decode/app/dhcp.js';
import { ja3Full } from '../decode/app/tls-fingerprint.js';
import { NTP_MODE } from '../decode/app/ntp.js';
import { isGroupMac } from './address.js';
import type { AddressKeys } from './address-keys.js';
import { NameTable } from './name-table.js';
import type { ObservedPacket } from './observed-packet.js';

export interface DeviceTableOptions {
  /** Called for every packet a device sends or receives (for timelines). */
  onDevicePacket?: (mac: number, time: number, bytes: number, sent: boolean) => void;
  maxDevices?: number;
  maxFlowsPerDevice?: number;
  maxNamesPerDevice?: number;
}

/** A name and when it was first seen (epoch seconds). */
export interface SeenName {
  name: string;
  first: number;
  count: number;
}

export interface DeviceAddress {
  address: string;
  source: 'arp' | 'dhcp' | 'traffic';
  first: number;
  last: number;
}

export interface DeviceFlow {
  protocol: 'tcp' | 'udp' | 'other';
  remoteAddress: string;
  remotePort: number;
  /** The name the remote address stood for when the flow began (DNS), or the flow's TLS server name. */
  remoteName: string | null;
  packetsOut: number;
  packetsIn: number;
  bytesOut: number;
  bytesIn: number;
  first: number;
  last: number;
}

/**
 * Traffic with addresses outside the home that went through a device at the link layer: frames it
 * sent from an outside address (inbound, forwarded to an inside host) and frames inside hosts sent to
 * it for an outside address (outbound). The home's router is the device most outside addresses are
 * reached through, both ways, for the most inside hosts (identify.ts); a device that only talks to
 * its own cloud has none of this.
 */
export interface OutsideVia {
  /** Distinct outside addresses seen through the device, inbound and outbound (at most {@link MAX_VIA_PEERS} each). */
  readonly peersIn: Set<number | string>;
  readonly peersOut: Set<number | string>;
  /** Distinct inside hosts (MACs) whose outside traffic went through the device (at most {@link MAX_VIA_PEERS}). */
  readonly hosts: Set<number>;
  packetsIn: number;
  packetsOut: number;
  /**
   * The (outside IPv4 address, inside host) pairs added lately each way, direct-mapped: a router sees
   * the frames of its hosts' flows interleaved, and most repeat a recent pair, which then skips the
   * sets. On the 30-day family capture (2.0 M packets, CPU profile of `devices`) the outside-traffic
   * bookkeeping took 42 ms when only the last pair was remembered, 33 ms with this cache.
   */
  readonly recentIn: Float64Array;
  readonly recentOut: Float64Array;
}

/**
 * What a Wi-Fi sniffer tells of a MAC besides its frames: the MACs it exchanged data frames with (at
 * most {@link MAX_WLAN_PEERS}), whether it is an access point (a BSSID of data frames), and the names
 * its management frames gave (wlan-names.ts).
 */
export interface WlanStation {
  readonly peers: Set<number>;
  bssid: boolean;
  readonly names: SeenName[];
}

/** Most Wi-Fi peers counted per MAC: enough to tell an access point from a station. */
export const MAX_WLAN_PEERS = 256;

/** Most outside addresses and inside hosts counted per device: enough to rank gateways, bounded memory. */
export const MAX_VIA_PEERS = 4096;

export interface ObservedDevice {
  mac: number;
  /** The flow of the device's last packet, and what it was for: most packets continue a flow. */
  lastFlow?: { flow: DeviceFlow; protocol: string; remote: number | string; port: number; name: string | null; version: number; checked: number };
  addresses: DeviceAddress[];
  /** Names the device gave itself. */
  dhcpHostNames: SeenName[];
  dhcpVendorClasses: SeenName[];
  mdnsNames: SeenName[];
  ssdpServers: SeenName[];
  /** UPnP types it advertised: the NT of its NOTIFYs, the ST of its answers to searches. */
  ssdpTypes: SeenName[];
  /** Names it asked for (DNS questions it sent). */
  dnsQueries: SeenName[];
  /** Server names in the ClientHellos it sent. */
  tlsServerNames: SeenName[];
  /** DHCP option 55 as a fingerprint (`1,3,6,15`), and option 61 (hex) when it is not the device's MAC. */
  dhcpFingerprints: SeenName[];
  dhcpClientIds: SeenName[];
  /** TXT strings (`key=value`) of the mDNS answers it sent. */
  mdnsTxt: SeenName[];
  /** LOCATION and USN of the SSDP messages it sent. */
  ssdpLocations: SeenName[];
  ssdpUsns: SeenName[];
  /** Plain-HTTP heads it sent: the Host and User-Agent of its requests, the Server of its responses. */
  httpHosts: SeenName[];
  httpUserAgents: SeenName[];
  httpServers: SeenName[];
  /** NTP servers it asked for the time: the name the address stood for then, else the address. */
  ntpServers: SeenName[];
  /** The JA3 strings of the ClientHellos it sent (tshark's ja3_full; identify.ts hashes them). */
  tlsFingerprints: SeenName[];
  flows: DeviceFlow[];
  flowsNotKept: number;
  packetsOut: number;
  packetsIn: number;
  bytesOut: number;
  bytesIn: number;
  first: number;
  last: number;
  /** Packets it sent from an address outside the home (a router forwarding for others). */
  forwardedPackets: number;
  /** Outside traffic that went through it at the link layer; null until some did. */
  via: OutsideVia | null;
  /** The home address of its last packet (as the IP layer holds it) and its entry in `addresses`. */
  lastAddressKey?: number | string;
  lastAddress?: DeviceAddress;
}

/** Slots of the recent-pair caches (a power of two). */
const RECENT_SLOTS = 256;

function newVia(): OutsideVia {
  return { peersIn: new Set(), peersOut: new Set(), hosts: new Set(), packetsIn: 0, packetsOut: 0, recentIn: new Float64Array(RECENT_SLOTS).fill(-1), recentOut: new Float64Array(RECENT_SLOTS).fill(-1) };
}

/**
 * True when (peer, host) was added lately (its slot holds it); else records it in its slot. An IPv4
 * peer (a uint32) and the host's low 20 bits make one exact key below 2^52; IPv6 peers (text) are
 * never cached.
 */
function seenRecently(recent: Float64Array, peer: number | string, host: number): boolean {
  if (typeof peer !== 'number') return false;
  const hostLow = host < 0 ? 0xfffff : host % 0x100000;
  const key = peer * 0x100000 + hostLow;
  const slot = ((peer ^ (peer >>> 11) ^ hostLow) >>> 0) & (RECENT_SLOTS - 1);
  if (recent[slot] === key) return true;
  recent[slot] = key;
  return false;
}

/** Flows of one device with one remote address, port and protocol: one per name (null and '' alike). */
interface FlowSlot {
  readonly names: string[];
  readonly flows: DeviceFlow[];
}
const PROTOCOLS = 3;
const PROTOCOL_INDEX: Readonly<Record<DeviceFlow['protocol'], number>> = { tcp: 0, udp: 1, other: 2 };
/** Seconds a flow's name is trusted without a new lookup while no DNS answer comes in. */
const NAME_RECHECK_SECONDS = 60;
const BOOTREQUEST = 1;
const WLAN_DATA = 2;
const NTP_CLIENT = NTP_MODE.CLIENT;
const DHCP_ACK = 5;

export class DeviceTable {
  readonly names = new NameTable();
  private readonly devices = new Map<number, ObservedDevice>();
  /** Each device's flows by remote address (a uint32 IPv4 or IPv6 text), then by port and protocol: see findFlow(). */
  private readonly flowIndex = new Map<ObservedDevice, Map<number | string, Map<number, FlowSlot>>>();
  /** Packets with at least one home address, and IP packets in all: for telling the vantage. */
  localPackets = 0;
  ipPackets = 0;
  /**
   * Frames in all, those the decoder read at least a link header of, the 802.11 ones (a Wi-Fi
   * sniffer's) and those with an Ethernet header: for telling a capture no device can be told from.
   */
  frames = 0;
  decodedFrames = 0;
  wifiFrames = 0;
  ethernetFrames = 0;
  devicesNotKept = 0;
  /** Frames whose link addresses stood for IP addresses (a capture without link addresses: observed-packet.ts). */
  addressKeyedFrames = 0;
  /** The keys of those addresses (the packets' own), to name such devices by address. */
  addressKeys: AddressKeys | null = null;
  /** 802.11 data frames, and what each MAC was on the Wi-Fi (only in a Wi-Fi sniffer's capture). */
  wlanDataFrames = 0;
  readonly wlan = new Map<number, WlanStation>();
  /** The two devices met last (a conversation's two ends), to skip map lookups. */
  private cacheMacA = -1;
  private cacheDeviceA: ObservedDevice | undefined = undefined;
  private cacheMacB = -1;
  private cacheDeviceB: ObservedDevice | undefined = undefined;
  private readonly maxDevices: number;
  private readonly onDevicePacket: DeviceTableOptions['onDevicePacket'];
  private readonly maxFlows: number;
  private readonly maxNames: number;

  constructor(options: DeviceTableOptions = {}) {
    this.maxDevices = options.maxDevices ?? 10_000;
    this.onDevicePacket = options.onDevicePacket;
    this.maxFlows = options.maxFlowsPerDevice ?? 2_000;
    this.maxNames = options.maxNamesPerDevice ?? 500;
  }

  /** Counts one packet's facts (see observed-packet.ts) for the devices it went between and the names it spoke. */
  add(o: ObservedPacket): void {
    const time = o.time;
    this.frames++;
    if (o.layerCount > 0) this.decodedFrames++;
    if (o.wifi) this.wifiFrames++;
    const srcMac = o.srcMac;
    const dstMac = o.dstMac;
    if (srcMac >= 0) {
      if (o.addressKeyed) {
        this.addressKeyedFrames++;
        this.addressKeys ??= o.addressKeys;
      } else if (!o.wifi) this.ethernetFrames++;
    }
    if (o.wifi) this.wlanFrame(o, time);
    if (o.arpSenderMac >= 0 && !isGroupMac(o.arpSenderMac)) {
      const d = this.device(o.arpSenderMac, time);
      if (d) this.address(d, formatIpv4(o.arpSenderIp), 'arp', time);
    }
    for (let i = 0; i < o.dns.length; i++) this.dns(o.dns[i], srcMac, time);
    for (let i = 0; i < o.dhcp.length; i++) this.dhcp(o.dhcp[i], time);
    for (let i = 0; i < o.ssdp.length; i++) {
      if (srcMac >= 0 && !isGroupMac(srcMac)) {
        const l = o.ssdp[i];
        const d = this.device(srcMac, time);
        const server = l.server ?? l.userAgent;
        if (d && server !== null) this.seen(d.ssdpServers, server, time);
        // What it advertises is its own: the NT of a NOTIFY, the ST of an answer (a search's ST is what it looks for).
        const type = l.method === 'NOTIFY' ? l.nt : l.statusCode !== null ? l.st : null;
        if (d && type !== null && type !== '') this.seen(d.ssdpTypes, type, time);
        // Where its description is, and its unique name: an announcement's or an answer's, its own.
        if (d && (l.method === 'NOTIFY' || l.statusCode !== null)) {
          if (l.location !== null && l.location !== '') this.seen(d.ssdpLocations, l.location, time);
          if (l.usn !== null && l.usn !== '') this.seen(d.ssdpUsns, l.usn, time);
        }
      }
    }
    let serverName: string | null = null;
    for (let i = 0; i < o.clientHellos.length; i++) {
      const l = o.clientHellos[i];
      serverName ??= l.serverNames[0] ?? null;
      if (srcMac >= 0 && !isGroupMac(srcMac)) {
        const d = this.device(srcMac, time);
        if (d) for (const name of l.serverNames) this.seen(d.tlsServerNames, name, time);
      }
    }
    // Out of line, keeping this per-packet method as small as it was: with the JA3, HTTP and NTP
    // clues read inside it, `devices` on the 30-day family capture (2.0 M packets) took 1813 ms of CPU
    // against 1732 ms before them (medians of 6, alternating in one process); read here, 1761 ms
    // against 1764 ms.
    if (o.clientHellos.length > 0 || o.http.length > 0 || o.ntp.length > 0) this.clues(o, srcMac, time);
    if (o.ipVersion === 0) {
      if (o.wlanType === WLAN_DATA && srcMac >= 0) this.sealedFrame(o, time);
      return;
    }
    this.ipPackets++;
    const src = o.srcIp;
    const dst = o.dstIp;
    const srcLocal = o.srcLocal;
    if (srcLocal || o.dstLocal) this.localPackets++;
    if (srcMac < 0) return;
    const protocol = o.protocol;
    const bytes = o.frameBytes;
    if (!isGroupMac(srcMac)) {
      const d = this.device(srcMac, time);
      if (d) {
        d.packetsOut++;
        d.bytesOut += bytes;
        this.onDevicePacket?.(srcMac, time, bytes, true);
        if (!srcLocal) {
          d.forwardedPackets++;
          if (!o.srcGroup) this.viaIn(d, src, dstMac);
        } else if (src !== d.lastAddressKey || d.lastAddress === undefined) {
          d.lastAddressKey = src;
          d.lastAddress = this.address(d, typeof src === 'number' ? formatIpv4(src) : src, 'traffic', time);
        } else if (time > d.lastAddress.last) d.lastAddress.last = time;
        if (!o.dstGroup) this.flow(d, protocol, dst, o.dstPort, time, true, bytes, serverName);
      }
    }
    if (dstMac >= 0 && !isGroupMac(dstMac)) {
      const d = this.device(dstMac, time);
      if (d) {
        if (!o.dstLocal && !o.dstGroup && srcMac !== dstMac) this.viaOut(d, dst, srcMac);
        d.packetsIn++;
        d.bytesIn += bytes;
        this.onDevicePacket?.(dstMac, time, bytes, false);
        if (!o.srcGroup) this.flow(d, protocol, src, o.srcPort, time, false, bytes, null);
      }
    }
  }

  /** What an 802.11 frame tells: who exchanged data with whom under which BSSID, and the names a management frame gave. */
  private wlanFrame(o: ObservedPacket, time: number): void {
    const src = o.srcMac;
    const dst = o.dstMac;
    if (src < 0 || isGroupMac(src)) return;
    if (o.wlanType === WLAN_DATA) {
      this.wlanDataFrames++;
      const s = this.station(src);
      if (s !== null && dst >= 0 && !isGroupMac(dst) && s.peers.size < MAX_WLAN_PEERS) s.peers.add(dst);
      if (o.wlanBssid >= 0 && !isGroupMac(o.wlanBssid)) {
        const b = this.station(o.wlanBssid);
        if (b !== null) b.bssid = true;
      }
    } else if (o.wlanNames.length > 0) {
      const s = this.station(src);
      if (s !== null) for (const n of o.wlanNames) this.seen(s.names, `${n.kind}\t${n.value}`, time);
    }
  }

  private station(mac: number): WlanStation | null {
    let s = this.wlan.get(mac);
    if (s === undefined) {
      if (this.wlan.size >= this.maxDevices) return null;
      this.wlan.set(mac, (s = { peers: new Set(), bssid: false, names: [] }));
    }
    return s;
  }

  /** An 802.11 data frame whose body cannot be read (encrypted): its size and time count for both ends. */
  private sealedFrame(o: ObservedPacket, time: number): void {
    const bytes = o.frameBytes;
    if (!isGroupMac(o.srcMac)) {
      const d = this.device(o.srcMac, time);
      if (d) {
        d.packetsOut++;
        d.bytesOut += bytes;
        this.onDevicePacket?.(o.srcMac, time, bytes, true);
      }
    }
    if (o.dstMac >= 0 && !isGroupMac(o.dstMac)) {
      const d = this.device(o.dstMac, time);
      if (d) {
        d.packetsIn++;
        d.bytesIn += bytes;
        this.onDevicePacket?.(o.dstMac, time, bytes, false);
      }
    }
  }

  /** What a ClientHello's fingerprint, a plain-HTTP head or an NTP message says of the device that sent it. */
  private clues(o: ObservedPacket, srcMac: number, time: number): void {
    if (srcMac < 0 || isGroupMac(srcMac)) return;
    const d = this.device(srcMac, time);
    if (!d) return;
    for (const l of o.clientHellos) this.seen(d.tlsFingerprints, ja3Full(l), time);
    for (const h of o.http) {
      if (h.host !== null) this.seen(d.httpHosts, h.host, time);
      if (h.userAgent !== null) this.seen(d.httpUserAgents, h.userAgent, time);
      if (h.server !== null) this.seen(d.httpServers, h.server, time);
    }
    for (const n of o.ntp) {
      if (n.mode !== NTP_CLIENT || o.ipVersion === 0 || o.dstGroup) continue;
      const server = o.dstIp;
      const name = this.names.nameAt(server, time);
      this.seen(d.ntpServers, name ?? (typeof server === 'number' ? formatIpv4(server) : server), time);
    }
  }

  /** `d` sent a frame from the outside address `peer` to the inside host `host` (a MAC, -1 for none). */
  private viaIn(d: ObservedDevice, peer: number | string, host: number): void {
    const v = (d.via ??= newVia());
    v.packetsIn++;
    if (seenRecently(v.recentIn, peer, host)) return;
    if (v.peersIn.size < MAX_VIA_PEERS) v.peersIn.add(peer);
    if (host >= 0 && !isGroupMac(host) && v.hosts.size < MAX_VIA_PEERS) v.hosts.add(host);
  }

  /** The inside host `host` sent `d` a frame for the outside address `peer`. */
  private viaOut(d: ObservedDevice, peer: number | string, host: number): void {
    const v = (d.via ??= newVia());
    v.packetsOut++;
    if (seenRecently(v.recentOut, peer, host)) return;
    if (v.peersOut.size < MAX_VIA_PEERS) v.peersOut.add(peer);
    if (host >= 0 && !isGroupMac(host) && v.hosts.size < MAX_VIA_PEERS) v.hosts.add(host);
  }

  /** The devices seen, in order of first appearance. */
  list(): ObservedDevice[] {
    return [...this.devices.values()];
  }

  /**
   * DHCP names the client by its hardware address: a request gives its host name and vendor class,
   * a server's ACK the address it may use (in a message from the server to the client).
   */
  private dhcp(l: DhcpLayer, time: number): void {
    if (typeof l.chaddr !== 'number' || isGroupMac(l.chaddr)) return;
    const d = this.device(l.chaddr, time);
    if (!d) return;
    if (l.op === BOOTREQUEST) {
      if (l.hostName) this.seen(d.dhcpHostNames, l.hostName, time);
      if (l.vendorClass) this.seen(d.dhcpVendorClasses, l.vendorClass, time);
      if (l.parameterList !== null && l.parameterList.length > 0) this.seen(d.dhcpFingerprints, l.parameterList.join(','), time);
      // Option 61 says something only when it is not the hardware type and MAC again.
      if (l.clientId !== null && l.clientId !== `01${l.chaddr.toString(16).padStart(12, '0')}`) this.seen(d.dhcpClientIds, l.clientId, time);
    } else if (l.messageType === DHCP_ACK && l.yiaddr !== 0) {
      this.address(d, formatIpv4(l.yiaddr), 'dhcp', time);
    }
  }

  private dns(l: DnsLayer, srcMac: number, time: number): void {
    if (l.isResponse) {
      this.names.learn(l, time);
      if (l.protocol === 'mdns' && srcMac >= 0 && !isGroupMac(srcMac)) {
        const d = this.device(srcMac, time);
        if (!d) return;
        for (const rr of [...l.answers, ...l.additionals]) {
          const data = rr.data;
          if (data.type === 'A' || data.type === 'AAAA' || data.type === 'SRV' || data.type === 'TXT') this.seen(d.mdnsNames, rr.name, time);
          // A PTR answer names an instance of a service type (or, from _services._dns-sd._udp, a type);
          // an SRV answer the host that serves the instance.
          if (data.type === 'PTR') this.seen(d.mdnsNames, data.name, time);
          else if (data.type === 'SRV') this.seen(d.mdnsNames, data.target, time);
          else if (data.type === 'TXT') for (const t of data.strings) if (t !== '') this.seen(d.mdnsTxt, t, time);
        }
      }
      return;
    }
    if (srcMac < 0 || isGroupMac(srcMac) || l.protocol !== 'dns') return;
    const d = this.device(srcMac, time);
    if (d) for (const q of l.questions) this.seen(d.dnsQueries, q.name, time);
  }

  private device(mac: number, time: number): ObservedDevice | null {
    let d = mac === this.cacheMacA ? this.cacheDeviceA : mac === this.cacheMacB ? this.cacheDeviceB : this.devices.get(mac);
    if (d === undefined) {
      if (this.devices.size >= this.maxDevices) {
        this.devicesNotKept++;
        return null;
      }
      d = {
        mac,
        addresses: [],
        dhcpHostNames: [],
        dhcpVendorClasses: [],
        mdnsNames: [],
        ssdpServers: [],
        ssdpTypes: [],
        dnsQueries: [],
        tlsServerNames: [],
        dhcpFingerprints: [],
        dhcpClientIds: [],
        mdnsTxt: [],
        ssdpLocations: [],
        ssdpUsns: [],
        httpHosts: [],
        httpUserAgents: [],
        httpServers: [],
        ntpServers: [],
        tlsFingerprints: [],
        flows: [],
        flowsNotKept: 0,
        packetsOut: 0,
        packetsIn: 0,
        bytesOut: 0,
        bytesIn: 0,
        first: time,
        last: time,
        forwardedPackets: 0,
        via: null,
      };
      this.devices.set(mac, d);
    }
    if (mac !== this.cacheMacA) {
      this.cacheMacB = this.cacheMacA;
      this.cacheDeviceB = this.cacheDeviceA;
      this.cacheMacA = mac;
      this.cacheDeviceA = d;
    }
    if (time < d.first) d.first = time;
    if (time > d.last) d.last = time;
    return d;
  }

  /** Records that the device used `address` at `time` (learnt from `source`). */
  address(d: ObservedDevice, address: string, source: DeviceAddress['source'], time: number): DeviceAddress | undefined {
    let a = d.addresses.find((x) => x.address === address);
    if (a) {
      if (time > a.last) a.last = time;
      if (time < a.first) a.first = time;
      if (source === 'dhcp') a.source = 'dhcp';
    } else if (d.addresses.length < this.maxNames) {
      d.addresses.push((a = { address, source, first: time, last: time }));
    }
    return a;
  }

  /** Counts a name of one sort for a device. */
  seen(list: SeenName[], name: string, time: number): void {
    const s = list.find((x) => x.name === name);
    if (s) s.count++;
    else if (list.length < this.maxNames) list.push({ name, first: time, count: 1 });
  }

  private flow(
    d: ObservedDevice,
    protocol: DeviceFlow['protocol'],
    remoteKey: number | string,
    port: number,
    time: number,
    out: boolean,
    bytes: number,
    serverName: string | null,
  ): void {
    // A flow is the device's traffic with one remote service under one name: the name the remote
    // address stood for at the packet's time. An answer seen later starts a new flow; it never
    // renames the traffic before it.
    // The name lookup is skipped while no answer was learnt since the flow's last packet (and at most
    // a minute went by, so that an answer's expiry is seen within a minute).
    const last = d.lastFlow;
    let f: DeviceFlow | undefined;
    if (
      last !== undefined &&
      last.remote === remoteKey &&
      last.port === port &&
      last.protocol === protocol &&
      last.version === this.names.version &&
      time - last.checked < NAME_RECHECK_SECONDS
    ) {
      f = last.flow;
    } else {
      const name = this.names.nameAt(remoteKey, time);
      if (last !== undefined && last.remote === remoteKey && last.port === port && last.protocol === protocol && last.name === name) {
        f = last.flow;
      } else {
        f = this.findFlow(d, protocol, remoteKey, port, name, time);
        if (f === undefined) return;
      }
      if (last === undefined) d.lastFlow = { flow: f, protocol, remote: remoteKey, port, name, version: this.names.version, checked: time };
      else {
        last.flow = f;
        last.protocol = protocol;
        last.remote = remoteKey;
        last.port = port;
        last.name = name;
        last.version = this.names.version;
        last.checked = time;
      }
    }
    if (serverName !== null && f.remoteName === null) f.remoteName = serverName;
    if (out) {
      f.packetsOut++;
      f.bytesOut += bytes;
    } else {
      f.packetsIn++;
      f.bytesIn += bytes;
    }
    if (time > f.last) f.last = time;
  }

  /**
   * The device's flow for (protocol, remote, port, name), made when new and the device has room.
   * Looked up by the remote address, then by port and protocol, then by name (a name that is null
   * and an empty one are one name), with no key text built: building a text key for every lookup
   * took a fifth of `peephole devices` on a DNS-heavy home (30 days of the family home simulated,
   * 2.0 M packets, profiled: findFlow 0.6 s of 2.9 s with text keys, 0.14-0.2 s without), where
   * names change often enough that most packets are looked up.
   */
  private findFlow(
    d: ObservedDevice,
    protocol: DeviceFlow['protocol'],
    remoteKey: number | string,
    port: number,
    name: string | null,
    time: number,
  ): DeviceFlow | undefined {
    const nameKey = name ?? '';
    const portKey = port * PROTOCOLS + PROTOCOL_INDEX[protocol];
    let byRemote = this.flowIndex.get(d);
    const byPort = byRemote?.get(remoteKey);
    const slot = byPort?.get(portKey);
    if (slot !== undefined) {
      for (let i = 0; i < slot.names.length; i++) if (slot.names[i] === nameKey) return slot.flows[i];
    }
    if (d.flows.length >= this.maxFlows) {
      d.flowsNotKept++;
      return undefined;
    }
    const remote = typeof remoteKey === 'number' ? formatIpv4(remoteKey) : remoteKey;
    const f: DeviceFlow = { protocol, remoteAddress: remote, remotePort: port, remoteName: name, packetsOut: 0, packetsIn: 0, bytesOut: 0, bytesIn: 0, first: time, last: time };
    d.flows.push(f);
    if (slot !== undefined) {
      slot.names.push(nameKey);
      slot.flows.push(f);
    } else if (byPort !== undefined) {
      byPort.set(portKey, { names: [nameKey], flows: [f] });
    } else {
      if (byRemote === undefined) this.flowIndex.set(d, (byRemote = new Map()));
      byRemote.set(remoteKey, new Map([[portKey, { names: [nameKey], flows: [f] }]]));
    }
    return f;
  }
}
