import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CollectingContext } from '../context.js';
import { formatIpv6, parseIpv6 } from '../../core/bytes.js';
import { seededRandom } from './test-codec-conformance.js';
import { assertCutsGiveNull, assertJunkNeverThrows, assertRoundTrip } from './test-codec-conformance.js';
import {
  IPV6_ANOMALIES,
  IPV6_AUTHENTICATION,
  IPV6_DESTINATION_OPTIONS,
  IPV6_FRAGMENT,
  IPV6_HOP_BY_HOP,
  IPV6_ROUTING,
  ipv6Codec,
  type Ipv6Extension,
  type Ipv6Layer,
} from './ipv6.js';
import { makeIpv6, makeIpv6Extension } from './make-layer.js';
import { ReportedEndCollectingContext } from './reported-end.js';

const hex = (s: string): Uint8Array => Uint8Array.from(s.replace(/\s+/g, '').match(/../g)!.map((h) => parseInt(h, 16)));
const UDP = 17;

/** Router alert (MLD) and PadN, as in a hop-by-hop header of an MLDv2 report. */
const ROUTER_ALERT = hex('05020000 0100');

function layer(fields: Partial<Ipv6Layer>, inner = 0): Ipv6Layer {
  const extensions = fields.extensions ?? [];
  const extBytes = extensions.reduce((n, e) => n + e.length, 0);
  return makeIpv6({
    src: 'fe80::1',
    dst: '2001:db8::1',
    nextHeader: extensions.length > 0 ? extensions[0].type : UDP,
    protocol: UDP,
    payloadLengthField: extBytes + inner,
    ...fields,
  });
}

function chain(...exts: Ipv6Extension[]): Ipv6Extension[] {
  return exts.map((e, i) => ({ ...e, nextHeader: i + 1 < exts.length ? exts[i + 1].type : UDP }));
}

test('decodeIpv6() reads an IPv4-mapped source as tshark prints it', () => {
  const bytes = new Uint8Array(48);
  ipv6Codec.encode(layer({ src: '::ffff:192.168.1.10', trafficClass: 0xb8, flowLabel: 0xabcde, hopLimit: 1 }, 8), bytes, 0);
  const ip = ipv6Codec.decode(bytes, 0, bytes.length, new CollectingContext());
  assert.equal(ip?.src, '::ffff:192.168.1.10');
  assert.equal(ip?.dst, '2001:db8::1');
  assert.deepEqual([ip?.trafficClass, ip?.flowLabel, ip?.hopLimit, ip?.payloadLength], [0xb8, 0xabcde, 1, 8]);
  assert.deepEqual([...bytes.subarray(8, 24)], [...parseIpv6('::ffff:192.168.1.10')]);
});

test('decodeIpv6() gives the right text for many addresses, repeated ones and near-collisions alike', () => {
  const random = seededRandom(11);
  const bytes = new Uint8Array(40);
  ipv6Codec.encode(layer({}), bytes, 0);
  const seen: Uint8Array[] = [];
  for (let i = 0; i < 20000; i++) {
    const reuse = seen.length > 0 && random() < 0.5;
    const address = reuse ? seen[Math.floor(random() * seen.length)] : Uint8Array.from({ length: 16 }, () => (random() < 0.7 ? 0 : Math.floor(random() * 256)));
    if (!reuse) seen.push(address);
    bytes.set(address, 8);
    bytes.set(address.map((b, j) => (j === 15 ? b ^ 1 : b)), 24);
    const ip = ipv6Codec.decode(bytes, 0, 40, new CollectingContext())!;
    assert.equal(ip.src, formatIpv6(address, 0));
    assert.equal(ip.dst, formatIpv6(bytes, 24));
  }
});

test('ipv6Codec round-trips a header without extension headers', () => {
  assertRoundTrip(ipv6Codec, layer({ trafficClass: 3, flowLabel: 0xfffff, hopLimit: 255 }, 12), new Uint8Array(12));
});

test('ipv6Codec round-trips a chain of every extension header kind', () => {
  const extensions = chain(
    makeIpv6Extension(IPV6_HOP_BY_HOP, { data: ROUTER_ALERT }),
    makeIpv6Extension(IPV6_DESTINATION_OPTIONS, { data: hex('01020000 01080000 00000000 0000') }),
    makeIpv6Extension(IPV6_ROUTING, { routingType: 4, segmentsLeft: 1, data: new Uint8Array(20).fill(7) }),
    makeIpv6Extension(IPV6_AUTHENTICATION, { data: new Uint8Array(22).fill(9) }),
    makeIpv6Extension(IPV6_FRAGMENT, { fragmentOffset: 0, moreFragments: false, identification: 0xdeadbeef }),
  );
  assert.deepEqual(extensions.map((e) => e.length), [8, 16, 24, 24, 8]);
  const value = layer({ extensions }, 8);
  const bytes = assertRoundTrip(ipv6Codec, value, new Uint8Array(8));
  assert.equal(value.headerLength, 0);
  assert.equal(bytes.length, 40 + 80);
  assert.equal(bytes[40 + 8 + 16 + 24 + 1], 4, 'AH length is in 4-byte units minus 2');
});

test('decodeIpv6() walks the chain to the upper-layer protocol and counts it in the header length', () => {
  const extensions = chain(makeIpv6Extension(IPV6_HOP_BY_HOP, { data: ROUTER_ALERT }), makeIpv6Extension(IPV6_ROUTING, { routingType: 4 }));
  const bytes = new Uint8Array(40 + 16 + 8 + 6);
  ipv6Codec.encode(layer({ extensions }, 8), bytes, 0);
  const ip = ipv6Codec.decode(bytes, 0, bytes.length, new CollectingContext());
  assert.deepEqual([ip?.nextHeader, ip?.protocol, ip?.headerLength, ip?.payloadLength], [0, 17, 56, 8]);
  assert.deepEqual(ip?.extensions.map((e) => [e.type, e.length, e.nextHeader, e.routingType]), [
    [0, 8, 43, 0],
    [43, 8, 17, 4],
  ]);
});

test('decodeIpv6() stops at No Next Header and at ESP', () => {
  for (const next of [59, 50]) {
    const bytes = new Uint8Array(60);
    ipv6Codec.encode(layer({ nextHeader: next, protocol: next }, 20), bytes, 0);
    const ip = ipv6Codec.decode(bytes, 0, bytes.length, new CollectingContext());
    assert.deepEqual([ip?.protocol, ip?.headerLength, ip?.payloadLength, ip?.extensions.length], [next, 40, 20, 0]);
  }
});

test('decodeIpv6() sets isFragment for a first and a later fragment, not for an atomic one', () => {
  const cases: [number, boolean, boolean][] = [
    [0, true, true],
    [24, false, true],
    [0, false, false],
  ];
  for (const [fragmentOffset, moreFragments, isFragment] of cases) {
    const fragment = makeIpv6Extension(IPV6_FRAGMENT, { nextHeader: UDP, fragmentOffset, moreFragments, identification: 0xdead });
    const bytes = new Uint8Array(56);
    ipv6Codec.encode(layer({ extensions: [fragment] }, 8), bytes, 0);
    const ip = ipv6Codec.decode(bytes, 0, bytes.length, new CollectingContext());
    assert.deepEqual(
      [ip?.isFragment, ip?.fragmentOffset, ip?.moreFragments, ip?.identification, ip?.protocol],
      [isFragment, fragmentOffset, moreFragments, 0xdead, UDP],
    );
  }
});

test('decodeIpv6() reports a fixed header cut at every length and returns null', () => {
  const bytes = new Uint8Array(40);
  ipv6Codec.encode(layer({}), bytes, 0);
  assertCutsGiveNull(ipv6Codec, bytes, 'ipv6');
});

test('decodeIpv6() reports an extension header cut by the capture and returns the header before it', () => {
  const extensions = chain(makeIpv6Extension(IPV6_HOP_BY_HOP, { data: ROUTER_ALERT }), makeIpv6Extension(IPV6_FRAGMENT));
  const bytes = new Uint8Array(40 + 16 + 8);
  ipv6Codec.encode(layer({ extensions }, 8), bytes, 0);
  for (let cut = 40; cut < 56; cut++) {
    const ctx = new CollectingContext();
    const ip = ipv6Codec.decode(bytes, 0, cut, ctx);
    const expected = cut < 48 ? { headerLength: 40, protocol: IPV6_HOP_BY_HOP } : { headerLength: 48, protocol: IPV6_FRAGMENT };
    assert.deepEqual({ headerLength: ip?.headerLength, protocol: ip?.protocol }, expected, `cut at ${cut}`);
    assert.equal(ip?.payloadLength, cut - expected.headerLength, 'the unread header is the payload');
    assert.deepEqual(ctx.anomalies.map((a) => [a.kind, a.offset]), [['ipv6_truncated', expected.headerLength]]);
  }
});

test('decodeIpv6() reports an extension header that runs past the declared payload length', () => {
  const extensions = [makeIpv6Extension(IPV6_DESTINATION_OPTIONS, { nextHeader: UDP, data: new Uint8Array(14) })];
  const bytes = new Uint8Array(40 + 16 + 8);
  ipv6Codec.encode(layer({ extensions, payloadLengthField: 8 }), bytes, 0);
  const ctx = new CollectingContext();
  const ip = ipv6Codec.decode(bytes, 0, bytes.length, ctx);
  assert.deepEqual([ip?.headerLength, ip?.protocol, ip?.payloadLength], [40, IPV6_DESTINATION_OPTIONS, 8]);
  assert.deepEqual(ctx.anomalies.map((a) => [a.kind, a.offset]), [['ipv6_bad_extension_length', 40]]);
});

test('decodeIpv6() trims the payload to the payload length and reports one past the frame on the wire', () => {
  const bytes = new Uint8Array(70);
  ipv6Codec.encode(layer({}, 10), bytes, 0);
  const ctx = new ReportedEndCollectingContext(0, 70);
  assert.equal(ipv6Codec.decode(bytes, 0, 70, ctx)?.payloadLength, 10);
  assert.deepEqual(ctx.anomalies, []);

  ipv6Codec.encode(layer({}, 100), bytes, 0);
  const short = new ReportedEndCollectingContext(0, 70);
  assert.equal(ipv6Codec.decode(bytes, 0, 70, short)?.payloadLength, 30);
  assert.deepEqual(short.anomalies.map((a) => [a.kind, a.offset]), [['ipv6_bad_payload_length', 4]]);

  const snapped = new ReportedEndCollectingContext(0, 140);
  ipv6Codec.decode(bytes, 0, 70, snapped);
  assert.deepEqual(snapped.anomalies, []);
});

test('decodeIpv6() rejects a version other than 6', () => {
  const bytes = new Uint8Array(40);
  bytes[0] = 0x45;
  const ctx = new CollectingContext();
  assert.equal(ipv6Codec.decode(bytes, 0, 40, ctx), null);
  assert.deepEqual(ctx.anomalies.map((a) => a.kind), ['ipv6_bad_version']);
});

test('encodeIpv6() throws for extension data that does not fit its length (a caller bug)', () => {
  const ext = { ...makeIpv6Extension(IPV6_HOP_BY_HOP, { data: new Uint8Array(6) }), length: 8, data: new Uint8Array(7) };
  assert.throws(() => ipv6Codec.encode(layer({ extensions: [ext] }), new Uint8Array(64), 0), RangeError);
});

test('decodeIpv6() never throws on random bytes', () => {
  assertJunkNeverThrows(ipv6Codec, IPV6_ANOMALIES, { prefix: [0x60] });
  for (const next of [0, 43, 44, 51, 60]) {
    assertJunkNeverThrows(ipv6Codec, IPV6_ANOMALIES, { seed: next + 2, rounds: 1500, prefix: [0x60, 0, 0, 0, 0, 0x30, next] });
  }
});
