import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CollectingContext } from '../context.js';
import { parseIpv4 } from '../../core/bytes.js';
import { checksumIsValid, ipv4PseudoHeaderSum, ipv6PseudoHeaderSum } from './checksum.js';
import { icmpCodec } from './icmp.js';
import { IPV6_DESTINATION_OPTIONS, IPV6_FRAGMENT, IPV6_HOP_BY_HOP, ipv6Codec } from './ipv6.js';
import { ipv4Codec } from './ipv4.js';
import { makeIcmp, makeIcmpv6, makeIpv4, makeIpv6, makeIpv6Extension, makeTcp, makeUdp } from './make-layer.js';
import { buildPacket, fitLayers, type BuildableLayer } from './packet-builder.js';
import { TCP_ACK, TCP_PSH, TCP_SYN } from './tcp.js';
import { udpCodec } from './udp.js';

const hex = (s: string): Uint8Array => Uint8Array.from(s.replace(/\s+/g, '').match(/../g)!.map((h) => parseInt(h, 16)));

const HOST = parseIpv4('192.168.1.10');
const RESOLVER = parseIpv4('192.168.1.1');
/** A DNS query for example.com, type A. */
const DNS_QUERY = hex('abcd 0100 0001 0000 0000 0000 076578616d706c6503636f6d00 0001 0001');
/** A neighbour solicitation body: target fe80::2 and a source link-layer address option. */
const NS_BODY = hex('fe800000000000000000000000000002 0101 001122334455');
const ROUTER_ALERT = hex('05020000 0100');

const v4 = (fields: Parameters<typeof makeIpv4>[0] = { src: HOST, dst: RESOLVER }): BuildableLayer => makeIpv4(fields);
const v6 = (fields: Partial<Parameters<typeof makeIpv6>[0]> = {}): BuildableLayer =>
  makeIpv6({ src: 'fe80::1', dst: 'fe80::2', ...fields });

test('buildPacket() sets the lengths, protocol and checksums of an IPv4/UDP packet', () => {
  const bytes = buildPacket([v4(), makeUdp({ srcPort: 5555, dstPort: 53 })], DNS_QUERY);
  const ctx = new CollectingContext();
  const ip = ipv4Codec.decode(bytes, 0, bytes.length, ctx)!;
  const udp = udpCodec.decode(bytes, 20, bytes.length, ctx)!;
  assert.deepEqual(ctx.anomalies, []);
  assert.deepEqual([ip.totalLength, ip.protocol, udp.length, udp.payloadLength], [20 + 8 + DNS_QUERY.length, 17, 8 + DNS_QUERY.length, DNS_QUERY.length]);
  assert.ok(checksumIsValid(bytes, 0, 20));
  assert.ok(checksumIsValid(bytes, 20, bytes.length, ipv4PseudoHeaderSum(bytes, 0, 17, bytes.length - 20)));
  assert.deepEqual(bytes.subarray(28), DNS_QUERY);
});

test('fitLayers() chains IPv6 extension headers to the upper layer and places every layer', () => {
  const fitted = fitLayers(
    [
      v6({ extensions: [makeIpv6Extension(IPV6_HOP_BY_HOP, { data: ROUTER_ALERT }), makeIpv6Extension(IPV6_FRAGMENT, { identification: 9 })] }),
      makeUdp({ srcPort: 1, dstPort: 2 }),
    ],
    10,
  );
  const ip = fitted[0];
  assert.equal(ip.kind, 'ipv6');
  if (ip.kind !== 'ipv6') return;
  assert.deepEqual([ip.nextHeader, ...ip.extensions.map((e) => e.nextHeader), ip.protocol], [0, 44, 17, 17]);
  assert.deepEqual([ip.payloadLengthField, ip.headerLength, ip.payloadLength], [16 + 8 + 10, 56, 18]);
  assert.deepEqual([fitted[1].offset, fitted[1].headerLength, fitted[1].payloadLength], [56, 8, 10]);
});

test('buildPacket() makes an IPv6 packet whose extension chain and ICMPv6 checksum decode back', () => {
  const bytes = buildPacket(
    [v6({ extensions: [makeIpv6Extension(IPV6_HOP_BY_HOP, { data: ROUTER_ALERT })] }), makeIcmpv6({ type: 135 })],
    NS_BODY,
  );
  const ip = ipv6Codec.decode(bytes, 0, bytes.length, new CollectingContext())!;
  assert.deepEqual([ip.protocol, ip.headerLength, ip.payloadLengthField], [58, 48, 8 + 8 + NS_BODY.length]);
  assert.ok(checksumIsValid(bytes, 48, bytes.length, ipv6PseudoHeaderSum(bytes, 0, 58, bytes.length - 48)));
});

test('buildPacket() fills an ICMP error checksum over the datagram it quotes, inner checksums first', () => {
  const bytes = buildPacket(
    [v4({ src: RESOLVER, dst: HOST }), makeIcmp({ type: 3, code: 3 }), v4(), makeUdp({ srcPort: 5555, dstPort: 53 })],
    DNS_QUERY,
  );
  const icmp = icmpCodec.decode(bytes, 20, bytes.length, new CollectingContext())!;
  assert.equal(icmp.embedded, true);
  assert.ok(checksumIsValid(bytes, 20, bytes.length));
  assert.ok(checksumIsValid(bytes, 28, 48), 'inner IPv4 header checksum');
  assert.ok(checksumIsValid(bytes, 48, bytes.length, ipv4PseudoHeaderSum(bytes, 28, 17, bytes.length - 48)), 'inner UDP');
  assert.deepEqual([bytes[9], bytes[28 + 9]], [1, 17]);
});

const hasTshark = ((): boolean => {
  try {
    execFileSync('tshark', ['--version'], { stdio: 'ignore' });
    execFileSync('text2pcap', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

function hexdump(packets: readonly Uint8Array[]): string {
  let text = '';
  for (const p of packets) {
    for (let i = 0; i < p.length; i += 16) {
      text += `${i.toString(16).padStart(6, '0')} ${[...p.subarray(i, i + 16)].map((b) => b.toString(16).padStart(2, '0')).join(' ')}\n`;
    }
    text += '\n';
  }
  return text;
}

const LINKTYPE_RAW = '101';
const TSHARK_CHECKS = [
  '-o', 'ip.check_checksum:TRUE',
  '-o', 'udp.check_checksum:TRUE',
  '-o', 'tcp.check_checksum:TRUE',
  '-o', 'tcp.analyze_sequence_numbers:FALSE',
];

test('buildPacket() output passes tshark with checksums checked and no expert info', { skip: !hasTshark && 'tshark is not installed' }, () => {
  const synOptions = [
    { kind: 'mss', mss: 1460 },
    { kind: 'sack_permitted' },
    { kind: 'timestamps', value: 1, echoReply: 0 },
    { kind: 'nop' },
    { kind: 'window_scale', shift: 7 },
  ] as const;
  const packets = [
    buildPacket([v4(), makeUdp({ srcPort: 5555, dstPort: 53 })], DNS_QUERY),
    buildPacket([v4({ src: HOST, dst: RESOLVER, options: hex('94040000'), ttl: 1, dontFragment: true, identification: 7 }), makeUdp({ srcPort: 5556, dstPort: 9999 })], hex('01020304')),
    buildPacket([v4(), makeTcp({ srcPort: 40000, dstPort: 443, seq: 100, flags: TCP_SYN, options: [...synOptions] })]),
    buildPacket([v4(), makeTcp({ srcPort: 40001, dstPort: 8080, seq: 5, ackNumber: 9, flags: TCP_PSH | TCP_ACK })], hex('474554202f0d0a0d0a')),
    buildPacket([v4(), makeIcmp({ type: 8, identifier: 0x1234, sequence: 1 })], new Uint8Array(32).fill(0x61)),
    buildPacket([v4({ src: RESOLVER, dst: HOST }), makeIcmp({ type: 3, code: 3 }), v4(), makeUdp({ srcPort: 5557, dstPort: 53 })], DNS_QUERY),
    buildPacket([v6({ dst: 'ff02::fb' }), makeUdp({ srcPort: 5353, dstPort: 5353 })], hex('0000 0000 0001 0000 0000 0000 0568756c6c6f056c6f63616c00 000c 0001')),
    buildPacket([v6({ dst: 'ff02::1:ff00:2', hopLimit: 255 }), makeIcmpv6({ type: 135 })], NS_BODY),
    buildPacket([v6({ extensions: [makeIpv6Extension(IPV6_HOP_BY_HOP, { data: ROUTER_ALERT })] }), makeIcmpv6({ type: 128, identifier: 1, sequence: 2 })], hex('6869')),
    buildPacket([v6({ src: '2001:db8::1', dst: '2001:db8::2' }), makeTcp({ srcPort: 40002, dstPort: 443, flags: TCP_SYN, options: [{ kind: 'mss', mss: 1440 }] })]),
    buildPacket([v6({ extensions: [makeIpv6Extension(IPV6_DESTINATION_OPTIONS, { data: hex('01040000 0000') }), makeIpv6Extension(IPV6_FRAGMENT, { identification: 0xbeef })] }), makeUdp({ srcPort: 5558, dstPort: 53 })], DNS_QUERY),
  ];
  const dir = mkdtempSync(join(tmpdir(), 'peephole-net-'));
  try {
    writeFileSync(join(dir, 'packets.txt'), hexdump(packets));
    execFileSync('text2pcap', ['-q', '-l', LINKTYPE_RAW, join(dir, 'packets.txt'), join(dir, 'packets.pcap')], { stdio: 'ignore' });
    const file = join(dir, 'packets.pcap');
    const expert = execFileSync('tshark', ['-r', file, ...TSHARK_CHECKS, '-q', '-z', 'expert'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    assert.doesNotMatch(expert, /Errors|Warns|Malformed|Checksum/, expert);
    const fields = ['ip.checksum.status', 'udp.checksum.status', 'tcp.checksum.status', 'icmp.checksum.status', 'icmpv6.checksum.status', 'ip.src', 'ipv6.dst', 'ip.proto', 'udp.dstport', 'tcp.dstport', 'dns.qry.name'];
    const rows = execFileSync(
      'tshark',
      ['-r', file, ...TSHARK_CHECKS, '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=,', ...fields.flatMap((f) => ['-e', f])],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    )
      .trimEnd()
      .split('\n')
      .map((line) => line.split('\t'));
    assert.equal(rows.length, packets.length);
    const GOOD = '1';
    for (const [i, row] of rows.entries()) {
      const statuses = row.slice(0, 5).join(',').split(',').filter((s) => s !== '');
      assert.ok(statuses.length > 0 && statuses.every((s) => s === GOOD), `frame ${i + 1}: checksum statuses ${row.slice(0, 5).join(' ')}`);
    }
    const shown = rows.map((row) => row.slice(5).join('|'));
    assert.deepEqual(shown, [
      '192.168.1.10||17|53||example.com',
      '192.168.1.10||17|9999||',
      '192.168.1.10||6||443|',
      '192.168.1.10||6||8080|',
      '192.168.1.10||1|||',
      '192.168.1.1,192.168.1.10||1,17|53||example.com',
      '|ff02::fb||5353||hullo.local',
      '|ff02::1:ff00:2||||',
      '|fe80::2||||',
      '|2001:db8::2|||443|',
      '|fe80::2||53||example.com',
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
