import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseIpv4 } from '../../core/bytes.js';
import { IPV6_FRAGMENT, IPV6_HOP_BY_HOP, IPV6_ROUTING } from './ipv6.js';
import { makeIcmp, makeIcmpv6, makeIpv4, makeIpv6, makeIpv6Extension, makeTcp, makeUdp } from './make-layer.js';
import { TCP_ACK, TCP_FIN, TCP_SYN } from './tcp.js';

test('makeIpv4() gives a plain header with TTL 64 and a header length that fits its options', () => {
  const ip = makeIpv4({ src: parseIpv4('10.0.0.1'), dst: parseIpv4('10.0.0.2'), options: new Uint8Array(3) });
  assert.deepEqual([ip.version, ip.ihl, ip.ttl, ip.isFragment], [4, 24, 64, false]);
  assert.equal(makeIpv4({ src: 1, dst: 2, fragmentOffset: 8 }).isFragment, true);
  assert.equal(makeIpv4({ src: 1, dst: 2, moreFragments: true }).isFragment, true);
});

test('makeIpv6() names the first extension header and copies the fragment fields', () => {
  const ip = makeIpv6({
    src: '::1',
    dst: '::2',
    extensions: [makeIpv6Extension(IPV6_HOP_BY_HOP), makeIpv6Extension(IPV6_FRAGMENT, { fragmentOffset: 16, identification: 5 })],
  });
  assert.deepEqual([ip.version, ip.nextHeader, ip.hopLimit, ip.fragmentOffset, ip.identification, ip.isFragment], [6, 0, 64, 16, 5, true]);
});

test('makeIpv6Extension() rounds the length up to 8 bytes and gives a fragment header no data', () => {
  assert.equal(makeIpv6Extension(IPV6_HOP_BY_HOP).length, 8);
  assert.equal(makeIpv6Extension(IPV6_HOP_BY_HOP, { data: new Uint8Array(7) }).length, 16);
  assert.equal(makeIpv6Extension(IPV6_ROUTING, { data: new Uint8Array(4) }).length, 8);
  const fragment = makeIpv6Extension(IPV6_FRAGMENT, { data: new Uint8Array(20) });
  assert.deepEqual([fragment.length, fragment.data.length], [8, 0]);
});

test('makeTcp() derives the flag booleans from flags and defaults to a bare ACK', () => {
  const synAck = makeTcp({ srcPort: 1, dstPort: 2, flags: TCP_SYN | TCP_ACK });
  assert.deepEqual([synAck.syn, synAck.ack, synAck.fin, synAck.dataOffset], [true, true, false, 20]);
  const plain = makeTcp({ srcPort: 1, dstPort: 2 });
  assert.deepEqual([plain.flags, plain.ack, plain.syn], [TCP_ACK, true, false]);
  assert.equal(makeTcp({ srcPort: 1, dstPort: 2, flags: TCP_FIN }).fin, true);
});

test('makeIcmp() and makeIcmpv6() build restOfHeader from identifier and sequence and mark errors', () => {
  const echo = makeIcmp({ type: 8, identifier: 0xabcd, sequence: 0x0102 });
  assert.deepEqual([echo.restOfHeader, echo.embedded], [0xabcd0102, false]);
  const mtu = makeIcmp({ type: 3, code: 4, restOfHeader: 1400 });
  assert.deepEqual([mtu.identifier, mtu.sequence, mtu.embedded], [0, 1400, true]);
  const err6 = makeIcmpv6({ type: 3 });
  assert.deepEqual([err6.embedded, err6.targetAddress], [true, null]);
  assert.equal(makeIcmpv6({ type: 129, identifier: 1, sequence: 2 }).restOfHeader, 0x00010002);
});

test('makeUdp() leaves the length and checksum for the builder', () => {
  assert.deepEqual(makeUdp({ srcPort: 1, dstPort: 2 }), { kind: 'udp', offset: 0, headerLength: 0, payloadLength: 0, srcPort: 1, dstPort: 2, length: 0, checksum: 0 });
});
