import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CollectingContext } from '../context.js';
import { ethernetCodec } from './ethernet.js';
import { vlanCodec, type VlanLayer } from './vlan.js';
import { ETHERTYPE_8023_LLC, ETHERTYPE_IPV4, ETHERTYPE_QINQ, ETHERTYPE_VLAN } from './ether-type.js';
import {
  HAVE_TSHARK,
  assertEveryTruncationFails,
  assertRandomBytesNeverThrow,
  decodeAt,
  embed,
  hex,
  roundTripAt,
  tsharkFields,
} from './test-codec-kit.js';

const decode = vlanCodec.decode;

function tag(fields: Partial<VlanLayer>): VlanLayer {
  return {
    kind: 'vlan',
    offset: 0,
    headerLength: 4,
    payloadLength: 0,
    priority: 0,
    dei: false,
    vlanId: 100,
    etherType: ETHERTYPE_IPV4,
    length8023: null,
    ...fields,
  };
}

test('vlanCodec decodes priority, DEI, VLAN id and the inner EtherType', () => {
  const { layer, ctx } = decodeAt(decode, hex('b064 0800 45'));
  assert.deepEqual(ctx.anomalies, []);
  assert.deepEqual(layer, tag({ priority: 5, dei: true, vlanId: 100, payloadLength: 1 }));
});

test('vlanCodec round-trips tags at an offset, including every field at its extremes', () => {
  roundTripAt(vlanCodec, tag({}));
  roundTripAt(vlanCodec, tag({ priority: 7, dei: true, vlanId: 4095, etherType: 0x86dd, payloadLength: 2 }), {
    payload: hex('6000'),
    k: 3,
  });
  roundTripAt(vlanCodec, tag({ priority: 0, vlanId: 0, etherType: ETHERTYPE_VLAN }), { k: 0 });
  roundTripAt(vlanCodec, tag({ etherType: ETHERTYPE_8023_LLC, length8023: 3, payloadLength: 3 }), {
    payload: hex('aaaa03'),
  });
});

test('vlanCodec decodes stacked 802.1ad and 802.1Q tags as one layer per tag', () => {
  const frame = hex('ffffffffffff 001122334455 88a8 000a 8100 2064 0800 4500');
  const k = 21;
  const buf = embed(frame, k);
  const ctx = new CollectingContext(k);
  const end = k + frame.length;
  const eth = ethernetCodec.decode(buf, k, end, ctx);
  assert.equal(eth?.etherType, ETHERTYPE_QINQ);
  const outer = decode(buf, k + 14, end, ctx);
  assert.deepEqual(outer, tag({ offset: 14, vlanId: 10, etherType: ETHERTYPE_VLAN, payloadLength: 6 }));
  const inner = decode(buf, k + 18, end, ctx);
  assert.deepEqual(inner, tag({ offset: 18, priority: 1, vlanId: 100, payloadLength: 2 }));
  assert.deepEqual(ctx.anomalies, []);
});

test('vlanCodec trims the payload to an inner 802.3 length and reports one that is too long', () => {
  const ok = decodeAt(decode, hex('0064 0003 424203 0000'));
  assert.equal(ok.layer?.etherType, ETHERTYPE_8023_LLC);
  assert.equal(ok.layer?.payloadLength, 3);
  const long = decodeAt(decode, hex('0064 0030 424203'));
  assert.equal(long.layer?.payloadLength, 3);
  assert.deepEqual(long.ctx.anomalies.map((a) => [a.kind, a.offset]), [['vlan_8023_length_exceeds_frame', 2]]);
  const odd = decodeAt(decode, hex('0064 05f0'));
  assert.deepEqual(odd.ctx.anomalies.map((a) => a.kind), ['vlan_invalid_type']);
});

test('vlanCodec reports a tag cut at any length below 4 bytes and returns null', () => {
  assertEveryTruncationFails(decode, hex('b0640800'), 4, 'vlan_truncated');
});

test('vlanCodec never throws on random bytes', () => {
  assertRandomBytesNeverThrow(decode, { seed: 2, maxLength: 16 });
});

test('vlanCodec stacked tags give the ids and types tshark shows', { skip: !HAVE_TSHARK }, () => {
  const frame = new Uint8Array(64);
  frame.set(hex('ffffffffffff 001122334455 88a8'));
  vlanCodec.encode(tag({ priority: 3, vlanId: 10, etherType: ETHERTYPE_VLAN }), frame, 14);
  vlanCodec.encode(tag({ priority: 5, dei: true, vlanId: 4000, etherType: 0x0806 }), frame, 18);
  const fields = ['ieee8021ad.priority', 'ieee8021ad.dei', 'ieee8021ad.id', 'vlan.priority', 'vlan.dei', 'vlan.id', 'vlan.etype'];
  // tshark names the 802.1ad (0x88a8) tag's fields ieee8021ad.*, the 802.1Q tag's vlan.*.
  assert.deepEqual(tsharkFields(1, [frame], fields), [['3', '0', '10', '5', '1', '4000', '0x0806']]);
});
