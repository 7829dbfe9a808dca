/**
 * Helpers for the capture tests only: running the tshark tools as an oracle, a seeded random number
 * generator, synthetic packets, and a scratch folder.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CaptureParser } from './capture-parser.js';
import { createCaptureParser, detectFormat } from './format-detect.js';
import type { PacketToWrite } from './capture-writer.js';
import { recordBytes, type CaptureRecord } from './record.js';
import { seededRandom } from '../core/random.js';

/** The warning Wireshark's tools print on stderr when run as root; it says nothing about the file. */
const ROOT_WARNING = /^Running as user "root" and group "root"\. This could be dangerous\.$/;

export interface ToolResult {
  status: number | null;
  stdout: string;
  /** stderr without the run-as-root warning. */
  stderr: string;
}

/** Runs tshark, capinfos, editcap, ... and returns what they printed. */
export function runTool(command: string, args: string[], input?: Uint8Array): ToolResult {
  const r = spawnSync(command, args, { encoding: 'utf8', input, maxBuffer: 256 * 1024 * 1024 });
  if (r.error) throw r.error;
  const stderr = r.stderr
    .split('\n')
    .filter((line) => line !== '' && !ROOT_WARNING.test(line))
    .join('\n');
  return { status: r.status, stdout: r.stdout, stderr };
}

/** `tshark -r file -T fields -e ...`: one array of field values per frame. */
export function tsharkFields(file: string, fields: string[]): { rows: string[][]; stderr: string } {
  const args = ['-r', file, '-T', 'fields', '-E', 'occurrence=f'];
  for (const f of fields) args.push('-e', f);
  const r = runTool('tshark', args);
  const rows = r.stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.split('\t'));
  return { rows, stderr: r.stderr };
}

/** `capinfos -c -M`: the packet count and anything printed on stderr. */
export function capinfosCount(file: string): { packets: number; stderr: string } {
  const r = runTool('capinfos', ['-c', '-M', file]);
  const m = /Number of packets:\s+(\d+)/.exec(r.stdout);
  return { packets: m ? Number(m[1]) : -1, stderr: r.stderr };
}

/** A small seeded generator (mulberry32, src/core/random.ts): the same seed gives the same sequence. */
export { seededRandom };

/** An integer in [0, n). */
export function randomInt(random: () => number, n: number): number {
  return Math.floor(random() * n);
}

export interface SyntheticPacket {
  tsSec: number;
  tsNsec: number;
  data: Uint8Array;
  origLen: number;
}

/**
 * `count` Ethernet-looking frames of 14..`maxBytes` bytes with increasing times from `startSec`,
 * nanosecond fractions included.
 */
export function syntheticPackets(count: number, seed: number, startSec = 1_700_000_000, maxBytes = 200): SyntheticPacket[] {
  const random = seededRandom(seed);
  const out: SyntheticPacket[] = [];
  let sec = startSec;
  let ns = randomInt(random, 1_000_000_000);
  for (let i = 0; i < count; i++) {
    const length = 14 + randomInt(random, maxBytes - 13);
    const data = new Uint8Array(length);
    for (let j = 0; j < length; j++) data[j] = randomInt(random, 256);
    data[12] = 0x08; // EtherType IPv4, so tshark has something to dissect
    data[13] = 0x00;
    out.push({ tsSec: sec, tsNsec: ns, data, origLen: length });
    ns += randomInt(random, 2_000_000_000);
    sec += Math.floor(ns / 1_000_000_000);
    ns %= 1_000_000_000;
  }
  return out;
}

/** A fresh temporary folder and a function that removes it. */
export function scratchDir(): { dir: string; path: (name: string) => string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'peephole-capture-'));
  return { dir, path: (name) => join(dir, name), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A record copied out of the callback. */
export interface CopiedRecord {
  frame: number;
  tsSec: number;
  tsNsec: number;
  linkType: number;
  iface: number;
  capLen: number;
  origLen: number;
  fileOffset: number;
  data: Uint8Array;
}

export function copyRecord(rec: CaptureRecord): CopiedRecord {
  return {
    frame: rec.frame,
    tsSec: rec.tsSec,
    tsNsec: rec.tsNsec,
    linkType: rec.linkType,
    iface: rec.iface,
    capLen: rec.capLen,
    origLen: rec.origLen,
    fileOffset: rec.fileOffset,
    data: recordBytes(rec),
  };
}

/**
 * Parses `bytes` (pcap or pcapng) with the push parser, in chunks of `chunk` bytes (or of sizes the
 * function gives), and returns copies of the records and the parser (after `end()`).
 */
export function parseAll(bytes: Uint8Array, chunk: number | (() => number) = bytes.length || 1): { records: CopiedRecord[]; parser: CaptureParser } {
  const format = detectFormat(bytes);
  if (format !== 'pcap' && format !== 'pcapng') throw new Error(`not a capture: ${String(format)}`);
  const records: CopiedRecord[] = [];
  const parser = createCaptureParser(format, (rec) => records.push(copyRecord(rec)));
  for (let p = 0; p < bytes.length; ) {
    const n = Math.max(1, typeof chunk === 'number' ? chunk : chunk());
    parser.push(bytes.subarray(p, Math.min(bytes.length, p + n)));
    p += n;
  }
  parser.end();
  return { records, parser };
}

/**
 * Refills `rec` with a frame to be written, as a reader would deliver it (the next frame number),
 * for tests that decode frames without writing them to a file first.
 */
export function fillRecord(rec: CaptureRecord, frame: PacketToWrite, linkType: number): CaptureRecord {
  rec.buf = frame.data;
  rec.offset = 0;
  rec.capLen = frame.data.length;
  rec.origLen = frame.origLen ?? frame.data.length;
  rec.tsSec = frame.tsSec;
  rec.tsNsec = frame.tsNsec;
  rec.linkType = linkType;
  rec.frame++;
  return rec;
}
