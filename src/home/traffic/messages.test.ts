import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CollectingContext } from '../../decode/context.js';
import { decodeDnsMessage } from '../../decode/app/dns.js';
import { u16be } from '../../core/bytes.js';
import { PayloadRandom } from './frame-slab.js';
import { DnsPair, ntpPacket, tlsStream } from './messages.js';

/** The TLS records of a stream: their body lengths, checking each header on the way. */
function records(b: Uint8Array, bytes: number): number[] {
  const out: number[] = [];
  for (let at = 0; at < bytes; ) {
    assert.deepEqual([...b.subarray(at, at + 3)], [23, 3, 3], `record header at ${at}`);
    const n = u16be(b, at + 3);
    out.push(n);
    at += 5 + n;
    assert.ok(at <= bytes, 'records end with the stream');
  }
  return out;
}

test('tlsStream() writes one application-data record up to 16640 bytes, and more records past that', () => {
  const random = new PayloadRandom(1);
  const b = new Uint8Array(100_000);
  tlsStream(b, 331, random);
  assert.deepEqual(records(b, 331), [326]);
  tlsStream(b, 16645, random);
  assert.deepEqual(records(b, 16645), [16640]);
  tlsStream(b, 16648, random);
  assert.deepEqual(records(b, 16648), [16634, 16648 - 16634 - 2 * 5]);
  tlsStream(b, 40_000, random);
  assert.deepEqual(records(b, 40_000), [16640, 16640, 40_000 - 3 * 5 - 2 * 16640]);
});

test('DnsPair encodes a query and an answer with the CNAME chain and addresses, and sets their id', () => {
  const pair = new DnsPair({ name: 'api-production.august.com', ttlSeconds: 60, cnames: ['a.elb.amazonaws.com'], addresses: ['52.44.10.21', '52.44.10.22'], refresh: 'ttl', basis: 'x' });
  pair.withId(0xbeef);
  const q = decodeDnsMessage(pair.query, 0, pair.query.length, new CollectingContext());
  const a = decodeDnsMessage(pair.answer, 0, pair.answer.length, new CollectingContext());
  assert.equal(q?.id, 0xbeef);
  assert.equal(a?.id, 0xbeef);
  assert.deepEqual(q?.questions.map((x) => x.name), ['api-production.august.com']);
  assert.deepEqual(a?.answers.map((r) => [r.name, r.ttl, r.data.type === 'A' ? r.data.address : r.data.type === 'CNAME' ? r.data.name : '']), [
    ['api-production.august.com', 60, 'a.elb.amazonaws.com'],
    ['a.elb.amazonaws.com', 60, '52.44.10.21'],
    ['a.elb.amazonaws.com', 60, '52.44.10.22'],
  ]);
});

test('ntpPacket() writes a 48-byte v4 client request or server reply with the transmit time', () => {
  const out = new Uint8Array(64);
  const timeUs = Date.UTC(2026, 10, 2) * 1000 + 500_000;
  const request = ntpPacket(out, timeUs, false, new PayloadRandom(1));
  assert.equal(request.length, 48);
  assert.equal(request[0], 0x23);
  const seconds = (request[40] * 2 ** 24 + request[41] * 2 ** 16 + request[42] * 2 ** 8 + request[43]) - 2_208_988_800;
  assert.equal(seconds, Math.floor(timeUs / 1e6));
  assert.equal(request[44], 0x80); // half a second
  const reply = ntpPacket(out, timeUs, true, new PayloadRandom(1));
  assert.equal(reply[0], 0x24);
  assert.equal(reply[1], 2);
});
