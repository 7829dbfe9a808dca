import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DecodeError } from '../core/decode-error.js';
import { putU32le } from '../core/bytes.js';
import { PcapngParser } from './pcapng-parser.js';
import { PcapngWriter } from './pcapng-writer.js';
import { unitsPerSecond, type TsResolution } from './timestamp.js';
import { parseAll, randomInt, seededRandom, syntheticPackets } from './test-support.js';

/** Nanoseconds a reader must give back for `ns` written at resolution `res`. */
function expectedNs(ns: number, res: TsResolution): number {
  const u = unitsPerSecond(res);
  const units = (BigInt(ns) * u) / 1_000_000_000n;
  return Number((units * 1_000_000_000n) / u);
}

function twoSectionFile(): { bytes: Uint8Array; expected: { tsSec: number; tsNsec: number; iface: number; linkType: number; data: Uint8Array }[] } {
  const packets = syntheticPackets(24, 21);
  const resolutions: TsResolution[][] = [
    [{ base: 10, exponent: 6 }, { base: 10, exponent: 9 }, { base: 2, exponent: 20 }],
    [{ base: 2, exponent: 32 }, { base: 10, exponent: 3 }],
  ];
  const linkTypes = [
    [1, 113, 101],
    [276, 105],
  ];
  const w = new PcapngWriter({
    interfaces: resolutions[0].map((tsresol, i) => ({ tsresol, linkType: linkTypes[0][i], name: `if${i}` })),
    comment: 'first',
  });
  const expected: { tsSec: number; tsNsec: number; iface: number; linkType: number; data: Uint8Array }[] = [];
  packets.forEach((p, i) => {
    const section = i < 12 ? 0 : 1;
    if (i === 12) {
      w.newSection({
        byteOrder: 'be',
        interfaces: resolutions[1].map((tsresol, j) => ({ tsresol, linkType: linkTypes[1][j], tsOffsetSec: j === 1 ? 1000 : 0 })),
        hardware: 'hw',
      });
    }
    const id = i % resolutions[section].length;
    w.writePacket({ ...p, iface: id });
    expected.push({
      tsSec: p.tsSec,
      tsNsec: expectedNs(p.tsNsec, resolutions[section][id]),
      iface: section === 0 ? id : 3 + id,
      linkType: linkTypes[section][id],
      data: p.data,
    });
  });
  w.close();
  return { bytes: w.toBytes(), expected };
}

test('PcapngParser reads sections in both byte orders with per-interface resolutions to the nanosecond', () => {
  const { bytes, expected } = twoSectionFile();
  const { records, parser } = parseAll(bytes);
  assert.deepEqual(
    records.map((r) => ({ tsSec: r.tsSec, tsNsec: r.tsNsec, iface: r.iface, linkType: r.linkType, data: r.data })),
    expected,
  );
  assert.deepEqual(records.map((r) => r.frame), expected.map((_, i) => i + 1));
  assert.deepEqual(parser.sections.map((s) => [s.byteOrder, s.version, s.comment, s.hardware, s.userAppl]), [
    ['le', '1.0', 'first', null, 'peephole'],
    ['be', '1.0', null, 'hw', 'peephole'],
  ]);
  assert.deepEqual(
    parser.interfaces.map((i) => [i.index, i.section, i.id, i.linkType, `${i.tsresol.base}^-${i.tsresol.exponent}`, i.tsOffsetSec, i.name, i.packets]),
    [
      [0, 0, 0, 1, '10^-6', 0, 'if0', 4],
      [1, 0, 1, 113, '10^-9', 0, 'if1', 4],
      [2, 0, 2, 101, '2^-20', 0, 'if2', 4],
      [3, 1, 0, 276, '2^-32', 0, null, 6],
      [4, 1, 1, 105, '10^-3', 1000, null, 6],
    ],
  );
  assert.equal(parser.damagedRecords, 0);
  assert.equal(parser.truncated, null);
});

test('PcapngParser gives the same records whatever the chunk sizes, down to one byte', () => {
  const { bytes } = twoSectionFile();
  const whole = parseAll(bytes).records;
  const random = seededRandom(22);
  for (const chunk of [1, 3, 8, 12, 29, () => 1 + randomInt(random, 200)]) {
    assert.deepEqual(parseAll(bytes, chunk).records, whole, `chunk ${String(chunk)}`);
  }
});

test('PcapngParser reads SPBs with interface 0 snap length and obsolete Packet Blocks', () => {
  const w = new PcapngWriter({ interfaces: [{ snaplen: 40, linkType: 1 }, { linkType: 105, tsresol: { base: 10, exponent: 9 } }] });
  const data = new Uint8Array(100).map((_, i) => i);
  w.writeSimplePacket({ data: data.subarray(0, 40), origLen: 100 });
  w.writeSimplePacket({ data: data.subarray(0, 30) });
  w.writeObsoletePacket({ tsSec: 1_700_000_000, tsNsec: 123_456_789, data, iface: 1 });
  w.close();
  const { records } = parseAll(w.toBytes());
  assert.deepEqual(
    records.map((r) => [r.frame, r.tsSec, r.tsNsec, r.iface, r.linkType, r.capLen, r.origLen]),
    [
      [1, 0, 0, 0, 1, 40, 100],
      [2, 0, 0, 0, 1, 30, 30],
      [3, 1_700_000_000, 123_456_789, 1, 105, 100, 100],
    ],
  );
  assert.deepEqual(records[0].data, data.subarray(0, 40));
});

test('PcapngParser skips NRB, ISB, DSB, custom and unknown blocks, counting them by type', () => {
  const w = new PcapngWriter();
  const frame = new Uint8Array(60);
  w.writePacket({ tsSec: 1, tsNsec: 0, data: frame });
  w.writeBlock(4, new Uint8Array(4));
  w.writeBlock(5, new Uint8Array(12));
  w.writeBlock(0x0a, new Uint8Array(12));
  w.writeBlock(0x12345, new Uint8Array(7));
  w.writeBlock(0x12345, new Uint8Array(0));
  w.writeBlock(0xbad, Uint8Array.of(0, 0, 0x7e, 0xd9, 1));
  w.writePacket({ tsSec: 2, tsNsec: 0, data: frame });
  w.close();
  const { records, parser } = parseAll(w.toBytes(), 5);
  // tshark numbers the custom block as a frame of its own: the second packet is frame 3.
  assert.deepEqual(records.map((r) => [r.frame, r.tsSec]), [
    [1, 1],
    [3, 2],
  ]);
  assert.deepEqual(Object.fromEntries(parser.skippedBlocks), { 4: 1, 5: 1, 10: 1, 0x12345: 2, 0xbad: 1 });
  assert.equal(parser.records, 2);
  assert.equal(parser.damagedRecords, 0);
});

test('PcapngParser skips and counts an EPB on an undefined interface or with a captured length past its end', () => {
  const w = new PcapngWriter();
  const frame = new Uint8Array(60);
  for (let i = 0; i < 3; i++) w.writePacket({ tsSec: i, tsNsec: 0, data: frame });
  w.close();
  const bytes = w.toBytes();
  const epb = bytes.length - 3 * 92;
  putU32le(bytes, epb + 8, 7); // first EPB: interface 7
  putU32le(bytes, epb + 92 + 20, 61); // second EPB: 61 captured bytes in a block made for 60
  const { records, parser } = parseAll(bytes);
  assert.deepEqual(records.map((r) => r.tsSec), [2]);
  assert.equal(parser.damagedRecords, 2);
  assert.equal(parser.damagedBytes, 2 * 92);
  assert.match(parser.damage[0].reason, /EPB on interface 7, but the section defines 1/);
  assert.match(parser.damage[1].reason, /captured length 61 does not fit in 92 bytes/);
  assert.equal(records[0].frame, 1);
});

test('PcapngParser resynchronises after a block whose lengths disagree', () => {
  const w = new PcapngWriter();
  const packets = syntheticPackets(6, 23);
  for (const p of packets) w.writePacket(p);
  w.close();
  const bytes = w.toBytes();
  const first = parseAll(bytes).records;
  const third = first[2].fileOffset;
  putU32le(bytes, third + 4, 0x0000_1000); // leading length no longer matches the trailing one
  for (const chunk of [bytes.length, 1, 13]) {
    const { records, parser } = parseAll(bytes, chunk);
    assert.deepEqual(records.map((r) => r.data), packets.filter((_, i) => i !== 2).map((p) => p.data));
    assert.equal(parser.damagedRecords, 1);
    assert.equal(parser.damagedBytes, first[3].fileOffset - third);
    assert.equal(parser.damage[0].offset, third);
    assert.equal(parser.truncated, null);
  }
});

test('PcapngParser reports a last block cut short with its offset and the missing bytes', () => {
  const w = new PcapngWriter();
  for (const p of syntheticPackets(3, 24)) w.writePacket(p);
  w.close();
  const bytes = w.toBytes();
  const all = parseAll(bytes).records;
  const { records, parser } = parseAll(bytes.subarray(0, bytes.length - 9));
  assert.equal(records.length, 2);
  assert.deepEqual(parser.truncated, { offset: all[2].fileOffset, missing: 9 });
  const inHeader = parseAll(bytes.subarray(0, all[2].fileOffset + 5)).parser;
  assert.deepEqual(inHeader.truncated, { offset: all[2].fileOffset, missing: 3 });
});

test('PcapngParser throws DecodeError for a cut or bad first section header', () => {
  const bytes = new PcapngWriter().toBytes();
  const run = (b: Uint8Array): void => {
    const parser = new PcapngParser(() => {}, { file: 'x.pcapng' });
    parser.push(b);
    parser.end();
  };
  assert.throws(() => run(bytes.subarray(0, 20)), (e: unknown) => e instanceof DecodeError && e.offset === 0 && e.file === 'x.pcapng');
  const badBom = bytes.slice();
  putU32le(badBom, 8, 0x11223344);
  assert.throws(() => run(badBom), (e: unknown) => e instanceof DecodeError && /byte-order magic/.test(e.message));
  const badLength = bytes.slice();
  putU32le(badLength, 4, 30);
  assert.throws(() => run(badLength), (e: unknown) => e instanceof DecodeError && /block length 30/.test(e.message));
});

test('PcapngParser keeps its carry buffer small while 100 MB of EPBs go through in odd-sized chunks', () => {
  const w = new PcapngWriter();
  const head = w.toBytes().slice();
  const data = new Uint8Array(1000);
  for (let i = 0; i < 1024; i++) w.writePacket({ tsSec: 1_700_000_000 + i, tsNsec: 0, data });
  const block = w.toBytes().subarray(head.length);
  let count = 0;
  const parser = new PcapngParser(() => count++);
  parser.push(head);
  const random = seededRandom(25);
  let most = 0;
  for (let round = 0; round < 100; round++) {
    for (let p = 0; p < block.length; ) {
      const n = 1 + randomInt(random, 3000);
      parser.push(block.subarray(p, Math.min(block.length, p + n)));
      p += n;
      most = Math.max(most, parser.bufferedBytes);
    }
  }
  parser.end();
  assert.equal(count, 100 * 1024);
  assert.ok(most <= 64 * 1024, `carry grew to ${most}`);
});

test('PcapngParser treats a block longer than the limit as damage instead of buffering it', () => {
  const w = new PcapngWriter();
  w.writePacket({ tsSec: 1, tsNsec: 0, data: new Uint8Array(5000) });
  w.writePacket({ tsSec: 2, tsNsec: 0, data: new Uint8Array(50) });
  w.close();
  const bytes = w.toBytes();
  let count = 0;
  const parser = new PcapngParser(() => count++, { maxBlockBytes: 4096 });
  for (let p = 0; p < bytes.length; p += 100) parser.push(bytes.subarray(p, p + 100));
  parser.end();
  assert.equal(count, 1);
  assert.equal(parser.damagedRecords, 1);
  assert.ok(parser.bufferedBytes <= 64 * 1024);

  const huge = new Uint8Array(bytes.length + 12);
  huge.set(bytes);
  putU32le(huge, bytes.length, 6);
  putU32le(huge, bytes.length + 4, 0x4000_0000); // an EPB claiming 1 GiB
  const r = parseAll(huge, 64);
  assert.equal(r.records.length, 2);
  assert.equal(r.parser.damagedRecords, 1);
  assert.ok(r.parser.bufferedBytes <= 64 * 1024);
});
