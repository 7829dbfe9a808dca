import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatMac, parseMac } from '../../core/bytes.js';
import { ETHERTYPE_8023_LLC, ethernetCodec, type EthernetLayer } from './ethernet.js';
import { ETHERTYPE_IPV4, ETHERTYPE_VLAN } from './ether-type.js';
import {
  HAVE_TSHARK,
  assertEveryTruncationFails,
  assertRandomBytesNeverThrow,
  decodeAt,
  hex,
  roundTripAt,
  tsharkFields,
} from './test-codec-kit.js';

const decode = ethernetCodec.decode;

function eth(fields: Partial<EthernetLayer>): EthernetLayer {
  return {
    kind: 'ethernet',
    offset: 0,
    headerLength: 14,
    payloadLength: 0,
    dst: parseMac('ff:ff:ff:ff:ff:ff'),
    src: parseMac('f4:b8:5e:ff:2b:1b'),
    etherType: ETHERTYPE_IPV4,
    length8023: null,
    ...fields,
  };
}

test('ethernetCodec decodes destination, source and EtherType of an Ethernet II header', () => {
  const { layer, ctx } = decodeAt(decode, hex('ffffffffffff f4b85eff2b1b 0800 4500'));
  assert.deepEqual(ctx.anomalies, []);
  assert.ok(layer);
  assert.equal(formatMac(layer.dst), 'ff:ff:ff:ff:ff:ff');
  assert.equal(formatMac(layer.src), 'f4:b8:5e:ff:2b:1b');
  assert.equal(layer.etherType, 0x0800);
  assert.equal(layer.length8023, null);
  assert.equal(layer.payloadLength, 2);
});

test('ethernetCodec round-trips Ethernet II headers at an offset inside a larger buffer', () => {
  roundTripAt(ethernetCodec, eth({ payloadLength: 5 }), { payload: hex('4500000000') });
  roundTripAt(ethernetCodec, eth({ etherType: ETHERTYPE_VLAN, dst: 0xffff_ffff_fffe, src: 0 }), { k: 1 });
  roundTripAt(ethernetCodec, eth({ etherType: 0xffff }), { k: 40 });
});

test('ethernetCodec reads a length up to 1500 as an 802.3 frame and trims the payload to it', () => {
  const bytes = hex('0180c2000000 001122334455 0026 424203 000000' + '00'.repeat(33) + 'eeeeeeee');
  const { layer, ctx } = decodeAt(decode, bytes);
  assert.deepEqual(ctx.anomalies, []);
  assert.equal(layer?.etherType, ETHERTYPE_8023_LLC);
  assert.equal(layer?.length8023, 0x26);
  assert.equal(layer?.payloadLength, 0x26);
  roundTripAt(ethernetCodec, eth({ etherType: ETHERTYPE_8023_LLC, length8023: 3, payloadLength: 3 }), {
    payload: hex('424203'),
  });
  roundTripAt(ethernetCodec, eth({ etherType: ETHERTYPE_8023_LLC, length8023: 1500, payloadLength: 1500 }), {
    payload: new Uint8Array(1500),
  });
  roundTripAt(ethernetCodec, eth({ etherType: ETHERTYPE_8023_LLC, length8023: 0 }));
});

test('ethernetCodec reports an 802.3 length larger than the frame and keeps the bytes it has', () => {
  const { layer, ctx } = decodeAt(decode, hex('0180c2000000 001122334455 0040 424203'));
  assert.equal(layer?.payloadLength, 3);
  assert.equal(layer?.length8023, 0x40);
  assert.deepEqual(
    ctx.anomalies.map((a) => [a.kind, a.offset]),
    [['ethernet_8023_length_exceeds_frame', 12]],
  );
});

test('ethernetCodec reports a type/length between 1501 and 1535 and keeps it as the EtherType', () => {
  const { layer, ctx } = decodeAt(decode, hex('0180c2000000 001122334455 05dd 00'));
  assert.equal(layer?.etherType, 1501);
  assert.equal(layer?.length8023, null);
  assert.deepEqual(ctx.anomalies.map((a) => a.kind), ['ethernet_invalid_type']);
  const at1536 = decodeAt(decode, hex('0180c2000000 001122334455 0600'));
  assert.deepEqual(at1536.ctx.anomalies, []);
});

test('ethernetCodec reports a header cut at any length below 14 bytes and returns null', () => {
  assertEveryTruncationFails(decode, hex('ffffffffffff f4b85eff2b1b 0800'), 14, 'ethernet_truncated');
  const { ctx } = decodeAt(decode, hex('ffffffffffff'));
  assert.equal(ctx.anomalies[0].message, 'Cannot decode ethernet header: need 14 bytes at offset 0, have 6');
});

test('ethernetCodec never throws on random bytes', () => {
  assertRandomBytesNeverThrow(decode, { seed: 1 });
});

test('ethernetCodec headers give the addresses and types tshark shows', { skip: !HAVE_TSHARK }, () => {
  const frames = [
    eth({ payloadLength: 0 }),
    eth({ dst: parseMac('01:00:5e:00:00:fb'), src: parseMac('a4:67:06:f7:ec:54'), etherType: 0x86dd }),
    eth({ etherType: ETHERTYPE_8023_LLC, length8023: 3 }),
  ].map((l) => {
    const out = new Uint8Array(14 + 46);
    ethernetCodec.encode(l, out, 0);
    return out;
  });
  const rows = tsharkFields(1, frames, ['eth.dst', 'eth.src', 'eth.type', 'eth.len']);
  assert.deepEqual(rows, [
    ['ff:ff:ff:ff:ff:ff', 'f4:b8:5e:ff:2b:1b', '0x0800', ''],
    ['01:00:5e:00:00:fb', 'a4:67:06:f7:ec:54', '0x86dd', ''],
    ['ff:ff:ff:ff:ff:ff', 'f4:b8:5e:ff:2b:1b', '', '3'],
  ]);
});
