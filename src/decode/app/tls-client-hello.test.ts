import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CollectingContext } from '../context.js';
import {
  TLS_ANOMALIES,
  TLS_NEED_MORE,
  TLS_NOT_HELLO,
  clientHelloExtent,
  decodeTlsClientHello,
  probeTlsClientHello,
  tlsClientHelloCodec,
} from './tls-client-hello.js';
import { encodeClientHello } from './tls-client-hello-encoder.js';

const GREASE = 0x8a8a;
const hello = (extra: Parameters<typeof encodeClientHello>[0] = {}): Uint8Array =>
  encodeClientHello({
    serverNames: ['api.xbcs.net'],
    alpn: ['h2', 'http/1.1'],
    supportedVersions: [GREASE, 0x0304, 0x0303],
    cipherSuites: [0x1301, 0x1302, 0xc02f],
    sessionId: Uint8Array.from({ length: 32 }, (_, i) => i),
    random: Uint8Array.from({ length: 32 }, (_, i) => 255 - i),
    ...extra,
  });

function at(bytes: Uint8Array, offset: number): Uint8Array {
  const out = new Uint8Array(offset + bytes.length + 7).fill(0x33);
  out.set(bytes, offset);
  return out;
}

test('decodeTlsClientHello() reads the fields of a hello built by the encoder', () => {
  const b = hello({ echBytes: 40 });
  const buf = at(b, 66);
  const ctx = new CollectingContext(10);
  const h = decodeTlsClientHello(buf, 66, 66 + b.length, ctx)!;
  assert.deepEqual(ctx.anomalies, []);
  assert.equal(h.kind, 'tls');
  assert.deepEqual([h.offset, h.headerLength, h.payloadLength, h.records, h.reassembled], [56, b.length, 0, 1, false]);
  assert.deepEqual([h.recordVersion, h.handshakeVersion], [0x0301, 0x0303]);
  assert.equal(h.random, Array.from({ length: 32 }, (_, i) => (255 - i).toString(16).padStart(2, '0')).join(''));
  assert.equal(h.sessionId.length, 64);
  assert.deepEqual(h.cipherSuites, [0x1301, 0x1302, 0xc02f]);
  assert.deepEqual(h.compressionMethods, [0]);
  assert.deepEqual(h.extensions.map((e) => e.type), [0, 16, 43, 0xfe0d]);
  assert.deepEqual(h.serverNames, ['api.xbcs.net']);
  assert.deepEqual(h.alpn, ['h2', 'http/1.1']);
  assert.deepEqual(h.supportedVersions, [GREASE, 0x0304, 0x0303]);
  assert.equal(h.ech, true);
});

test('decodeTlsClientHello() reads every host_name of the SNI extension, in order', () => {
  const b = hello({ serverNames: ['one.example', 'two.example'] });
  assert.deepEqual(decodeTlsClientHello(b, 0, b.length, new CollectingContext())?.serverNames, ['one.example', 'two.example']);
});

test('decodeTlsClientHello() reads a hello spread over two and over five TLS records', () => {
  for (const [maxRecordBytes, records] of [[100, 2], [40, 5]] as const) {
    const b = hello({ paddingBytes: 40, maxRecordBytes });
    const ctx = new CollectingContext();
    const h = decodeTlsClientHello(b, 0, b.length, ctx)!;
    assert.deepEqual(ctx.anomalies, []);
    assert.equal(h.records, records);
    assert.deepEqual(h.serverNames, ['api.xbcs.net']);
    assert.equal(h.headerLength, b.length);
  }
});

test('decodeTlsClientHello() reads a hello whose handshake header is split between records', () => {
  const one = hello();
  const hs = one.subarray(5);
  const b = new Uint8Array(hs.length + 10);
  b.set([22, 3, 1, 0, 2, hs[0], hs[1], 22, 3, 1, (hs.length - 2) >> 8, (hs.length - 2) & 0xff]);
  b.set(hs.subarray(2), 12);
  const h = decodeTlsClientHello(b, 0, b.length, new CollectingContext())!;
  assert.deepEqual(h.serverNames, ['api.xbcs.net']);
  assert.equal(h.records, 2);
});

test('tlsClientHelloCodec round-trips a decoded layer', () => {
  for (const opts of [{ echBytes: 12 }, { maxRecordBytes: 100 }, { serverNames: [], alpn: [] }]) {
    const b = hello(opts);
    const v = tlsClientHelloCodec.decode(b, 0, b.length, new CollectingContext())!;
    const out = new Uint8Array(tlsClientHelloCodec.encodingLength(v) + 3);
    const end = tlsClientHelloCodec.encode(v, out, 3);
    assert.equal(end, out.length);
    assert.deepEqual(tlsClientHelloCodec.decode(out, 3, end, new CollectingContext(3)), v);
  }
});

test('probeTlsClientHello() accepts a ClientHello record and rejects other bytes', () => {
  const b = hello();
  assert.equal(probeTlsClientHello(b, 0, b.length), true);
  assert.equal(probeTlsClientHello(b, 0, 6), true);
  assert.equal(probeTlsClientHello(b, 0, 5), false);
  const serverHello = b.slice();
  serverHello[5] = 2;
  assert.equal(probeTlsClientHello(serverHello, 0, b.length), false);
  const appData = b.slice();
  appData[0] = 23;
  assert.equal(probeTlsClientHello(appData, 0, b.length), false);
  assert.equal(probeTlsClientHello(new TextEncoder().encode('GET / HTTP/1.1\r\n'), 0, 16), false);
  const badVersion = b.slice();
  badVersion[1] = 2;
  assert.equal(probeTlsClientHello(badVersion, 0, b.length), false);
});

test('clientHelloExtent() says when more bytes are needed or the records are not a hello', () => {
  const b = hello({ maxRecordBytes: 100 });
  const second = 5 + ((b[3] << 8) | b[4]);
  assert.equal(clientHelloExtent(b, 0, b.length), b.length);
  assert.equal(clientHelloExtent(b, 0, second - 1), TLS_NEED_MORE);
  assert.equal(clientHelloExtent(b, 0, second + 6), TLS_NEED_MORE);
  const alert = b.slice();
  alert[second] = 21;
  assert.equal(clientHelloExtent(alert, 0, alert.length), TLS_NOT_HELLO);
});

test('decodeTlsClientHello() reports a hello cut short and bad inner lengths', () => {
  const b = hello();
  const ctx = new CollectingContext();
  assert.equal(decodeTlsClientHello(b, 0, b.length - 1, ctx), null);
  assert.deepEqual(ctx.anomalies.map((a) => a.kind), ['tls_truncated']);
  const badSni = b.slice();
  badSni[9 + 2 + 32 + 1 + 32 + 2 + 6 + 2 + 2 + 4] = 0xff; // the SNI list length's high byte
  const ctx2 = new CollectingContext();
  const h = decodeTlsClientHello(badSni, 0, badSni.length, ctx2)!;
  assert.deepEqual(h.serverNames, []);
  assert.deepEqual(h.alpn, ['h2', 'http/1.1']);
  assert.deepEqual(ctx2.anomalies.map((a) => a.kind), ['tls_bad_extension']);
});

test('decodeTlsClientHello() never throws on a hello cut at every byte or with bytes flipped', () => {
  const b = hello({ maxRecordBytes: 90, echBytes: 5 });
  for (let cut = 0; cut <= b.length; cut++) decodeTlsClientHello(b, 0, cut, new CollectingContext());
  let seed = 1;
  const random = (): number => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  for (let round = 0; round < 3000; round++) {
    const copy = b.slice();
    for (let f = 0; f < 3; f++) copy[Math.floor(random() * copy.length)] = Math.floor(random() * 256);
    decodeTlsClientHello(copy, 0, copy.length, new CollectingContext());
  }
});

test('every TLS anomaly kind is documented', () => {
  for (const k of ['tls_truncated', 'tls_not_handshake', 'tls_bad_length', 'tls_bad_extension', 'tls_client_hello_too_large']) {
    assert.equal(typeof TLS_ANOMALIES[k], 'string');
  }
});
