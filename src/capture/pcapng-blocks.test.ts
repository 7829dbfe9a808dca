import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readInterfaceBlock, readSectionHeader } from './pcapng-blocks.js';
import { PcapngWriter } from './pcapng-writer.js';

test('readSectionHeader() and readInterfaceBlock() read what PcapngWriter wrote, in both byte orders', () => {
  for (const byteOrder of ['le', 'be'] as const) {
    const w = new PcapngWriter({
      byteOrder,
      comment: 'c',
      hardware: 'h',
      os: 'o',
      userAppl: 'u',
      interfaces: [{ linkType: 127, snaplen: 1234, tsresol: { base: 2, exponent: 24 }, tsOffsetSec: -3600, name: 'wlan0', description: 'radio', fcsLength: 4 }],
    });
    const bytes = w.toBytes();
    const le = byteOrder === 'le';
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    const shbLength = view.getUint32(4, le);
    const section = readSectionHeader(bytes, 0, shbLength, le, 0, 0);
    assert.deepEqual(section, { index: 0, fileOffset: 0, byteOrder, version: '1.0', hardware: 'h', os: 'o', userAppl: 'u', comment: 'c' });
    const idbLength = view.getUint32(shbLength + 4, le);
    const { info, ts } = readInterfaceBlock(bytes, shbLength, idbLength, le, 0, 0, 0);
    assert.deepEqual(info, {
      index: 0,
      section: 0,
      id: 0,
      linkType: 127,
      snaplen: 1234,
      tsresol: { base: 2, exponent: 24 },
      tsOffsetSec: -3600,
      name: 'wlan0',
      description: 'radio',
      fcsLength: 4,
      packets: 0,
    });
    assert.equal(ts.offsetSec, -3600);
  }
});
