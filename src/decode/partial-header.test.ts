import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CollectingContext } from './context.js';
import { parseIpv4 } from '../core/bytes.js';
import { buildPacket } from './net/packet-builder.js';
import { makeIpv4, makeIpv6, makeTcp, makeUdp } from './net/make-layer.js';
import { partialHeader } from './partial-header.js';

const v4 = buildPacket([makeIpv4({ src: parseIpv4('192.0.2.1'), dst: parseIpv4('198.51.100.2') }), makeUdp({ srcPort: 5353, dstPort: 53 })], Uint8Array.from([0x12, 0x34, 0x81, 0x80]));

test('partialHeader() gives the IPv4 fields whose bytes were captured, one by one', () => {
  const ctx = new CollectingContext(0);
  assert.equal(partialHeader('ipv4', v4, 0, 9, ctx), null);
  assert.deepEqual(pick(partialHeader('ipv4', v4, 0, 10, ctx)), { protocol: 17, src: null, dst: null });
  assert.deepEqual(pick(partialHeader('ipv4', v4, 0, 16, ctx)), { protocol: 17, src: parseIpv4('192.0.2.1'), dst: null });
  assert.deepEqual(pick(partialHeader('ipv4', v4, 0, 19, ctx)), { protocol: 17, src: parseIpv4('192.0.2.1'), dst: null });
  assert.equal(partialHeader('ipv4', v4, 0, 20, ctx), null, 'a whole header is not a cut');
});

test('partialHeader() gives ports from 2 and 4 bytes of a UDP or TCP header, and the DNS id and QR bit', () => {
  const ctx = new CollectingContext(0);
  const p1 = partialHeader('udp', v4, 20, 22, ctx);
  assert.equal(p1?.srcPort, 5353);
  assert.equal(p1?.dstPort, null);
  assert.equal(partialHeader('udp', v4, 20, 24, ctx)?.dstPort, 53);
  const tcp = buildPacket([makeIpv4({ src: 1, dst: 2 }), makeTcp({ srcPort: 40000, dstPort: 443 })]);
  assert.equal(partialHeader('tcp', tcp, 20, 24, ctx)?.dstPort, 443);
  const dns = partialHeader('dns', v4, 28, 30, ctx);
  assert.equal(dns?.id, 0x1234);
  assert.equal(dns?.isResponse, null);
  assert.equal(partialHeader('dns', v4, 28, 32, ctx)?.isResponse, true);
});

test('partialHeader() gives the IPv6 source from 24 bytes and nothing for a header that is not cut but malformed', () => {
  const ctx = new CollectingContext(0);
  const v6 = buildPacket([makeIpv6({ src: '2001:db8::1', dst: '2001:db8::2' }), makeUdp({ srcPort: 1, dstPort: 2 })]);
  assert.equal(partialHeader('ipv6', v6, 0, 23, ctx), null);
  assert.equal(partialHeader('ipv6', v6, 0, 24, ctx)?.src, '2001:db8::1');
  const bad = v4.slice(0, 12);
  bad[0] = 0x65; // version 6 in an IPv4 position
  assert.equal(partialHeader('ipv4', bad, 0, 12, ctx), null);
});

function pick(p: ReturnType<typeof partialHeader>): { protocol: number | null; src: unknown; dst: unknown } | null {
  return p === null ? null : { protocol: p.protocol, src: p.src, dst: p.dst };
}
