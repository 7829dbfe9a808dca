import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRecord, formatTimeEpoch, recordBytes, recordTimeNs, recordTimeSeconds, recordView } from './record.js';

test('recordBytes() copies the packet out of the reader buffer and recordView() does not', () => {
  const rec = createRecord();
  rec.buf = Uint8Array.of(9, 9, 1, 2, 3, 9);
  rec.offset = 2;
  rec.capLen = 3;
  const copy = recordBytes(rec);
  const view = recordView(rec);
  assert.deepEqual([...copy], [1, 2, 3]);
  assert.deepEqual([...view], [1, 2, 3]);
  rec.buf[2] = 7;
  assert.equal(copy[0], 1);
  assert.equal(view[0], 7);
});

test('recordBytes() copies out of a Node Buffer too, whose slice() would be a view', () => {
  const rec = createRecord();
  rec.buf = Buffer.from([1, 2, 3, 4]);
  rec.offset = 1;
  rec.capLen = 2;
  const copy = recordBytes(rec);
  rec.buf[1] = 9;
  assert.deepEqual(copy, Uint8Array.of(2, 3));
});

test('recordTimeNs() keeps every nanosecond digit', () => {
  const rec = createRecord();
  rec.tsSec = 1698413468;
  rec.tsNsec = 559085894;
  assert.equal(recordTimeNs(rec), 1698413468559085894n);
  assert.equal(recordTimeSeconds(rec), 1698413468.559085894);
});

test('formatTimeEpoch() prints nine decimals like tshark frame.time_epoch, also for negative seconds', () => {
  assert.equal(formatTimeEpoch(1698413468, 559085894), '1698413468.559085894');
  assert.equal(formatTimeEpoch(1460732918, 274236000), '1460732918.274236000');
  assert.equal(formatTimeEpoch(0, 1), '0.000000001');
  // tshark 4.0 prints seconds -9 and 250000000 ns (i.e. -8.75 s) as -9.250000000.
  assert.equal(formatTimeEpoch(-9, 250_000_000), '-9.250000000');
});

test('createRecord() gives every field a value of its final type', () => {
  const rec = createRecord();
  assert.deepEqual(Object.keys(rec), ['frame', 'tsSec', 'tsNsec', 'linkType', 'iface', 'buf', 'offset', 'capLen', 'origLen', 'fileOffset']);
  assert.ok(rec.buf instanceof Uint8Array);
});
