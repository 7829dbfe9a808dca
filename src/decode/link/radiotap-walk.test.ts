import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RADIOTAP_VENDOR_NAMESPACE_INDEX, forEachRadiotapField } from './radiotap-walk.js';

/** Runs the walk and lists [bit, firstWord, at, size] for every field. */
function walk(present: number[], length: number, skip = 0): { fields: [number, boolean, number, number][]; end: number } {
  const fields: [number, boolean, number, number][] = [];
  const end = forEachRadiotapField(present, length, {
    field: (bit, first, at, size) => void fields.push([bit, first, at, size]),
    vendorSkipLength: () => skip,
  });
  return { fields, end };
}

test('forEachRadiotapField places each field at its natural alignment from the header start', () => {
  const align = [8, 1, 1, 2, 2, 1, 1, 2, 2, 2, 1, 1, 1, 1, 2, 2, 1, 1, 4, 1, 4, 2, 8, 2, 2, 2, 1, 2];
  const size = [8, 1, 1, 4, 2, 1, 1, 2, 2, 2, 1, 1, 1, 1, 2, 2, 1, 1, 8, 3, 8, 12, 12, 12, 12, 6, 1, 4];
  let pos = 8;
  const expected: [number, boolean, number, number][] = [];
  for (let bit = 0; bit < 28; bit++) {
    pos = Math.ceil(pos / align[bit]) * align[bit];
    expected.push([bit, true, pos, size[bit]]);
    pos += size[bit];
  }
  assert.deepEqual(walk([0x0fffffff], 1000), { fields: expected, end: pos });
});

test('forEachRadiotapField restarts bit numbering after a radiotap namespace switch and not otherwise', () => {
  // Word 1 after bit 29: its bit 5 is antenna signal again. Without bit 29, word 1 holds bits 32..60.
  assert.deepEqual(walk([0xa0000022, 0x00000020], 100), {
    fields: [[1, true, 12, 1], [5, true, 13, 1], [5, false, 14, 1]],
    end: 15,
  });
  assert.deepEqual(walk([0x80000002, 0x00000020], 100), { fields: [[1, true, 12, 1]], end: 13 });
  assert.deepEqual(walk([0x80000002, 0x00000000], 100), { fields: [[1, true, 12, 1]], end: 13 });
});

test('forEachRadiotapField skips a vendor namespace by its skip length and ignores its field bits', () => {
  // Word 0: Flags + vendor namespace; word 1 (vendor): bits 0..3 + back to radiotap; word 2: Channel.
  const { fields, end } = walk([0xc0000002, 0xa000000f, 0x00000008], 100, 5);
  assert.deepEqual(fields, [
    [1, true, 16, 1],
    [RADIOTAP_VENDOR_NAMESPACE_INDEX, false, 18, 6 + 5],
    [3, false, 30, 4],
  ]);
  assert.equal(end, 34);
});

test('forEachRadiotapField stops before TLVs and returns a negated offset when a field overruns', () => {
  assert.deepEqual(walk([0x10000002], 100), { fields: [[1, true, 8, 1]], end: 9 });
  assert.deepEqual(walk([0x00000003], 12), { fields: [], end: -8 });
  assert.deepEqual(walk([0x40000002], 12, 0), { fields: [[1, true, 8, 1]], end: -9 });
  assert.deepEqual(walk([0x40000002], 20, 8), { fields: [[1, true, 8, 1]], end: -9 });
});
