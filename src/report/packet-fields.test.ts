import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PACKET_COLUMNS, fieldText, packetRow, writePacketRow } from './packet-fields.js';
import { PacketDecoder, type Packet } from '../decode/packet.js';
import { createRecord } from '../capture/record.js';
import { LINKTYPE_RAW } from '../core/link-type.js';
import { parseIpv4 } from '../core/bytes.js';
import { buildPacket } from '../decode/net/packet-builder.js';
import { makeIcmp, makeIpv4, makeIpv6, makeTcp, makeUdp } from '../decode/net/make-layer.js';
import { dnsMessage, rr } from '../decode/app/dns-fixtures.js';
import { encodeDnsMessage, type DnsLayer } from '../decode/app/dns.js';
import { encodeClientHello } from '../decode/app/tls-client-hello-encoder.js';
import { HAVE_TSHARK, tsharkFields } from '../decode/link/test-codec-kit.js';
import { TsvBytes } from './cell-writer.js';
import { RowFormatter } from '../core/table-format.js';

const HOST = parseIpv4('192.168.1.20');
const ROUTER = parseIpv4('192.168.1.1');
const RESOLVER = parseIpv4('9.9.9.9');
const FIRST_SEC = 1_700_000_000;

const col = (name: (typeof PACKET_COLUMNS)[number]): number => PACKET_COLUMNS.indexOf(name);

function dnsBytes(layer: DnsLayer): Uint8Array {
  const out = new Uint8Array(encodeDnsMessage(layer, null, 0));
  encodeDnsMessage(layer, out, 0);
  return out;
}

/** Decodes raw-IP packets as frames 1, 2, ... one second apart from FIRST_SEC (as pcapBytes writes them). */
function decodeAll(frames: readonly Uint8Array[]): Packet[] {
  const d = new PacketDecoder();
  return frames.map((bytes, i) => d.decode({ ...createRecord(), frame: i + 1, tsSec: FIRST_SEC + i, tsNsec: 0, linkType: LINKTYPE_RAW, buf: bytes, capLen: bytes.length, origLen: bytes.length }));
}

const answer = dnsMessage({
  id: 0x00af,
  flags: 0x8180,
  questions: [{ name: 'cam.example', type: 1, class: 1, unicastResponse: false }],
  answers: [
    rr('cam.example', 5, { type: 'CNAME', name: 'edge.cdn.example' }),
    rr('edge.cdn.example', 1, { type: 'A', address: '203.0.113.5' }),
    rr('edge.cdn.example', 1, { type: 'A', address: '203.0.113.6' }),
  ],
});

/** An ICMP port unreachable from the host, quoting the DNS answer the resolver sent it. */
function icmpError(): Uint8Array {
  const quoted = buildPacket([makeIpv4({ src: RESOLVER, dst: HOST }), makeUdp({ srcPort: 53, dstPort: 40000 })], dnsBytes(answer));
  return buildPacket([makeIpv4({ src: HOST, dst: RESOLVER }), makeIcmp({ type: 3, code: 3 })], quoted);
}

const helloFrame = (names: string[], port = 50000): Uint8Array =>
  buildPacket([makeIpv4({ src: HOST, dst: parseIpv4('52.44.10.21') }), makeTcp({ srcPort: port, dstPort: 443, seq: 1 })], encodeClientHello({ serverNames: names }));

test('packetRow() has one cell per column, for a bare packet and for one of each kind of path', () => {
  const packets = decodeAll([
    new Uint8Array([0x45]),
    buildPacket([makeIpv4({ src: HOST, dst: RESOLVER }), makeUdp({ srcPort: 40000, dstPort: 53 })], dnsBytes(answer)),
    icmpError(),
  ]);
  for (const p of packets) assert.equal(packetRow(p).length, PACKET_COLUMNS.length, `frame ${p.frame}`);
  assert.deepEqual(packetRow(packets[0]).slice(3), Array(PACKET_COLUMNS.length - 3).fill(''));
});

test('packetRow() writes a DNS answer with its names and addresses', () => {
  const [p] = decodeAll([buildPacket([makeIpv4({ src: RESOLVER, dst: HOST }), makeUdp({ srcPort: 53, dstPort: 40000 })], dnsBytes(answer))]);
  const row = packetRow(p);
  assert.equal(row[col('frame.number')], '1');
  assert.equal(row[col('frame.time_epoch')], `${FIRST_SEC}.000000000`);
  assert.equal(row[col('ip.src')], '9.9.9.9');
  assert.equal(row[col('ip.proto')], '17');
  assert.equal(row[col('udp.srcport')], '53');
  assert.equal(row[col('tcp.srcport')], '');
  assert.equal(row[col('dns.id')], '0x00af');
  assert.equal(row[col('dns.flags.response')], '1');
  assert.equal(row[col('dns.qry.name')], 'cam.example');
  assert.equal(row[col('dns.qry.type')], '1');
  assert.equal(row[col('dns.a')], '203.0.113.5,203.0.113.6');
  assert.equal(row[col('dns.cname')], 'edge.cdn.example');
});

test('packetRow() joins the values of both IPv4 headers of an ICMP error with commas', () => {
  const [p] = decodeAll([icmpError()]);
  assert.deepEqual(
    p.layers.map((l) => l.kind),
    ['ipv4', 'icmp', 'ipv4', 'udp', 'dns'],
  );
  const row = packetRow(p);
  assert.equal(row[col('ip.src')], '192.168.1.20,9.9.9.9');
  assert.equal(row[col('ip.dst')], '9.9.9.9,192.168.1.20');
  assert.equal(row[col('ip.proto')], '1,17');
  assert.equal(row[col('udp.srcport')], '53');
  assert.equal(row[col('udp.dstport')], '40000');
  assert.equal(row[col('dns.a')], '203.0.113.5,203.0.113.6');
});

test('packetRow() escapes tab, newline and carriage return in a server name as tshark does', () => {
  const packets = decodeAll([helloFrame(['a\tb.example'], 50001), helloFrame(['c\nd.example'], 50002), helloFrame(['e\rf', 'g.example'], 50003)]);
  const names = packets.map((p) => packetRow(p)[col('tls.handshake.extensions_server_name')]);
  assert.deepEqual(names, ['a\\tb.example', 'c\\nd.example', 'e\\rf,g.example']);
});

test('fieldText() writes backspace, form feed, newline, carriage return and tab as tshark does, nothing else', () => {
  assert.equal(fieldText('a\bb\fc\nd\re\tf'), 'a\\bb\\fc\\nd\\re\\tf');
  assert.equal(fieldText('plain.example'), 'plain.example');
  assert.equal(fieldText('x\u0001y\\z'), 'x\u0001y\\z');
});

test('packetRow() gives what tshark gives for every column', { skip: !HAVE_TSHARK }, () => {
  const frames = [
    buildPacket([makeIpv4({ src: HOST, dst: RESOLVER }), makeUdp({ srcPort: 40000, dstPort: 53 })], dnsBytes(dnsMessage({ id: 0x00af, flags: 0x0100, questions: answer.questions }))),
    buildPacket([makeIpv4({ src: RESOLVER, dst: HOST }), makeUdp({ srcPort: 53, dstPort: 40000 })], dnsBytes(answer)),
    icmpError(),
    helloFrame(['a\tb.example', 'second.example'], 50001),
    helloFrame(['c\nd.example'], 50002),
    buildPacket([makeIpv6({ src: '2001:db8::20', dst: '2001:db8::1' }), makeTcp({ srcPort: 50003, dstPort: 80, seq: 5 })]),
  ];
  const ours = decodeAll(frames).map((p) => packetRow(p));
  assert.deepEqual(ours, tsharkFields(LINKTYPE_RAW, frames, PACKET_COLUMNS));
});

test('writePacketRow() to TsvBytes gives the TSV row of packetRow() with the wire text made safe', () => {
  const frames = [icmpError(), helloFrame(['x\u0001y.example', 'caf\u00e9.example'], 50001), new Uint8Array([0x60])];
  const packets = decodeAll(frames);
  const chunks: Uint8Array[] = [];
  const tsv = new TsvBytes((c) => chunks.push(c.slice()));
  for (const p of packets) writePacketRow(p, tsv);
  tsv.drain();
  const formatter = new RowFormatter('tsv', PACKET_COLUMNS);
  const expected = packets.map((p) => formatter.row(packetRow(p))).join('');
  assert.equal(Buffer.concat(chunks).toString('utf8'), expected);
  assert.match(expected, /x\\x01y\.example/);
});
