import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createCaptureParser } from './format-detect.js';
import { PcapWriter } from './pcap-writer.js';
import { formatTimeEpoch } from './record.js';
import { capinfosCount, parseAll, runTool, scratchDir, syntheticPackets, tsharkFields } from './test-support.js';

const ORACLE_FIELDS = ['frame.number', 'frame.time_epoch', 'frame.len', 'frame.cap_len'];

test('PcapWriter files in every byte order and precision open in capinfos and tshark without a word, with the same frames', () => {
  const scratch = scratchDir();
  try {
    const packets = syntheticPackets(50, 31, 1_700_000_000, 400);
    for (const byteOrder of ['le', 'be'] as const) {
      for (const precision of ['us', 'ns'] as const) {
        const path = scratch.path(`w-${byteOrder}-${precision}.pcap`);
        const w = new PcapWriter({ to: path, byteOrder, precision, snaplen: 300 });
        for (const p of packets) w.writePacket(p);
        w.close();
        assert.equal(w.packetsWritten, packets.length);
        assert.equal(w.bytesWritten, readFileSync(path).length);
        const info = capinfosCount(path);
        assert.equal(info.stderr, '', `capinfos ${path}`);
        assert.equal(info.packets, packets.length);
        const oracle = tsharkFields(path, ORACLE_FIELDS);
        assert.equal(oracle.stderr, '', `tshark ${path}`);
        const { records } = parseAll(readFileSync(path));
        assert.deepEqual(
          records.map((r) => [String(r.frame), formatTimeEpoch(r.tsSec, r.tsNsec), String(r.origLen), String(r.capLen)]),
          oracle.rows,
        );
        records.forEach((r, i) => {
          const p = packets[i];
          assert.equal(r.tsNsec, precision === 'ns' ? p.tsNsec : p.tsNsec - (p.tsNsec % 1000));
          assert.deepEqual(r.data, p.data.subarray(0, 300));
          assert.equal(r.origLen, p.data.length);
        });
        const kind = runTool('capinfos', ['-t', '-M', path]).stdout;
        assert.match(kind, precision === 'ns' ? /File type:\s+nsecpcap\n/ : /File type:\s+pcap\n/);
      }
    }
  } finally {
    scratch.remove();
  }
});

test('PcapWriter keeps the bytes in memory without a target, and writes to stdout with "-"', () => {
  const w = new PcapWriter({ linkType: 101 });
  w.writePacket({ tsSec: 5, tsNsec: 999_999_999, data: Uint8Array.of(0x45, 0, 0, 20), origLen: 1500 });
  const bytes = w.toBytes();
  assert.equal(bytes.length, 24 + 16 + 4);
  const { records } = parseAll(bytes);
  assert.deepEqual(records.map((r) => [r.tsSec, r.tsNsec, r.capLen, r.origLen, r.linkType]), [[5, 999_999_000, 4, 1500, 101]]);

  const script = `import { PcapWriter } from ${JSON.stringify(new URL('./pcap-writer.ts', import.meta.url).href)};
     const w = new PcapWriter({ to: '-' });
     for (let i = 0; i < 3000; i++) w.writePacket({ tsSec: i, tsNsec: 0, data: new Uint8Array(1000).fill(i & 0xff) });
     w.close();`;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { maxBuffer: 64 << 20 });
  assert.equal(child.stderr.toString(), '');
  assert.equal(child.status, 0);
  const piped = parseAll(child.stdout).records;
  assert.equal(piped.length, 3000);
  assert.deepEqual([piped[2999].tsSec, piped[2999].capLen, piped[2999].data[0]], [2999, 1000, 2999 & 0xff]);
});

test('PcapWriter refuses what pcap cannot hold', () => {
  const w = new PcapWriter();
  const data = new Uint8Array(10);
  assert.throws(() => w.writePacket({ tsSec: -1, tsNsec: 0, data }), RangeError);
  assert.throws(() => w.writePacket({ tsSec: 2 ** 32, tsNsec: 0, data }), RangeError);
  assert.throws(() => w.writePacket({ tsSec: 1, tsNsec: 1e9, data }), RangeError);
  assert.throws(() => w.writePacket({ tsSec: 1, tsNsec: 0, data, origLen: 9 }), RangeError);
  assert.throws(() => w.writePacket({ tsSec: 1, tsNsec: 0, data, iface: 1 }), RangeError);
  assert.throws(() => new PcapWriter({ linkType: -1 }), RangeError);
  w.close();
  assert.throws(() => w.writePacket({ tsSec: 1, tsNsec: 0, data }), /closed/);
});

test('PcapWriter streams a file larger than its buffer and copies records from a reader', () => {
  const scratch = scratchDir();
  try {
    const path = scratch.path('big.pcap');
    const w = new PcapWriter({ to: path, precision: 'ns' });
    const big = new Uint8Array(3 * 1024 * 1024).map((_, i) => i & 0xff);
    w.writePacket({ tsSec: 1, tsNsec: 1, data: new Uint8Array(100) });
    w.writePacket({ tsSec: 2, tsNsec: 2, data: big.subarray(0, 200_000) });
    w.close();
    const source = readFileSync(path);
    const { records, parser } = parseAll(source);
    assert.equal(parser.records, 2);
    assert.deepEqual(records[1].data, big.subarray(0, 200_000));
    // writeRecord() takes records straight from the reader's callback.
    const copy = new PcapWriter({ precision: 'ns' });
    const p = createCaptureParser('pcap', (rec) => copy.writeRecord(rec));
    p.push(source);
    p.end();
    assert.deepEqual(copy.toBytes(), new Uint8Array(source));
  } finally {
    scratch.remove();
  }
});
