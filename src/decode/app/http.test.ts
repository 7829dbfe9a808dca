import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CollectingContext } from '../context.js';
import { decodeHttp, encodeHttp, headEnd, HttpHeads, httpCodec, makeHttp, MAX_HTTP_HEAD_BYTES } from './http.js';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

test('a request and a response head decode from their encoding: decode(encode(v)) is v', () => {
  const request = makeHttp({ method: 'POST', uri: '/cgi-bin/maint?x=1', headers: [['Host', 'scalews.withings.net'], ['User-Agent', 'Withings UserAgent'], ['Content-Length', '0']] });
  const response = makeHttp({ statusCode: 200, headers: [['Server', 'lighttpd/1.4.34'], ['Content-Type', 'text/xml']] });
  for (const v of [request, response]) {
    const out = new Uint8Array(httpCodec.encodingLength(v));
    encodeHttp(v, out, 0);
    const ctx = new CollectingContext();
    assert.deepEqual(decodeHttp(out, 0, out.length, ctx), v);
    assert.deepEqual(ctx.anomalies, []);
  }
  assert.equal(request.host, 'scalews.withings.net');
  assert.equal(response.server, 'lighttpd/1.4.34');
});

test('header names match whatever their case, the first copy is kept, leading blanks go and trailing ones stay (as tshark)', () => {
  const b = bytes('GET / HTTP/1.0\nuser-agent:\t Acme/1 \nUSER-AGENT: second\nhost: a.example\n\nbody');
  const l = decodeHttp(b, 0, b.length, new CollectingContext())!;
  assert.equal(l.userAgent, 'Acme/1 ');
  assert.equal(l.host, 'a.example');
  assert.equal(l.version, 'HTTP/1.0');
  assert.equal(l.payloadLength, 4);
});

test('bytes that start no head give nothing: a body, an unknown method, a line without a version', () => {
  const ctx = new CollectingContext();
  for (const s of ['\x17\x03\x03 tls', 'hello world\r\n\r\n', 'FETCH / HTTP/1.1\r\n\r\n', 'GET /\r\n\r\n', 'GET / HTTP/2.0\r\n\r\n', 'GET']) {
    const b = bytes(s);
    assert.equal(decodeHttp(b, 0, b.length, ctx), null, JSON.stringify(s));
  }
  assert.deepEqual(ctx.anomalies, []);
});

test('a head split over segments is given on the segment that completes it; out of order, it is dropped', () => {
  const head = bytes('GET /scale/register HTTP/1.1\r\nHost: www.fitbit.com\r\nUser-Agent: Aria\r\n\r\n');
  const heads = new HttpHeads();
  const ctx = new CollectingContext();
  assert.equal(heads.push('a', 1000, head, 0, 20, ctx), null);
  assert.equal(heads.size, 1);
  const whole = heads.push('a', 1020, head, 20, head.length, ctx)!;
  assert.equal(whole.reassembled, true);
  assert.equal(whole.host, 'www.fitbit.com');
  assert.equal(whole.userAgent, 'Aria');
  assert.equal(heads.size, 0);
  assert.equal(heads.push('b', 1, head, 0, 20, ctx), null);
  assert.equal(heads.push('b', 999, head, 20, head.length, ctx), null, 'a gap ends the attempt');
  assert.equal(heads.size, 0);
  assert.equal(heads.push('c', 1, head, 0, 20, ctx), null);
  heads.close('c');
  assert.equal(heads.size, 0);
});

test('a head that never ends is decoded once it reaches the bound', () => {
  const long = bytes(`GET / HTTP/1.1\r\nUser-Agent: ${'x'.repeat(MAX_HTTP_HEAD_BYTES)}`);
  const heads = new HttpHeads();
  const ctx = new CollectingContext();
  let got = null;
  for (let at = 0, seq = 0; at < long.length && got === null; at += 1400) {
    const end = Math.min(long.length, at + 1400);
    got = heads.push('k', seq, long, at, end, ctx);
    seq += end - at;
  }
  assert.equal(got?.method, 'GET');
  assert.equal(heads.size, 0);
  assert.equal(headEnd(bytes('a\r\n\r\n'), 0, 5), 5);
  assert.equal(headEnd(bytes('a\n\nb'), 0, 4), 3);
  assert.equal(headEnd(bytes('a\r\nb'), 0, 4), -1);
});
