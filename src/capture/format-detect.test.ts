import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCaptureParser, detectFormat } from './format-detect.js';
import { PcapParser } from './pcap-parser.js';
import { PcapngParser } from './pcapng-parser.js';

test('detectFormat() tells pcap in both byte orders and precisions, pcapng and gzip by their magic', () => {
  assert.equal(detectFormat(Uint8Array.of(0xd4, 0xc3, 0xb2, 0xa1)), 'pcap');
  assert.equal(detectFormat(Uint8Array.of(0xa1, 0xb2, 0xc3, 0xd4)), 'pcap');
  assert.equal(detectFormat(Uint8Array.of(0x4d, 0x3c, 0xb2, 0xa1)), 'pcap');
  assert.equal(detectFormat(Uint8Array.of(0xa1, 0xb2, 0x3c, 0x4d)), 'pcap');
  assert.equal(detectFormat(Uint8Array.of(0x34, 0xcd, 0xb2, 0xa1)), 'pcap');
  assert.equal(detectFormat(Uint8Array.of(0x0a, 0x0d, 0x0d, 0x0a)), 'pcapng');
  assert.equal(detectFormat(Uint8Array.of(0x1f, 0x8b)), 'gzip');
  assert.equal(detectFormat(Uint8Array.of(0x3c, 0x68, 0x74, 0x6d)), null);
  assert.equal(detectFormat(Uint8Array.of(0xd4, 0xc3)), null);
});

test('createCaptureParser() makes the parser of the format', () => {
  assert.ok(createCaptureParser('pcap', () => {}) instanceof PcapParser);
  assert.ok(createCaptureParser('pcapng', () => {}) instanceof PcapngParser);
});
