// The packet decoder on damaged input, with the frames of every generated capture
// (test/fixtures/corner-cases.ts) as material: every prefix of every frame, seeded random byte changes,
// and a capture file cut at every byte. Nothing may throw out of `PacketDecoder.decode()`, a decoder
// may not read past the captured bytes, a cut inside a header must be reported as an anomaly, and
// every anomaly kind must be one a layer module documents in its `*_ANOMALIES` table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readCapture } from '../src/capture/reader.js';
import { createRecord, type CaptureRecord } from '../src/capture/record.js';
import { DecodeError } from '../src/core/decode-error.js';
import { packetRow } from '../src/report/packet-fields.js';
import type { Layer } from '../src/decode/layer.js';
import { PacketDecoder, type Packet } from '../src/decode/packet.js';
import { Random } from '../src/core/random.js';
import { generatedCaptures } from './fixtures/corner-cases.js';
import { captureBytes, frameTime, type GeneratedCapture, type GeneratedFormat } from './fixtures/generated-capture.js';
import { KNOWN_DIFFERENCES } from './fixtures/known-differences.js';
import { documentedAnomalyKinds } from './support/anomaly-kinds.js';

interface Fixture {
  readonly capture: string;
  readonly frame: number;
  readonly linkType: number;
  readonly data: Uint8Array;
}

const captures: GeneratedCapture[] = [...generatedCaptures(), ...KNOWN_DIFFERENCES.map((d) => d.capture)];
const fixtures: Fixture[] = captures.flatMap((c) => c.frames.map((f, i) => ({ capture: c.name, frame: i + 1, linkType: c.linkType, data: f.data })));
const documented = await documentedAnomalyKinds();

/** Junk before the packet in its buffer: decoders must use the record's offset, not 0. */
const LEAD_BYTES = 7;
const RANDOM_CHANGES = 2_000;
const MAX_BYTES_CHANGED = 4;
/** Half the changes hit the first bytes, where the headers are. */
const HEADER_ZONE_BYTES = 80;
const SEED = 20_231_114;

/** A record over `buf[LEAD_BYTES, LEAD_BYTES + capLen)`, captured from a frame of `origLen` bytes. */
function record(frame: number, linkType: number, buf: Uint8Array, capLen: number, origLen: number): CaptureRecord {
  const rec = createRecord();
  const t = frameTime(frame - 1);
  rec.frame = frame;
  rec.tsSec = t.tsSec;
  rec.tsNsec = t.tsNsec;
  rec.linkType = linkType;
  rec.buf = buf;
  rec.offset = LEAD_BYTES;
  rec.capLen = capLen;
  rec.origLen = origLen;
  return rec;
}

function withLead(bytes: Uint8Array, length = bytes.length): Uint8Array {
  const buf = new Uint8Array(LEAD_BYTES + length).fill(0xee, 0, LEAD_BYTES);
  buf.set(bytes.subarray(0, length), LEAD_BYTES);
  return buf;
}

function decodeOrFail(decoder: PacketDecoder, rec: CaptureRecord, what: string): Packet {
  try {
    return decoder.decode(rec);
  } catch (error) {
    assert.fail(`${what}: decode() threw ${(error as Error).stack ?? String(error)}`);
  }
}

const LINK_AND_NETWORK_KINDS = new Set<Layer['kind']>(['ethernet', 'vlan', 'pppoe', 'sll', 'sll2', 'loopback', 'radiotap', 'ieee80211', 'llc', 'arp', 'ipv4', 'ipv6', 'icmp', 'icmpv6', 'udp', 'tcp']);

const FCS_BYTES = 4;

/**
 * The byte ranges `[start, end)` of the headers in a whole frame (link to transport; a UDP DNS message
 * whole), and for each the bytes an FCS trailer takes after it (802.11 behind radiotap with the FCS flag).
 */
function headerRanges(packet: Packet): { start: number; end: number; trailer: number }[] {
  let trailer = 0;
  const out: { start: number; end: number; trailer: number }[] = [];
  for (const l of packet.layers) {
    if (LINK_AND_NETWORK_KINDS.has(l.kind) || (l.kind === 'dns' && l.transport === 'udp')) out.push({ start: l.offset, end: l.offset + l.headerLength, trailer });
    if (l.kind === 'radiotap' && l.fcsAtEnd) trailer = FCS_BYTES;
  }
  return out;
}

function kindsOf(packet: Packet): string {
  return packet.anomalies.map((a) => a.kind).join(',');
}

test('the robustness fixtures are the frames of every generated capture', () => {
  assert.ok(fixtures.length > 300, `${fixtures.length} frames`);
  assert.ok(new Set(fixtures.map((f) => f.linkType)).size >= 12, 'frames of at least 12 link types');
});

test('decoding every prefix of every generated frame never throws, never reads past the captured bytes, and reports every cut header', (t) => {
  let prefixes = 0;
  for (const f of fixtures) {
    const full = decodeOrFail(new PacketDecoder(), record(f.frame, f.linkType, withLead(f.data), f.data.length, f.data.length), `${f.capture} #${f.frame}`);
    const headers = headerRanges(full);
    // Prefixes as a snap length leaves them (the wire length kept) and as a short frame (the wire length cut too).
    for (const snapped of [true, false]) {
      const inPlace = new PacketDecoder();
      const alone = new PacketDecoder();
      const whole = withLead(f.data);
      for (let capLen = 0; capLen <= f.data.length; capLen++) {
        const what = `${f.capture} #${f.frame} cut to ${capLen} of ${f.data.length} bytes (${snapped ? 'snapped' : 'short frame'})`;
        const origLen = snapped ? f.data.length : capLen;
        // The same prefix with the rest of the frame after it in the buffer, and alone in a buffer of its own.
        const a = decodeOrFail(inPlace, record(f.frame, f.linkType, whole, capLen, origLen), what);
        const b = decodeOrFail(alone, record(f.frame, f.linkType, withLead(f.data, capLen), capLen, origLen), what);
        assert.deepEqual(packetRow(a), packetRow(b), `${what}: the bytes after the captured ones changed the fields`);
        assert.equal(kindsOf(a), kindsOf(b), `${what}: the bytes after the captured ones changed the anomalies`);
        // In a short frame the FCS trailer moves with the cut: the body ends 4 bytes before it.
        const inside = headers.find(({ start, end, trailer }) => {
          const bodyEnd = snapped ? capLen : capLen - trailer;
          return bodyEnd > start && bodyEnd < end;
        });
        if (inside !== undefined) {
          assert.ok(a.anomalies.length > 0, `${what}: cut inside the header at [${inside.start}, ${inside.end}) without an anomaly`);
        }
        prefixes++;
      }
      assert.ok(inPlace.anomalies.total > 0 || headers.length === 0, `${f.capture} #${f.frame}: no anomaly counted for any prefix`);
      for (const { kind } of inPlace.anomalies.entries()) assert.ok(documented.has(kind), `${f.capture} #${f.frame}: undocumented anomaly kind ${kind}`);
    }
  }
  assert.ok(prefixes > 100_000, `${prefixes} prefixes decoded`);
  t.diagnostic(`${prefixes} prefixes of ${fixtures.length} frames decoded twice each`);
});

test(`${RANDOM_CHANGES} seeded random byte changes to generated frames never make decode() throw, and every anomaly kind is documented`, (t) => {
  const random = new Random(SEED);
  const decoder = new PacketDecoder();
  for (let n = 0; n < RANDOM_CHANGES; n++) {
    const f = fixtures[random.int(0, fixtures.length - 1)];
    const bytes = f.data.slice();
    const changes = random.int(1, MAX_BYTES_CHANGED);
    const changed: string[] = [];
    for (let c = 0; c < changes; c++) {
      const zone = random.next() < 0.5 ? Math.min(HEADER_ZONE_BYTES, bytes.length) : bytes.length;
      const at = random.int(0, zone - 1);
      bytes[at] = random.int(0, 255);
      changed.push(`${at}=${bytes[at]}`);
    }
    // Sometimes the frame is also cut short, and sometimes its wire length is a lie.
    const capLen = random.next() < 0.2 ? random.int(0, bytes.length) : bytes.length;
    const origLen = random.next() < 0.1 ? random.int(capLen, capLen + 100) : bytes.length;
    decodeOrFail(decoder, record(n + 1, f.linkType, withLead(bytes), capLen, Math.max(capLen, origLen)), `change ${n}: ${f.capture} #${f.frame} with bytes ${changed.join(' ')}, cut to ${capLen}`);
  }
  const entries = decoder.anomalies.entries();
  t.diagnostic(entries.map((e) => `${e.kind} ${e.count}`).join(', '));
  assert.ok(entries.length >= 10, `only ${entries.length} anomaly kinds met: ${entries.map((e) => e.kind).join(', ')}`);
  for (const { kind, count } of entries) {
    assert.ok(count > 0);
    assert.ok(documented.has(kind), `undocumented anomaly kind ${kind}`);
  }
});

/** Byte offsets where the file may end cleanly: after the file header (pcap) or after each block (pcapng), and after each record. */
function boundaries(bytes: Uint8Array, format: GeneratedFormat): Set<number> {
  const out = new Set<number>();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (format !== 'pcapng') {
    const le = format === 'pcap-us-le';
    for (let at = 24; at <= bytes.length; at += 16 + view.getUint32(at + 8, le)) {
      out.add(at);
      if (at === bytes.length) break;
    }
    return out;
  }
  let le = true;
  for (let at = 0; at < bytes.length; ) {
    if (view.getUint32(at, false) === 0x0a0d0d0a) le = view.getUint32(at + 8, true) === 0x1a2b3c4d;
    at += view.getUint32(at + 4, le);
    out.add(at);
  }
  return out;
}

async function cutAtEveryByte(capture: GeneratedCapture, format: GeneratedFormat): Promise<string[]> {
  const bytes = captureBytes(capture, format);
  const ends = boundaries(bytes, format);
  const dir = mkdtempSync(path.join(tmpdir(), 'peephole-cut-'));
  const problems: string[] = [];
  try {
    for (let length = 0; length <= bytes.length; length++) {
      const file = path.join(dir, `cut-${length}`);
      writeFileSync(file, bytes.subarray(0, length));
      const decoder = new PacketDecoder();
      let delivered = 0;
      try {
        const summary = await readCapture(file, (rec) => {
          decoder.decode(rec);
          delivered++;
        });
        if (ends.has(length)) {
          if (summary.truncated !== null || summary.damaged.records > 0) problems.push(`${length}: a clean end read as cut (${JSON.stringify(summary.truncated)}, ${summary.damaged.records} damaged)`);
        } else if (summary.truncated === null) {
          problems.push(`${length}: cut inside a block or record, not reported as truncated (${delivered} records, ${summary.damaged.records} damaged)`);
        }
      } catch (error) {
        if (!(error instanceof DecodeError)) problems.push(`${length}: threw ${(error as Error).name}: ${(error as Error).message}`);
        else if (length >= Math.min(...ends)) problems.push(`${length}: threw after the file header: ${error.message}`);
      } finally {
        rmSync(file);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return problems;
}

const SMALL = captures.find((c) => c.name === 'link-ipv4')!;

test('a generated pcapng (two sections) cut at every byte reads without any error but DecodeError, and every cut inside a block is reported as truncated', async () => {
  assert.deepEqual(await cutAtEveryByte(SMALL, 'pcapng'), []);
});

test('a generated microsecond pcap cut at every byte reads without any error but DecodeError, and every cut inside a record is reported as truncated', async () => {
  assert.deepEqual(await cutAtEveryByte(SMALL, 'pcap-us-le'), []);
});

test('a generated nanosecond big-endian pcap cut at every byte reports every cut inside a record as truncated', async () => {
  assert.deepEqual(await cutAtEveryByte(SMALL, 'pcap-ns-be'), []);
});
