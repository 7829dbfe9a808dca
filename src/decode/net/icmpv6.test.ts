import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CollectingContext } from '../context.js';
import { formatMac, parseMac } from '../../core/bytes.js';
import { assertCutsGiveNull, assertJunkNeverThrows, assertRoundTrip } from './test-codec-conformance.js';
import { ICMPV6_ANOMALIES, icmpv6Codec, icmpv6EmbedsPacket, ndOptionsStart } from './icmpv6.js';
import { ipv6Codec } from './ipv6.js';
import { makeIcmpv6, makeIpv6 } from './make-layer.js';
import { ReportedEndCollectingContext } from './reported-end.js';

const hex = (s: string): Uint8Array => Uint8Array.from(s.replace(/\s+/g, '').match(/../g)!.map((h) => parseInt(h, 16)));

/** A SmartThings hub's duplicate-address neighbour solicitation (frame 3 of iot-smartthings-hub-nsec.pcap), ICMPv6 only. */
const HUB_NS = hex('8700 7cbe 00000000 fe800000000000006a3a48fffe132704');
/** The hub's router solicitation with a source link-layer option (frame 6), ICMPv6 only. */
const HUB_RS = hex('8500 cc8a 00000000 0101 683a48132704');

test('decodeIcmpv6() reads the target of a neighbour solicitation as tshark shows it', () => {
  const ctx = new CollectingContext();
  const icmp = icmpv6Codec.decode(HUB_NS, 0, HUB_NS.length, ctx);
  assert.deepEqual(icmp, {
    kind: 'icmpv6',
    offset: 0,
    headerLength: 8,
    payloadLength: 16,
    type: 135,
    code: 0,
    checksum: 0x7cbe,
    restOfHeader: 0,
    identifier: 0,
    sequence: 0,
    embedded: false,
    targetAddress: 'fe80::6a3a:48ff:fe13:2704',
    sourceLinkLayer: null,
    targetLinkLayer: null,
  });
  assert.deepEqual(ctx.anomalies, []);
});

test('decodeIcmpv6() reads the source link-layer address of a router solicitation as tshark shows it', () => {
  const icmp = icmpv6Codec.decode(HUB_RS, 0, HUB_RS.length, new CollectingContext());
  assert.equal(formatMac(icmp!.sourceLinkLayer!), '68:3a:48:13:27:04');
  assert.equal(icmp!.targetAddress, null);
});

test('decodeIcmpv6() reads a neighbour advertisement with a target link-layer option after another option', () => {
  const body = hex(`60000000 20010db8000000000000000000000002 0e01 000000000000 0201 001122334455`);
  const bytes = new Uint8Array(8 + body.length);
  icmpv6Codec.encode(makeIcmpv6({ type: 136 }), bytes, 0);
  bytes.set(body.subarray(4), 8);
  bytes.set(body.subarray(0, 4), 4);
  const icmp = icmpv6Codec.decode(bytes, 0, bytes.length, new CollectingContext());
  assert.deepEqual([icmp?.targetAddress, icmp?.targetLinkLayer, icmp?.sourceLinkLayer], ['2001:db8::2', parseMac('00:11:22:33:44:55'), null]);
  assert.equal(icmp?.restOfHeader, 0x60000000);
});

test('decodeIcmpv6() reports a neighbour-discovery option of length 0', () => {
  const bytes = HUB_RS.slice();
  bytes[9] = 0;
  const ctx = new CollectingContext();
  const icmp = icmpv6Codec.decode(bytes, 0, bytes.length, ctx);
  assert.equal(icmp?.sourceLinkLayer, null);
  assert.deepEqual(ctx.anomalies.map((a) => [a.kind, a.offset]), [['icmpv6_bad_nd_option', 8]]);
});

test('decodeIcmpv6() reports a short neighbour-discovery message only when the wire says it is short', () => {
  const cut = HUB_NS.subarray(0, 20);
  const wireShort = new ReportedEndCollectingContext(0, 20);
  assert.equal(icmpv6Codec.decode(cut, 0, 20, wireShort)?.targetAddress, null);
  assert.deepEqual(wireShort.anomalies.map((a) => a.kind), ['icmpv6_bad_nd_message']);
  const snapped = new ReportedEndCollectingContext(0, 24);
  icmpv6Codec.decode(cut, 0, 20, snapped);
  assert.deepEqual(snapped.anomalies, []);
});

test('decodeIcmpv6() marks errors 1 to 4 as embedding the offending IPv6 packet, which decodes', () => {
  const inner = new Uint8Array(48);
  ipv6Codec.encode(makeIpv6({ src: 'fe80::1', dst: '2001:db8::1', payloadLengthField: 8, nextHeader: 17 }), inner, 0);
  const bytes = new Uint8Array(8 + inner.length);
  icmpv6Codec.encode(makeIcmpv6({ type: 1, code: 4 }), bytes, 0);
  bytes.set(inner, 8);
  const icmp = icmpv6Codec.decode(bytes, 0, bytes.length, new CollectingContext())!;
  assert.equal(icmp.embedded, true);
  assert.equal(ipv6Codec.decode(bytes, 8, bytes.length, new CollectingContext())?.src, 'fe80::1');
  const types = [];
  for (let t = 0; t < 256; t++) if (icmpv6EmbedsPacket(t)) types.push(t);
  assert.deepEqual(types, [1, 2, 3, 4]);
});

test('ndOptionsStart() gives where each neighbour-discovery message puts its options', () => {
  assert.deepEqual([133, 134, 135, 136, 137, 128].map(ndOptionsStart), [8, 16, 24, 24, 40, 0]);
});

test('icmpv6Codec round-trips an echo and a neighbour solicitation with its body at an offset', () => {
  assertRoundTrip(icmpv6Codec, makeIcmpv6({ type: 128, identifier: 7, sequence: 65535, checksum: 0x1234 }), new Uint8Array(3));
  const ns = icmpv6Codec.decode(HUB_NS, 0, HUB_NS.length, new CollectingContext())!;
  assertRoundTrip(icmpv6Codec, ns, HUB_NS.subarray(8));
});

test('decodeIcmpv6() reports a header cut at every length and returns null', () => {
  assertCutsGiveNull(icmpv6Codec, HUB_NS, 'icmpv6', 8);
});

test('decodeIcmpv6() never throws on random bytes', () => {
  assertJunkNeverThrows(icmpv6Codec, ICMPV6_ANOMALIES);
  for (const type of [133, 134, 135, 136, 137]) {
    assertJunkNeverThrows(icmpv6Codec, ICMPV6_ANOMALIES, { seed: type, rounds: 1000, prefix: [type] });
  }
});
