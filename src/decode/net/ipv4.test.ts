import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CollectingContext } from '../context.js';
import { parseIpv4 } from '../../core/bytes.js';
import { assertCutsGiveNull, assertJunkNeverThrows, assertRoundTrip } from './test-codec-conformance.js';
import { IPV4_ANOMALIES, ipv4Codec, parseIpv4Options, serializeIpv4Options, type Ipv4Layer } from './ipv4.js';
import { makeIpv4 } from './make-layer.js';
import { ReportedEndCollectingContext } from './reported-end.js';

const hex = (s: string): Uint8Array => Uint8Array.from(s.replace(/\s+/g, '').match(/../g)!.map((h) => parseInt(h, 16)));

/** The last fragment of a UDP datagram, as text2pcap wrote it for tshark (offset 48, 27 data bytes). */
const LAST_FRAGMENT = hex('4500002f 1234 0006 4011 96c2 c0a8010a 08080808');

function layer(fields: Partial<Ipv4Layer>): Ipv4Layer {
  return makeIpv4({ src: parseIpv4('192.168.1.10'), dst: parseIpv4('8.8.8.8'), ...fields });
}

test('decodeIpv4() reads every field of a header tshark shows as a last fragment', () => {
  const bytes = new Uint8Array(LAST_FRAGMENT.length + 27);
  bytes.set(LAST_FRAGMENT);
  const ctx = new CollectingContext();
  const ip = ipv4Codec.decode(bytes, 0, bytes.length, ctx);
  assert.deepEqual(ctx.anomalies, []);
  assert.deepEqual(ip, {
    kind: 'ipv4',
    offset: 0,
    headerLength: 20,
    payloadLength: 27,
    version: 4,
    ihl: 20,
    dscp: 0,
    ecn: 0,
    totalLength: 47,
    identification: 0x1234,
    reservedFlag: false,
    dontFragment: false,
    moreFragments: false,
    fragmentOffset: 48,
    ttl: 64,
    protocol: 17,
    checksum: 0x96c2,
    src: parseIpv4('192.168.1.10'),
    dst: parseIpv4('8.8.8.8'),
    options: new Uint8Array(0),
    isFragment: true,
  });
});

test('ipv4Codec round-trips a header with every flag, DSCP/ECN and a fragment offset', () => {
  assertRoundTrip(
    ipv4Codec,
    layer({
      ihl: 20,
      totalLength: 30,
      dscp: 46,
      ecn: 3,
      identification: 0xbeef,
      reservedFlag: true,
      dontFragment: true,
      moreFragments: true,
      fragmentOffset: 8 * 0x1fff,
      ttl: 255,
      protocol: 6,
      checksum: 0xabcd,
      isFragment: true,
    }),
    new Uint8Array(10).fill(0x42),
  );
});

test('ipv4Codec round-trips options: router alert, NOPs, timestamp, EOL and padding', () => {
  const options = hex('94040000 01 01 44 0c 05 00 00000001 00000002 00 00');
  const value = layer({ ihl: 20 + options.length, totalLength: 20 + options.length + 3, options, protocol: 2 });
  const bytes = assertRoundTrip(ipv4Codec, value, new Uint8Array(3));
  assert.equal(bytes[0], 0x40 | ((20 + options.length) / 4));
});

test('ipv4Codec pads options shorter than the header with zeros', () => {
  const value = layer({ ihl: 24, totalLength: 24, options: hex('0101') });
  const out = new Uint8Array(24).fill(0xff);
  ipv4Codec.encode(value, out, 0);
  assert.deepEqual([...out.subarray(20)], [1, 1, 0, 0]);
});

test('encodeIpv4() throws for options that do not fit the header length (a caller bug)', () => {
  assert.throws(() => ipv4Codec.encode(layer({ ihl: 20, options: hex('0101') }), new Uint8Array(40), 0), RangeError);
});

test('decodeIpv4() reports a header cut at every length and returns null', () => {
  const options = hex('94040000');
  const full = new Uint8Array(24);
  ipv4Codec.encode(layer({ ihl: 24, totalLength: 24, options }), full, 0);
  assertCutsGiveNull(ipv4Codec, full, 'ipv4');
});

test('decodeIpv4() rejects a version other than 4', () => {
  const bytes = LAST_FRAGMENT.slice();
  bytes[0] = 0x65;
  const ctx = new CollectingContext();
  assert.equal(ipv4Codec.decode(bytes, 0, bytes.length, ctx), null);
  assert.deepEqual(ctx.anomalies.map((a) => a.kind), ['ipv4_bad_version']);
});

test('decodeIpv4() rejects a header length below 20 and one above the total length, as tshark shows no IPv4', () => {
  for (const [b0, totalLength] of [[0x44, 40], [0x46, 20]] as const) {
    const bytes = new Uint8Array(40);
    bytes.set(LAST_FRAGMENT);
    bytes[0] = b0;
    bytes[2] = 0;
    bytes[3] = totalLength;
    const ctx = new CollectingContext();
    assert.equal(ipv4Codec.decode(bytes, 0, bytes.length, ctx), null);
    assert.deepEqual(ctx.anomalies.map((a) => [a.kind, a.offset]), [['ipv4_bad_header_length', 0]]);
  }
});

test('decodeIpv4() trims the payload to the total length (Ethernet padding)', () => {
  const bytes = new Uint8Array(60);
  ipv4Codec.encode(layer({ ihl: 20, totalLength: 28 }), bytes, 0);
  const ip = ipv4Codec.decode(bytes, 0, bytes.length, new CollectingContext());
  assert.equal(ip?.payloadLength, 8);
});

test('decodeIpv4() reads a total length of 0 as segmentation offload and keeps the captured bytes', () => {
  const bytes = new Uint8Array(100);
  ipv4Codec.encode(layer({ ihl: 20, totalLength: 0 }), bytes, 0);
  const ctx = new ReportedEndCollectingContext(0, 100);
  const ip = ipv4Codec.decode(bytes, 0, bytes.length, ctx);
  assert.equal(ip?.payloadLength, 80);
  assert.deepEqual(ctx.anomalies, []);
});

test('decodeIpv4() reports a total length past the frame on the wire, not past a snap length', () => {
  const bytes = new Uint8Array(40);
  ipv4Codec.encode(layer({ ihl: 20, totalLength: 57 }), bytes, 0);
  const wireShort = new ReportedEndCollectingContext(0, 40);
  assert.equal(ipv4Codec.decode(bytes, 0, 40, wireShort)?.payloadLength, 20);
  assert.deepEqual(wireShort.anomalies.map((a) => [a.kind, a.offset]), [['ipv4_bad_total_length', 2]]);

  const snapped = new ReportedEndCollectingContext(0, 57);
  assert.equal(ipv4Codec.decode(bytes, 0, 40, snapped)?.payloadLength, 20);
  assert.deepEqual(snapped.anomalies, []);

  const unknown = new CollectingContext();
  assert.notEqual(ipv4Codec.decode(bytes, 0, 40, unknown), null);
  assert.deepEqual(unknown.anomalies, []);
});

test('decodeIpv4() reports malformed options and still returns the layer', () => {
  const cases: [string, number][] = [
    ['94010000', 20], // length 1
    ['01940800', 21], // runs past the header
    ['01010194', 23], // no length byte
  ];
  for (const [options, at] of cases) {
    const bytes = new Uint8Array(30);
    ipv4Codec.encode(layer({ ihl: 24, totalLength: 30, options: hex(options) }), bytes, 0);
    const ctx = new CollectingContext();
    const ip = ipv4Codec.decode(bytes, 0, bytes.length, ctx);
    assert.deepEqual([...ip!.options], [...hex(options)]);
    assert.deepEqual(ctx.anomalies.map((a) => [a.kind, a.offset]), [['ipv4_bad_option_length', at]]);
  }
});

test('decodeIpv4() sets isFragment for a first fragment and a later one, not for a whole datagram', () => {
  const cases: [Partial<Ipv4Layer>, boolean][] = [
    [{ moreFragments: true, fragmentOffset: 0 }, true],
    [{ moreFragments: false, fragmentOffset: 24 }, true],
    [{ moreFragments: false, fragmentOffset: 0, dontFragment: true }, false],
  ];
  for (const [fields, isFragment] of cases) {
    const bytes = new Uint8Array(20);
    ipv4Codec.encode(layer({ ihl: 20, totalLength: 20, ...fields }), bytes, 0);
    assert.equal(ipv4Codec.decode(bytes, 0, 20, new CollectingContext())?.isFragment, isFragment);
  }
});

test('parseIpv4Options() lists options up to End of Options List and serializeIpv4Options() writes them back', () => {
  const raw = hex('01 94040000 44 06 05 00 0102 00');
  const list = parseIpv4Options(raw);
  assert.deepEqual(
    list.map((o) => [o.type, o.length, [...o.data]]),
    [
      [1, 1, []],
      [0x94, 4, [0, 0]],
      [0x44, 6, [5, 0, 1, 2]],
      [0, 1, []],
    ],
  );
  assert.deepEqual([...serializeIpv4Options(list)], [...raw]);
  assert.deepEqual(parseIpv4Options(hex('0194')).map((o) => o.type), [1]);
});

test('decodeIpv4() never throws on random bytes', () => {
  assertJunkNeverThrows(ipv4Codec, IPV4_ANOMALIES, { prefix: [0x45] });
  assertJunkNeverThrows(ipv4Codec, IPV4_ANOMALIES, { seed: 7, prefix: [0x4f, 0, 0, 0x40] });
});
