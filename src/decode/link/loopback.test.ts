import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AF_INET6_VALUES, loopCodec, nullCodec, type LoopbackLayer } from './loopback.js';
import {
  HAVE_TSHARK,
  assertEveryTruncationFails,
  assertRandomBytesNeverThrow,
  decodeAt,
  hex,
  roundTripAt,
  tsharkFields,
} from './test-codec-kit.js';

const IPV6_HEADER = hex('60000000 0000 3b40 20010db8000000000000000000000001 20010db8000000000000000000000002');
const IPV4_HEADER = hex('45000014 00010000 40ff0000 7f000001 7f000001');
const IPX_HEADER = hex('ffff 001e 00 00');

function lo(fields: Partial<LoopbackLayer>): LoopbackLayer {
  return {
    kind: 'loopback',
    offset: 0,
    headerLength: 4,
    payloadLength: 0,
    family: 2,
    byteOrder: 'le',
    network: 'ipv4',
    ...fields,
  };
}

test('nullCodec reads the family in either byte order and says which it found', () => {
  const le = decodeAt(nullCodec.decode, hex('02000000 45'));
  assert.deepEqual(le.layer, lo({ payloadLength: 1 }));
  const be = decodeAt(nullCodec.decode, hex('00000002 45'));
  assert.deepEqual(be.layer, lo({ byteOrder: 'be', payloadLength: 1 }));
  assert.deepEqual([...le.ctx.anomalies, ...be.ctx.anomalies], []);
});

test('loopCodec reads the family big-endian only', () => {
  assert.deepEqual(decodeAt(loopCodec.decode, hex('00000002')).layer, lo({ byteOrder: 'be' }));
  const swapped = decodeAt(loopCodec.decode, hex('02000000')).layer;
  assert.equal(swapped?.family, 0x0200_0000);
  assert.equal(swapped?.network, 'other');
});

test('nullCodec and loopCodec name IPv6 for every IPv6 family number in both byte orders', () => {
  for (const family of Object.values(AF_INET6_VALUES)) {
    for (const byteOrder of ['le', 'be'] as const) {
      const layer = lo({ family, byteOrder, network: 'ipv6', payloadLength: IPV6_HEADER.length });
      const header = roundTripAt(nullCodec, layer, { payload: IPV6_HEADER, k: 6 });
      assert.equal(byteOrder === 'le' ? header[0] : header[3], family);
      if (byteOrder === 'be') roundTripAt(loopCodec, layer, { payload: IPV6_HEADER });
    }
  }
});

test('nullCodec keeps families 10 and 23 as other when the payload is not IPv6 (23 is AF_IPX on BSD)', () => {
  for (const family of [10, 23]) {
    const layer = lo({ family, network: 'other', payloadLength: IPX_HEADER.length });
    roundTripAt(nullCodec, layer, { payload: IPX_HEADER });
  }
  assert.equal(decodeAt(nullCodec.decode, hex('17000000')).layer?.network, 'other');
  assert.equal(decodeAt(nullCodec.decode, hex('18000000')).layer?.network, 'ipv6');
});

test('nullCodec and loopCodec round-trip IPv4 and unknown families at an offset', () => {
  roundTripAt(nullCodec, lo({ payloadLength: IPV4_HEADER.length }), { payload: IPV4_HEADER });
  roundTripAt(nullCodec, lo({ byteOrder: 'be', payloadLength: IPV4_HEADER.length }), { payload: IPV4_HEADER });
  roundTripAt(loopCodec, lo({ byteOrder: 'be' }), { k: 0 });
  roundTripAt(nullCodec, lo({ family: 7, network: 'other' }));
  roundTripAt(loopCodec, lo({ family: 0xffff_ffff, byteOrder: 'be', network: 'other' }));
});

test('nullCodec and loopCodec report a header cut below 4 bytes and return null', () => {
  assertEveryTruncationFails(nullCodec.decode, hex('02000000'), 4, 'loopback_truncated');
  assertEveryTruncationFails(loopCodec.decode, hex('00000002'), 4, 'loopback_truncated');
});

test('nullCodec and loopCodec never throw on random bytes', () => {
  assertRandomBytesNeverThrow(nullCodec.decode, { seed: 6, maxLength: 12 });
  assertRandomBytesNeverThrow(loopCodec.decode, { seed: 7, maxLength: 12 });
});

test('nullCodec and loopCodec families match tshark for the BSD values', { skip: !HAVE_TSHARK }, () => {
  const frame = (layer: LoopbackLayer, payload: Uint8Array): Uint8Array => {
    const out = new Uint8Array(4 + payload.length);
    nullCodec.encode(layer, out, 0);
    out.set(payload, 4);
    return out;
  };
  const layers = [
    lo({ family: 2 }),
    lo({ family: 2, byteOrder: 'be' }),
    lo({ family: 24, network: 'ipv6' }),
    lo({ family: 28, byteOrder: 'be', network: 'ipv6' }),
    lo({ family: 30, network: 'ipv6' }),
  ];
  const frames = layers.map((l) => frame(l, l.network === 'ipv4' ? IPV4_HEADER : IPV6_HEADER));
  const rows = tsharkFields(0, frames, ['null.family', 'ip.src', 'ipv6.src']);
  assert.deepEqual(
    rows,
    layers.map((l) => [String(l.family), l.network === 'ipv4' ? '127.0.0.1' : '', l.network === 'ipv6' ? '2001:db8::1' : '']),
  );
  for (const f of frames) assert.equal(decodeAt(nullCodec.decode, f).layer?.family, Number(rows[frames.indexOf(f)][0]));
  const loopFrames = [frame(lo({ family: 2, byteOrder: 'be' }), IPV4_HEADER), frame(lo({ family: 30, byteOrder: 'be' }), IPV6_HEADER)];
  assert.deepEqual(tsharkFields(108, loopFrames, ['null.family']), [['2'], ['30']]);
});
