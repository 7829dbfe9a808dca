import { test } from 'node:test';
import assert from 'node:assert/strict';
import { putU32le } from '../core/bytes.js';
import { MAX_DAMAGE_EXAMPLES } from './capture-parser.js';
import { PcapParser } from './pcap-parser.js';
import { PcapWriter } from './pcap-writer.js';

test('a parser counts every damaged record but keeps only the first reports as examples', () => {
  const w = new PcapWriter();
  const data = new Uint8Array(40).fill(0xee);
  for (let i = 0; i < 2 * MAX_DAMAGE_EXAMPLES + 20; i++) w.writePacket({ tsSec: 1_700_000_000 + i, tsNsec: 0, data });
  const bytes = w.toBytes();
  // Break the captured length of every other record, from the second on.
  for (let i = 1; i < 2 * MAX_DAMAGE_EXAMPLES + 20; i += 2) putU32le(bytes, 24 + i * 56 + 8, 0xffff_0000);
  let good = 0;
  const parser = new PcapParser(() => good++);
  parser.push(bytes);
  parser.end();
  assert.equal(good, MAX_DAMAGE_EXAMPLES + 10);
  assert.equal(parser.damagedRecords, MAX_DAMAGE_EXAMPLES + 10);
  assert.equal(parser.damagedBytes, (MAX_DAMAGE_EXAMPLES + 10) * 56);
  assert.equal(parser.damage.length, MAX_DAMAGE_EXAMPLES);
  assert.ok(parser.damage.every((d) => d.bytes === 56));
});

test('a parser refuses bytes after end() and ignores a second end()', () => {
  const parser = new PcapParser(() => {});
  parser.push(new PcapWriter().toBytes());
  parser.end();
  parser.end();
  assert.throws(() => parser.push(new Uint8Array(1)), /after end/);
});
