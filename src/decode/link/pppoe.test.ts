import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PPP_PROTOCOL_IPV4, PPP_PROTOCOL_IPV6, pppoeCodec, type PppoeLayer } from './pppoe.js';
import {
  HAVE_TSHARK,
  assertEveryTruncationFails,
  assertRandomBytesNeverThrow,
  decodeAt,
  hex,
  roundTripAt,
  tsharkFields,
} from './test-codec-kit.js';

const decode = pppoeCodec.decode;

function session(fields: Partial<PppoeLayer>): PppoeLayer {
  return {
    kind: 'pppoe',
    offset: 0,
    headerLength: 8,
    payloadLength: 0,
    version: 1,
    type: 1,
    code: 0,
    sessionId: 0x1234,
    length: 2,
    pppProtocol: PPP_PROTOCOL_IPV4,
    ...fields,
  };
}

test('pppoeCodec decodes a session header and its PPP protocol, trimming the payload to the length', () => {
  const { layer, ctx } = decodeAt(decode, hex('1100 0042 0006 0057 60000000 ffff'));
  assert.deepEqual(ctx.anomalies, []);
  assert.deepEqual(layer, session({ sessionId: 0x42, length: 6, pppProtocol: PPP_PROTOCOL_IPV6, payloadLength: 4 }));
});

test('pppoeCodec round-trips session headers at an offset', () => {
  roundTripAt(pppoeCodec, session({ length: 6, payloadLength: 4 }), { payload: hex('45000000') });
  roundTripAt(pppoeCodec, session({ sessionId: 0xffff, length: 2, pppProtocol: 0xc021 }), { k: 0 });
  roundTripAt(pppoeCodec, session({ sessionId: 0, length: 2, pppProtocol: PPP_PROTOCOL_IPV6 }), { k: 99 });
});

test('pppoeCodec reports a bad version, a non-zero code and lengths that do not fit', () => {
  const bad = decodeAt(decode, hex('2107 0001 0002 0021'));
  assert.deepEqual(bad.ctx.anomalies.map((a) => [a.kind, a.offset]), [
    ['pppoe_bad_version', 0],
    ['pppoe_bad_code', 1],
  ]);
  assert.equal(bad.layer?.version, 2);
  assert.equal(bad.layer?.code, 7);
  const short = decodeAt(decode, hex('1100 0001 0001 0021 45'));
  assert.deepEqual(short.ctx.anomalies.map((a) => a.kind), ['pppoe_bad_length']);
  assert.equal(short.layer?.payloadLength, 0);
  const long = decodeAt(decode, hex('1100 0001 0010 0021 4500'));
  assert.deepEqual(long.ctx.anomalies.map((a) => [a.kind, a.offset]), [['pppoe_length_exceeds_frame', 4]]);
  assert.equal(long.layer?.payloadLength, 2);
});

test('pppoeCodec reports a header cut at any length below 8 bytes and returns null', () => {
  assertEveryTruncationFails(decode, hex('1100 0042 0006 0057'), 8, 'pppoe_truncated');
});

test('pppoeCodec never throws on random bytes', () => {
  assertRandomBytesNeverThrow(decode, { seed: 3, maxLength: 24, prefix: hex('1100') });
});

test('pppoeCodec headers give the session fields tshark shows', { skip: !HAVE_TSHARK }, () => {
  const frame = new Uint8Array(14 + 8 + 20);
  frame.set(hex('ffffffffffff 001122334455 8864'));
  pppoeCodec.encode(session({ sessionId: 0xbeef, length: 22 }), frame, 14);
  frame.set(hex('45000014 00010000 40ff0000 0a000001 0a000002'), 22);
  const rows = tsharkFields(1, [frame], [
    'pppoe.version',
    'pppoe.type',
    'pppoe.code',
    'pppoe.session_id',
    'pppoe.payload_length',
    'ppp.protocol',
    'ip.src',
  ]);
  assert.deepEqual(rows, [['1', '1', '0x00', '0xbeef', '22', '0x0021', '10.0.0.1']]);
});
