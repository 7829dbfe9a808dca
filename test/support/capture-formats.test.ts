import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readCaptureHeader } from './capture-formats.js';
import { SHARED_CAPTURES_DIR } from './paths.js';

function pcapHeader(magic: number, linkType: number, littleEndian: boolean): Buffer {
  const bytes = Buffer.alloc(24);
  if (littleEndian) {
    bytes.writeUInt32LE(magic, 0);
    bytes.writeUInt32LE(linkType, 20);
  } else {
    bytes.writeUInt32BE(magic, 0);
    bytes.writeUInt32BE(linkType, 20);
  }
  return bytes;
}

test('readCaptureHeader() tells microsecond from nanosecond pcap in both byte orders', () => {
  assert.deepEqual(readCaptureHeader(pcapHeader(0xa1b2c3d4, 276, true)), { format: 'pcap', littleEndian: true, linkType: 276 });
  assert.deepEqual(readCaptureHeader(pcapHeader(0xa1b23c4d, 113, false)), { format: 'nsecpcap', littleEndian: false, linkType: 113 });
});

test('readCaptureHeader() reads the link type of the first pcapng interface', () => {
  const shb = Buffer.alloc(28);
  shb.writeUInt32LE(0x0a0d0d0a, 0);
  shb.writeUInt32LE(28, 4);
  shb.writeUInt32LE(0x1a2b3c4d, 8);
  shb.writeUInt32LE(28, 24);
  const idb = Buffer.alloc(20);
  idb.writeUInt32LE(1, 0);
  idb.writeUInt32LE(20, 4);
  idb.writeUInt16LE(113, 8);
  idb.writeUInt32LE(20, 16);
  assert.deepEqual(readCaptureHeader(Buffer.concat([shb, idb])), { format: 'pcapng', littleEndian: true, linkType: 113 });
  assert.throws(() => readCaptureHeader(shb), /no interface description block/);
});

test('readCaptureHeader() rejects unknown magic and files shorter than a pcap header', () => {
  assert.throws(() => readCaptureHeader(Buffer.alloc(24)), /Unknown capture magic 0x0/);
  assert.throws(() => readCaptureHeader(Buffer.alloc(10)), /need 24 bytes, have 10/);
});

test('readCaptureHeader() reads the SmartThings shared capture as big-endian nanosecond pcap over Ethernet', () => {
  const bytes = readFileSync(path.join(SHARED_CAPTURES_DIR, 'iot-smartthings-hub-nsec.pcap')).subarray(0, 64);
  assert.deepEqual(readCaptureHeader(bytes), { format: 'nsecpcap', littleEndian: false, linkType: 1 });
});
