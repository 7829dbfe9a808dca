import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ethernetCodec, type EthernetLayer } from './ethernet.js';
import { llcCodec, OUI_APPLE_ATALK, OUI_BRIDGE_TUNNEL, type LlcLayer } from './llc.js';
import { ETHERTYPE_8023_LLC, ETHERTYPE_IPV4 } from './ether-type.js';
import {
  HAVE_TSHARK,
  assertEveryTruncationFails,
  assertRandomBytesNeverThrow,
  decodeAt,
  hex,
  roundTripAt,
  tsharkFields,
} from './test-codec-kit.js';

const decode = llcCodec.decode;

function llc(fields: Partial<LlcLayer>): LlcLayer {
  return {
    kind: 'llc',
    offset: 0,
    headerLength: 3,
    payloadLength: 0,
    dsap: 0x42,
    ssap: 0x42,
    control: 0x03,
    oui: null,
    pid: null,
    etherType: ETHERTYPE_8023_LLC,
    ...fields,
  };
}

function snap(fields: Partial<LlcLayer>): LlcLayer {
  return llc({ headerLength: 8, dsap: 0xaa, ssap: 0xaa, oui: 0, pid: ETHERTYPE_IPV4, etherType: ETHERTYPE_IPV4, ...fields });
}

test('llcCodec decodes a SNAP header and its EtherType', () => {
  const { layer, ctx } = decodeAt(decode, hex('aaaa03 000000 0800 4500'));
  assert.deepEqual(ctx.anomalies, []);
  assert.deepEqual(layer, snap({ payloadLength: 2 }));
});

test('llcCodec keeps the SNAP protocol id but no EtherType for an organisation-specific OUI', () => {
  const { layer } = decodeAt(decode, hex('aaaa03 00000c 2000'));
  assert.deepEqual(layer, snap({ oui: 0x00000c, pid: 0x2000, etherType: ETHERTYPE_8023_LLC }));
  assert.equal(decodeAt(decode, hex('aaaa03 0000f8 0800')).layer?.etherType, ETHERTYPE_IPV4);
  assert.equal(decodeAt(decode, hex('aaaa03 080007 809b')).layer?.etherType, 0x809b);
});

test('llcCodec reads a 1-byte control field for U frames and a 2-byte one for I and S frames', () => {
  assert.deepEqual(decodeAt(decode, hex('424203 0000')).layer, llc({ payloadLength: 2 }));
  const iFrame = decodeAt(decode, hex('f0f0 0204 ff'));
  assert.deepEqual(iFrame.layer, llc({ dsap: 0xf0, ssap: 0xf0, control: 0x0402, headerLength: 4, payloadLength: 1 }));
  const sFrame = decodeAt(decode, hex('f0f1 0103'));
  assert.equal(sFrame.layer?.control, 0x0301);
  assert.equal(sFrame.layer?.headerLength, 4);
});

test('llcCodec round-trips LLC and SNAP headers at an offset', () => {
  roundTripAt(llcCodec, llc({ payloadLength: 4 }), { payload: hex('00000000') });
  roundTripAt(llcCodec, llc({ dsap: 0xe0, ssap: 0xe0, control: 0x03 }), { k: 1 });
  roundTripAt(llcCodec, llc({ dsap: 0xf0, ssap: 0xf1, control: 0xfffe, headerLength: 4 }));
  roundTripAt(llcCodec, llc({ dsap: 0xaa, ssap: 0xaa, control: 0x7f }), { k: 30 });
  roundTripAt(llcCodec, snap({ payloadLength: 2 }), { payload: hex('4500') });
  roundTripAt(llcCodec, snap({ oui: OUI_BRIDGE_TUNNEL, pid: 0x86dd, etherType: 0x86dd }));
  roundTripAt(llcCodec, snap({ oui: OUI_APPLE_ATALK, pid: 0x809b, etherType: 0x809b }));
  roundTripAt(llcCodec, snap({ oui: 0xffffff, pid: 0xffff, etherType: ETHERTYPE_8023_LLC }));
});

test('llcCodec reports a header or SNAP extension cut at any length and returns null', () => {
  assertEveryTruncationFails(decode, hex('aaaa03 000000 0800'), 8, 'llc_truncated');
  assertEveryTruncationFails(decode, hex('f0f0 0204'), 4, 'llc_truncated');
  assertEveryTruncationFails(decode, hex('424203'), 3, 'llc_truncated');
  const { ctx } = decodeAt(decode, hex('aaaa03 0000'));
  assert.equal(ctx.anomalies[0].message, 'Cannot decode llc SNAP header: need 8 bytes at offset 0, have 5');
});

test('llcCodec never throws on random bytes', () => {
  assertRandomBytesNeverThrow(decode, { seed: 8, maxLength: 16, prefix: hex('aaaa03') });
});

test('llcCodec headers give the fields tshark shows', { skip: !HAVE_TSHARK }, () => {
  const eth: EthernetLayer = {
    kind: 'ethernet',
    offset: 0,
    headerLength: 14,
    payloadLength: 0,
    dst: 0x0180c2000000,
    src: 0x001122334455,
    etherType: ETHERTYPE_8023_LLC,
    length8023: 46,
  };
  const frame = (l: LlcLayer): Uint8Array => {
    const out = new Uint8Array(60);
    ethernetCodec.encode(eth, out, 0);
    llcCodec.encode(l, out, 14);
    return out;
  };
  const frames = [
    frame(snap({})),
    frame(llc({ dsap: 0xf0, ssap: 0xf0, control: 0x0402, headerLength: 4 })),
    frame(snap({ oui: 0x00000c, pid: 0x2000, etherType: ETHERTYPE_8023_LLC })),
  ];
  // tshark prints llc.oui in decimal.
  const rows = tsharkFields(1, frames, ['llc.dsap', 'llc.ssap', 'llc.control', 'llc.oui', 'llc.type', 'llc.cisco_pid']);
  assert.deepEqual(rows, [
    ['0xaa', '0xaa', '0x0003', '0', '0x0800', ''],
    ['0xf0', '0xf0', '0x0402', '', '', ''],
    ['0xaa', '0xaa', '0x0003', '12', '', '0x2000'],
  ]);
});
