/**
 * The reader against damaged input: files cut at every byte, and files with random bytes flipped.
 * Whatever happens, the only error is a DecodeError, and what comes before the damage is delivered.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { DecodeError } from '../core/decode-error.js';
import { PcapngWriter } from './pcapng-writer.js';
import { PcapWriter } from './pcap-writer.js';
import { readCapture, type CaptureSummary } from './reader.js';
import { copyRecord, parseAll, randomInt, seededRandom, syntheticPackets, type CopiedRecord } from './test-support.js';

const CAPTURES = new URL('../../../shared/captures/', import.meta.url).pathname;

/** A unit the reader frames: the file header, a record, or a block, and the bytes it needs to know its length. */
interface Unit {
  start: number;
  end: number;
  /** Bytes from `start` after which the unit's full length is known, by steps (pcapng SHB: 8 then 12). */
  headerSteps: number[];
  record: boolean;
}

async function read(bytes: Uint8Array, name: string): Promise<{ records: CopiedRecord[]; summary: CaptureSummary }> {
  const records: CopiedRecord[] = [];
  const summary = await readCapture({ stream: Readable.from([bytes]), name }, (rec) => records.push(copyRecord(rec)));
  return { records, summary };
}

function smallPcap(): { bytes: Uint8Array; units: Unit[] } {
  const w = new PcapWriter({ precision: 'ns', byteOrder: 'be' });
  const units: Unit[] = [{ start: 0, end: 24, headerSteps: [24], record: false }];
  let at = 24;
  for (const p of syntheticPackets(6, 61, 1_700_000_000, 40)) {
    w.writePacket(p);
    units.push({ start: at, end: at + 16 + p.data.length, headerSteps: [16], record: true });
    at += 16 + p.data.length;
  }
  return { bytes: w.toBytes(), units };
}

function smallPcapng(): { bytes: Uint8Array; units: Unit[] } {
  const w = new PcapngWriter({ interfaces: [{ tsresol: { base: 10, exponent: 9 } }, { linkType: 101 }] });
  const size = (): number => w.toBytes().length;
  const units: Unit[] = [];
  let at = 0;
  const mark = (record: boolean, shb = false): void => {
    const end = size();
    units.push({ start: at, end, headerSteps: shb ? [8, 12] : [8], record });
    at = end;
  };
  // The first SHB and its IDBs, as written by the constructor.
  const bytes0 = w.toBytes();
  const shbLength = new DataView(bytes0.buffer, bytes0.byteOffset).getUint32(4, true);
  units.push({ start: 0, end: shbLength, headerSteps: [shbLength], record: false });
  at = shbLength;
  const idb1 = new DataView(bytes0.buffer, bytes0.byteOffset).getUint32(at + 4, true);
  units.push({ start: at, end: at + idb1, headerSteps: [8], record: false });
  at += idb1;
  units.push({ start: at, end: bytes0.length, headerSteps: [8], record: false });
  at = bytes0.length;
  const packets = syntheticPackets(5, 62, 1_700_000_000, 30);
  w.writePacket({ ...packets[0], iface: 0 });
  mark(true);
  w.writeBlock(0x4321, new Uint8Array(5));
  mark(false);
  w.writePacket({ ...packets[1], iface: 1 });
  mark(true);
  w.newSection({ byteOrder: 'be', interfaces: [] });
  mark(false, true);
  w.addInterface({ snaplen: 20 });
  mark(false);
  w.writeSimplePacket({ data: packets[2].data.subarray(0, 20), origLen: packets[2].data.length });
  mark(true);
  w.writeObsoletePacket(packets[3]);
  mark(true);
  return { bytes: w.toBytes(), units };
}

async function cutEverywhere(bytes: Uint8Array, units: Unit[], name: string): Promise<void> {
  const full = (await read(bytes, name)).records;
  const first = units[0];
  for (let cut = 0; cut <= bytes.length; cut++) {
    const part = bytes.slice(0, cut);
    if (cut < first.end) {
      await assert.rejects(read(part, name), (e: unknown) => e instanceof DecodeError && e.file === name, `cut at ${cut}`);
      continue;
    }
    const { records, summary } = await read(part, name);
    const whole = units.filter((u) => u.end <= cut);
    assert.deepEqual(records, full.slice(0, whole.filter((u) => u.record).length), `records when cut at ${cut}`);
    const open = units.find((u) => u.start < cut && cut < u.end);
    if (open === undefined) {
      assert.equal(summary.truncated, null, `cut at ${cut}`);
    } else {
      const have = cut - open.start;
      const step = open.headerSteps.find((s) => have < s);
      assert.deepEqual(summary.truncated, { offset: open.start, missing: (step ?? open.end - open.start) - have }, `cut at ${cut}`);
    }
    assert.equal(summary.damaged.records, 0, `cut at ${cut}`);
  }
}

test('readCapture() on a pcap cut at every byte delivers each whole record and says where the cut is', async () => {
  const { bytes, units } = smallPcap();
  assert.equal(units.at(-1)!.end, bytes.length);
  await cutEverywhere(bytes, units, 'cut.pcap');
});

test('readCapture() on a two-section pcapng cut at every byte delivers each whole record and says where the cut is', async () => {
  const { bytes, units } = smallPcapng();
  assert.equal(units.at(-1)!.end, bytes.length);
  assert.equal(parseAll(bytes).records.length, 4);
  await cutEverywhere(bytes, units, 'cut.pcapng');
});

/** Flips 1..4 random bytes `trials` times; checks only DecodeError escapes and the records before the first flip are intact. */
async function flipRandomly(bytes: Uint8Array, name: string, seed: number, trials: number): Promise<{ damaged: number; errors: number }> {
  const random = seededRandom(seed);
  const original = (await read(bytes, name)).records;
  let damaged = 0;
  let errors = 0;
  for (let t = 0; t < trials; t++) {
    const copy = new Uint8Array(bytes); // a copy, also when bytes is a Buffer (whose slice() is a view)
    const flips = 1 + randomInt(random, 4);
    let firstFlip = copy.length;
    for (let f = 0; f < flips; f++) {
      const at = randomInt(random, copy.length);
      copy[at] ^= 1 + randomInt(random, 255);
      firstFlip = Math.min(firstFlip, at);
    }
    try {
      const { records, summary } = await read(copy, name);
      damaged += summary.damaged.records;
      const intact = original.filter((r) => r.fileOffset + 16 + r.capLen <= firstFlip && r.fileOffset + 28 + r.capLen + 8 <= firstFlip);
      assert.deepEqual(records.slice(0, intact.length), intact, `trial ${t}: records before the first flip at ${firstFlip}`);
    } catch (error) {
      if (!(error instanceof DecodeError)) throw new Error(`trial ${t}: ${String(error)}`, { cause: error });
      errors++;
    }
  }
  return { damaged, errors };
}

test('readCapture() on files with random bytes flipped throws nothing but DecodeError and counts damaged records', async () => {
  const pcap = new PcapWriter();
  for (const p of syntheticPackets(60, 71)) pcap.writePacket(p);
  const pcapng = new PcapngWriter({ interfaces: [{}, { tsresol: { base: 2, exponent: 24 } }] });
  syntheticPackets(60, 72).forEach((p, i) => pcapng.writePacket({ ...p, iface: i & 1 }));
  const real = readFileSync(join(CAPTURES, 'iot-tuya-plug-boot-anon.pcap'));
  const results = [
    await flipRandomly(pcap.toBytes(), 'flip.pcap', 73, 400),
    await flipRandomly(pcapng.toBytes(), 'flip.pcapng', 74, 400),
    await flipRandomly(real, 'flip-real.pcap', 75, 300),
  ];
  for (const r of results) assert.ok(r.damaged > 0, `damaged records counted: ${JSON.stringify(results)}`);
});

test('readCapture() steps over a damaged record length that points past the end of a pcap', async () => {
  const w = new PcapWriter();
  const packets = syntheticPackets(8, 76);
  for (const p of packets) w.writePacket(p);
  const bytes = w.toBytes();
  const third = 24 + 16 + packets[0].data.length + 16 + packets[1].data.length;
  new DataView(bytes.buffer, bytes.byteOffset).setUint32(third + 8, 200_000, true);
  const { records, summary } = await read(bytes, 'long.pcap');
  assert.deepEqual(records.map((r) => r.origLen), packets.filter((_, i) => i !== 2).map((p) => p.origLen));
  assert.equal(summary.damaged.records, 1);
  assert.equal(summary.damaged.examples[0].offset, third);
  assert.equal(summary.truncated, null);
});
