import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blockTypeName, isKnownBlockType, padded4 } from './pcapng-format.js';

test('blockTypeName() names the pcapng block types and prints others in hex', () => {
  assert.equal(blockTypeName(0x0a0d0d0a), 'SHB');
  assert.equal(blockTypeName(6), 'EPB');
  assert.equal(blockTypeName(0x40000bad), 'custom (do not copy)');
  assert.equal(blockTypeName(0x4321), '0x00004321');
  assert.equal(isKnownBlockType(4), true);
  assert.equal(isKnownBlockType(0x4321), false);
});

test('padded4() rounds up to a multiple of 4, also past 2^31', () => {
  assert.deepEqual([0, 1, 2, 3, 4, 5].map(padded4), [0, 4, 4, 4, 4, 8]);
  assert.equal(padded4(2 ** 31 + 1), 2 ** 31 + 4);
});
