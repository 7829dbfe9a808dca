import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SortingSink, TrafficWriter, tlsRecord, type Endpoint, type FrameSink } from './traffic-writer.js';
import { capture, tsharkRead } from './test-frames.js';
import type { PacketToWrite } from '../../capture/capture-writer.js';
import { createRecord } from '../../capture/record.js';
import { LINKTYPE_ETHERNET } from '../../core/link-type.js';
import { PacketDecoder, type Packet } from '../../decode/packet.js';
import { parseIpv4 } from '../../core/bytes.js';
import { makeUdp } from '../../decode/net/make-layer.js';
import { HAVE_TSHARK } from '../../decode/link/test-codec-kit.js';

const START_US = 1_790_000_000e6;
const CLIENT: Endpoint = { mac: 0x0200_5e10_0010, ip: parseIpv4('192.168.1.20') };
const ROUTER: Endpoint = { mac: 0x0200_5e10_0001, ip: parseIpv4('192.168.1.1') };
const CLOUD: Endpoint = { mac: ROUTER.mac, ip: parseIpv4('52.44.10.21') };
const CLIENT6: Endpoint = { mac: CLIENT.mac, ip: '2001:db8:1::20' };
const CLOUD6: Endpoint = { mac: ROUTER.mac, ip: '2600:1f18::15' };

function decodeAll(frames: readonly PacketToWrite[]): Packet[] {
  const d = new PacketDecoder();
  return frames.map((f, i) => d.decode({ ...createRecord(), frame: i + 1, tsSec: f.tsSec, tsNsec: f.tsNsec, linkType: LINKTYPE_ETHERNET, buf: f.data, capLen: f.data.length, origLen: f.data.length }));
}

/** A bit of everything the writer writes, over IPv4 and IPv6. */
function sampleTraffic(sink: FrameSink, seed = 5): void {
  const w = new TrafficWriter(sink, seed);
  let t = w.dnsLookup(START_US, CLIENT, ROUTER, 'api.example.com', { addresses: ['52.44.10.21'], cnames: ['edge.example.net'] });
  t = w.dnsLookup(t + 1000, CLIENT, ROUTER, 'v6.example.com', { addresses: ['2600:1f18::15'] });
  t = w.tlsSession(t + 1000, CLIENT, CLOUD, 'api.example.com', { alpn: ['h2', 'http/1.1'], exchanges: [[300, 5000], [100, 40_000]] });
  t = w.tlsSession(t + 1000, CLIENT6, CLOUD6, 'v6.example.com', { port: 8883 });
  const c = w.connect(t + 1000, CLIENT, CLOUD, 80);
  c.send(true, new TextEncoder().encode('GET / HTTP/1.1\r\nHost: example\r\n\r\n'));
  c.send(false, w.random.bytes(10_000));
  c.close();
  w.udp(c.timeUs + 1000, CLOUD, CLIENT, 5004, 40000, w.random.bytes(1200));
}

test('TrafficWriter.frame() writes an Ethernet frame around IPv4 or IPv6 at the time given', () => {
  const { frames } = capture((sink) => {
    const w = new TrafficWriter(sink, 1);
    w.frame(START_US + 1.6, CLIENT, CLOUD, makeUdp({ srcPort: 1000, dstPort: 2000 }), new Uint8Array(7));
    w.frame(START_US + 2_500_000, CLIENT, CLOUD, makeUdp({ srcPort: 1000, dstPort: 2000 }), new Uint8Array(0));
    w.frame(START_US, CLIENT6, CLOUD6, makeUdp({ srcPort: 1000, dstPort: 2000 }), new Uint8Array(3));
  });
  assert.deepEqual(
    frames.map((f) => [f.tsSec, f.tsNsec]),
    [
      [1_790_000_000, 2000],
      [1_790_000_002, 500_000_000],
      [1_790_000_000, 0],
    ],
  );
  const [a, b, c] = decodeAll(frames);
  assert.deepEqual(a.layers.map((l) => l.kind), ['ethernet', 'ipv4', 'udp']);
  const eth = a.layers[0];
  const ip = a.layers[1];
  assert.ok(eth.kind === 'ethernet' && ip.kind === 'ipv4');
  assert.deepEqual([eth.src, eth.dst, ip.src, ip.dst, ip.dontFragment], [CLIENT.mac, CLOUD.mac, CLIENT.ip, CLOUD.ip, true]);
  const ip2 = b.layers[1];
  assert.ok(ip2.kind === 'ipv4');
  assert.equal(ip2.identification, (ip.identification + 1) & 0xffff, 'IP ids count up');
  assert.deepEqual(c.layers.map((l) => l.kind), ['ethernet', 'ipv6', 'udp']);
  assert.equal(a.capLen, 14 + 20 + 8 + 7);
  assert.deepEqual([...a.anomalies, ...b.anomalies, ...c.anomalies], []);
});

test('TrafficWriter.dnsLookup() writes a query and, one round trip later, its answer with the CNAME chain', () => {
  const { frames } = capture((sink) => {
    const end = new TrafficWriter(sink, 2).dnsLookup(START_US, CLIENT, ROUTER, 'cam.example', { addresses: ['203.0.113.5', '203.0.113.6'], cnames: ['a.cdn.example', 'b.cdn.example'], ttl: 60 }, 20_000);
    assert.equal(end, START_US + 20_000);
  });
  const [query, response] = decodeAll(frames).map((p) => p.layers.find((l) => l.kind === 'dns'));
  assert.ok(query?.kind === 'dns' && response?.kind === 'dns');
  assert.equal(query.isResponse, false);
  assert.equal(response.id, query.id);
  assert.deepEqual(query.questions.map((q) => [q.name, q.type]), [['cam.example', 1]]);
  assert.deepEqual(
    response.answers.map((a) => [a.name, a.ttl, a.data.type === 'CNAME' ? a.data.name : a.data.type === 'A' ? a.data.address : '?']),
    [
      ['cam.example', 60, 'a.cdn.example'],
      ['a.cdn.example', 60, 'b.cdn.example'],
      ['b.cdn.example', 60, '203.0.113.5'],
      ['b.cdn.example', 60, '203.0.113.6'],
    ],
  );
  assert.equal(frames[1].tsSec * 1e6 + frames[1].tsNsec / 1000 - (frames[0].tsSec * 1e6 + frames[0].tsNsec / 1000), 20_000);
});

test('TrafficWriter writes TCP connections with the handshake, data cut to the MSS and sequence numbers kept', () => {
  const { frames } = capture((sink) => {
    const w = new TrafficWriter(sink, 3);
    const c = w.connect(START_US, CLIENT, CLOUD, 80, 10_000);
    c.send(false, new Uint8Array(4000));
    c.close();
  });
  const tcp = decodeAll(frames).map((p) => p.layers.find((l) => l.kind === 'tcp')!);
  assert.ok(tcp.every((l) => l.kind === 'tcp'));
  const flags = tcp.map((l) => (l.kind === 'tcp' ? `${l.syn ? 'S' : ''}${l.fin ? 'F' : ''}${l.psh ? 'P' : ''}${l.ack ? '.' : ''}:${l.payloadLength}` : ''));
  assert.deepEqual(flags, ['S:0', 'S.:0', '.:0', 'P.:1448', 'P.:1448', '.:0', 'P.:1104', '.:0', 'F.:0', 'F.:0', '.:0']);
  const [syn, synAck, , d1, d2, ack1, d3] = tcp.map((l) => (l.kind === 'tcp' ? l : null)!);
  assert.equal(synAck.ackNumber, (syn.seq + 1) >>> 0);
  assert.equal(d2.seq, (d1.seq + 1448) >>> 0);
  assert.equal(d3.seq, (d2.seq + 1448) >>> 0);
  assert.equal(ack1.ackNumber, (d2.seq + 1448) >>> 0);
});

test('TrafficWriter.tlsSession() sends a ClientHello naming the server, with the ALPN given', () => {
  const { frames } = capture((sink) => {
    new TrafficWriter(sink, 4).tlsSession(START_US, CLIENT, CLOUD, 'api.example.com', { alpn: ['h2'], port: 8443 });
  });
  const hellos = decodeAll(frames).flatMap((p) => p.layers.filter((l) => l.kind === 'tls'));
  assert.equal(hellos.length, 1);
  assert.ok(hellos[0].kind === 'tls');
  assert.deepEqual([hellos[0].serverNames, hellos[0].alpn, hellos[0].supportedVersions], [['api.example.com'], ['h2'], [0x0304, 0x0303]]);
});

test('tlsRecord() puts a record header of the type and length before the body', () => {
  assert.deepEqual([...tlsRecord(23, Uint8Array.from([9, 8, 7]))], [23, 3, 3, 0, 3, 9, 8, 7]);
  assert.deepEqual([...tlsRecord(22, new Uint8Array(300)).subarray(0, 5)], [22, 3, 3, 1, 44]);
});

test('TrafficWriter writes the same bytes for the same seed and other bytes for another', () => {
  const a = capture((sink) => sampleTraffic(sink, 5)).pcap;
  const b = capture((sink) => sampleTraffic(sink, 5)).pcap;
  const c = capture((sink) => sampleTraffic(sink, 6)).pcap;
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
});

test('SortingSink passes frames on in time order, those before a second first', () => {
  const out: PacketToWrite[] = [];
  const sink = new SortingSink({ writePacket: (p) => out.push(p) });
  const at = (tsSec: number, tsNsec: number): PacketToWrite => ({ tsSec, tsNsec, data: new Uint8Array([tsSec & 0xff]) });
  for (const p of [at(12, 5), at(10, 9), at(11, 0), at(10, 1), at(13, 0)]) sink.writePacket(p);
  sink.flushBefore(12);
  assert.deepEqual(out.map((p) => [p.tsSec, p.tsNsec]), [
    [10, 1],
    [10, 9],
    [11, 0],
  ]);
  sink.writePacket(at(12, 1));
  sink.flush();
  assert.deepEqual(out.slice(3).map((p) => [p.tsSec, p.tsNsec]), [
    [12, 1],
    [12, 5],
    [13, 0],
  ]);
  sink.flush();
  assert.equal(out.length, 6);
});

test('tshark reads what TrafficWriter writes without a warning, checksums included', { skip: !HAVE_TSHARK }, () => {
  const { frames, pcap } = capture((sink) => sampleTraffic(sink));
  const t = tsharkRead(pcap, ['dns.qry.name', 'tls.handshake.extensions_server_name', 'tls.handshake.extensions_alpn_str', 'tls.handshake.type']);
  assert.equal(t.problems, '');
  assert.equal(t.rows.length, frames.length);
  const names = new Set(t.rows.map((r) => r[0]).filter((n) => n !== ''));
  assert.deepEqual([...names], ['api.example.com', 'v6.example.com']);
  assert.deepEqual(
    t.rows.filter((r) => r[1] !== '').map((r) => [r[1], r[2]]),
    [
      ['api.example.com', 'h2,http/1.1'],
      ['v6.example.com', ''],
    ],
  );
  assert.equal(t.rows.filter((r) => r[3].split(',').includes('2')).length, 2, 'tshark reads each ServerHello');
});

test('TrafficWriter.appData() splits data past the longest TLS record into several records', () => {
  const w = new TrafficWriter({ writePacket: () => {} }, 1);
  const one = w.appData(16_640);
  assert.equal(one.length, 16_645);
  assert.deepEqual([...one.subarray(0, 5)], [23, 3, 3, 0x41, 0x00]);
  const three = w.appData(40_000);
  assert.equal(three.length, 40_000 + 3 * 5);
  const lengths: number[] = [];
  for (let at = 0; at < three.length; at += 5 + ((three[at + 3] << 8) | three[at + 4])) {
    assert.equal(three[at], 23);
    lengths.push((three[at + 3] << 8) | three[at + 4]);
  }
  assert.deepEqual(lengths, [16_640, 16_640, 6_720]);
  assert.deepEqual([...w.appData(0)], [23, 3, 3, 0, 0]);
  // Up to the longest record, the bytes are what one record of the writer's random bytes gives.
  assert.deepEqual(new TrafficWriter({ writePacket: () => {} }, 9).appData(100), tlsRecord(23, new TrafficWriter({ writePacket: () => {} }, 9).random.bytes(100)));
});
