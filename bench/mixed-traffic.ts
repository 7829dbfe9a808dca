/**
 * Mixed traffic of a chosen size, for benchmarks: DNS lookups, TLS sessions with server names,
 * bulk TCP downloads and bulk UDP streams between a few LAN hosts (IPv4 and IPv6) and many servers,
 * one conversation after another so the capture is in time order.
 */
import { parseIpv4 } from '../src/core/bytes.js';
import { TrafficWriter, type Endpoint, type FrameSink } from '../src/home/traffic/traffic-writer.js';

export interface MixedTrafficOptions {
  /** Stop once this many frame bytes have been written. */
  targetBytes: number;
  seed?: number;
  /** Start time in seconds since the epoch (default 2026-11-02T00:00Z). */
  startSec?: number;
}

export interface MixedTrafficResult {
  frames: number;
  frameBytes: number;
  endSec: number;
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

/** Counts what passes through to the capture writer. */
class CountingSink implements FrameSink {
  frames = 0;
  bytes = 0;
  lastSec = 0;
  constructor(private readonly out: FrameSink) {}
  writePacket(p: Parameters<FrameSink['writePacket']>[0]): void {
    this.frames++;
    this.bytes += p.data.length;
    this.lastSec = p.tsSec;
    this.out.writePacket(p);
  }
}

export function writeMixedTraffic(out: FrameSink, options: MixedTrafficOptions): MixedTrafficResult {
  const sink = new CountingSink(out);
  const w = new TrafficWriter(sink, options.seed ?? 7);
  const r = w.random;
  const clients: Endpoint[] = [];
  for (let i = 0; i < 24; i++) clients.push({ mac: 0x0200_5e00_1000 + i, ip: parseIpv4(`192.168.7.${20 + i}`) });
  const clients6: Endpoint[] = clients.slice(0, 6).map((c, i) => ({ mac: c.mac, ip: `2001:db8:7::${(0x20 + i).toString(16)}` }));
  const server = (): Endpoint => ({ mac: ROUTER_MAC, ip: parseIpv4(`${r.int(3, 223)}.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}`) });
  const server6 = (): Endpoint => ({ mac: ROUTER_MAC, ip: `2600:1f18:${r.int(1, 0xffff).toString(16)}::${r.int(1, 0xffff).toString(16)}` });
  const hostName = (): string => `${r.pick(['api', 'a2', 'm1', 'mqtt', 'events', 'cdn', 'fw'])}${r.int(1, 40)}.${r.pick(VENDORS)}`;
  let t = (options.startSec ?? Date.UTC(2026, 10, 2) / 1000) * 1e6;
  for (let n = 0; sink.bytes < options.targetBytes; n++) {
    const v6 = r.next() < 0.2;
    const client = v6 ? r.pick(clients6) : r.pick(clients);
    const remote = v6 ? server6() : server();
    const roll = n < OPENING_ROLLS.length ? OPENING_ROLLS[n] : r.next();
    if (roll < DNS_BELOW) {
      const name = hostName();
      const addresses = v6 ? [remote.ip as string] : [r.int(3, 223), r.int(3, 223)].map((a) => `${a}.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}`);
      t = w.dnsLookup(t, clients[r.int(0, clients.length - 1)], RESOLVER, name, { addresses, cnames: r.next() < 0.3 ? [`edge-${r.int(1, 99)}.cdn.example.net`] : [] });
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
  return { frames: sink.frames, frameBytes: sink.bytes, endSec: sink.lastSec };
}
