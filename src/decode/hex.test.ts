import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bytesToHex, hexToBytes } from './hex.js';

test('bytesToHex writes a range of bytes as lower-case hex', () => {
  const b = Uint8Array.from([0x00, 0x0a, 0xff, 0x7f, 0x80]);
  assert.equal(bytesToHex(b, 0, 5), '000aff7f80');
  assert.equal(bytesToHex(b, 2, 4), 'ff7f');
  assert.equal(bytesToHex(b, 5, 5), '');
  assert.equal(bytesToHex(b), '000aff7f80');
});

test('hexToBytes reads what bytesToHex writes and rejects non-hex text', () => {
  const all = Uint8Array.from({ length: 256 }, (_, i) => i);
  assert.deepEqual(hexToBytes(bytesToHex(all, 0, 256)), all);
  assert.deepEqual(hexToBytes('ABcd'), Uint8Array.from([0xab, 0xcd]));
  assert.throws(() => hexToBytes('zz'), TypeError);
  assert.throws(() => hexToBytes('abc'), TypeError);
});
