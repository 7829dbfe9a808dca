import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeClientHello } from './tls-client-hello-encoder.js';

const recordLengths = (b: Uint8Array): number[] => {
  const out: number[] = [];
  for (let p = 0; p < b.length; p += 5 + ((b[p + 3] << 8) | b[p + 4])) {
    assert.deepEqual([b[p], b[p + 1], b[p + 2]], [22, 3, 1]);
    out.push((b[p + 3] << 8) | b[p + 4]);
  }
  return out;
};

test('encodeClientHello() writes one handshake record holding a ClientHello', () => {
  const b = encodeClientHello({ serverNames: ['a.example'] });
  assert.deepEqual(recordLengths(b), [b.length - 5]);
  assert.equal(b[5], 1);
  assert.equal((b[6] << 16) | (b[7] << 8) | b[8], b.length - 9);
});

test('encodeClientHello() splits a hello over records of at most maxRecordBytes', () => {
  const b = encodeClientHello({ serverNames: ['a.example'], paddingBytes: 1000, maxRecordBytes: 400 });
  const lengths = recordLengths(b);
  assert.equal(lengths.length, 3);
  assert.ok(lengths.every((n) => n <= 400));
});

test('encodeClientHello() throws for an ALPN name that does not fit its length byte', () => {
  assert.throws(() => encodeClientHello({ alpn: ['x'.repeat(256)] }), RangeError);
  assert.throws(() => encodeClientHello({ random: new Uint8Array(31) }), RangeError);
});
