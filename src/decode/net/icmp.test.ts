import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CollectingContext } from '../context.js';
import { formatIpv4 } from '../../core/bytes.js';
import { assertCutsGiveNull, assertJunkNeverThrows, assertRoundTrip } from './test-codec-conformance.js';
import { ICMP_ANOMALIES, icmpCodec, icmpEmbedsDatagram } from './icmp.js';
import { ipv4Codec } from './ipv4.js';
import { makeIcmp } from './make-layer.js';
import { udpCodec } from './udp.js';

const hex = (s: string): Uint8Array => Uint8Array.from(s.replace(/\s+/g, '').match(/../g)!.map((h) => parseInt(h, 16)));

/** A WeMo switch's ping (frame 11 of iot-sentinel-wemo-switch-setup.pcap), from the IPv4 header on. */
const ECHO = hex(`4500 0054 0000 4000 4001 1fa0 0a0a0afc 04020202
  0800 8628 3007 0000 35570c79 ${'00'.repeat(52)}`);

/**
 * A host-unreachable error quoting a DNS query's IPv4 header and UDP header (frame 31 of
 * iot-sentinel-dlink-cam-setup.pcap), from the outer IPv4 header on. tshark shows
 * ip.src "130.83.253.186,10.10.10.37", ip.proto "1,17", udp.length 40.
 */
const HOST_UNREACHABLE = hex(`4500 0038 8e73 0000 fc01 9c14 8253fdba 0a0a0a25
  0301 8648 00000000
  4500 003c bcb9 4000 3c11 ad1f 0a0a0a25 c0a80001
  cfa7 0035 0028 a6b1`);

test('decodeIcmp() reads an echo request with its identifier and sequence number', () => {
  const ctx = new CollectingContext();
  const icmp = icmpCodec.decode(ECHO, 20, ECHO.length, ctx);
  assert.deepEqual(icmp, {
    kind: 'icmp',
    offset: 20,
    headerLength: 8,
    payloadLength: 56,
    type: 8,
    code: 0,
    checksum: 0x8628,
    restOfHeader: 0x30070000,
    identifier: 12295,
    sequence: 0,
    embedded: false,
  });
  assert.deepEqual(ctx.anomalies, []);
});

test('decodeIcmp() marks an error as embedding a datagram whose IPv4 and UDP headers decode as tshark shows them', () => {
  const ctx = new CollectingContext();
  const outer = ipv4Codec.decode(HOST_UNREACHABLE, 0, HOST_UNREACHABLE.length, ctx)!;
  const icmp = icmpCodec.decode(HOST_UNREACHABLE, outer.headerLength, HOST_UNREACHABLE.length, ctx)!;
  assert.deepEqual([icmp.type, icmp.code, icmp.embedded, icmp.payloadLength], [3, 1, true, 28]);
  const innerAt = outer.headerLength + icmp.headerLength;
  const inner = ipv4Codec.decode(HOST_UNREACHABLE, innerAt, HOST_UNREACHABLE.length, ctx)!;
  const udp = udpCodec.decode(HOST_UNREACHABLE, innerAt + inner.headerLength, HOST_UNREACHABLE.length, ctx)!;
  assert.equal([outer, inner].map((ip) => formatIpv4(ip.src)).join(','), '130.83.253.186,10.10.10.37');
  assert.equal([outer, inner].map((ip) => ip.protocol).join(','), '1,17');
  assert.deepEqual([udp.srcPort, udp.dstPort, udp.length, udp.payloadLength], [53159, 53, 40, 0]);
  assert.deepEqual(ctx.anomalies, [], 'a quote cut short is not an anomaly without a reported end');
});

test('icmpEmbedsDatagram() is true exactly for the error types 3, 4, 5, 11 and 12', () => {
  const types = [];
  for (let t = 0; t < 256; t++) if (icmpEmbedsDatagram(t)) types.push(t);
  assert.deepEqual(types, [3, 4, 5, 11, 12]);
});

test('icmpCodec round-trips an echo and an error at an offset inside a larger buffer', () => {
  assertRoundTrip(icmpCodec, makeIcmp({ type: 0, identifier: 0xfffe, sequence: 0x1234, checksum: 0xbeef }), new Uint8Array(4));
  assertRoundTrip(icmpCodec, makeIcmp({ type: 3, code: 4, restOfHeader: 1500, checksum: 1 }), ECHO.subarray(0, 28));
});

test('decodeIcmp() reports a header cut at every length and returns null', () => {
  assertCutsGiveNull(icmpCodec, ECHO.subarray(20, 28), 'icmp');
});

test('decodeIcmp() never throws on random bytes', () => {
  assertJunkNeverThrows(icmpCodec, ICMP_ANOMALIES);
});
