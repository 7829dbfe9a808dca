/**
 * gzip input against files made by gzip(1) from real captures, cut at every byte, with their check
 * values wrong, with headers gzip(1) does not write (extra field, comment, header CRC), with several
 * members and with bytes after the end: every byte that can be decompressed is delivered, and the
 * damage is said with its offset in the compressed file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as zlib from 'node:zlib';
import { DecodeError } from '../core/decode-error.js';
import { Random } from '../core/random.js';
import { crc32Table } from './gzip.js';

/** zlib.crc32 came with Node 20.15; the table is checked against it where it is there. */
const zlibCrc32 = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;
import { PcapWriter } from './pcap-writer.js';
import { readCapture, type CaptureSummary } from './reader.js';
import { copyRecord, runTool, syntheticPackets, type CopiedRecord } from './test-support.js';

const CAPTURES = new URL('../../../shared/captures/', import.meta.url).pathname;

/** `gzip -c`, as a user makes a .gz (the file name goes into the header). */
function gzipTool(path: string): Buffer {
  const r = runTool('sh', ['-c', 'gzip -c "$0" | base64 -w0', path]);
  assert.equal(r.status, 0, r.stderr);
  return Buffer.from(r.stdout, 'base64');
}

async function read(bytes: Uint8Array, name: string, chunk = bytes.length || 1): Promise<{ records: CopiedRecord[]; summary: CaptureSummary }> {
  const chunks: Uint8Array[] = [];
  for (let p = 0; p < bytes.length; p += chunk) chunks.push(bytes.subarray(p, p + chunk));
  const records: CopiedRecord[] = [];
  const summary = await readCapture({ stream: Readable.from(chunks), name }, (rec) => records.push(copyRecord(rec)));
  return { records, summary };
}

/** The length of a gzip(1) header: 10 bytes, and the file name with its 0 when the FNAME flag is set. */
function headerLength(gz: Uint8Array): number {
  assert.equal(gz[3] & ~0x08, 0, 'only FNAME set');
  return gz[3] & 0x08 ? gz.indexOf(0, 10) + 1 : 10;
}

/** The read fails with a DecodeError whose message matches `pattern`. */
async function refused(reading: Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(reading, (e: unknown) => {
    assert.ok(e instanceof DecodeError, String(e));
    assert.match(e.message, pattern);
    return true;
  });
}

function smallPcap(): Uint8Array {
  const w = new PcapWriter();
  for (const p of syntheticPackets(12, 81, 1_700_000_000, 120)) w.writePacket(p);
  return w.toBytes();
}

/** A gzip member built by hand around `data`, with the header fields gzip(1) never writes. */
function member(data: Uint8Array, options: { extra?: Uint8Array; name?: string; comment?: string; headerCrc?: boolean; badHeaderCrc?: boolean } = {}): Buffer {
  let flags = 0;
  const parts: Uint8Array[] = [];
  if (options.extra) {
    flags |= 0x04;
    parts.push(Uint8Array.of(options.extra.length & 0xff, options.extra.length >> 8), options.extra);
  }
  if (options.name !== undefined) {
    flags |= 0x08;
    parts.push(Buffer.from(options.name + '\0', 'latin1'));
  }
  if (options.comment !== undefined) {
    flags |= 0x10;
    parts.push(Buffer.from(options.comment + '\0', 'latin1'));
  }
  if (options.headerCrc) flags |= 0x02;
  const header = Buffer.concat([Uint8Array.of(0x1f, 0x8b, 8, flags, 0, 0, 0, 0, 0, 3), ...parts]);
  const hcrc = Buffer.alloc(options.headerCrc ? 2 : 0);
  if (options.headerCrc) hcrc.writeUInt16LE((crc32Table(header) & 0xffff) ^ (options.badHeaderCrc ? 1 : 0));
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc32Table(data), 0);
  trailer.writeUInt32LE(data.length, 4);
  return Buffer.concat([header, hcrc, zlib.deflateRawSync(data), trailer]);
}

test('crc32Table() gives the CRC-32 check value of "123456789"', () => {
  assert.equal(crc32Table(Buffer.from('123456789')), 0xcbf43926);
  assert.equal(crc32Table(Buffer.from('56789'), crc32Table(Buffer.from('1234'))), 0xcbf43926);
});

test('crc32Table() (for Node before zlib.crc32) gives what zlib.crc32 gives, whole and in parts', { skip: !zlibCrc32 && 'zlib.crc32 needs Node 20.15' }, () => {
  const random = new Random(91);
  for (const n of [0, 1, 7, 64, 1000, 65537]) {
    const data = random.bytes(n);
    assert.equal(crc32Table(data), zlibCrc32!(data), `${n} bytes`);
    const cut = n >> 1;
    assert.equal(crc32Table(data.subarray(cut), crc32Table(data.subarray(0, cut))), zlibCrc32!(data), `${n} bytes in two parts`);
  }
});

test('a capture gzipped by gzip(1) reads as the plain file, in chunks of any size', async () => {
  const path = join(CAPTURES, 'iot-tuya-plug-boot-anon.pcap');
  const plain = await read(readFileSync(path), 'plain.pcap');
  const gz = gzipTool(path);
  assert.ok(headerLength(gz) > 10, 'gzip(1) writes the file name');
  for (const chunk of [1, 7, 4096, gz.length]) {
    const { records, summary } = await read(gz, 'plain.pcap.gz', chunk);
    assert.deepEqual(records, plain.records, `chunks of ${chunk}`);
    assert.equal(summary.bytesRead, plain.summary.bytesRead);
    assert.deepEqual(summary.compression, { format: 'gzip', truncated: false, damage: null });
  }
});

test('a gzip stream cut at every byte: a cut header is an error naming the offset, a later cut delivers every whole record and says where', async () => {
  const plain = smallPcap();
  const full = (await read(plain, 'p.pcap')).records;
  const gz = member(plain, { name: 'small.pcap' });
  const header = 10 + 'small.pcap'.length + 1;
  const trailerAt = gz.length - 8;
  let damaged = 0;
  for (let cut = 0; cut < gz.length; cut++) {
    const part = gz.subarray(0, cut);
    if (cut < 2) {
      await refused(read(part, 'cut.gz'), cut === 0 ? /Empty file/ : /Not a pcap or pcapng capture: starts with 1f .*or gzip 1f 8b/);
      continue;
    }
    if (cut < 10) {
      await refused(read(part, 'cut.gz'), new RegExp(`^cut\\.gz: The gzip stream ends inside the gzip header: need 10 bytes at offset 0, have ${cut}$`));
      continue;
    }
    if (cut < header) {
      await refused(read(part, 'cut.gz'), new RegExp(`^cut\\.gz: The gzip stream ends inside the gzip header: its file name from offset 10 has no end by offset ${cut}$`));
      continue;
    }
    let result: { records: CopiedRecord[]; summary: CaptureSummary };
    try {
      result = await read(part, 'cut.gz');
    } catch (error) {
      // Too little decompressed for the pcap file header: the gzip cut is named, then the header.
      assert.ok(error instanceof DecodeError, `cut at ${cut}: ${String(error)}`);
      assert.equal(error.offset, cut, `cut at ${cut}`);
      assert.match(error.message, new RegExp(`^cut\\.gz: The gzip stream ends early at offset ${cut}, inside the compressed data, after \\d+ decompressed bytes(; Capture ends inside the pcap file header: need 24 bytes at offset 0, have \\d+)?$`), `cut at ${cut}`);
      continue;
    }
    const { records, summary } = result;
    damaged++;
    assert.deepEqual(records, full.slice(0, records.length), `cut at ${cut}`);
    const damage = summary.compression?.damage;
    assert.equal(summary.compression?.truncated, true, `cut at ${cut}`);
    assert.equal(damage?.offset, cut, `cut at ${cut}`);
    if (cut < trailerAt) {
      assert.match(damage.message, new RegExp(`^the gzip stream ends early at offset ${cut}, inside the compressed data, after ${summary.bytesRead} decompressed bytes$`));
    } else {
      assert.equal(damage.message, `the gzip stream ends inside the 8-byte trailer at offset ${trailerAt} (have ${cut - trailerAt}), after ${plain.length} decompressed bytes`);
      assert.deepEqual(records, full);
    }
  }
  assert.ok(damaged > gz.length / 2, `${damaged} cuts read as damage`);
  assert.equal((await read(gz, 'whole.gz')).summary.compression?.damage, null);
});

test('a wrong CRC-32 or length in the trailer: every byte is decompressed and read, then the damage is said with the counts', async () => {
  const path = join(CAPTURES, 'iot-sentinel-dlink-cam-setup.pcap');
  const plainBytes = readFileSync(path);
  const plain = await read(plainBytes, 'plain.pcap');
  const gz = gzipTool(path);
  const trailerAt = gz.length - 8;
  for (const [at, what] of [
    [trailerAt, 'CRC-32'],
    [trailerAt + 4, 'length'],
  ] as const) {
    const bad = Buffer.from(gz);
    bad[at] ^= 0x40;
    const { records, summary } = await read(bad, 'bad.gz', 4096);
    assert.deepEqual(records, plain.records, what);
    assert.equal(summary.bytesRead, plainBytes.length, what);
    assert.equal(summary.compression?.truncated, false);
    assert.equal(summary.compression?.damage?.offset, at, what);
    const message = summary.compression?.damage?.message;
    if (what === 'CRC-32') {
      const crc = crc32Table(plainBytes);
      const hex = (n: number): string => '0x' + n.toString(16).padStart(8, '0');
      assert.equal(message, `corrupt gzip data: the CRC-32 of the ${plainBytes.length} decompressed bytes is ${hex(crc)}, the trailer at offset ${at} says ${hex((crc ^ 0x40) >>> 0)}`);
    } else {
      assert.equal(message, `corrupt gzip data: ${plainBytes.length} bytes decompressed, the trailer at offset ${at} says ${plainBytes.length ^ 0x40}`);
    }
  }
});

test('corrupt compressed data: what was decompressed before is read, and the bytes zlib failed on are named', async () => {
  const plain = readFileSync(join(CAPTURES, 'iot-sentinel-dlink-cam-setup.pcap'));
  const full = (await read(plain, 'p.pcap')).records;
  // Two deflate streams one after another are one stream when the first is not final (a full flush
  // ends it on a byte): the first block header of the second is at a known offset, after a known
  // number of decompressed bytes. Its block type set to 3 (reserved) is what zlib fails on.
  const split = 100_000;
  const first = zlib.deflateRawSync(plain.subarray(0, split), { finishFlush: zlib.constants.Z_FULL_FLUSH });
  const second = zlib.deflateRawSync(plain.subarray(split));
  const header = Uint8Array.of(0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3);
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc32Table(plain), 0);
  trailer.writeUInt32LE(plain.length, 4);
  const gz = Buffer.concat([header, first, second, trailer]);
  assert.deepEqual((await read(gz, 'good.gz')).records, full);
  const at = header.length + first.length;
  gz[at] |= 0x06;
  for (const chunk of [1000, gz.length]) {
    const { records, summary } = await read(gz, 'bad.gz', chunk);
    const damage = summary.compression?.damage;
    const m = /^corrupt gzip data, found in the compressed bytes from offset (\d+) to (\d+) \(invalid block type\), after (\d+) decompressed bytes$/.exec(damage?.message ?? '');
    assert.ok(damage && m, JSON.stringify(damage));
    assert.equal(damage.cut, false);
    assert.equal(Number(m[1]), damage.offset);
    assert.ok(damage.offset <= at && at < Number(m[2]) && Number(m[2]) - damage.offset <= 64 * 1024, damage.message);
    // The range is the piece zlib failed on (64 KiB at most). What zlib decompressed in the call that
    // failed is lost with the error: at most its 16 KiB of output.
    assert.equal(Number(m[3]), summary.bytesRead);
    assert.ok(summary.bytesRead <= split && summary.bytesRead > split - 16 * 1024, `${summary.bytesRead} of ${split} bytes`);
    const intact = full.filter((r) => r.fileOffset + 16 + r.capLen <= summary.bytesRead);
    assert.deepEqual(records, intact);
  }
  // Bytes changed at random: zlib may decode them to something, and then the CRC-32 (or a missing end) says so.
  const gzip = member(plain);
  const random = new Random(93);
  for (let trial = 0; trial < 20; trial++) {
    const bad = Buffer.from(gzip);
    const from = 10 + random.int(gzip.length >> 2, gzip.length - 30);
    for (let i = from; i < from + 16; i++) bad[i] = random.int(0, 255);
    const { summary } = await read(bad, 'bad.gz', 1000);
    assert.match(summary.compression?.damage?.message ?? '', /^(corrupt gzip data(, found in the compressed bytes from offset|: the CRC-32 of the \d+ decompressed bytes)|the gzip stream ends)/, `trial ${trial}`);
  }
});

test('gzip members one after another read as one stream; zeros after the end are padding, other bytes are damage', async () => {
  const plain = smallPcap();
  const full = (await read(plain, 'p.pcap')).records;
  const cut = 100;
  const two = Buffer.concat([member(plain.subarray(0, cut)), member(plain.subarray(cut), { name: 'rest' })]);
  for (const chunk of [1, 13, two.length]) {
    const { records, summary } = await read(two, 'two.gz', chunk);
    assert.deepEqual(records, full, `chunks of ${chunk}`);
    assert.equal(summary.compression?.damage, null);
  }
  const padded = await read(Buffer.concat([two, Buffer.alloc(1000)]), 'padded.gz', 64);
  assert.deepEqual(padded.records, full);
  assert.equal(padded.summary.compression?.damage, null);

  const tail = Buffer.concat([Buffer.alloc(5), Buffer.from('trailing text\n')]);
  const garbage = await read(Buffer.concat([two, tail]), 'garbage.gz', 7);
  assert.deepEqual(garbage.records, full);
  assert.deepEqual(garbage.summary.compression?.damage, {
    offset: two.length,
    cut: false,
    message: `${tail.length} byte(s) after the end of the gzip stream at offset ${two.length} are not gzip data (zeros up to offset ${two.length + 5})`,
  });

  // The second member cut inside its header.
  const secondAt = member(plain.subarray(0, cut)).length;
  const cutSecond = await read(two.subarray(0, secondAt + 6), 'cut2.gz');
  assert.equal(cutSecond.summary.bytesRead, cut);
  assert.equal(cutSecond.summary.compression?.damage?.message, `the gzip stream ends inside the header of gzip member 2 (at offset ${secondAt}): need 10 bytes at offset ${secondAt}, have 6`);
});

test('gzip headers with an extra field, a comment and a header CRC are read; a wrong header CRC, method or flag is named', async () => {
  const plain = smallPcap();
  const full = (await read(plain, 'p.pcap')).records;
  const rich = member(plain, { extra: new Uint8Array(300).fill(7), name: 'home.pcap', comment: 'a comment', headerCrc: true });
  for (const chunk of [1, 5, rich.length]) assert.deepEqual((await read(rich, 'rich.gz', chunk)).records, full, `chunks of ${chunk}`);
  const headerEnd = 10 + 2 + 300 + 'home.pcap'.length + 1 + 'a comment'.length + 1;
  await refused(read(member(plain, { comment: 'c', headerCrc: true, badHeaderCrc: true }), 'hcrc.gz'), /^hcrc\.gz: The gzip header has the CRC [0-9a-f]{4} at offset 12, not [0-9a-f]{4}$/);
  await refused(read(rich.subarray(0, 11), 'x.gz'), /^x\.gz: The gzip stream ends inside the gzip header: need 2 bytes \(the extra field length\) at offset 10, have 1$/);
  await refused(read(rich.subarray(0, 100), 'x.gz'), /^x\.gz: The gzip stream ends inside the gzip header: need 300 bytes \(the extra field\) at offset 12, have 88$/);
  await refused(read(rich.subarray(0, headerEnd - 3), 'x.gz'), new RegExp(`^x\\.gz: The gzip stream ends inside the gzip header: its comment from offset ${headerEnd - 10} has no end by offset ${headerEnd - 3}$`));
  const method = Buffer.from(rich);
  method[2] = 7;
  await refused(read(method, 'm.gz'), /^m\.gz: The gzip header names compression method 7, not 8 \(deflate\)$/);
  const flag = Buffer.from(rich);
  flag[3] |= 0x80;
  await refused(read(flag, 'f.gz'), /^f\.gz: The gzip header sets reserved flags \(10011110\)$/);
});

test('a gzip bomb (256 MiB of records from a few hundred KiB) is read in bounded memory by a slow reader', async () => {
  const records = 4096;
  const record = Buffer.alloc(16 + 65535);
  record.writeUInt32LE(65535, 8);
  record.writeUInt32LE(65535, 12);
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(65535, 16);
  header.writeUInt32LE(1, 20);
  const compressed: Buffer[] = [];
  await pipeline(
    (function* () {
      yield header;
      for (let i = 0; i < records; i++) yield record;
    })(),
    zlib.createGzip({ level: 9 }),
    async function* (chunks: AsyncIterable<Buffer>) {
      for await (const c of chunks) compressed.push(c);
    },
  );
  const gz = Buffer.concat(compressed);
  assert.ok(gz.length < 1024 * 1024, `${gz.length} bytes`);
  let count = 0;
  let peak = 0;
  let chunks = 0;
  // The reader takes 50 ms over each of its first 30 chunks (16 KiB each): time for zlib to inflate
  // piece after piece (64 KiB of this input make 66 MiB) if it were given them.
  const summary = await readCapture({ stream: Readable.from([gz]), name: 'bomb.pcap.gz' }, () => count++, {
    afterChunk: () => {
      peak = Math.max(peak, process.memoryUsage().arrayBuffers);
      return new Promise((resolve) => (chunks++ < 30 ? setTimeout(resolve, 50) : setImmediate(resolve)));
    },
  });
  assert.equal(count, records);
  assert.equal(summary.compression?.damage, null);
  // One 64 KiB piece of this expands to 66 MiB; more held would mean pieces were written on.
  assert.ok(peak < 128 * 2 ** 20, `${Math.round(peak / 2 ** 20)} MiB of buffers at the peak`);
});
