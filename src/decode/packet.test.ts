import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PacketDecoder, type Packet } from './packet.js';
import { createRecord, type CaptureRecord } from '../capture/record.js';
import { LINKTYPE_ETHERNET, LINKTYPE_RAW } from '../core/link-type.js';
import { parseIpv4 } from '../core/bytes.js';
import { buildPacket, type BuildableLayer } from './net/packet-builder.js';
import { makeIpv4, makeIpv6, makeIpv6Extension, makeTcp, makeUdp } from './net/make-layer.js';
import { IPV6_FRAGMENT } from './net/ipv6.js';
import { dnsMessage, rr } from './app/dns-fixtures.js';
import { encodeDnsMessage, type DnsLayer } from './app/dns.js';
import { encodeClientHello } from './app/tls-client-hello-encoder.js';
import { encodeDhcpMessage } from './app/dhcp-message.js';
import { makeSsdp, ssdpCodec } from './app/ssdp.js';
import { HAVE_TSHARK, tsharkFields } from './link/test-codec-kit.js';

const SRC = parseIpv4('10.0.0.1');
const DST = parseIpv4('10.0.0.2');
const IPV4_HEADER_BYTES = 20;

/** A record of `bytes` with link type `linkType`, the packet placed inside a larger buffer. */
function record(linkType: number, bytes: Uint8Array, frame = 1, at = 100): CaptureRecord {
  const buf = new Uint8Array(at + bytes.length + 16).fill(0xa5);
  buf.set(bytes, at);
  return { ...createRecord(), frame, tsSec: 1_700_000_000 + frame, tsNsec: 250, linkType, buf, offset: at, capLen: bytes.length, origLen: bytes.length };
}

const kinds = (p: Packet): string => p.layers.map((l) => l.kind).join(' ');
const dnsOf = (p: Packet): DnsLayer[] => p.layers.filter((l): l is DnsLayer => l.kind === 'dns');

function dnsBytes(layer: DnsLayer): Uint8Array {
  const out = new Uint8Array(encodeDnsMessage(layer, null, 0));
  encodeDnsMessage(layer, out, 0);
  return out;
}

/** A DNS response of about 3 kB: 150 A records. */
const BIG_ANSWER = dnsMessage({
  id: 0x5151,
  flags: 0x8180,
  questions: [{ name: 'many.example.net', type: 1, class: 1, unicastResponse: false }],
  answers: Array.from({ length: 150 }, (_, i) => rr('many.example.net', 1, { type: 'A', address: `198.51.100.${i + 1}` })),
});

/** The UDP datagram (header and DNS message) that `BIG_ANSWER` makes, to be cut into IP fragments. */
function bigUdpDatagram(): Uint8Array {
  return buildPacket([makeIpv4({ src: DST, dst: SRC }), makeUdp({ srcPort: 53, dstPort: 40000 })], dnsBytes(BIG_ANSWER)).slice(IPV4_HEADER_BYTES);
}

/** IPv4 fragments of `datagram` at the given byte offsets (multiples of 8). */
function ipv4Fragments(datagram: Uint8Array, cuts: readonly number[], identification = 0x7777): Uint8Array[] {
  const bounds = [0, ...cuts, datagram.length];
  return bounds.slice(0, -1).map((from, i) =>
    buildPacket(
      [makeIpv4({ src: DST, dst: SRC, protocol: 17, identification, fragmentOffset: from, moreFragments: i < bounds.length - 2 })],
      datagram.subarray(from, bounds[i + 1]),
    ),
  );
}

test('PacketDecoder reports a link type it has no decoder for as link_type_unsupported', () => {
  const d = new PacketDecoder();
  const p = d.decode(record(147, new Uint8Array(40), 3));
  assert.deepEqual(p.layers, []);
  assert.deepEqual(p.anomalies, [{ kind: 'link_type_unsupported', frame: 3, offset: 0, message: 'No decoder for link type 147' }]);
  assert.equal(d.anomalies.count('link_type_unsupported'), 1);
});

test('PacketDecoder reports raw IP whose version is neither 4 nor 6 as ip_bad_version', () => {
  const d = new PacketDecoder();
  const bytes = buildPacket([makeIpv4({ src: SRC, dst: DST }), makeUdp({ srcPort: 1, dstPort: 2 })]);
  bytes[0] = 0x55;
  const p = d.decode(record(LINKTYPE_RAW, bytes));
  assert.deepEqual(p.layers, []);
  assert.deepEqual(p.anomalies, [{ kind: 'ip_bad_version', frame: 1, offset: 0, message: 'IP version 5 is neither 4 nor 6' }]);
  const empty = d.decode(record(LINKTYPE_RAW, new Uint8Array(0), 2));
  assert.deepEqual(empty.anomalies, [{ kind: 'ip_bad_version', frame: 2, offset: 0, message: 'Empty raw IP packet' }]);
});

test('PacketDecoder picks IPv4 or IPv6 for raw IP by the version nibble', () => {
  const d = new PacketDecoder();
  const v4 = buildPacket([makeIpv4({ src: SRC, dst: DST }), makeUdp({ srcPort: 1000, dstPort: 2000 })], new Uint8Array(4));
  const v6 = buildPacket([makeIpv6({ src: '2001:db8::1', dst: '2001:db8::2' }), makeTcp({ srcPort: 1000, dstPort: 2000 })]);
  assert.equal(kinds(d.decode(record(LINKTYPE_RAW, v4))), 'ipv4 udp');
  assert.equal(kinds(d.decode(record(LINKTYPE_RAW, v6))), 'ipv6 tcp');
});

test('PacketDecoder counts anomalies per kind across packets and gives each packet its own', () => {
  const d = new PacketDecoder();
  const bad = new Uint8Array([0x15, 0, 0, 0]);
  const good = buildPacket([makeIpv4({ src: SRC, dst: DST }), makeUdp({ srcPort: 1000, dstPort: 2000 })], new Uint8Array(4));
  const packets = [
    d.decode(record(LINKTYPE_RAW, bad, 1)),
    d.decode(record(999, bad, 2)),
    d.decode(record(LINKTYPE_RAW, good, 3)),
    d.decode(record(LINKTYPE_RAW, bad, 4)),
  ];
  assert.deepEqual(
    packets.map((p) => p.anomalies.map((a) => `${a.frame}:${a.kind}`)),
    [['1:ip_bad_version'], ['2:link_type_unsupported'], [], ['4:ip_bad_version']],
  );
  assert.equal(d.anomalies.count('ip_bad_version'), 2);
  assert.equal(d.anomalies.count('link_type_unsupported'), 1);
  assert.equal(d.anomalies.total, 3);
  assert.deepEqual(
    d.anomalies.entries().map((e) => [e.kind, e.count]),
    [
      ['ip_bad_version', 2],
      ['link_type_unsupported', 1],
    ],
  );
});

test('PacketDecoder stores offsets relative to the packet, wherever it sits in the buffer', () => {
  const bytes = buildPacket([makeIpv4({ src: SRC, dst: DST }), makeUdp({ srcPort: 40000, dstPort: 53 })], dnsBytes(dnsMessage({ questions: [{ name: 'a.example', type: 1, class: 1, unicastResponse: false }] })));
  for (const at of [0, 7, 1000]) {
    const p = new PacketDecoder().decode(record(LINKTYPE_RAW, bytes, 1, at));
    assert.deepEqual(
      p.layers.map((l) => [l.kind, l.offset]),
      [
        ['ipv4', 0],
        ['udp', 20],
        ['dns', 28],
      ],
    );
  }
});

test('PacketDecoder copies the record fields and keeps nothing that changes with the buffer', () => {
  const rec = record(LINKTYPE_RAW, buildPacket([makeIpv4({ src: SRC, dst: DST }), makeTcp({ srcPort: 50000, dstPort: 443, seq: 9 })], encodeClientHello({ serverNames: ['keep.example'] })), 5);
  const p = new PacketDecoder().decode(rec);
  const before = JSON.stringify(p);
  assert.deepEqual([p.frame, p.tsSec, p.tsNsec, p.linkType, p.capLen, p.origLen], [5, 1_700_000_005, 250, LINKTYPE_RAW, rec.capLen, rec.origLen]);
  rec.buf.fill(0);
  assert.equal(JSON.stringify(p), before);
  assert.match(before, /keep\.example/);
});

test('PacketDecoder decodes a fragmented UDP datagram, DNS included, on the frame that completes it', () => {
  const datagram = bigUdpDatagram();
  assert.ok(datagram.length > 2960);
  const frames = ipv4Fragments(datagram, [1480, 2960]);
  const d = new PacketDecoder();
  const packets = frames.map((f, i) => d.decode(record(LINKTYPE_RAW, f, i + 1)));
  assert.deepEqual(packets.map(kinds), ['ipv4', 'ipv4', 'ipv4 udp dns']);
  const [dns] = dnsOf(packets[2]);
  assert.equal(dns.id, 0x5151);
  assert.equal(dns.answers.length, 150);
  assert.deepEqual(dns.questions.map((q) => q.name), ['many.example.net']);
  assert.equal(dns.offset, 8, 'offsets in a reassembled datagram count from its payload');
  assert.deepEqual(d.anomalies.entries(), []);
});

test('PacketDecoder decodes fragments arriving out of order on the last to arrive', () => {
  const frames = ipv4Fragments(bigUdpDatagram(), [1480, 2960]);
  const d = new PacketDecoder();
  const packets = [frames[2], frames[0], frames[1]].map((f, i) => d.decode(record(LINKTYPE_RAW, f, i + 1)));
  assert.deepEqual(packets.map(kinds), ['ipv4', 'ipv4', 'ipv4 udp dns']);
  assert.equal(dnsOf(packets[2])[0].answers.length, 150);
});

test('PacketDecoder reassembles IPv6 fragments too', () => {
  const datagram = buildPacket([makeIpv6({ src: '2001:db8::53', dst: '2001:db8::2' }), makeUdp({ srcPort: 53, dstPort: 40000 })], dnsBytes(BIG_ANSWER)).slice(40);
  const bounds = [0, 1448, datagram.length];
  const frames = [0, 1].map((i) =>
    buildPacket(
      [
        makeIpv6({
          src: '2001:db8::53',
          dst: '2001:db8::2',
          protocol: 17,
          extensions: [makeIpv6Extension(IPV6_FRAGMENT, { fragmentOffset: bounds[i], moreFragments: i === 0, identification: 0xabcdef })],
        }),
      ],
      datagram.subarray(bounds[i], bounds[i + 1]),
    ),
  );
  const d = new PacketDecoder();
  const packets = frames.map((f, i) => d.decode(record(LINKTYPE_RAW, f, i + 1)));
  assert.deepEqual(packets.map(kinds), ['ipv6', 'ipv6 udp dns']);
  assert.equal(dnsOf(packets[1])[0].answers.length, 150);
});

test('PacketDecoder agrees with tshark on a fragmented DNS answer and on overlapping fragments', { skip: !HAVE_TSHARK }, () => {
  const fields = ['frame.number', 'dns.id', 'dns.qry.name', 'dns.a'];
  const ours = (frames: Uint8Array[]): string[][] => {
    const d = new PacketDecoder();
    return frames.map((f, i) => {
      const p = d.decode(record(LINKTYPE_RAW, f, i + 1));
      const dns = dnsOf(p);
      return [
        String(i + 1),
        dns.map((m) => '0x' + m.id.toString(16).padStart(4, '0')).join(','),
        dns.flatMap((m) => m.questions.map((q) => q.name)).join(','),
        dns.flatMap((m) => m.answers.flatMap((a) => (a.data.type === 'A' ? [a.data.address] : []))).join(','),
      ];
    });
  };
  const frames = ipv4Fragments(bigUdpDatagram(), [1480, 2960]);
  assert.deepEqual(ours(frames), tsharkFields(LINKTYPE_RAW, frames, fields));
  // Two queries that differ in their name; fragments of one overlap fragments of the other.
  const query = (name: string): Uint8Array =>
    buildPacket([makeIpv4({ src: SRC, dst: DST }), makeUdp({ srcPort: 40000, dstPort: 53 })], dnsBytes(dnsMessage({ id: 0x4242, flags: 0x0100, questions: [{ name, type: 1, class: 1, unicastResponse: false }] }))).slice(IPV4_HEADER_BYTES);
  const a = query('aaaaaaaaaaaaaaaa.example.com');
  const b = query('bbbbbbbbbbbbbbbb.example.com');
  const fragment = (data: Uint8Array, from: number, to: number, more: boolean): Uint8Array =>
    buildPacket([makeIpv4({ src: SRC, dst: DST, protocol: 17, identification: 99, fragmentOffset: from, moreFragments: more })], data.subarray(from, to));
  const overlapping = [fragment(a, 0, 32, true), fragment(b, 16, b.length, false)];
  const sameStart = [fragment(b, 0, 24, true), fragment(a, 0, 32, true), fragment(a, 32, a.length, false)];
  for (const set of [overlapping, [...overlapping].reverse(), sameStart]) assert.deepEqual(ours(set), tsharkFields(LINKTYPE_RAW, set, fields));
});

test('PacketDecoder bounds how deep it decodes: IP in IP 30 deep does not blow up', () => {
  const layers: BuildableLayer[] = [];
  for (let i = 0; i < 30; i++) layers.push(makeIpv4({ src: SRC + i, dst: DST }));
  layers.push(makeUdp({ srcPort: 40000, dstPort: 53 }));
  const bytes = buildPacket(layers, dnsBytes(dnsMessage({ questions: [{ name: 'deep.example', type: 1, class: 1, unicastResponse: false }] })));
  const d = new PacketDecoder();
  const p = d.decode(record(LINKTYPE_RAW, bytes));
  assert.ok(p.layers.length >= 20 && p.layers.length < 30, `${p.layers.length} layers`);
  assert.ok(p.layers.every((l) => l.kind === 'ipv4'));
  // The decoder is fine afterwards, and a tunnel of ordinary depth is decoded to the end.
  const shallow = buildPacket([makeIpv4({ src: SRC, dst: DST }), makeIpv6({ src: '2001:db8::1', dst: '2001:db8::2' }), makeIpv4({ src: SRC, dst: DST }), makeUdp({ srcPort: 40000, dstPort: 53 })], dnsBytes(dnsMessage({ questions: [{ name: 'x.example', type: 1, class: 1, unicastResponse: false }] })));
  assert.equal(kinds(d.decode(record(LINKTYPE_RAW, shallow, 2))), 'ipv4 ipv6 ipv4 udp dns');
});

test('PacketDecoder decodes Ethernet frames through to the application layer', () => {
  const ip = buildPacket([makeIpv4({ src: SRC, dst: DST }), makeTcp({ srcPort: 50000, dstPort: 443, seq: 1 })], encodeClientHello({ serverNames: ['eth.example'] }));
  const frame = new Uint8Array(14 + ip.length);
  frame.set([0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1, 0x08, 0x00]);
  frame.set(ip, 14);
  const p = new PacketDecoder().decode(record(LINKTYPE_ETHERNET, frame));
  assert.equal(kinds(p), 'ethernet ipv4 tcp tls');
  const tls = p.layers[3];
  assert.ok(tls.kind === 'tls');
  assert.deepEqual(tls.serverNames, ['eth.example']);
  assert.equal(tls.offset, 54);
});

/** An Ethernet frame around the IPv4 packet `ip`. */
function ethernetFrame(ip: Uint8Array): Uint8Array {
  const frame = new Uint8Array(14 + ip.length);
  frame.set([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x68, 0xc6, 0x3a, 0x42, 0x83, 0xf6, 0x08, 0x00]);
  frame.set(ip, 14);
  return frame;
}

test('PacketDecoder gives a dhcp layer for a DHCP frame', () => {
  const dhcp = encodeDhcpMessage({ messageType: 1, chaddr: 0x68c63a4283f6, hostName: 'ESP_E67CDE', vendorClass: 'udhcp 1.22.1', paddingLength: 20 });
  const ip = buildPacket([makeIpv4({ src: 0, dst: 0xffffffff }), makeUdp({ srcPort: 68, dstPort: 67 })], dhcp);
  const p = new PacketDecoder().decode(record(LINKTYPE_ETHERNET, ethernetFrame(ip)));
  assert.equal(kinds(p), 'ethernet ipv4 udp dhcp');
  assert.deepEqual(p.anomalies, []);
  const l = p.layers[3];
  assert.ok(l.kind === 'dhcp');
  assert.equal(l.hostName, 'ESP_E67CDE');
  assert.equal(l.vendorClass, 'udhcp 1.22.1');
  assert.equal(l.chaddr, 0x68c63a4283f6);
  assert.equal(l.offset, 42);
  assert.equal(l.headerLength, dhcp.length);
});

test('PacketDecoder gives an ssdp layer for an SSDP frame', () => {
  const notify = makeSsdp({ method: 'NOTIFY', headers: [['HOST', '239.255.255.250:1900'], ['NT', 'upnp:rootdevice'], ['NTS', 'ssdp:alive'], ['USN', 'uuid:1::upnp:rootdevice']] });
  const bytes = new Uint8Array(ssdpCodec.encodingLength(notify));
  ssdpCodec.encode(notify, bytes, 0);
  const ip = buildPacket([makeIpv4({ src: SRC, dst: parseIpv4('239.255.255.250') }), makeUdp({ srcPort: 1900, dstPort: 1900 })], bytes);
  const p = new PacketDecoder().decode(record(LINKTYPE_ETHERNET, ethernetFrame(ip)));
  assert.equal(kinds(p), 'ethernet ipv4 udp ssdp');
  assert.deepEqual(p.anomalies, []);
  const l = p.layers[3];
  assert.ok(l.kind === 'ssdp');
  assert.equal(l.usn, 'uuid:1::upnp:rootdevice');
  assert.equal(l.offset, 42);
});

test('PacketDecoder gives no application layer for a UDP port nothing is bound to', () => {
  const ip = buildPacket([makeIpv4({ src: SRC, dst: DST }), makeUdp({ srcPort: 40000, dstPort: 40001 })], encodeDhcpMessage({ chaddr: 1 }));
  const p = new PacketDecoder().decode(record(LINKTYPE_ETHERNET, ethernetFrame(ip)));
  assert.equal(kinds(p), 'ethernet ipv4 udp');
  assert.deepEqual(p.anomalies, []);
});

test('PacketDecoder in reuse mode gives, packet by packet, what a decoder making new objects gives', async () => {
  const { readCapture } = await import('../capture/reader.js');
  const { readdirSync } = await import('node:fs');
  const captures = new URL('../../../shared/captures/', import.meta.url).pathname;
  // JSON of a packet while it is current: reuse may change it afterwards.
  const snapshot = (p: Packet): string => JSON.stringify(p, (_k, v: unknown) => (v instanceof Uint8Array ? [...v] : v));
  for (const name of readdirSync(captures).filter((n) => n.endsWith('.pcap'))) {
    const fresh = new PacketDecoder();
    const reusing = new PacketDecoder({ reuse: true });
    let n = 0;
    let previous: Packet | null = null;
    let sameObject = 0;
    await readCapture(captures + name, (rec) => {
      const expected = snapshot(fresh.decode(rec));
      const p = reusing.decode(rec);
      if (p === previous) sameObject++;
      previous = p;
      assert.equal(snapshot(p), expected, `${name} frame ${rec.frame}`);
      n++;
    });
    assert.ok(n > 0, name);
    assert.equal(sameObject, n - 1, `${name}: one packet object, refilled`);
    assert.deepEqual(reusing.anomalies.entries(), fresh.anomalies.entries(), name);
  }
});

test('PacketDecoder in reuse mode gives an IP-in-IP packet two distinct IPv4 layers', () => {
  const inner = makeIpv4({ src: DST, dst: SRC, protocol: 17 });
  const bytes = buildPacket([makeIpv4({ src: SRC, dst: DST, protocol: 4 }), inner, makeUdp({ srcPort: 1000, dstPort: 2000 })], new Uint8Array(4));
  const decoder = new PacketDecoder({ reuse: true });
  for (let frame = 1; frame <= 3; frame++) {
    const p = decoder.decode(record(LINKTYPE_RAW, bytes, frame));
    assert.equal(kinds(p), 'ipv4 ipv4 udp');
    const [outer, second] = p.layers;
    assert.notEqual(outer, second);
    assert.deepEqual(outer.kind === 'ipv4' && [outer.src, outer.dst, outer.protocol], [SRC, DST, 4]);
    assert.deepEqual(second.kind === 'ipv4' && [second.src, second.dst, second.protocol], [DST, SRC, 17]);
  }
});
