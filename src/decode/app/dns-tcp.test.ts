import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CollectingContext } from '../context.js';
import { DnsTcpStreams, dnsTcpEncodingLength, encodeDnsTcpMessage } from './dns-tcp.js';
import { dnsMessage, everyRecordTypeResponse, rr } from './dns-fixtures.js';
import type { DnsLayer } from './dns.js';

const query = (id: number, name: string): DnsLayer =>
  dnsMessage({ id, flags: 0x0100, transport: 'tcp', questions: [{ name, type: 1, class: 1, unicastResponse: false }] });
const answer = (id: number, name: string): DnsLayer =>
  dnsMessage({
    id,
    flags: 0x8180,
    transport: 'tcp',
    questions: [{ name, type: 1, class: 1, unicastResponse: false }],
    answers: [rr(name, 1, { type: 'A', address: '192.0.2.7' })],
  });

function stream(...messages: DnsLayer[]): Uint8Array {
  const out = new Uint8Array(messages.reduce((n, m) => n + dnsTcpEncodingLength(m), 0));
  let pos = 0;
  for (const m of messages) pos = encodeDnsTcpMessage(m, out, pos);
  return out;
}

/** Copies `bytes[from, to)` into a packet buffer after a 54-byte fake header; returns it and the payload start. */
function packet(bytes: Uint8Array, from: number, to: number): { buf: Uint8Array; start: number; end: number } {
  const buf = new Uint8Array(54 + to - from + 4).fill(0x77);
  buf.set(bytes.subarray(from, to), 54);
  return { buf, start: 54, end: 54 + to - from };
}

const ids = (layers: readonly DnsLayer[]): number[] => layers.map((l) => l.id);

test('DnsTcpStreams decodes two messages in one segment in place', () => {
  const s = new DnsTcpStreams();
  const bytes = stream(query(1, 'a.example'), query(2, 'b.example'));
  const p = packet(bytes, 0, bytes.length);
  const ctx = new CollectingContext();
  const found = s.push('c>s', 1000, p.buf, p.start, p.end, ctx);
  assert.deepEqual(ids(found), [1, 2]);
  assert.deepEqual(found[0], { ...query(1, 'a.example'), offset: 54, headerLength: 2 + query(1, 'a.example').headerLength });
  assert.equal(found[1].offset, 54 + found[0].headerLength);
  assert.deepEqual(ctx.anomalies, []);
});

test('DnsTcpStreams reports a message split over three segments on the segment that completes it', () => {
  const s = new DnsTcpStreams();
  const m = everyRecordTypeResponse(0, true);
  const bytes = stream({ ...m, transport: 'tcp' });
  const cuts = [0, 1, 200, bytes.length];
  const ctx = new CollectingContext();
  const got: DnsLayer[][] = [];
  for (let i = 0; i < 3; i++) {
    const p = packet(bytes, cuts[i], cuts[i + 1]);
    got.push([...s.push('s>c', 7 + cuts[i], p.buf, p.start, p.end, ctx)]);
  }
  assert.deepEqual(got.map((g) => g.length), [0, 0, 1]);
  const d = got[2][0];
  assert.deepEqual(d, { ...m, transport: 'tcp', reassembled: true, offset: 54, headerLength: bytes.length - 200, payloadLength: 0 });
  assert.deepEqual(ctx.anomalies, []);
});

test('DnsTcpStreams decodes what follows a completed message in the same segment', () => {
  const s = new DnsTcpStreams();
  const bytes = stream(answer(1, 'one.example'), answer(2, 'two.example'), answer(3, 'three.example'));
  const first = dnsTcpEncodingLength(answer(1, 'one.example'));
  const cuts = [0, 10, first + dnsTcpEncodingLength(answer(2, 'two.example')) + 5, bytes.length];
  const ctx = new CollectingContext();
  const found: number[][] = [];
  for (let i = 0; i < 3; i++) {
    const p = packet(bytes, cuts[i], cuts[i + 1]);
    found.push(ids(s.push('k', cuts[i], p.buf, p.start, p.end, ctx)));
  }
  assert.deepEqual(found, [[], [1, 2], [3]]);
});

test('DnsTcpStreams gives nothing for a retransmitted segment', () => {
  const s = new DnsTcpStreams();
  const bytes = stream(query(9, 'x.example'));
  const p = packet(bytes, 0, bytes.length);
  const ctx = new CollectingContext();
  assert.equal(s.push('k', 0, p.buf, p.start, p.end, ctx).length, 1);
  assert.equal(s.push('k', 0, p.buf, p.start, p.end, ctx).length, 0);
  const half = packet(bytes, 0, 10);
  assert.equal(s.push('k', 0, half.buf, half.start, half.end, ctx).length, 0);
});

test('DnsTcpStreams waits for a segment that came out of order', () => {
  const s = new DnsTcpStreams();
  const bytes = stream(query(1, 'a.example'), query(2, 'b.example'));
  const cuts = [0, 5, 20, bytes.length];
  const ctx = new CollectingContext();
  const seg = (i: number) => packet(bytes, cuts[i], cuts[i + 1]);
  const a = seg(0), c = seg(2), b = seg(1);
  assert.deepEqual(ids(s.push('k', 100, a.buf, a.start, a.end, ctx)), []);
  assert.deepEqual(ids(s.push('k', 100 + cuts[2], c.buf, c.start, c.end, ctx)), []);
  assert.deepEqual(ids(s.push('k', 100 + cuts[1], b.buf, b.start, b.end, ctx)), [1, 2]);
});

test('DnsTcpStreams steps over a message larger than its buffer and decodes the next one', () => {
  const s = new DnsTcpStreams({ maxBytesPerStream: 256 });
  const big = everyRecordTypeResponse();
  const bytes = stream({ ...big, transport: 'tcp' }, query(5, 'after.example'));
  const ctx = new CollectingContext();
  const found: number[] = [];
  for (let pos = 0; pos < bytes.length; pos += 100) {
    const p = packet(bytes, pos, Math.min(bytes.length, pos + 100));
    found.push(...ids(s.push('k', pos, p.buf, p.start, p.end, ctx)));
  }
  assert.deepEqual(found, [5]);
  assert.deepEqual(ctx.anomalies.map((a) => a.kind), ['dns_tcp_message_too_large']);
});

test('DnsTcpStreams keeps directions apart', () => {
  const s = new DnsTcpStreams();
  const q = stream(query(1, 'a.example'));
  const r = stream(answer(1, 'a.example'));
  const ctx = new CollectingContext();
  const q1 = packet(q, 0, 6), r1 = packet(r, 0, 6), q2 = packet(q, 6, q.length), r2 = packet(r, 6, r.length);
  s.push('c>s', 0, q1.buf, q1.start, q1.end, ctx);
  s.push('s>c', 0, r1.buf, r1.start, r1.end, ctx);
  assert.equal(s.push('c>s', 6, q2.buf, q2.start, q2.end, ctx)[0].isResponse, false);
  assert.equal(s.push('s>c', 6, r2.buf, r2.start, r2.end, ctx)[0].isResponse, true);
});

test('DnsTcpStreams never throws on a stream cut at every byte', () => {
  const bytes = stream({ ...everyRecordTypeResponse(0, true), transport: 'tcp' }, query(2, 'b.example'));
  for (let cut = 1; cut < bytes.length; cut += 3) {
    const s = new DnsTcpStreams();
    const ctx = new CollectingContext();
    const a = packet(bytes, 0, cut);
    const b = packet(bytes, cut, bytes.length);
    const n = s.push('k', 0, a.buf, a.start, a.end, ctx).length + s.push('k', cut, b.buf, b.start, b.end, ctx).length;
    assert.equal(n, 2, `cut at ${cut}`);
  }
});

test('DnsTcpStreams reports anomalies of a reassembled message at the start of the segment that completed it', () => {
  const s = new DnsTcpStreams();
  const bytes = stream(answer(1, 'one.example'));
  const nameAt = bytes.lastIndexOf(3); // the length byte of 'one' in the answer's name
  bytes[nameAt] = 0xc0;
  bytes[nameAt + 1] = 0xff; // a pointer past the end
  const ctx = new CollectingContext(10, 7);
  const a = packet(bytes, 0, 20);
  const b = packet(bytes, 20, bytes.length);
  s.push('k', 0, a.buf, a.start, a.end, ctx);
  const found = s.push('k', 20, b.buf, b.start, b.end, ctx);
  assert.equal(found.length, 1);
  assert.deepEqual(found[0].answers, []);
  assert.deepEqual(ctx.anomalies.map((x) => [x.kind, x.frame, x.offset]), [['dns_bad_pointer', 7, 54 - 10]]);
});
