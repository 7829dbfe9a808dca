import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMac } from '../../core/bytes.js';
import { sll2Codec, type Sll2Layer } from './sll2.js';
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

const decode = sll2Codec.decode;

function sll2(fields: Partial<Sll2Layer>): Sll2Layer {
  return {
    kind: 'sll2',
    offset: 0,
    headerLength: 20,
    payloadLength: 0,
    protocol: ETHERTYPE_IPV4,
    reserved: 0,
    interfaceIndex: 3,
    arphrdType: 1,
    packetType: 4,
    addressLength: 6,
    address: parseMac('00:11:22:33:44:55'),
    ...fields,
  };
}

test('sll2Codec decodes protocol, interface index, ARPHRD type, packet type and address', () => {
  const { layer, ctx } = decodeAt(decode, hex('86dd 0000 00000007 0001 00 06 a467 06f7 ec54 0000 60'));
  assert.deepEqual(ctx.anomalies, []);
  assert.deepEqual(
    layer,
    sll2({ protocol: ETHERTYPE_IPV6, interfaceIndex: 7, packetType: 0, address: parseMac('a4:67:06:f7:ec:54'), payloadLength: 1 }),
  );
});

test('sll2Codec reports a non-zero reserved field and an address length above 8', () => {
  const { layer, ctx } = decodeAt(decode, hex('0800 0102 00000001 0001 00 09 0102030405060708'));
  assert.equal(layer?.reserved, 0x0102);
  assert.equal(layer?.address, '0102030405060708');
  assert.deepEqual(ctx.anomalies.map((a) => [a.kind, a.offset]), [
    ['sll2_reserved_not_zero', 2],
    ['sll2_bad_address_length', 11],
  ]);
});

test('sll2Codec round-trips headers at an offset', () => {
  roundTripAt(sll2Codec, sll2({ payloadLength: 2 }), { payload: hex('4500') });
  roundTripAt(sll2Codec, sll2({ interfaceIndex: 0xffff_ffff, protocol: ETHERTYPE_8023_LLC }), { k: 5 });
  roundTripAt(sll2Codec, sll2({ addressLength: 0, address: '', arphrdType: 824, protocol: 0, packetType: 0 }));
  roundTripAt(sll2Codec, sll2({ addressLength: 8, address: 'ffeeddccbbaa9988' }));
});

test('sll2Codec reports a header cut at any length below 20 bytes and returns null', () => {
  assertEveryTruncationFails(decode, hex('0800 0000 00000003 0001 04 06 001122334455 0000'), 20, 'sll2_truncated');
});

test('sll2Codec never throws on random bytes', () => {
  assertRandomBytesNeverThrow(decode, { seed: 5, maxLength: 40 });
});

test('sll2Codec headers give the fields tshark shows', { skip: !HAVE_TSHARK }, () => {
  const out = new Uint8Array(20 + 20);
  sll2Codec.encode(sll2({ interfaceIndex: 9, packetType: 2 }), out, 0);
  const rows = tsharkFields(276, [out], ['sll.etype', 'sll.ifindex', 'sll.hatype', 'sll.pkttype', 'sll.halen', 'sll.src.eth']);
  assert.deepEqual(rows, [['0x0800', '9', '1', '2', '6', '00:11:22:33:44:55']]);
});
