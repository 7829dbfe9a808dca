import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatMac, parseMac } from '../../core/bytes.js';
import { sllCodec, type SllLayer } from './sll.js';
import { ARPHRD_IEEE80211_RADIOTAP, ARPHRD_NETLINK, SLL_PACKET_TYPE } from './linux-cooked.js';
import { ETHERTYPE_8023_LLC, ETHERTYPE_IPV4, ETHERTYPE_IPV6 } from './ether-type.js';
import {
  HAVE_TSHARK,
  assertEveryTruncationFails,
  assertRandomBytesNeverThrow,
  decodeAt,
  hex,
  roundTripAt,
  tsharkFields,
} from './test-codec-kit.js';

const decode = sllCodec.decode;

function sll(fields: Partial<SllLayer>): SllLayer {
  return {
    kind: 'sll',
    offset: 0,
    headerLength: 16,
    payloadLength: 0,
    packetType: SLL_PACKET_TYPE.OUTGOING,
    arphrdType: 1,
    addressLength: 6,
    address: parseMac('00:11:22:33:44:55'),
    protocol: ETHERTYPE_IPV4,
    ...fields,
  };
}

test('sllCodec decodes packet type, ARPHRD type, a 6-byte address and the EtherType', () => {
  const { layer, ctx } = decodeAt(decode, hex('0000 0001 0006 001122334455 0000 86dd 6000'));
  assert.deepEqual(ctx.anomalies, []);
  assert.deepEqual(layer, sll({ packetType: 0, protocol: ETHERTYPE_IPV6, payloadLength: 2 }));
  assert.equal(formatMac(layer!.address as number), '00:11:22:33:44:55');
});

test('sllCodec keeps addresses that are not 6 bytes long as hex', () => {
  const { layer } = decodeAt(decode, hex('0000 0300 0004 c0a80001 00000000 0800'));
  assert.equal(layer?.address, 'c0a80001');
  const none = decodeAt(decode, hex('0000 0304 0000 0000000000000000 0800'));
  assert.equal(none.layer?.address, '');
  const eight = decodeAt(decode, hex('0000 0321 0008 0102030405060708 0800'));
  assert.equal(eight.layer?.address, '0102030405060708');
});

test('sllCodec reports an address length above 8 and keeps the 8 bytes it has', () => {
  const { layer, ctx } = decodeAt(decode, hex('0000 0001 0010 0102030405060708 0800'));
  assert.equal(layer?.address, '0102030405060708');
  assert.deepEqual(ctx.anomalies.map((a) => [a.kind, a.offset]), [['sll_bad_address_length', 4]]);
});

test('sllCodec reads protocol 4 as an LLC header except on netlink, GRE and radiotap interfaces', () => {
  assert.equal(decodeAt(decode, hex('0000 0001 0006 001122334455 0000 0004')).layer?.protocol, ETHERTYPE_8023_LLC);
  assert.equal(decodeAt(decode, hex('0000 0323 0006 001122334455 0000 0004')).layer?.protocol, 4);
  assert.equal(decodeAt(decode, hex('0000 0338 0000 0000000000000000 0004')).layer?.protocol, 4);
  assert.equal(ARPHRD_IEEE80211_RADIOTAP, 0x323);
  assert.equal(ARPHRD_NETLINK, 0x338);
});

test('sllCodec round-trips headers at an offset', () => {
  roundTripAt(sllCodec, sll({ payloadLength: 3 }), { payload: hex('450000') });
  roundTripAt(sllCodec, sll({ protocol: ETHERTYPE_8023_LLC, address: 0xffff_ffff_ffff }), { k: 2 });
  roundTripAt(sllCodec, sll({ addressLength: 4, address: 'c0a80001', arphrdType: 768 }));
  roundTripAt(sllCodec, sll({ addressLength: 0, address: '', arphrdType: ARPHRD_NETLINK, protocol: 0 }));
  roundTripAt(sllCodec, sll({ addressLength: 8, address: '0102030405060708', packetType: 3, protocol: 0x88cc }));
});

test('sllCodec reports a header cut at any length below 16 bytes and returns null', () => {
  assertEveryTruncationFails(decode, hex('0000 0001 0006 001122334455 0000 86dd'), 16, 'sll_truncated');
});

test('sllCodec never throws on random bytes', () => {
  assertRandomBytesNeverThrow(decode, { seed: 4, maxLength: 40 });
});

test('sllCodec headers give the fields tshark shows', { skip: !HAVE_TSHARK }, () => {
  const frames = [
    sll({ packetType: 4 }),
    sll({ packetType: 1, protocol: ETHERTYPE_8023_LLC }),
    sll({ packetType: 0, addressLength: 4, address: 'c0a80001' }),
  ].map((l) => {
    const out = new Uint8Array(16 + 20);
    sllCodec.encode(l, out, 0);
    return out;
  });
  const rows = tsharkFields(113, frames, ['sll.pkttype', 'sll.hatype', 'sll.halen', 'sll.src.eth', 'sll.src.ipv4', 'sll.etype', 'sll.ltype']);
  assert.deepEqual(rows, [
    ['4', '1', '6', '00:11:22:33:44:55', '', '0x0800', ''],
    ['1', '1', '6', '00:11:22:33:44:55', '', '', '0x0004'],
    ['0', '1', '4', '', '192.168.0.1', '0x0800', ''],
  ]);
});
