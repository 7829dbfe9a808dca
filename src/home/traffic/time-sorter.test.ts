import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PacketToWrite } from '../../capture/capture-writer.js';
import { TimeSorter } from './time-sorter.js';

function sorter(): { s: TimeSorter; out: PacketToWrite[] } {
  const out: PacketToWrite[] = [];
  return { s: new TimeSorter({ writePacket: (p) => void out.push(p) }), out };
}

test('TimeSorter passes frames on in time order, frames of the same µs in the order written', () => {
  const { s, out } = sorter();
  const a = Uint8Array.of(1);
  const b = Uint8Array.of(2);
  const c = Uint8Array.of(3);
  s.add(3_000_001.4, a);
  s.add(1_500_000, b);
  s.add(3_000_001, c);
  s.flush();
  assert.deepEqual(out.map((p) => p.data[0]), [2, 1, 3]);
  assert.deepEqual(out.map((p) => [p.tsSec, p.tsNsec]), [[1, 500_000_000], [3, 1000], [3, 1000]]);
});

test('TimeSorter.flushBefore() keeps the frames at or after the time, and counts the most it held', () => {
  const { s, out } = sorter();
  for (const t of [5e6, 1e6, 9e6, 2e6]) s.add(t, new Uint8Array(1));
  s.flushBefore(5e6);
  assert.deepEqual(out.map((p) => p.tsSec), [1, 2]);
  assert.equal(s.heldFrames, 2);
  s.add(6e6, new Uint8Array(1));
  s.flush();
  assert.deepEqual(out.map((p) => p.tsSec), [1, 2, 5, 6, 9]);
  assert.equal(s.heldFrames, 0);
  assert.equal(s.peakHeld, 4);
});
