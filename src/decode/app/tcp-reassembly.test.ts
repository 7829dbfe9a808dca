import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TcpReassembler, seqDiff } from './tcp-reassembly.js';

const bytes = (from: number, n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (from + i) & 0xff);
const text = (s: { data: Uint8Array; length: number }): number[] => Array.from(s.data.subarray(0, s.length));

test('TcpReassembler puts in-order segments together', () => {
  const r = new TcpReassembler();
  const s = r.open('a>b', 1000);
  const data = bytes(0, 30);
  assert.equal(r.push(s, 1000, data, 0, 10), 10);
  assert.equal(r.push(s, 1010, data, 10, 30), 20);
  assert.deepEqual(text(s), Array.from(data));
  assert.equal(s.nextSeq, 1030);
});

test('TcpReassembler drops a retransmitted segment and keeps the new tail of an overlapping one', () => {
  const r = new TcpReassembler();
  const s = r.open('k', 0);
  const data = bytes(0, 30);
  r.push(s, 0, data, 0, 15);
  assert.equal(r.push(s, 0, data, 0, 15), 0);
  assert.equal(s.retransmissions, 1);
  assert.equal(r.push(s, 10, data, 10, 30), 15);
  assert.deepEqual(text(s), Array.from(data));
});

test('TcpReassembler holds a segment past a gap until the gap fills', () => {
  const r = new TcpReassembler();
  const s = r.open('k', 500);
  const data = bytes(0, 30);
  assert.equal(r.push(s, 500, data, 0, 10), 10);
  assert.equal(r.push(s, 520, data, 20, 30), 0);
  assert.equal(s.length, 10);
  assert.equal(r.push(s, 510, data, 10, 20), 20);
  assert.deepEqual(text(s), Array.from(data));
  assert.equal(s.held.length, 0);
});

test('TcpReassembler drains held segments that overlap each other', () => {
  const r = new TcpReassembler();
  const s = r.open('k', 0);
  const data = bytes(0, 40);
  r.push(s, 25, data, 25, 40);
  r.push(s, 10, data, 10, 30);
  r.push(s, 0, data, 0, 12);
  assert.deepEqual(text(s), Array.from(data));
});

test('TcpReassembler does as tshark 4.0 does with holdOutOfOrder and trimOverlaps off', () => {
  const r = new TcpReassembler({ holdOutOfOrder: false, trimOverlaps: false });
  const s = r.open('k', 0);
  const data = bytes(0, 30);
  r.push(s, 0, data, 0, 10);
  assert.equal(r.push(s, 20, data, 20, 30), 0);
  assert.equal(r.push(s, 5, data, 5, 20), 0);
  assert.equal(s.length, 10);
  assert.equal(s.held.length, 0);
});

test('TcpReassembler places segments across the 32-bit sequence wrap', () => {
  const r = new TcpReassembler();
  const start = 0xffff_fff0;
  const s = r.open('k', start);
  const data = bytes(0, 40);
  r.push(s, (start + 20) >>> 0, data, 20, 40);
  r.push(s, start, data, 0, 20);
  assert.deepEqual(text(s), Array.from(data));
  assert.equal(s.nextSeq, (start + 40) >>> 0);
  assert.equal(seqDiff(5, 0xffff_fffb), 10);
});

test('TcpReassembler stops buffering a stream past maxBytesPerStream', () => {
  const r = new TcpReassembler({ maxBytesPerStream: 100 });
  const s = r.open('k', 0);
  const data = bytes(0, 300);
  r.push(s, 0, data, 0, 60);
  assert.equal(r.push(s, 60, data, 60, 160), 0);
  assert.equal(s.overflowed, true);
  assert.equal(s.length, 60);
  assert.equal(s.nextSeq, 160);
});

test('TcpReassembler holds at most maxHeldSegments segments', () => {
  const r = new TcpReassembler({ maxHeldSegments: 2 });
  const s = r.open('k', 0);
  const data = bytes(0, 100);
  for (let i = 1; i <= 4; i++) r.push(s, i * 10, data, i * 10, i * 10 + 10);
  assert.equal(s.held.length, 2);
});

test('TcpReassembler consume() drops bytes from the front and skips bytes still to come', () => {
  const r = new TcpReassembler();
  const s = r.open('k', 0);
  const data = bytes(0, 50);
  r.push(s, 0, data, 0, 10);
  r.consume(s, 4);
  assert.deepEqual(text(s), Array.from(data.subarray(4, 10)));
  r.consume(s, 16); // 6 held, 10 more to skip
  r.push(s, 10, data, 10, 30);
  assert.deepEqual(text(s), Array.from(data.subarray(20, 30)));
});

test('TcpReassembler evicts the least recently used stream past maxStreams', () => {
  const r = new TcpReassembler({ maxStreams: 2 });
  r.open('a', 0);
  r.open('b', 0);
  r.get('a');
  r.open('c', 0);
  assert.equal(r.get('b'), undefined);
  assert.ok(r.get('a'));
  assert.ok(r.get('c'));
  assert.equal(r.evictions, 1);
});

test('TcpReassembler keeps its memory bounded whatever the traffic', () => {
  const r = new TcpReassembler({ maxStreams: 64, maxBytesPerStream: 4096, maxTotalBytes: 64 * 1024 });
  const data = bytes(0, 1500);
  let seed = 7;
  const next = (): number => (seed = (seed * 1103515245 + 12345) >>> 0);
  for (let i = 0; i < 50_000; i++) {
    const key = `flow${next() % 500}`;
    const s = r.get(key) ?? r.open(key, 0);
    const n = 1 + (next() % 1500);
    r.push(s, (s.nextSeq + (next() % 3 === 0 ? 3000 : 0)) >>> 0, data, 0, n);
    assert.ok(r.bufferedBytes <= 64 * 1024 + 4096, `${r.bufferedBytes} bytes buffered`);
    assert.ok(r.size <= 64);
  }
});

test('TcpReassembler shrink() frees the buffer and advance() still spots retransmissions', () => {
  const r = new TcpReassembler();
  const s = r.open('k', 0);
  r.push(s, 0, bytes(0, 100), 0, 100);
  r.shrink(s);
  assert.equal(r.bufferedBytes, 0);
  assert.equal(r.advance(s, 0, 100), false);
  assert.equal(r.advance(s, 50, 100), true);
  assert.equal(s.nextSeq, 150);
});
