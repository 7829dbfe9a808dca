import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CollectingContext } from '../context.js';
import { assertCutsGiveNull, assertJunkNeverThrows, assertRoundTrip } from './test-codec-conformance.js';
import { makeUdp } from './make-layer.js';
import { ReportedEndCollectingContext } from './reported-end.js';
import { UDP_ANOMALIES, udpCodec } from './udp.js';

const hex = (s: string): Uint8Array => Uint8Array.from(s.replace(/\s+/g, '').match(/../g)!.map((h) => parseInt(h, 16)));

test('decodeUdp() reads the header of a DNS query as text2pcap wrote it for tshark', () => {
  const bytes = new Uint8Array(75);
  bytes.set(hex('15b3 0035 004b aa12'));
  const ctx = new CollectingContext();
  assert.deepEqual(udpCodec.decode(bytes, 0, bytes.length, ctx), {
    kind: 'udp',
    offset: 0,
    headerLength: 8,
    payloadLength: 67,
    srcPort: 5555,
    dstPort: 53,
    length: 75,
    checksum: 0xaa12,
  });
  assert.deepEqual(ctx.anomalies, []);
});

test('udpCodec round-trips a header at an offset inside a larger buffer', () => {
  assertRoundTrip(udpCodec, makeUdp({ srcPort: 65535, dstPort: 5353, length: 13, checksum: 0xffff }), new Uint8Array(5).fill(1));
});

test('decodeUdp() reports a header cut at every length and returns null', () => {
  assertCutsGiveNull(udpCodec, hex('15b3 0035 0008 0000'), 'udp');
});

test('decodeUdp() trims the payload to the length field', () => {
  const bytes = new Uint8Array(40);
  bytes.set(hex('15b3 0035 000c 0000'));
  assert.equal(udpCodec.decode(bytes, 0, bytes.length, new CollectingContext())?.payloadLength, 4);
});

test('decodeUdp() reports a length below 8 and gives no payload, as tshark dissects none', () => {
  const bytes = new Uint8Array(20);
  bytes.set(hex('15b3 0035 0004 0000'));
  const ctx = new CollectingContext();
  const udp = udpCodec.decode(bytes, 0, bytes.length, ctx);
  assert.deepEqual([udp?.length, udp?.payloadLength], [4, 0]);
  assert.deepEqual(ctx.anomalies.map((a) => [a.kind, a.offset]), [['udp_bad_length', 4]]);
});

test('decodeUdp() reports a length past the IP payload on the wire and keeps the captured payload', () => {
  const bytes = new Uint8Array(37);
  bytes.set(hex('15b3 0035 002f 0000'));
  const wireShort = new ReportedEndCollectingContext(0, 37);
  assert.equal(udpCodec.decode(bytes, 0, 37, wireShort)?.payloadLength, 29);
  assert.deepEqual(wireShort.anomalies.map((a) => [a.kind, a.offset]), [['udp_bad_length', 4]]);

  const snapped = new ReportedEndCollectingContext(0, 47);
  assert.equal(udpCodec.decode(bytes, 0, 37, snapped)?.payloadLength, 29);
  assert.deepEqual(snapped.anomalies, []);
});

test('decodeUdp() never throws on random bytes', () => {
  assertJunkNeverThrows(udpCodec, UDP_ANOMALIES);
});
