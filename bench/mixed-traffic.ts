/**
 * Mixed traffic of a chosen size, for benchmarks: DNS lookups, TLS sessions with server names,
 * bulk TCP downloads and bulk UDP streams between a few LAN hosts (IPv4 and IPv6) and many servers,
 * one conversation after another so the capture is in time order.
 *
 * The default mix draws each conversation's kind at random. {@link DNS_VLAN_MIX} shifts it: DNS
 * lookups whose responses carry many answers (a CNAME chain and up to 16 addresses) make a set share
 * of the frames, and a share of the conversations is carried in an 802.1Q VLAN tag.
 */
import { parseIpv4 } from '../src/core/bytes.js';
import { TrafficWriter, type Endpoint, type FrameSink } from '../src/home/traffic/traffic-writer.js';

export interface MixedTrafficOptions {
  /** Stop once this many frame bytes have been written. */
  targetBytes: number;
  seed?: number;
  /** Start time in seconds since the epoch (default 2026-11-02T00:00Z). */
  startSec?: number;
  /**
   * Share of the frames that are DNS responses (each comes with its query, so lookups make twice
   * this share): a lookup is written whenever responses are below it, another conversation
   * otherwise. Default: lookups are drawn like every other conversation (30% of them).
   */
  dnsResponseShare?: number;
  /** Addresses in each DNS answer, fewest and most (default 2 and 2). */
  dnsAddresses?: readonly [number, number];
  /** CNAMEs before the addresses, most (default 1, in 30% of the answers; with this set, 0 to it in every answer). */
  dnsMaxCnames?: number;
  /**
   * Share of the frames in an 802.1Q tag (VLAN 10, 20 or 30, priority 0 to 3): a conversation is
   * tagged whenever the tagged frames are below it. Default 0.
   */
  vlanShare?: number;
}

/** The DNS/VLAN-heavy mix of bench:ingest: a quarter of the frames DNS responses of many answers, a tenth VLAN-tagged. */
export const DNS_VLAN_MIX = { dnsResponseShare: 0.25, dnsAddresses: [4, 16], dnsMaxCnames: 2, vlanShare: 0.1 } as const satisfies Partial<MixedTrafficOptions>;

export interface MixedTrafficResult {
  frames: number;
  frameBytes: number;
  endSec: number;
  /** DNS responses written. */
  dnsResponses: number;
  /** Frames written in an 802.1Q tag. */
  vlanFrames: number;
}

const ROUTER_MAC = 0x0200_5e00_0001;
const RESOLVER: Endpoint = { mac: ROUTER_MAC, ip: parseIpv4('192.168.7.1') };
const VENDORS = ['tuyaus.com', 'august.com', 'simplisafe.com', 'ring.com', 'nest.com', 'meethue.com', 'tplinkcloud.com', 'xbcs.net', 'amazonaws.com', 'sonos.com', 'wyze.com', 'ecobee.com'];

/** A roll in [0, 1) picks the conversation: a DNS lookup below 0.3, TLS below 0.6, a download below 0.85, else a UDP stream. */
const DNS_BELOW = 0.3;
const TLS_BELOW = 0.6;
const DOWNLOAD_BELOW = 0.85;
/** The first conversations are one of each kind (DNS, TLS, UDP stream, download), so that a small run holds them all. */
const OPENING_ROLLS = [0, DNS_BELOW, DOWNLOAD_BELOW, TLS_BELOW];

const ETHERNET_TYPE_OFFSET = 12;
const TPID_8021Q = 0x8100;
const VLAN_TAG_BYTES = 4;
const VLAN_IDS = [10, 20, 30];

/** Counts what passes through to the capture writer; puts an 802.1Q tag into the frames while `tci` is set. */
class CountingSink implements FrameSink {
  frames = 0;
  bytes = 0;
  lastSec = 0;
  vlanFrames = 0;
  /** The tag control information (priority and VLAN id) of the current conversation, or -1: untagged. */
  tci = -1;
  constructor(private readonly out: FrameSink) {}
  writePacket(p: Parameters<FrameSink['writePacket']>[0]): void {
    let data = p.data;
    if (this.tci >= 0) {
      data = new Uint8Array(p.data.length + VLAN_TAG_BYTES);
      data.set(p.data.subarray(0, ETHERNET_TYPE_OFFSET), 0);
      data.set([TPID_8021Q >>> 8, TPID_8021Q & 0xff, this.tci >>> 8, this.tci & 0xff], ETHERNET_TYPE_OFFSET);
      data.set(p.data.subarray(ETHERNET_TYPE_OFFSET), ETHERNET_TYPE_OFFSET + VLAN_TAG_BYTES);
      this.vlanFrames++;
    }
    this.frames++;
    this.bytes += data.length;
    this.lastSec = p.tsSec;
    this.out.writePacket(data === p.data ? p : { ...p, data });
  }
}

export function writeMixedTraffic(out: FrameSink, options: MixedTrafficOptions): MixedTrafficResult {
  const sink = new CountingSink(out);
  const w = new TrafficWriter(sink, options.seed ?? 7);
  const r = w.random;
  const dnsShare = options.dnsResponseShare;
  const [fewestAddresses, mostAddresses] = options.dnsAddresses ?? [2, 2];
  const vlanShare = options.vlanShare ?? 0;
  let dnsResponses = 0;
  const clients: Endpoint[] = [];
  for (let i = 0; i < 24; i++) clients.push({ mac: 0x0200_5e00_1000 + i, ip: parseIpv4(`192.168.7.${20 + i}`) });
  const clients6: Endpoint[] = clients.slice(0, 6).map((c, i) => ({ mac: c.mac, ip: `2001:db8:7::${(0x20 + i).toString(16)}` }));
  const server = (): Endpoint => ({ mac: ROUTER_MAC, ip: parseIpv4(`${r.int(3, 223)}.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}`) });
  const server6 = (): Endpoint => ({ mac: ROUTER_MAC, ip: `2600:1f18:${r.int(1, 0xffff).toString(16)}::${r.int(1, 0xffff).toString(16)}` });
  const hostName = (): string => `${r.pick(['api', 'a2', 'm1', 'mqtt', 'events', 'cdn', 'fw'])}${r.int(1, 40)}.${r.pick(VENDORS)}`;
  const address4 = (): string => `${r.int(3, 223)}.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}`;
  const address6 = (): string => `2600:1f18:${r.int(1, 0xffff).toString(16)}::${r.int(1, 0xffff).toString(16)}`;
  const cnames = (): string[] => {
    if (options.dnsMaxCnames === undefined) return r.next() < 0.3 ? [`edge-${r.int(1, 99)}.cdn.example.net`] : [];
    return Array.from({ length: r.int(0, options.dnsMaxCnames) }, (_, i) => `edge-${r.int(1, 99)}.${i === 0 ? 'cdn' : `l${i}`}.example.net`);
  };
  let t = (options.startSec ?? Date.UTC(2026, 10, 2) / 1000) * 1e6;
  for (let n = 0; sink.bytes < options.targetBytes; n++) {
    if (vlanShare > 0) sink.tci = sink.vlanFrames < vlanShare * sink.frames ? (r.int(0, 3) << 13) | r.pick(VLAN_IDS) : -1;
    const v6 = r.next() < 0.2;
    const client = v6 ? r.pick(clients6) : r.pick(clients);
    const remote = v6 ? server6() : server();
    let roll: number;
    if (n < OPENING_ROLLS.length) roll = OPENING_ROLLS[n];
    else if (dnsShare === undefined) roll = r.next();
    else roll = dnsResponses < dnsShare * sink.frames ? 0 : DNS_BELOW + (1 - DNS_BELOW) * r.next();
    if (roll < DNS_BELOW) {
      const name = hostName();
      const addresses =
        fewestAddresses === 2 && mostAddresses === 2
          ? v6
            ? [remote.ip as string]
            : [r.int(3, 223), r.int(3, 223)].map((a) => `${a}.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}`)
          : Array.from({ length: r.int(fewestAddresses, mostAddresses) }, v6 ? address6 : address4);
      t = w.dnsLookup(t, clients[r.int(0, clients.length - 1)], RESOLVER, name, { addresses, cnames: cnames() });
      dnsResponses++;
    } else if (roll < TLS_BELOW) {
      t = w.tlsSession(t, client, remote, hostName(), {
        alpn: r.next() < 0.5 ? ['h2', 'http/1.1'] : [],
        exchanges: Array.from({ length: r.int(1, 6) }, () => [r.int(80, 1400), r.int(100, 16000)] as [number, number]),
      });
    } else if (roll < DOWNLOAD_BELOW) {
      const c = w.connect(t, client, remote, r.pick([443, 80, 8080]));
      c.send(true, r.bytes(r.int(200, 700)));
      c.send(false, r.bytes(r.int(200_000, 3_000_000)));
      c.close();
      t = c.timeUs;
    } else {
      const port = r.int(30000, 60000);
      const dst = r.pick([10001, 5004, 47998]);
      for (let i = 0, n = r.int(200, 1500); i < n; i++) {
        w.udp(t, remote, client, dst, port, r.bytes(r.int(900, 1350)));
        t += r.int(200, 3000);
      }
    }
    t += r.int(1_000, 200_000);
  }
  return { frames: sink.frames, frameBytes: sink.bytes, endSec: sink.lastSec, dnsResponses, vlanFrames: sink.vlanFrames };
}
