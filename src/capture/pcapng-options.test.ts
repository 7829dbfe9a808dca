import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OptionsBuilder, optionText, readOptions } from './pcapng-options.js';

test('OptionsBuilder writes options that readOptions() reads back, in both byte orders', () => {
  for (const le of [true, false]) {
    const bytes = new OptionsBuilder(le).addText(2, 'eth0').add(9, Uint8Array.of(0x89)).addText(3, undefined).addText(1, 'héllo').bytes();
    assert.equal(bytes.length % 4, 0);
    const { options, complete } = readOptions(bytes, 0, bytes.length, le);
    assert.equal(complete, true);
    assert.deepEqual(options.map((o) => [o.code, o.length]), [
      [2, 4],
      [9, 1],
      [1, 6],
    ]);
    assert.equal(optionText(bytes, options[0]), 'eth0');
    assert.equal(bytes[options[1].offset], 0x89);
    assert.equal(optionText(bytes, options[2]), 'héllo');
  }
  assert.equal(new OptionsBuilder(true).bytes().length, 0);
});

test('readOptions() stops at an option running past the end and says the list is incomplete', () => {
  const bytes = new OptionsBuilder(true).addText(2, 'abcdefgh').bytes();
  const { options, complete } = readOptions(bytes, 0, 8, true);
  assert.deepEqual(options, []);
  assert.equal(complete, false);
});

test('optionText() drops trailing NULs', () => {
  const bytes = Uint8Array.of(0x61, 0x62, 0, 0);
  assert.equal(optionText(bytes, { code: 2, offset: 0, length: 4 }), 'ab');
});

test('OptionsBuilder refuses a value longer than 65535 bytes', () => {
  assert.throws(() => new OptionsBuilder(true).add(1, new Uint8Array(65536)), RangeError);
});
