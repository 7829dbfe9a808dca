import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TrafficSummaryBuilder, type HostStats, type SummaryLimits, type TrafficSummary } from './traffic-summary.js';
import { newCommonShape, PacketDecoder, type Packet } from '../decode/packet.js';
import { createRecord } from '../capture/record.js';
import { LINKTYPE_ETHERNET } from '../core/link-type.js';
import type { PacketToWrite } from '../capture/capture-writer.js';
import { formatIpv4, formatMac, parseIpv4 } from '../core/bytes.js';
import { makeTcp, makeUdp } from '../decode/net/make-layer.js';
import { TrafficWriter, type Endpoint } from '../home/traffic/traffic-writer.js';

const START_US = 1_790_000_000e6;

/** Frames written by a TrafficWriter, decoded into packets. */
class Recorder {
  readonly frames: PacketToWrite[] = [];
  readonly writer = new TrafficWriter({ writePacket: (p) => this.frames.push(p) }, 3);
  packets(): Packet[] {
    const d = new PacketDecoder();
    return this.frames.map((f, i) =>
      d.decode({ ...createRecord(), frame: i + 1, tsSec: f.tsSec, tsNsec: f.tsNsec, linkType: LINKTYPE_ETHERNET, buf: f.data, capLen: f.data.length, origLen: f.data.length }),
    );
  }
}

function summarize(packets: readonly Packet[], limits?: SummaryLimits): TrafficSummary {
  const b = new TrafficSummaryBuilder(limits);
  for (const p of packets) b.add(p);
  return b.finish();
}

const host = (i: number): Endpoint => ({ mac: 0x0200_0000_0000 + i, ip: parseIpv4('10.1.0.0') + i });
const byAddress = (s: TrafficSummary): Map<string, HostStats> => new Map(s.hosts.map((h) => [h.address, h]));

/** One UDP datagram of `bytes` payload bytes from `from` to `to` at `timeUs`. */
const datagram = (r: Recorder, timeUs: number, from: Endpoint, to: Endpoint, bytes = 10): void =>
  r.writer.frame(timeUs, from, to, makeUdp({ srcPort: 40000, dstPort: 40001 }), new Uint8Array(bytes));

test('TrafficSummaryBuilder counts each host both ways, with the MAC it sends from', () => {
  const r = new Recorder();
  const a = host(1);
  const b = host(2);
  const c = { mac: 0x0200_0000_00ff, ip: parseIpv4('10.9.9.9') };
  for (let i = 0; i < 3; i++) datagram(r, START_US + i, a, b, 100);
  datagram(r, START_US + 10, b, a, 20);
  datagram(r, START_US + 11, a, c, 0);
  const packets = r.packets();
  const s = summarize(packets);
  const hosts = byAddress(s);
  const frameLen = (payload: number): number => 14 + 20 + 8 + payload;
  assert.deepEqual(hosts.get(formatIpv4(a.ip as number)), {
    address: '10.1.0.1',
    mac: '02:00:00:00:00:01',
    packetsSent: 4,
    packetsReceived: 1,
    bytesSent: 3 * frameLen(100) + frameLen(0),
    bytesReceived: frameLen(20),
  });
  assert.deepEqual(hosts.get('10.1.0.2'), { address: '10.1.0.2', mac: '02:00:00:00:00:02', packetsSent: 1, packetsReceived: 3, bytesSent: frameLen(20), bytesReceived: 3 * frameLen(100) });
  assert.equal(hosts.get('10.9.9.9')?.mac, null, 'a host that only receives has no MAC of its own');
  assert.deepEqual(s.hosts.map((h) => h.address), ['10.1.0.1', '10.1.0.2', '10.9.9.9'], 'by bytes, most first');
  assert.equal(s.packets, 5);
  assert.equal(s.wireBytes, 3 * frameLen(100) + frameLen(20) + frameLen(0));
  assert.equal(s.capturedBytes, s.wireBytes);
});

test('TrafficSummaryBuilder never mixes up hosts when conversations alternate among many hosts', () => {
  const r = new Recorder();
  const hosts = Array.from({ length: 200 }, (_, i) => host(i + 1));
  const expected = new Map<number, { sent: number; received: number }>();
  const count = (ip: number, sent: boolean): void => {
    const e = expected.get(ip) ?? { sent: 0, received: 0 };
    if (sent) e.sent++;
    else e.received++;
    expected.set(ip, e);
  };
  for (let i = 0; i < 3000; i++) {
    // Runs of the same pair, alternating pairs, and hosts that swap ends.
    const a = hosts[(i >> 2) % 200];
    const b = hosts[(i * 7 + 3) % 200 === (i >> 2) % 200 ? ((i >> 2) + 1) % 200 : (i * 7 + 3) % 200];
    const [from, to] = i % 3 === 0 ? [b, a] : [a, b];
    datagram(r, START_US + i, from, to);
    count(from.ip as number, true);
    count(to.ip as number, false);
  }
  const s = summarize(r.packets());
  assert.equal(s.hosts.length, expected.size);
  for (const h of s.hosts) {
    const ip = parseIpv4(h.address);
    assert.deepEqual([h.packetsSent, h.packetsReceived], [expected.get(ip)!.sent, expected.get(ip)!.received], h.address);
    if (h.packetsSent > 0) assert.equal(h.mac, formatMac(0x0200_0000_0000 + (ip - parseIpv4('10.1.0.0'))));
  }
});

test('TrafficSummaryBuilder keeps IPv4 and IPv6 hosts apart', () => {
  const r = new Recorder();
  const v4 = host(1);
  const v6a: Endpoint = { mac: 0x0200_0000_0101, ip: '2001:db8::1' };
  const v6b: Endpoint = { mac: 0x0200_0000_0102, ip: '2001:db8::2' };
  for (let i = 0; i < 10; i++) {
    datagram(r, START_US + i, v4, host(2));
    datagram(r, START_US + i, v6a, v6b);
    datagram(r, START_US + i, v6b, v6a);
  }
  const hosts = byAddress(summarize(r.packets()));
  assert.deepEqual([...hosts.keys()].sort(), ['10.1.0.1', '10.1.0.2', '2001:db8::1', '2001:db8::2']);
  assert.deepEqual([hosts.get('2001:db8::1')!.packetsSent, hosts.get('2001:db8::1')!.packetsReceived], [10, 10]);
  assert.equal(hosts.get('2001:db8::2')!.mac, '02:00:00:00:01:02');
  assert.deepEqual([hosts.get('10.1.0.1')!.packetsSent, hosts.get('10.1.0.1')!.packetsReceived], [10, 0]);
});

test('TrafficSummaryBuilder counts protocols per layer kind, whatever order the stacks come in', () => {
  const r = new Recorder();
  const a = host(1);
  const b = host(2);
  const v6: Endpoint = { mac: 0x0200_0000_0101, ip: '2001:db8::1' };
  const v6b: Endpoint = { mac: 0x0200_0000_0102, ip: '2001:db8::2' };
  const stacks = [
    (): void => datagram(r, START_US, a, b),
    (): void => r.writer.frame(START_US, a, b, makeTcp({ srcPort: 40000, dstPort: 80 }), new Uint8Array(0)),
    (): void => r.writer.frame(START_US, v6, v6b, makeTcp({ srcPort: 40000, dstPort: 80 }), new Uint8Array(0)),
    (): void => void r.writer.dnsLookup(START_US, a, b, 'x.example', { addresses: ['192.0.2.1'] }),
  ];
  const order = [0, 0, 1, 3, 2, 2, 0, 3, 1, 1, 2, 0];
  for (const i of order) stacks[i]();
  const s = summarize(r.packets());
  const n = (i: number): number => order.filter((o) => o === i).length;
  assert.deepEqual(s.protocols, {
    ethernet: n(0) + n(1) + n(2) + 2 * n(3),
    ipv4: n(0) + n(1) + 2 * n(3),
    udp: n(0) + 2 * n(3),
    tcp: n(1) + n(2),
    ipv6: n(2),
    dns: 2 * n(3),
  });
  assert.deepEqual(Object.values(s.protocols), [...Object.values(s.protocols)].sort((x, y) => y - x), 'most first');
});

test('TrafficSummaryBuilder lists DNS names with their queries, responses and answers', () => {
  const r = new Recorder();
  const client = host(1);
  const resolver = host(2);
  r.writer.dnsLookup(START_US, client, resolver, 'cam.example', { addresses: ['203.0.113.5', '203.0.113.6'], cnames: ['edge.cdn.example'] });
  r.writer.dnsLookup(START_US + 1e6, client, resolver, 'cam.example', { addresses: ['203.0.113.6', '203.0.113.7'], cnames: ['edge.cdn.example'] });
  r.writer.dnsLookup(START_US + 2e6, client, resolver, 'v6.example', { addresses: ['2001:db8::7'] });
  const s = summarize(r.packets());
  assert.deepEqual(s.dnsNames, [
    { name: 'cam.example', queries: 2, responses: 2, answers: ['edge.cdn.example'] },
    { name: 'edge.cdn.example', queries: 0, responses: 0, answers: ['203.0.113.5', '203.0.113.6', '203.0.113.7'] },
    { name: 'v6.example', queries: 1, responses: 1, answers: ['2001:db8::7'] },
  ]);
  assert.equal(s.dnsNamesNotShown, 0);
});

test('TrafficSummaryBuilder keeps at most 16 answers per name', () => {
  const r = new Recorder();
  const addresses = Array.from({ length: 20 }, (_, i) => `198.51.100.${i + 1}`);
  r.writer.dnsLookup(START_US, host(1), host(2), 'many.example', { addresses });
  const [entry] = summarize(r.packets()).dnsNames;
  assert.deepEqual(entry.answers, addresses.slice(0, 16));
});

test('TrafficSummaryBuilder lists TLS server names with their hellos and ALPN protocols', () => {
  const r = new Recorder();
  const client = host(1);
  const server = { mac: 0x0200_0000_0999, ip: parseIpv4('52.44.10.21') };
  r.writer.tlsSession(START_US, client, server, 'api.example.com', { alpn: ['h2', 'http/1.1'] });
  r.writer.tlsSession(START_US + 10e6, client, server, 'api.example.com', { alpn: ['h2', 'h3'] });
  r.writer.tlsSession(START_US + 20e6, client, server, 'mqtt.example.com', { port: 8883 });
  const s = summarize(r.packets());
  assert.deepEqual(s.tlsServerNames, [
    { name: 'api.example.com', clientHellos: 2, alpn: ['h2', 'http/1.1', 'h3'] },
    { name: 'mqtt.example.com', clientHellos: 1, alpn: [] },
  ]);
  assert.equal(s.protocols.tls, 3);
});

test('TrafficSummaryBuilder counts hosts past maxHosts as not shown', () => {
  const r = new Recorder();
  const [a, b, c, d] = [host(1), host(2), host(3), host(4)];
  datagram(r, START_US, a, b);
  datagram(r, START_US, c, d); // d is the fourth host: not kept
  datagram(r, START_US, d, a); // d again
  datagram(r, START_US, a, c); // both known
  const s = summarize(r.packets(), { maxHosts: 3 });
  assert.deepEqual(s.hosts.map((h) => h.address).sort(), ['10.1.0.1', '10.1.0.2', '10.1.0.3']);
  assert.equal(s.hostsNotShown, 2);
  const hosts = byAddress(s);
  assert.deepEqual([hosts.get('10.1.0.1')!.packetsSent, hosts.get('10.1.0.1')!.packetsReceived], [2, 1], 'known hosts still counted');
});

test('TrafficSummaryBuilder counts DNS and server names past maxNames as not shown', () => {
  const r = new Recorder();
  const client = host(1);
  const server = host(2);
  for (const name of ['a.example', 'b.example', 'c.example']) r.writer.dnsLookup(START_US, client, server, name, { addresses: ['192.0.2.1'] });
  for (const name of ['s1.example', 's2.example', 's3.example', 's3.example']) r.writer.tlsSession(START_US, client, server, name);
  const s = summarize(r.packets(), { maxNames: 2 });
  assert.deepEqual(s.dnsNames.map((n) => n.name), ['a.example', 'b.example']);
  // c.example: its query, and its response's question and answer.
  assert.equal(s.dnsNamesNotShown, 3);
  assert.deepEqual(s.tlsServerNames.map((n) => [n.name, n.clientHellos]), [
    ['s1.example', 1],
    ['s2.example', 1],
  ]);
  assert.equal(s.tlsServerNamesNotShown, 2);
});

test('TrafficSummaryBuilder gives the first and last time whatever order the packets come in', () => {
  const r = new Recorder();
  const times = [5_000_250, 1_000_000, 9_999_999, 1_000_001, 3_000_000];
  for (const t of times) datagram(r, START_US + t, host(1), host(2));
  const s = summarize(r.packets());
  assert.equal(s.firstTime, '1790000001.000000000');
  assert.equal(s.lastTime, '1790000009.999999000');
  assert.ok(Math.abs(s.durationSeconds - 8.999999) < 1e-9, String(s.durationSeconds));
  assert.deepEqual(s.linkTypes, [{ linkType: LINKTYPE_ETHERNET, packets: times.length }]);
});

test('TrafficSummaryBuilder sums an empty capture to zeros and no times', () => {
  const s = new TrafficSummaryBuilder().finish();
  assert.deepEqual(
    [s.packets, s.wireBytes, s.firstTime, s.lastTime, s.durationSeconds, s.hosts, s.linkTypes, s.protocols, s.anomalies],
    [0, 0, null, null, 0, [], [], {}, []],
  );
});

test('TrafficSummaryBuilder counts packets per link type and passes the anomalies through', () => {
  const b = new TrafficSummaryBuilder();
  const d = new PacketDecoder();
  const rec = (frame: number, linkType: number): Packet => d.decode({ ...createRecord(), frame, tsSec: frame, linkType, buf: new Uint8Array([0x45, 0]), capLen: 2, origLen: 2 });
  for (const [i, lt] of [1, 101, 101, 1, 228, 101].entries()) b.add(rec(i + 1, lt));
  const anomalies = d.anomalies.entries().map((e) => ({ kind: e.kind, count: e.count, examples: e.examples }));
  const s = b.finish(anomalies);
  assert.deepEqual(s.linkTypes, [
    { linkType: 1, packets: 2 },
    { linkType: 101, packets: 3 },
    { linkType: 228, packets: 1 },
  ]);
  assert.equal(s.anomalies, anomalies);
  assert.ok(s.anomalies.length > 0);
});

/** The frame with 802.1Q / 802.1ad tags (TPIDs given, outermost first) after its Ethernet addresses. */
function tagged(data: Uint8Array, tpids: number[]): Uint8Array {
  const out = new Uint8Array(data.length + 4 * tpids.length);
  out.set(data.subarray(0, 12), 0);
  tpids.forEach((tpid, i) => out.set([tpid >> 8, tpid & 0xff, 0x20, 7 + i], 12 + 4 * i));
  out.set(data.subarray(12), 12 + 4 * tpids.length);
  return out;
}

test('TrafficSummaryBuilder.addCommon() after commonShape() gives what add() gives: DNS digests, VLAN tags, name limits', () => {
  const r = new Recorder();
  const client = host(1);
  const resolver = host(2);
  let t = START_US;
  const many = Array.from({ length: 20 }, (_, i) => `198.51.100.${i + 1}`);
  for (let round = 0; round < 3; round++) {
    for (const [name, answers] of [
      ['a.example', { addresses: ['192.0.2.1', '192.0.2.2'] }],
      ['b.example', { addresses: many, cnames: ['edge.cdn.example', 'e2.l1.example'] }],
      // A CNAME whose text is the address another answer gave the same name: kept once.
      ['c.example', { addresses: ['192.0.2.9'] }],
      ['c.example', { addresses: ['10.0.0.1'], cnames: ['192.0.2.9'] }],
      ['v6.example', { addresses: ['2001:db8::7', '2001:db8::8'] }],
      [`r${round}.example`, { addresses: ['192.0.2.3'] }],
    ] as const) {
      t = r.writer.dnsLookup(t, client, resolver, name, answers) + 1000;
    }
    datagram(r, t, client, host(3), 100);
  }
  // Every third frame in one tag, every fifth in two (Q-in-Q).
  const frames = r.frames.map((f, i) => (i % 5 === 4 ? tagged(f.data, [0x88a8, 0x8100]) : i % 3 === 2 ? tagged(f.data, [0x8100]) : f.data));
  for (const limits of [{}, { maxNames: 2 }, { maxNames: 5 }, { maxHosts: 2 }]) {
    const decoder = new PacketDecoder({ reuse: true });
    const fast = new TrafficSummaryBuilder(limits);
    const full = new TrafficSummaryBuilder(limits);
    const shape = newCommonShape();
    const decodeAll = new PacketDecoder();
    let accepted = 0;
    frames.forEach((data, i) => {
      const rec = { ...createRecord(), frame: i + 1, tsSec: i, linkType: LINKTYPE_ETHERNET, buf: data, capLen: data.length, origLen: data.length };
      full.add(decodeAll.decode(rec));
      if (decoder.commonShape(rec, shape)) {
        accepted++;
        fast.addCommon(rec, shape);
      } else {
        fast.add(decoder.decode(rec));
      }
    });
    assert.equal(accepted, frames.length, 'every frame is of the common shape');
    const expected = full.finish();
    assert.deepEqual(fast.finish(), expected, JSON.stringify(limits));
    assert.deepEqual(JSON.stringify(fast.finish()), JSON.stringify(expected), 'the same key order');
    assert.ok(expected.protocols.vlan > frames.length / 3, 'tags counted per tag');
  }
});

test('TrafficSummaryBuilder.addCommon() keeps names apart when they outnumber the digest name ids', () => {
  const r = new Recorder();
  let t = START_US;
  // Each name asked twice, far apart: by then its id may name another.
  const names = Array.from({ length: 12_000 }, (_, i) => `n${i}.example`);
  for (const pass of [0, 1]) for (const name of names) t = r.writer.dnsLookup(t, host(1), host(2), name, { addresses: [`192.0.2.${pass + 1}`] });
  const decoder = new PacketDecoder({ reuse: true });
  const fast = new TrafficSummaryBuilder();
  const full = new TrafficSummaryBuilder();
  const shape = newCommonShape();
  const decodeAll = new PacketDecoder();
  r.frames.forEach((f, i) => {
    const rec = { ...createRecord(), frame: i + 1, linkType: LINKTYPE_ETHERNET, buf: f.data, capLen: f.data.length, origLen: f.data.length };
    assert.ok(decoder.commonShape(rec, shape));
    fast.addCommon(rec, shape);
    full.add(decodeAll.decode(rec));
  });
  const s = fast.finish();
  assert.deepEqual(s, full.finish());
  assert.deepEqual(s.dnsNames[0], { name: 'n0.example', queries: 2, responses: 2, answers: ['192.0.2.1', '192.0.2.2'] });
});
