import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CollectingContext } from '../context.js';
import { decodeNtp, encodeNtp, makeNtpRequest, ntpCodec, NTP_HEADER_BYTES, NTP_MODE, type NtpLayer } from './ntp.js';

test('an NTP header decodes from its encoding: decode(encode(v)) is v', () => {
  const server: NtpLayer = {
    ...makeNtpRequest('e9a1b2c3d4e5f607', 3),
    mode: NTP_MODE.SERVER,
    leap: 3,
    stratum: 2,
    poll: -6,
    precision: -23,
    rootDelay: 0x00001234,
    rootDispersion: 0xfedc0000,
    refId: 'c0a80101',
    receiveTime: '0102030405060708',
  };
  for (const v of [makeNtpRequest(), server]) {
    const out = new Uint8Array(ntpCodec.encodingLength(v));
    assert.equal(encodeNtp(v, out, 0), NTP_HEADER_BYTES);
    const ctx = new CollectingContext();
    assert.deepEqual(decodeNtp(out, 0, out.length, ctx), v);
    assert.deepEqual(ctx.anomalies, []);
  }
});

test('an NTP datagram shorter than the header gives no layer and no anomaly; bytes after it are payload', () => {
  const out = new Uint8Array(NTP_HEADER_BYTES + 20);
  encodeNtp(makeNtpRequest(), out, 0);
  const ctx = new CollectingContext();
  assert.equal(decodeNtp(out, 0, NTP_HEADER_BYTES - 1, ctx), null);
  assert.deepEqual(ctx.anomalies, []);
  assert.equal(decodeNtp(out, 0, out.length, ctx)?.payloadLength, 20);
  assert.throws(() => encodeNtp({ ...makeNtpRequest(), refId: 'abcd' }, new Uint8Array(48), 0), /expected 4/);
});
