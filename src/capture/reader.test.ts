import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, openSync, closeSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { DecodeError } from '../core/decode-error.js';
import { PcapngWriter } from './pcapng-writer.js';
import { PcapWriter } from './pcap-writer.js';
import { readCapture, type CaptureSummary, type ReadCaptureOptions } from './reader.js';
import { formatTimeEpoch } from './record.js';
import { capinfosCount, copyRecord, scratchDir, syntheticPackets, tsharkFields, type CopiedRecord } from './test-support.js';

const CAPTURES = new URL('../../../shared/captures/', import.meta.url).pathname;

function manifest(): { name: string; packets: number; linkTypes: string }[] {
  const [head, ...rows] = readFileSync(join(CAPTURES, 'MANIFEST.tsv'), 'utf8').trim().split('\n');
  const cols = head.split('\t');
  return rows.map((line) => {
    const cells = line.split('\t');
    const get = (c: string): string => cells[cols.indexOf(c)];
    return { name: get('name'), packets: Number(get('packets')), linkTypes: get('link_types') };
  });
}

async function readAll(
  source: Parameters<typeof readCapture>[0],
  options?: ReadCaptureOptions,
): Promise<{ records: CopiedRecord[]; summary: CaptureSummary }> {
  const records: CopiedRecord[] = [];
  const summary = await readCapture(source, (rec) => records.push(copyRecord(rec)), options);
  return { records, summary };
}

function chunksOf(bytes: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let p = 0; p < bytes.length; p += size) out.push(bytes.subarray(p, p + size));
  return out;
}

test('readCapture() reads every real capture with the record count of MANIFEST.tsv and capinfos', async () => {
  const rows = manifest();
  assert.deepEqual(rows.map((r) => r.name).sort(), readdirSync(CAPTURES).filter((f) => f.endsWith('.pcap')).sort());
  for (const row of rows) {
    const path = join(CAPTURES, row.name);
    let count = 0;
    const summary = await readCapture(path, () => count++);
    assert.equal(summary.records, row.packets, row.name);
    assert.equal(count, row.packets, row.name);
    assert.equal(capinfosCount(path).packets, row.packets, row.name);
    assert.equal(summary.format, 'pcap');
    assert.equal(summary.pcap?.precision, row.linkTypes.includes('pcap-ns') ? 'ns' : 'us', row.name);
    assert.deepEqual(summary.linkTypes, [row.linkTypes.startsWith('ether') ? 1 : 105], row.name);
    assert.equal(summary.bytesRead, readFileSync(path).length);
    assert.equal(summary.truncated, null);
    assert.equal(summary.damaged.records, 0);
  }
});

test('readCapture() gives every frame of the real captures the time, length and captured length tshark gives', async () => {
  for (const row of manifest()) {
    const path = join(CAPTURES, row.name);
    const oracle = tsharkFields(path, ['frame.number', 'frame.time_epoch', 'frame.len', 'frame.cap_len']);
    assert.equal(oracle.stderr, '', row.name);
    const ours: string[][] = [];
    await readCapture(path, (rec) => {
      ours.push([String(rec.frame), formatTimeEpoch(rec.tsSec, rec.tsNsec), String(rec.origLen), String(rec.capLen)]);
    });
    assert.deepEqual(ours, oracle.rows, row.name);
  }
});

test('readCapture() keeps the nanosecond digits of the nanosecond capture', async () => {
  const { records } = await readAll(join(CAPTURES, 'iot-smartthings-hub-nsec.pcap'));
  assert.equal(formatTimeEpoch(records[0].tsSec, records[0].tsNsec), '1698413468.559085894');
  assert.equal(formatTimeEpoch(records[1].tsSec, records[1].tsNsec), '1698413468.589063278');
  assert.equal(records.filter((r) => r.tsNsec % 1000 !== 0).length > 2000, true);
});

test('readCapture() reads gzip-compressed files and streams as the plain file', async () => {
  const scratch = scratchDir();
  try {
    const plainPath = join(CAPTURES, 'iot-tuya-plug-boot-anon.pcap');
    const plain = await readAll(plainPath);
    const gz = gzipSync(readFileSync(plainPath));
    writeFileSync(scratch.path('t.pcap.gz'), gz);
    const fromFile = await readAll(scratch.path('t.pcap.gz'));
    assert.deepEqual(fromFile.records, plain.records);
    assert.deepEqual(fromFile.summary.compression, { format: 'gzip', truncated: false, damage: null });
    assert.equal(fromFile.summary.bytesRead, plain.summary.bytesRead);
    const fromStream = await readAll({ stream: Readable.from(chunksOf(gz, 7)), name: 't.pcap.gz' });
    assert.deepEqual(fromStream.records, plain.records);

    // A gzip stream cut short: the records before the cut, and the cut is said.
    const cut = await readAll({ stream: Readable.from([gz.subarray(0, gz.length >> 1)]), name: 'cut.gz' });
    assert.equal(cut.summary.compression?.truncated, true);
    assert.ok(cut.records.length > 10 && cut.records.length < plain.records.length);
    assert.deepEqual(cut.records, plain.records.slice(0, cut.records.length));

    // Corrupt compressed data before a capture header could be read is a DecodeError.
    const bad = Buffer.from(gz);
    for (let i = 20; i < 60; i++) bad[i] ^= 0x5a;
    await assert.rejects(readAll({ stream: Readable.from([bad]), name: 'bad.gz' }), (e: unknown) => e instanceof DecodeError && e.file === 'bad.gz' && /corrupt gzip data/i.test(e.message));
  } finally {
    scratch.remove();
  }
});

test('readCapture() gives every record of a file once, in order, whatever the read chunk size', async () => {
  const path = join(CAPTURES, 'iot-tuya-plug-boot-anon.pcap');
  const size = readFileSync(path).length;
  const whole = await readAll(path, { readBufferBytes: size + 1 });
  // Chunks that divide the file exactly (the last read returns 0 bytes), that leave a remainder,
  // and that are far smaller than a record.
  for (const chunk of [size / 2, Math.floor(size / 3) + 1, 4096, 100]) {
    const r = await readAll(path, { readBufferBytes: chunk });
    assert.deepEqual(r.records, whole.records, `chunks of ${chunk} bytes`);
    assert.equal(r.summary.bytesRead, size, `chunks of ${chunk} bytes`);
  }
});

test('readCapture() gives the same records from a stream, even in 1-byte chunks, as from the file', async () => {
  for (const name of ['iot-tuya-plug-boot-anon.pcap', 'wlan-80211-plain-dns-mdns.pcap']) {
    const path = join(CAPTURES, name);
    const file = await readAll(path);
    const bytes = readFileSync(path);
    const oneByte = await readAll({ stream: Readable.from(chunksOf(bytes, 1)), name });
    assert.deepEqual(oneByte.records, file.records, name);
    assert.deepEqual({ ...oneByte.summary, file: '' }, { ...file.summary, file: '' });
    const odd = await readAll(path, { readBufferBytes: 97 });
    assert.deepEqual(odd.records, file.records, name);
  }
  // pcapng with several sections, through a stream of 1-byte chunks.
  const w = new PcapngWriter({ interfaces: [{ tsresol: { base: 10, exponent: 9 } }] });
  for (const p of syntheticPackets(30, 51)) w.writePacket(p);
  w.newSection({ byteOrder: 'be' });
  for (const p of syntheticPackets(30, 52)) w.writePacket(p);
  const bytes = w.toBytes();
  const whole = await readAll({ stream: Readable.from([bytes]), name: 'a.pcapng' });
  const bytewise = await readAll({ stream: Readable.from(chunksOf(bytes, 1)), name: 'a.pcapng' });
  assert.equal(whole.records.length, 60);
  assert.deepEqual(bytewise.records, whole.records);
  assert.equal(whole.summary.sections.length, 2);
});

test('readCapture("-") reads stdin, from a pipe and from a redirected file', () => {
  const path = join(CAPTURES, 'iot-sentinel-wemo-switch-setup.pcap');
  const script = `import { readCapture } from ${JSON.stringify(new URL('./reader.ts', import.meta.url).href)};
    let n = 0; const s = await readCapture('-', () => n++);
    process.stdout.write(JSON.stringify([n, s.records, s.file, s.bytesRead]));`;
  const args = ['--import', 'tsx', '--input-type=module', '-e', script];
  const piped = spawnSync(process.execPath, args, { input: readFileSync(path), encoding: 'utf8' });
  assert.equal(piped.stderr, '');
  assert.deepEqual(JSON.parse(piped.stdout), [290, 290, '<stdin>', 151812]);
  const gzPiped = spawnSync(process.execPath, args, { input: gzipSync(readFileSync(path)), encoding: 'utf8' });
  assert.equal(gzPiped.stderr, '');
  assert.deepEqual(JSON.parse(gzPiped.stdout), [290, 290, '<stdin>', 151812]);
  const scratch = scratchDir();
  writeFileSync(scratch.path('w.pcap.gz'), gzipSync(readFileSync(path)));
  try {
    for (const file of [path, scratch.path('w.pcap.gz')]) {
      const fd = openSync(file, 'r');
      try {
        const redirected = spawnSync(process.execPath, args, { stdio: [fd, 'pipe', 'pipe'], encoding: 'utf8' });
        assert.equal(redirected.stderr, '');
        assert.deepEqual(JSON.parse(redirected.stdout), [290, 290, '<stdin>', 151812]);
      } finally {
        closeSync(fd);
      }
    }
  } finally {
    scratch.remove();
  }
});

test('readCapture() passes an error thrown by the callback through unchanged, from files, gzip and streams', async () => {
  const path = join(CAPTURES, 'iot-tuya-plug-boot-anon.pcap');
  const scratch = scratchDir();
  try {
    writeFileSync(scratch.path('t.pcap.gz'), gzipSync(readFileSync(path)));
    const sources = [path, scratch.path('t.pcap.gz'), { stream: Readable.from(chunksOf(readFileSync(path), 1000)), name: 's' }];
    for (const source of sources) {
      const mine = new Error('stop here');
      let n = 0;
      await assert.rejects(
        readCapture(source, () => {
          if (++n === 5) throw mine;
        }),
        (e: unknown) => e === mine,
      );
      assert.equal(n, 5);
    }
  } finally {
    scratch.remove();
  }
});

test('readCapture() turns missing, unreadable, empty and foreign files into DecodeErrors naming the file', async () => {
  const scratch = scratchDir();
  try {
    const missing = scratch.path('nope.pcap');
    await assert.rejects(readAll(missing), (e: unknown) => e instanceof DecodeError && e.file === missing && /no such file \(ENOENT\)/.test(e.message));
    mkdirSync(scratch.path('dir.pcap'));
    await assert.rejects(readAll(scratch.path('dir.pcap')), (e: unknown) => e instanceof DecodeError && /is a directory/.test(e.message));
    writeFileSync(scratch.path('empty.pcap'), '');
    await assert.rejects(readAll(scratch.path('empty.pcap')), (e: unknown) => e instanceof DecodeError && /Empty file/.test(e.message) && e.offset === 0);
    writeFileSync(scratch.path('page.pcap'), '<html><body>not a capture</body></html>');
    await assert.rejects(readAll(scratch.path('page.pcap')), (e: unknown) => e instanceof DecodeError && /starts with 3c 68 74 6d 6c 3e 3c 62 \("<html><b"\) at offset 0/.test(e.message));
    writeFileSync(scratch.path('ab.pcap'), 'ab');
    await assert.rejects(readAll(scratch.path('ab.pcap')), (e: unknown) => e instanceof DecodeError && /Not a pcap/.test(e.message));
    writeFileSync(scratch.path('page.gz'), gzipSync(Buffer.from('hello world')));
    await assert.rejects(readAll(scratch.path('page.gz')), (e: unknown) => e instanceof DecodeError && /Not a pcap/.test(e.message));
    await assert.rejects(readAll({ stream: Readable.from([]), name: 'nothing' }), (e: unknown) => e instanceof DecodeError && /Empty file/.test(e.message));
  } finally {
    scratch.remove();
  }
});

test('readCapture() reports progress at most every 4 MiB and at the end, and awaits afterChunk', async () => {
  const scratch = scratchDir();
  try {
    const path = scratch.path('big.pcap');
    const w = new PcapWriter({ to: path });
    const data = new Uint8Array(1400);
    for (let i = 0; i < 10_000; i++) w.writePacket({ tsSec: i, tsNsec: 0, data });
    w.close();
    const size = readFileSync(path).length;
    const calls: number[] = [];
    let chunks = 0;
    const summary = await readCapture(path, () => {}, {
      readBufferBytes: 256 * 1024,
      onProgress: (bytes) => calls.push(bytes),
      afterChunk: async () => {
        chunks++;
      },
    });
    assert.equal(summary.records, 10_000);
    assert.equal(calls.at(-1), size);
    for (let i = 1; i < calls.length - 1; i++) assert.ok(calls[i] - calls[i - 1] >= 4 * 1024 * 1024);
    assert.ok(calls.length <= Math.ceil(size / (4 * 1024 * 1024)) + 1);
    assert.equal(chunks, Math.ceil(size / (256 * 1024)));
  } finally {
    scratch.remove();
  }
});

test('readCapture() stops when its signal is aborted', async () => {
  const path = join(CAPTURES, 'tls-bulk-sni-browsing.pcap');
  const before = new AbortController();
  before.abort();
  await assert.rejects(readCapture(path, () => {}, { signal: before.signal }), { name: 'AbortError' });
  const during = new AbortController();
  let seen = 0;
  await assert.rejects(
    readCapture(path, () => {
      if (++seen === 10) during.abort();
    }, { signal: during.signal, readBufferBytes: 64 * 1024 }),
    { name: 'AbortError' },
  );
  assert.ok(seen < 7451);
});

test('readCapture() reads what is appended to a file while it reads it (a capture still being written)', async () => {
  const scratch = scratchDir();
  try {
    const packets = syntheticPackets(400, 21);
    const writer = new PcapWriter({ precision: 'ns' });
    for (const p of packets) writer.writePacket(p);
    const whole = writer.toBytes();
    // The file holds the first half of the bytes when reading starts; the rest is appended in three
    // pieces while records are handed out. Small buffers: many reads, several in flight.
    const path = scratch.path('growing.pcap');
    const half = Math.floor(whole.length / 2);
    writeFileSync(path, whole.subarray(0, half));
    const pieces = chunksOf(whole.subarray(half), Math.ceil((whole.length - half) / 3));
    const frames: number[] = [];
    let written = half;
    const summary = await readCapture(
      path,
      (rec) => {
        frames.push(rec.frame);
        // Appended when the reader is near the end: reads already in flight past it came back short.
        if (pieces.length > 0 && rec.fileOffset + 600 > written) {
          const piece = pieces.shift()!;
          appendFileSync(path, piece);
          written += piece.length;
        }
      },
      { readBufferBytes: 256 },
    );
    assert.equal(pieces.length, 0, 'every piece was appended during the read');
    assert.equal(summary.records, packets.length);
    assert.deepEqual(frames, packets.map((_, i) => i + 1));
    assert.equal(summary.bytesRead, whole.length);
    assert.equal(summary.truncated, null);
    assert.equal(summary.damaged.records, 0);
  } finally {
    scratch.remove();
  }
});
