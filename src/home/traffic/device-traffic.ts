/**
 * One network device's traffic, generated in time order: DHCP at start-up (and renewals), DNS lookups
 * of its names (again each time a TTL runs out), its long-lived TLS cloud sessions with keep-alives
 * at their period and jitter, occasional reconnects, NTP, and a burst of TLS records for each use.
 */
import { parseIpv4 } from '../../core/bytes.js';
import { Random } from '../../core/random.js';
import { TrafficWriter } from './traffic-writer.js';
import type { ActionProfile, DeviceProfile, SessionProfile } from './device-profiles.js';
import { PayloadRandom } from './frame-slab.js';
import { DnsPair, dhcpExchange, ntpPacket, tlsStream } from './messages.js';
import type { PacketSeam } from './packet-seam.js';
import type { PayloadKind } from '../seams.js';
import { TCP_ACK, TCP_FIN, TCP_PSH, TCP_SYN, type Flow, type NetworkAddresses, type PacketOut, type Station, type Wire } from './wire.js';

const TCP_MSS = 1448;
const DHCP_CLIENT_PORT = 68;
const DHCP_SERVER_PORT = 67;
const DNS_PORT = 53;
const NTP_PORT = 123;
const BROADCAST_MAC = 0xffff_ffff_ffff;
const BROADCAST_IP = 0xffff_ffff;
/** Linux-style ephemeral ports, above the traceroute ones (so tshark does not take DNS for traceroute). */
const EPHEMERAL_MIN = 33535;
const EPHEMERAL_MAX = 60999;
const LAN_HOP_US = 1_500;
const DNS_RTT_MIN_US = 8_000;
const DNS_RTT_MAX_US = 30_000;
const CLOUD_RTT_MIN_US = 15_000;
const CLOUD_RTT_MAX_US = 90_000;
const DHCP_RENEW_US = 43_200e6;
const BOOT_SPREAD_US = 20e6;
/** A message sent within this long of the last one it answers carries the ACK itself. */
const PIGGYBACK_US = 40_000;
const WIRE_US_PER_BYTE = 0.08; // 100 Mbit/s
const SEGMENT_OVERHEAD_US = 40;
const FINISHED_BYTES = 74;
const DAY_SECONDS = 86_400;

/** Ports tshark takes for traceroute (its UDP heuristic); neither the devices nor NAT use them. */
const TRACEROUTE_FIRST_PORT = 33434;
const TRACEROUTE_LAST_PORT = 33534;
const NAT_FIRST_PORT = 1024;
const NAT_LAST_PORT = 65535;

/**
 * The router's source-port allocator for NAT (shared by every device of the home): ports in turn,
 * skipping the ones open TCP sessions hold, as a NAT does.
 */
export class NatPorts {
  private next: number;
  private readonly held = new Set<number>();

  constructor(random: Random) {
    this.next = random.int(NAT_FIRST_PORT, NAT_LAST_PORT);
  }

  /** The next free port; `hold` keeps it from being given again until {@link release}. */
  take(hold = false): number {
    let p = this.next;
    while (this.held.has(p) || (p >= TRACEROUTE_FIRST_PORT && p <= TRACEROUTE_LAST_PORT)) p = p === NAT_LAST_PORT ? NAT_FIRST_PORT : p + 1;
    this.next = p === NAT_LAST_PORT ? NAT_FIRST_PORT : p + 1;
    if (hold) this.held.add(p);
    return p;
  }

  release(port: number): void {
    this.held.delete(port);
  }
}

/** What every device of a home shares. */
export interface HomeContext {
  readonly wire: Wire;
  /** The packet seam in front of the wire, or null for none (packets go straight to the wire). */
  readonly seam: PacketSeam | null;
  readonly net: NetworkAddresses;
  readonly nat: NatPorts;
}

interface Connection {
  flow: Flow;
  devSeq: number;
  peerSeq: number;
  timeUs: number;
}

interface SessionState {
  readonly profile: SessionProfile;
  readonly dns: number;
  conn: Connection | null;
  nextHeartbeatUs: number;
  nextReconnectUs: number;
}

export class DeviceTraffic {
  readonly random: Random;
  private readonly noise: PayloadRandom;
  private readonly tls: TrafficWriter;
  private readonly station: Station;
  private readonly dns: DnsPair[];
  /** When each name's answer runs out, and when it is looked up again unasked (Infinity: only on use). */
  private readonly dnsExpiresUs: number[];
  private readonly dnsRefreshUs: number[];
  private readonly sessions: SessionState[];
  private readonly rttUs: number;
  private readonly ntpDns: number;
  private nextNtpUs = Infinity;
  private nextRenewUs = Infinity;
  private scratch = new Uint8Array(64 * 1024);
  /** Where packets go: the wire, or this device's front of the packet seam. */
  private readonly out: PacketOut;
  /** The home's packet seam, or null. */
  private readonly seam: PacketSeam | null;
  /** A message's packets as the seam decided them: time, payload bytes (-1: the receiver's ACK), flow. */
  private readonly planUs: number[] = [];
  private readonly planBytes: number[] = [];
  private readonly planFlows: Flow[] = [];

  constructor(
    private readonly home: HomeContext,
    readonly id: string,
    private readonly mac: number,
    private readonly ip: number,
    private readonly hostName: string | undefined,
    readonly profile: DeviceProfile,
    seed: number,
  ) {
    this.random = new Random(seed);
    this.noise = new PayloadRandom(seed ^ 0x7f4a7c15);
    this.tls = new TrafficWriter({ writePacket: () => undefined }, seed ^ 0x2545f491);
    this.station = { seq: this.random.int(0, 4095), pn: this.random.int(1, 1 << 20), signalDbm: this.random.int(-75, -40) };
    this.dns = profile.dns.map((d) => new DnsPair(d));
    this.dnsExpiresUs = this.dns.map(() => -Infinity);
    this.dnsRefreshUs = this.dns.map(() => Infinity);
    this.sessions = profile.sessions.map((s) => ({ profile: s, dns: profile.dns.findIndex((d) => d.name === s.name), conn: null, nextHeartbeatUs: Infinity, nextReconnectUs: Infinity }));
    this.ntpDns = profile.ntp === null ? -1 : profile.dns.findIndex((d) => d.name === profile.ntp?.name);
    this.rttUs = this.random.int(CLOUD_RTT_MIN_US, CLOUD_RTT_MAX_US);
    this.seam = home.seam;
    this.out = home.seam === null ? home.wire : home.seam.device(id);
  }

  /** Start-up at `timeUs`: DHCP, every name looked up, the sessions opened; returns when it is done. */
  boot(startUs: number): void {
    let t = startUs + this.random.int(0, BOOT_SPREAD_US);
    t = this.dhcp(t, false);
    this.nextRenewUs = t + DHCP_RENEW_US;
    for (let i = 0; i < this.dns.length; i++) t = this.lookup(t, i) + this.random.int(1_000, 50_000);
    for (const s of this.sessions) t = this.open(t, s);
    if (this.profile.ntp !== null) {
      t = this.ntp(t);
      this.nextNtpUs = t + this.profile.ntp.periodSeconds * 1e6;
    }
  }

  /**
   * Everything due before `endUs`, with `uses` (this device's, or its sensors', in time order) put
   * in as they come; uses at or past `endUs` are left for the next call.
   */
  runUntil(endUs: number, uses: readonly { timeUs: number; action: ActionProfile }[]): void {
    let u = 0;
    for (;;) {
      // The earliest thing due: a use, a keep-alive, a reconnect, a DNS refresh, NTP, DHCP renewal.
      let at = u < uses.length ? uses[u].timeUs : Infinity;
      let what = 0; // 0 use, 1 heartbeat, 2 reconnect, 3 dns, 4 ntp, 5 renew
      let which = 0;
      for (let s = 0; s < this.sessions.length; s++) {
        const st = this.sessions[s];
        if (st.nextHeartbeatUs < at) ((at = st.nextHeartbeatUs), (what = 1), (which = s));
        if (st.nextReconnectUs < at) ((at = st.nextReconnectUs), (what = 2), (which = s));
      }
      for (let d = 0; d < this.dnsRefreshUs.length; d++) if (this.dnsRefreshUs[d] < at) ((at = this.dnsRefreshUs[d]), (what = 3), (which = d));
      if (this.nextNtpUs < at) ((at = this.nextNtpUs), (what = 4));
      if (this.nextRenewUs < at) ((at = this.nextRenewUs), (what = 5));
      if (at >= endUs) return;
      switch (what) {
        case 0:
          this.burst(at, uses[u++].action);
          break;
        case 1:
          this.heartbeat(at, this.sessions[which]);
          break;
        case 2:
          this.reconnect(at, this.sessions[which]);
          break;
        case 3:
          this.lookup(at, which);
          break;
        case 4:
          this.nextNtpUs = this.ntp(at) + (this.profile.ntp?.periodSeconds ?? 0) * 1e6;
          break;
        default:
          this.nextRenewUs = this.dhcp(at, true) + DHCP_RENEW_US;
      }
    }
  }

  private dhcp(t: number, renew: boolean): number {
    const n = this.home.net;
    const x = dhcpExchange(this.random.int(0, 0xffff_ffff), this.mac, this.ip, n.routerIp, this.hostName, renew);
    const base = { udp: true, devMac: this.mac, devPort: DHCP_CLIENT_PORT, peerPort: DHCP_SERVER_PORT, wanPeerIp: 0, natPort: 0, lanOnly: true, station: this.station };
    const ask: Flow = renew
      ? { ...base, devIp: this.ip, lanPeerMac: n.routerMac, lanPeerIp: n.routerIp }
      : { ...base, devIp: 0, lanPeerMac: BROADCAST_MAC, lanPeerIp: BROADCAST_IP };
    const answer: Flow = { ...base, devIp: this.ip, lanPeerMac: n.routerMac, lanPeerIp: n.routerIp };
    const w = this.out;
    if (!renew) {
      w.udp(t, ask, true, x.discover, x.discover.length);
      t += this.random.int(2_000, 20_000);
      w.udp(t, answer, false, x.offer, x.offer.length);
      t += this.random.int(2_000, 20_000);
    }
    w.udp(t, ask, true, x.request, x.request.length);
    t += this.random.int(2_000, 20_000);
    w.udp(t, answer, false, x.ack, x.ack.length);
    return t;
  }

  /** A new UDP flow from a fresh ephemeral port to `lanPeerIp` (seen as `wanPeerIp` past NAT). */
  private udpFlow(lanPeerIp: number, wanPeerIp: number, peerPort: number): Flow {
    return {
      udp: true,
      devMac: this.mac,
      devIp: this.ip,
      devPort: this.random.int(EPHEMERAL_MIN, EPHEMERAL_MAX),
      lanPeerMac: this.home.net.routerMac,
      lanPeerIp,
      peerPort,
      wanPeerIp,
      natPort: this.home.nat.take(),
      lanOnly: false,
      station: this.station,
    };
  }

  /** Looks name `i` up through the router; returns the time of the answer. */
  private lookup(t: number, i: number): number {
    const pair = this.dns[i];
    pair.withId(this.random.int(0, 0xffff));
    const flow = this.udpFlow(this.home.net.routerIp, this.home.net.ispResolverIp, DNS_PORT);
    const w = this.out;
    w.udp(t, flow, true, pair.query, pair.query.length);
    t += this.random.int(DNS_RTT_MIN_US, DNS_RTT_MAX_US);
    w.udp(t, flow, false, pair.answer, pair.answer.length);
    this.dnsExpiresUs[i] = t + pair.profile.ttlSeconds * 1e6;
    // Looked up again when the answer's TTL runs out (plus the moment the device notices), or only when next needed.
    const notice = this.random.int(0, 2e6);
    this.dnsRefreshUs[i] = pair.profile.refresh === 'ttl' ? this.dnsExpiresUs[i] + notice : Infinity;
    return t;
  }

  private cloudAddress(dns: number): number {
    const addresses = this.profile.dns[dns].addresses;
    return parseIpv4(addresses[this.random.int(0, addresses.length - 1)]);
  }

  /** Opens a session: TCP handshake, ClientHello naming the cloud, the server's flight, Finished. */
  private open(t: number, s: SessionState): number {
    const remote = this.cloudAddress(s.dns);
    const flow: Flow = {
      udp: false,
      devMac: this.mac,
      devIp: this.ip,
      devPort: this.random.int(EPHEMERAL_MIN, EPHEMERAL_MAX),
      lanPeerMac: this.home.net.routerMac,
      lanPeerIp: remote,
      peerPort: s.profile.port,
      wanPeerIp: remote,
      natPort: this.home.nat.take(true),
      lanOnly: false,
      station: this.station,
    };
    const c: Connection = { flow, devSeq: this.random.int(0, 0xffff_ffff), peerSeq: this.random.int(0, 0xffff_ffff), timeUs: t };
    const w = this.out;
    w.tcp(c.timeUs, flow, true, c.devSeq, 0, TCP_SYN, this.scratch, 0, 0);
    c.devSeq = (c.devSeq + 1) >>> 0;
    c.timeUs += this.rttUs;
    w.tcp(c.timeUs, flow, false, c.peerSeq, c.devSeq, TCP_SYN | TCP_ACK, this.scratch, 0, 0);
    c.peerSeq = (c.peerSeq + 1) >>> 0;
    c.timeUs += LAN_HOP_US;
    w.tcp(c.timeUs, flow, true, c.devSeq, c.peerSeq, TCP_ACK, this.scratch, 0, 0);
    this.sendBytes(c, true, this.tls.clientHello(s.profile.name, s.profile.alpn), 0);
    c.timeUs += this.rttUs;
    this.sendBytes(c, false, this.tls.serverFlight(), 0);
    this.ack(c, true);
    c.timeUs += LAN_HOP_US;
    this.message(c, true, FINISHED_BYTES, 0);
    s.conn = c;
    const hb = s.profile.heartbeat;
    s.nextHeartbeatUs = c.timeUs + hb.periodSeconds * 1e6;
    s.nextReconnectUs = s.profile.reconnectsPerDay > 0 ? c.timeUs + this.random.exponential(DAY_SECONDS / s.profile.reconnectsPerDay) * 1e6 : Infinity;
    return c.timeUs;
  }

  private close(c: Connection): void {
    const w = this.out;
    c.timeUs += LAN_HOP_US;
    w.tcp(c.timeUs, c.flow, true, c.devSeq, c.peerSeq, TCP_FIN | TCP_ACK, this.scratch, 0, 0);
    c.devSeq = (c.devSeq + 1) >>> 0;
    c.timeUs += this.rttUs;
    w.tcp(c.timeUs, c.flow, false, c.peerSeq, c.devSeq, TCP_FIN | TCP_ACK, this.scratch, 0, 0);
    c.peerSeq = (c.peerSeq + 1) >>> 0;
    c.timeUs += LAN_HOP_US;
    w.tcp(c.timeUs, c.flow, true, c.devSeq, c.peerSeq, TCP_ACK, this.scratch, 0, 0);
    this.home.nat.release(c.flow.natPort);
  }

  private reconnect(t: number, s: SessionState): void {
    const c = s.conn as Connection;
    c.timeUs = Math.max(c.timeUs, t);
    this.close(c);
    let at = c.timeUs + this.random.int(200_000, 5_000_000);
    // The name is looked up again first when its answer has expired.
    if (this.dnsExpiresUs[s.dns] <= at) at = this.lookup(at, s.dns) + LAN_HOP_US;
    this.open(at, s);
  }

  private heartbeat(t: number, s: SessionState): void {
    const c = s.conn as Connection;
    const hb = s.profile.heartbeat;
    c.timeUs = Math.max(c.timeUs, t);
    this.message(c, true, hb.upBytes, 0);
    c.timeUs += this.rttUs;
    this.message(c, false, hb.downBytes, 0);
    c.timeUs += LAN_HOP_US;
    this.ack(c, true);
    s.nextHeartbeatUs = t + Math.max(1e6, (hb.periodSeconds + this.random.normal(0, hb.jitterSeconds)) * 1e6);
  }

  /** The burst of one use: its messages in order, each after its gap, ACKed as TCP would. */
  private burst(t: number, action: ActionProfile): void {
    const c = (this.sessions[action.session] as SessionState).conn as Connection;
    c.timeUs = Math.max(c.timeUs, t);
    const messages = action.messages;
    for (let i = 0; i < messages.length; i++) {
      const m = messages[i];
      this.message(c, m.up, m.bytes, m.durationMs * 1000);
      const next = i + 1 < messages.length ? messages[i + 1] : null;
      const endUs = c.timeUs;
      // The other side ACKs at once unless it answers soon enough to carry the ACK itself.
      if (next === null || next.up === m.up || next.gapMs * 1000 > PIGGYBACK_US) {
        c.timeUs = endUs + Math.min(this.rttUs / 2, PIGGYBACK_US);
        this.ack(c, !m.up);
      }
      if (next !== null) c.timeUs = Math.max(c.timeUs, endUs + next.gapMs * 1000);
    }
  }

  private ack(c: Connection, fromDevice: boolean): void {
    this.out.tcp(c.timeUs, c.flow, fromDevice, fromDevice ? c.devSeq : c.peerSeq, fromDevice ? c.peerSeq : c.devSeq, TCP_ACK, this.scratch, 0, 0);
  }

  /** One TLS application-data message of `bytes` TCP payload bytes, spread over `durationUs` when given. */
  private message(c: Connection, up: boolean, bytes: number, durationUs: number): void {
    if (this.seam !== null) return this.sendThroughSeam(this.seam, c, up, 'tls-data', null, bytes, durationUs);
    if (this.scratch.length < bytes) this.scratch = new Uint8Array(Math.max(bytes, this.scratch.length * 2));
    tlsStream(this.scratch, bytes, this.noise);
    this.send(c, up, this.scratch, bytes, durationUs);
  }

  private sendBytes(c: Connection, up: boolean, data: Uint8Array, durationUs: number): void {
    if (this.seam !== null) return this.sendThroughSeam(this.seam, c, up, 'tls-handshake', data, data.length, durationUs);
    this.send(c, up, data, data.length, durationUs);
  }

  /** Sends `data[0..bytes)` cut to the MSS; the receiver ACKs every second segment. */
  private send(c: Connection, up: boolean, data: Uint8Array, bytes: number, durationUs: number): void {
    const w = this.out;
    const segments = Math.ceil(bytes / TCP_MSS);
    const spacing = segments > 1 && durationUs > 0 ? durationUs / segments : 0;
    for (let at = 0, n = 0; at < bytes; at += TCP_MSS, n++) {
      const len = Math.min(TCP_MSS, bytes - at);
      const seq = up ? c.devSeq : c.peerSeq;
      w.tcp(c.timeUs, c.flow, up, seq, up ? c.peerSeq : c.devSeq, TCP_ACK | TCP_PSH, data, at, len);
      if (up) c.devSeq = (c.devSeq + len) >>> 0;
      else c.peerSeq = (c.peerSeq + len) >>> 0;
      const last = at + TCP_MSS >= bytes;
      if (!last) {
        c.timeUs += spacing > 0 ? spacing : SEGMENT_OVERHEAD_US + len * WIRE_US_PER_BYTE;
        if (n % 2 === 1) w.tcp(c.timeUs, c.flow, !up, up ? c.peerSeq : c.devSeq, up ? c.devSeq : c.peerSeq, TCP_ACK, data, 0, 0);
      }
    }
  }

  /**
   * {@link send} through the packet seam. The segments and the receiver's ACKs are first described
   * to the seam, in the order they are sent, at the times they are sent; then the payload is laid
   * over the sizes the seam gave the segments (for `tls-data`, records framed over the new total,
   * so the stream stays well-formed TLS; a handshake keeps its bytes and its size), and the
   * sequence and acknowledgement numbers follow those sizes.
   */
  private sendThroughSeam(seam: PacketSeam, c: Connection, up: boolean, kind: PayloadKind, data: Uint8Array | null, bytes: number, durationUs: number): void {
    const times = this.planUs;
    const sizes = this.planBytes;
    const flows = this.planFlows;
    times.length = sizes.length = flows.length = 0;
    const segments = Math.ceil(bytes / TCP_MSS);
    const spacing = segments > 1 && durationUs > 0 ? durationUs / segments : 0;
    let total = 0;
    for (let at = 0, n = 0; at < bytes; at += TCP_MSS, n++) {
      const len = Math.min(TCP_MSS, bytes - at);
      flows.push(seam.decide(this.id, c.timeUs, c.flow, up, kind, len, kind === 'tls-data' ? TCP_MSS : len));
      times.push(c.timeUs);
      sizes.push(seam.payloadBytes);
      total += seam.payloadBytes;
      if (at + TCP_MSS < bytes) {
        c.timeUs += spacing > 0 ? spacing : SEGMENT_OVERHEAD_US + len * WIRE_US_PER_BYTE;
        if (n % 2 === 1) {
          flows.push(seam.decide(this.id, c.timeUs, c.flow, !up, 'tcp-control', 0, 0));
          times.push(c.timeUs);
          sizes.push(-1);
        }
      }
    }
    let payload = data as Uint8Array;
    if (data === null) {
      if (this.scratch.length < total) this.scratch = new Uint8Array(Math.max(total, this.scratch.length * 2));
      tlsStream(this.scratch, total, this.noise);
      payload = this.scratch;
    }
    const w = seam.wire;
    for (let i = 0, at = 0; i < times.length; i++) {
      const len = sizes[i];
      if (len < 0) {
        w.tcp(times[i], flows[i], !up, up ? c.peerSeq : c.devSeq, up ? c.devSeq : c.peerSeq, TCP_ACK, payload, 0, 0);
        continue;
      }
      w.tcp(times[i], flows[i], up, up ? c.devSeq : c.peerSeq, up ? c.peerSeq : c.devSeq, TCP_ACK | TCP_PSH, payload, at, len);
      if (up) c.devSeq = (c.devSeq + len) >>> 0;
      else c.peerSeq = (c.peerSeq + len) >>> 0;
      at += len;
    }
  }

  private ntp(t: number): number {
    const i = this.ntpDns;
    if (this.dnsExpiresUs[i] <= t) t = this.lookup(t, i) + LAN_HOP_US;
    const server = this.cloudAddress(i);
    const flow = this.udpFlow(server, server, NTP_PORT);
    const w = this.out;
    const request = ntpPacket(this.scratch, t, false, this.noise);
    w.udp(t, flow, true, request, request.length);
    t += this.random.int(10_000, 60_000);
    const reply = ntpPacket(this.scratch, t, true, this.noise);
    w.udp(t, flow, false, reply, reply.length);
    return t;
  }
}
