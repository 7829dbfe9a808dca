import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { DecodeError } from '../core/decode-error.js';
import { putU16le, putU32be, putU32le } from '../core/bytes.js';
import { PcapParser } from './pcap-parser.js';
import { PcapWriter } from './pcap-writer.js';
import { parseAll, randomInt, scratchDir, seededRandom, syntheticPackets, tsharkFields } from './test-support.js';

function writePcap(options: ConstructorParameters<typeof PcapWriter>[0], count = 20, seed = 1): Uint8Array {
  const w = new PcapWriter(options);
  for (const p of syntheticPackets(count, seed)) w.writePacket(p);
  w.close();
  return w.toBytes();
}

test('PcapParser reads little- and big-endian, micro- and nanosecond files', () => {
  const packets = syntheticPackets(20, 1);
  for (const byteOrder of ['le', 'be'] as const) {
    for (const precision of ['us', 'ns'] as const) {
      const bytes = writePcap({ byteOrder, precision, linkType: 113 });
      const { records, parser } = parseAll(bytes);
      assert.equal(records.length, packets.length);
      const header = (parser as PcapParser).header!;
      assert.equal(header.byteOrder, byteOrder);
      assert.equal(header.precision, precision);
      assert.equal(header.linkType, 113);
      let offset = 24;
      records.forEach((r, i) => {
        const p = packets[i];
        assert.equal(r.frame, i + 1);
        assert.equal(r.tsSec, p.tsSec);
        assert.equal(r.tsNsec, precision === 'ns' ? p.tsNsec : Math.floor(p.tsNsec / 1000) * 1000);
        assert.deepEqual(r.data, p.data);
        assert.equal(r.origLen, p.origLen);
        assert.equal(r.linkType, 113);
        assert.equal(r.iface, 0);
        assert.equal(r.fileOffset, offset);
        offset += 16 + p.data.length;
      });
      assert.equal(parser.truncated, null);
      assert.equal(parser.damagedRecords, 0);
    }
  }
});

test('PcapParser gives the same records whatever the chunk sizes, down to one byte', () => {
  const bytes = writePcap({ precision: 'ns' }, 30, 2);
  const whole = parseAll(bytes).records;
  const random = seededRandom(3);
  for (const chunk of [1, 2, 3, 15, 16, 17, 100, () => 1 + randomInt(random, 300)]) {
    assert.deepEqual(parseAll(bytes, chunk).records, whole, `chunk ${String(chunk)}`);
  }
});

test('PcapParser hands out records inside the pushed chunk without copying them', () => {
  const bytes = writePcap({}, 5, 4);
  const seen: Uint8Array[] = [];
  const parser = new PcapParser((rec) => seen.push(rec.buf));
  parser.push(bytes);
  parser.end();
  assert.equal(seen.length, 5);
  for (const buf of seen) assert.equal(buf, bytes);
});

test('PcapParser reads the modified (a1b2cd34) format with 24-byte record headers as tshark does', () => {
  const bytes = new Uint8Array(24 + 2 * (24 + 60));
  putU32le(bytes, 0, 0xa1b2cd34);
  putU16le(bytes, 4, 2);
  putU16le(bytes, 6, 4);
  putU32le(bytes, 16, 65535);
  putU32le(bytes, 20, 1);
  for (let i = 0, p = 24; i < 2; i++, p += 84) {
    putU32le(bytes, p, 1_700_000_000 + i);
    putU32le(bytes, p + 4, 123_456);
    putU32le(bytes, p + 8, 60);
    putU32le(bytes, p + 12, 60 + i);
    bytes[p + 24 + 12] = 8;
  }
  const { records, parser } = parseAll(bytes);
  assert.equal((parser as PcapParser).header!.modified, true);
  const scratch = scratchDir();
  try {
    writeFileSync(scratch.path('m.pcap'), bytes);
    const oracle = tsharkFields(scratch.path('m.pcap'), ['frame.number', 'frame.time_epoch', 'frame.len', 'frame.cap_len']);
    assert.equal(oracle.stderr, '');
    assert.deepEqual(
      records.map((r) => [String(r.frame), `${r.tsSec}.${String(r.tsNsec).padStart(9, '0')}`, String(r.origLen), String(r.capLen)]),
      oracle.rows,
    );
  } finally {
    scratch.remove();
  }
});

test('PcapParser skips a record with an insane captured length, counts it, and goes on with the next', () => {
  const packets = syntheticPackets(10, 5);
  const bytes = writePcap({}, 10, 5);
  let fifth = 24;
  for (let i = 0; i < 4; i++) fifth += 16 + packets[i].data.length;
  putU32le(bytes, fifth + 8, 0x7fff_0000);
  for (const chunk of [bytes.length, 1, 7]) {
    const { records, parser } = parseAll(bytes, chunk);
    assert.deepEqual(
      records.map((r) => r.origLen),
      packets.filter((_, i) => i !== 4).map((p) => p.origLen),
    );
    assert.equal(parser.damagedRecords, 1);
    assert.equal(parser.damagedBytes, 16 + packets[4].data.length);
    assert.equal(parser.damage[0].offset, fifth);
    assert.match(parser.damage[0].reason, /captured length 2147418112 above limit/);
    assert.equal(parser.truncated, null);
  }
});

test('PcapParser reports a last record cut short with its offset and the missing bytes', () => {
  const bytes = writePcap({}, 3, 6);
  const packets = syntheticPackets(3, 6);
  const lastStart = 24 + 16 + packets[0].data.length + 16 + packets[1].data.length;
  const { records, parser } = parseAll(bytes.subarray(0, bytes.length - 5));
  assert.equal(records.length, 2);
  assert.deepEqual(parser.truncated, { offset: lastStart, missing: 5 });
  const inHeader = parseAll(bytes.subarray(0, lastStart + 10));
  assert.deepEqual(inHeader.parser.truncated, { offset: lastStart, missing: 6 });
});

test('PcapParser throws DecodeError for an empty input, a cut file header and a bad magic', () => {
  const bytes = writePcap({}, 1, 7);
  const run = (b: Uint8Array): void => {
    const parser = new PcapParser(() => {}, { file: 'x.pcap' });
    parser.push(b);
    parser.end();
  };
  assert.throws(() => run(new Uint8Array(0)), (e: unknown) => e instanceof DecodeError && /Empty file/.test(e.message) && e.file === 'x.pcap');
  assert.throws(() => run(bytes.subarray(0, 23)), (e: unknown) => e instanceof DecodeError && e.offset === 0 && e.needed === 24 && e.available === 23);
  const bad = bytes.slice();
  putU32be(bad, 0, 0x3c68746d);
  assert.throws(() => run(bad), (e: unknown) => e instanceof DecodeError && /Not a pcap or pcapng capture: starts with 3c 68 74 6d/.test(e.message));
});

test('PcapParser keeps its carry buffer small while 100 MB go through in odd-sized chunks', () => {
  const record = 16 + 1000;
  const block = new Uint8Array(1024 * record);
  for (let i = 0; i < 1024; i++) {
    putU32le(block, i * record, 1_700_000_000 + i);
    putU32le(block, i * record + 8, 1000);
    putU32le(block, i * record + 12, 1000);
  }
  const header = writePcap({}, 0);
  let count = 0;
  const parser = new PcapParser(() => count++);
  parser.push(header);
  const random = seededRandom(8);
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

test('PcapParser does not allocate for a header that claims a huge record', () => {
  const bytes = writePcap({}, 2, 9);
  const evil = new Uint8Array(bytes.length + 16);
  evil.set(bytes);
  putU32le(evil, bytes.length + 8, 0xffff_fff0);
  putU32le(evil, bytes.length + 12, 0xffff_fff0);
  const { records, parser } = parseAll(evil, 5);
  assert.equal(records.length, 2);
  assert.ok(parser.bufferedBytes <= 64 * 1024);
  assert.equal(parser.damagedRecords, 1);
  assert.equal(parser.damagedBytes, 16);
  assert.equal(parser.truncated, null);
});
