import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { PcapngWriter } from './pcapng-writer.js';
import { formatTimeEpoch } from './record.js';
import type { TsResolution } from './timestamp.js';
import { capinfosCount, parseAll, scratchDir, syntheticPackets, tsharkFields } from './test-support.js';

const ORACLE_FIELDS = ['frame.number', 'frame.time_epoch', 'frame.len', 'frame.cap_len', 'frame.interface_id', 'frame.interface_name'];

/** One file with everything the writer can do that tshark 4.0 reads (if_tsresol up to 2^-32). */
function writeEverything(path: string): number {
  const packets = syntheticPackets(40, 41, 1_650_000_000, 300);
  const section0: TsResolution[] = [
    { base: 10, exponent: 6 },
    { base: 10, exponent: 9 },
    { base: 2, exponent: 20 },
  ];
  const section1: TsResolution[] = [
    { base: 2, exponent: 30 },
    { base: 10, exponent: 3 },
  ];
  const w = new PcapngWriter({
    to: path,
    interfaces: section0.map((tsresol, i) => ({ tsresol, name: `eth${i}`, description: `port ${i}`, snaplen: 250 })),
    comment: 'written by the peephole tests',
    hardware: 'test bench',
    os: 'Linux',
  });
  let written = 0;
  packets.slice(0, 20).forEach((p, i) => {
    w.writePacket({ ...p, iface: i % 3 });
    written++;
  });
  w.writeObsoletePacket({ ...packets[20], iface: 1 });
  w.writeSimplePacket({ data: packets[21].data.subarray(0, 250), origLen: packets[21].data.length });
  w.writeBlock(4, new Uint8Array(4)); // NRB with only nrb_record_end
  w.writeBlock(5, new Uint8Array(12)); // ISB for interface 0, no options
  w.writeBlock(0x0000_7777, new Uint8Array(8)); // unknown block type
  w.writeBlock(0xbad, Uint8Array.of(0, 0, 0x7e, 0xd9, 1, 2, 3)); // custom block: tshark shows it as a frame
  written += 2;
  w.newSection({
    byteOrder: 'be',
    interfaces: section1.map((tsresol, i) => ({ tsresol, linkType: i === 0 ? 1 : 113, tsOffsetSec: i === 1 ? 3600 : 0 })),
  });
  packets.slice(22).forEach((p, i) => {
    w.writePacket({ ...p, iface: i % 2 });
    written++;
  });
  w.close();
  return written;
}

test('PcapngWriter files open in capinfos and tshark without a word, with the frames the reader reads', () => {
  const scratch = scratchDir();
  try {
    const path = scratch.path('all.pcapng');
    const written = writeEverything(path);
    const info = capinfosCount(path);
    assert.equal(info.stderr, '');
    assert.equal(info.packets, written);
    const oracle = tsharkFields(path, ORACLE_FIELDS);
    assert.equal(oracle.stderr, '');
    const { records, parser } = parseAll(readFileSync(path));
    assert.equal(records.length, written);
    const byFrame = new Map(oracle.rows.map((row) => [row[0], row]));
    for (const r of records) {
      const iface = parser.interfaces[r.iface];
      const spb = r.tsSec === 0 && r.tsNsec === 0; // an SPB has no time stamp: tshark prints none
      const row = byFrame.get(String(r.frame)) ?? [];
      // tshark 4.0 numbers interfaces per section, and looks their names up as if section 0 held
      // them all: compare names in the first section only.
      if (iface.section > 0) row[5] = iface.name ?? 'unknown';
      assert.deepEqual(
        row,
        [String(r.frame), spb ? '' : formatTimeEpoch(r.tsSec, r.tsNsec), String(r.origLen), String(r.capLen), String(iface.id), iface.name ?? 'unknown'],
        `frame ${r.frame}`,
      );
    }
    // The only tshark frame without a record is the custom block.
    assert.deepEqual(
      oracle.rows.filter((row) => !records.some((r) => String(r.frame) === row[0])).map((row) => row[0]),
      ['23'],
    );
    assert.deepEqual(
      parser.skippedBlocks,
      new Map([
        [4, 1],
        [5, 1],
        [0x7777, 1],
        [0xbad, 1],
      ]),
    );
  } finally {
    scratch.remove();
  }
});

test('PcapngWriter round trips every timestamp exactly to the resolution of its interface', () => {
  const resolutions: TsResolution[] = [
    { base: 10, exponent: 0 },
    { base: 10, exponent: 6 },
    { base: 10, exponent: 9 },
    { base: 10, exponent: 12 },
    { base: 2, exponent: 10 },
    { base: 2, exponent: 32 },
    { base: 2, exponent: 40 },
  ];
  // 2^64 units of 10^-12 s or 2^-40 s last about 200 days: those interfaces count from an if_tsoffset.
  const offset = (res: TsResolution): number => (res.exponent >= 12 ? 1_699_000_000 : 0);
  const w = new PcapngWriter({ interfaces: resolutions.map((tsresol) => ({ tsresol, tsOffsetSec: offset(tsresol) })) });
  const packets = syntheticPackets(70, 42);
  packets.forEach((p, i) => w.writePacket({ ...p, iface: i % resolutions.length }));
  const { records } = parseAll(w.toBytes());
  records.forEach((r, i) => {
    const res = resolutions[i % resolutions.length];
    const u = BigInt(res.base) ** BigInt(res.exponent);
    const units = (BigInt(packets[i].tsNsec) * u) / 1_000_000_000n;
    assert.equal(r.tsSec, packets[i].tsSec);
    assert.equal(r.tsNsec, Number((units * 1_000_000_000n) / u), `${res.base}^-${res.exponent}`);
  });
  // Nanosecond and finer units keep every digit.
  assert.equal(records[2].tsNsec, packets[2].tsNsec);
  assert.equal(records[3].tsNsec, packets[3].tsNsec);
});

test('PcapngWriter refuses packets it cannot describe', () => {
  const w = new PcapngWriter({ interfaces: [{ snaplen: 10 }] });
  const data = new Uint8Array(20);
  assert.throws(() => w.writePacket({ tsSec: 1, tsNsec: 0, data, iface: 1 }), /No interface 1/);
  assert.throws(() => w.writeSimplePacket({ data }), /SPB of original length 20 holds 10 bytes/);
  assert.throws(() => w.writePacket({ tsSec: -1, tsNsec: 0, data }), RangeError);
  assert.throws(() => w.addInterface({ snaplen: -1 }), RangeError);
  w.writePacket({ tsSec: 1, tsNsec: 0, data });
  const { records } = parseAll(w.toBytes());
  assert.deepEqual(records.map((r) => [r.capLen, r.origLen]), [[10, 20]]);
});

test('PcapngWriter big-endian files with nanosecond and 2^-k interfaces open in tshark with the same times', () => {
  const scratch = scratchDir();
  try {
    const path = scratch.path('be.pcapng');
    const w = new PcapngWriter({ to: path, byteOrder: 'be', interfaces: [{ tsresol: { base: 10, exponent: 9 } }, { tsresol: { base: 2, exponent: 32 }, linkType: 101 }] });
    const packets = syntheticPackets(30, 43);
    packets.forEach((p, i) => w.writePacket({ ...p, iface: i % 2 }));
    w.close();
    assert.deepEqual(capinfosCount(path), { packets: 30, stderr: '' });
    const oracle = tsharkFields(path, ['frame.number', 'frame.time_epoch', 'frame.len']);
    assert.equal(oracle.stderr, '');
    const { records } = parseAll(readFileSync(path));
    assert.deepEqual(records.map((r) => [String(r.frame), formatTimeEpoch(r.tsSec, r.tsNsec), String(r.origLen)]), oracle.rows);
    assert.deepEqual(records.filter((_, i) => i % 2 === 0).map((r) => r.tsNsec), packets.filter((_, i) => i % 2 === 0).map((p) => p.tsNsec));
  } finally {
    scratch.remove();
  }
});
