import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CollectingContext } from '../context.js';
import { TlsClientHelloStreams } from './tls-client-hello-streams.js';
import { encodeClientHello } from './tls-client-hello-encoder.js';
import type { TlsClientHelloLayer } from './tls-client-hello.js';

const HEADER_BYTES = 54;
const hello = (maxRecordBytes?: number): Uint8Array =>
  encodeClientHello({ serverNames: ['big.example.test'], alpn: ['h2'], supportedVersions: [0x0304], paddingBytes: 300, maxRecordBytes });

function packet(bytes: Uint8Array, from: number, to: number): { buf: Uint8Array; start: number; end: number } {
  const buf = new Uint8Array(HEADER_BYTES + to - from).fill(0x77);
  buf.set(bytes.subarray(from, to), HEADER_BYTES);
  return { buf, start: HEADER_BYTES, end: buf.length };
}

/** Feeds `bytes` cut at `cuts` (in the order `order` gives) from sequence number `isn`. */
function feed(s: TlsClientHelloStreams, bytes: Uint8Array, cuts: number[], order?: number[], isn = 1000, ctx = new CollectingContext()): (TlsClientHelloLayer | null)[] {
  const segments = cuts.slice(0, -1).map((from, i) => [from, cuts[i + 1]] as const);
  return (order ?? segments.map((_, i) => i)).map((i) => {
    const [from, to] = segments[i];
    const p = packet(bytes, from, to);
    return s.push('c>s', (isn + from) >>> 0, p.buf, p.start, p.end, ctx);
  });
}

test('TlsClientHelloStreams decodes a hello in one segment in place', () => {
  const b = hello();
  const [h] = feed(new TlsClientHelloStreams(), b, [0, b.length]);
  assert.deepEqual(h?.serverNames, ['big.example.test']);
  assert.deepEqual([h?.offset, h?.headerLength, h?.reassembled], [HEADER_BYTES, b.length, false]);
});

test('TlsClientHelloStreams shows a hello split over two segments on the second', () => {
  const b = hello();
  const got = feed(new TlsClientHelloStreams(), b, [0, 100, b.length]);
  assert.equal(got[0], null);
  assert.deepEqual(got[1]?.serverNames, ['big.example.test']);
  assert.deepEqual([got[1]?.offset, got[1]?.headerLength, got[1]?.payloadLength, got[1]?.reassembled], [HEADER_BYTES, b.length - 100, 0, true]);
});

test('TlsClientHelloStreams shows a hello split over three segments and two records on the third', () => {
  const b = hello(250);
  const ctx = new CollectingContext();
  const got = feed(new TlsClientHelloStreams(), b, [0, 3, 260, b.length], undefined, 0xffff_ff00, ctx);
  assert.deepEqual(got.map((h) => h?.serverNames ?? null), [null, null, ['big.example.test']]);
  assert.equal(got[2]?.records, 2);
  assert.deepEqual(ctx.anomalies, []);
});

test('TlsClientHelloStreams does not report a retransmitted hello again', () => {
  const b = hello();
  const s = new TlsClientHelloStreams();
  assert.deepEqual(feed(s, b, [0, b.length]).map(Boolean), [true]);
  assert.deepEqual(feed(s, b, [0, b.length]).map(Boolean), [false]);
  const split = new TlsClientHelloStreams();
  assert.deepEqual(feed(split, b, [0, 100, b.length], [0, 0, 1, 1]).map(Boolean), [false, false, true, false]);
});

test('TlsClientHelloStreams waits for a segment that came out of order', () => {
  const b = hello();
  assert.deepEqual(feed(new TlsClientHelloStreams(), b, [0, 100, 200, b.length], [0, 2, 1]).map(Boolean), [false, false, true]);
  const likeTshark = new TlsClientHelloStreams({ holdOutOfOrder: false, trimOverlaps: false });
  assert.deepEqual(feed(likeTshark, b, [0, 100, 200, b.length], [0, 2, 1]).map(Boolean), [false, false, false]);
});

test('TlsClientHelloStreams reports a hello larger than its buffer', () => {
  const b = hello();
  const ctx = new CollectingContext();
  const got = feed(new TlsClientHelloStreams({ maxBytesPerStream: 256 }), b, [0, 200, b.length], undefined, 0, ctx);
  assert.deepEqual(got, [null, null]);
  assert.deepEqual(ctx.anomalies.map((a) => a.kind), ['tls_client_hello_too_large']);
});

test('TlsClientHelloStreams decodes a second hello on the same connection (after a HelloRetryRequest)', () => {
  const b = hello();
  const twice = new Uint8Array(2 * b.length);
  twice.set(b);
  twice.set(b, b.length);
  assert.deepEqual(feed(new TlsClientHelloStreams(), twice, [0, b.length, b.length + 50, twice.length]).map(Boolean), [true, false, true]);
});

test('TlsClientHelloStreams keeps no state for a connection that does not start with a hello', () => {
  const s = new TlsClientHelloStreams();
  const data = new TextEncoder().encode('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
  const p = packet(data, 0, data.length);
  assert.equal(s.push('k', 1, p.buf, p.start, p.end, new CollectingContext()), null);
  assert.equal(s.size, 0);
});
