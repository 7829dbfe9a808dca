// Mutations of the real captures in ../shared/captures for the fuzz test, each made from a seed and its
// index alone (the same pair gives the same bytes on every machine, so a finding is replayed by its
// index): bits flipped, bytes set to edge values, files cut at and around header and record
// boundaries, absurd record and block lengths, section headers duplicated, records duplicated or
// dropped, and gzip-wrapped variants with the gzip stream itself damaged.
//
// The bases are every shared capture (pcap), its first 256 KiB when longer (cut at a record boundary:
// a mutation of the 3 MB captures costs what one of a 256 KiB capture does, and the framing is the
// same all through), and pcapng rewrites of some of them by the project's own writer (one or two
// sections, the second big-endian, nanosecond timestamps, an unknown block between packets): the
// shared captures are all pcap.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { Random } from '../../src/core/random.js';
import { crc32Table as crc32 } from '../../src/capture/gzip.js';
import { PcapngWriter } from '../../src/capture/pcapng-writer.js';
import { SHARED_CAPTURES_DIR } from './paths.js';

/** Bases are cut to this many bytes (at a record boundary). */
export const MAX_BASE_BYTES = 256 * 1024;

/** A run of bytes the reader frames: a file header, a record, a block; with its length fields. */
interface Unit {
  start: number;
  end: number;
  /** Offsets of the 32-bit length fields (pcap caplen and origLen; pcapng total length at both ends). */
  lengths: number[];
  /** A pcapng SHB, or the pcap file header. */
  sectionHeader: boolean;
}

export interface BaseCapture {
  name: string;
  format: 'pcap' | 'pcapng';
  littleEndian: boolean;
  bytes: Uint8Array;
  units: Unit[];
}

export interface Mutation {
  index: number;
  base: string;
  /** What was done, in order, e.g. `length(rec 12 caplen=0xffffffff) | gzip | gzip-cut(400)`. */
  steps: string[];
  bytes: Uint8Array;
  /** `.pcap`, `.pcapng`, `.pcap.gz` or `.pcapng.gz`. */
  extension: string;
}

function u32(bytes: Uint8Array, at: number, le: boolean): number {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(at, le);
}

function putU32(bytes: Uint8Array, at: number, value: number, le: boolean): void {
  new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).setUint32(at, value >>> 0, le);
}

/** The units of a well-formed pcap, up to `limit` bytes (the rest dropped). */
function pcapUnits(bytes: Uint8Array, limit: number): { units: Unit[]; end: number; le: boolean } {
  const le = u32(bytes, 0, true) === 0xa1b2c3d4 || u32(bytes, 0, true) === 0xa1b23c4d;
  const units: Unit[] = [{ start: 0, end: 24, lengths: [], sectionHeader: true }];
  let p = 24;
  while (p + 16 <= bytes.length) {
    const end = p + 16 + u32(bytes, p + 8, le);
    if (end > bytes.length || end > limit) break;
    units.push({ start: p, end, lengths: [p + 8, p + 12], sectionHeader: false });
    p = end;
  }
  return { units, end: p, le };
}

/** The blocks of a well-formed pcapng. */
function pcapngUnits(bytes: Uint8Array): Unit[] {
  const units: Unit[] = [];
  let le = true;
  for (let p = 0; p + 12 <= bytes.length; ) {
    const type = u32(bytes, p, le);
    if (type === 0x0a0d0d0a) le = u32(bytes, p + 8, true) === 0x1a2b3c4d;
    const length = u32(bytes, p + 4, le);
    units.push({ start: p, end: p + length, lengths: [p + 4, p + length - 4], sectionHeader: type === 0x0a0d0d0a });
    p += length;
  }
  return units;
}

/** A pcap's records rewritten as pcapng: `sections` sections (the second big-endian), nanosecond timestamps. */
function asPcapng(pcap: BaseCapture, sections: number, random: Random): Uint8Array {
  const w = new PcapngWriter({ interfaces: [{ tsresol: { base: 10, exponent: 9 } }], comment: `from ${pcap.name}` });
  const records = pcap.units.filter((u) => !u.sectionHeader);
  const nsec = u32(pcap.bytes, 0, pcap.littleEndian) === 0xa1b23c4d;
  records.forEach((u, i) => {
    if (sections === 2 && i === records.length >> 1) w.newSection({ byteOrder: 'be', interfaces: [{}, { tsresol: { base: 10, exponent: 9 } }] });
    if (i % 17 === 5) w.writeBlock(0x4321, random.bytes(random.int(0, 12)));
    const b = pcap.bytes;
    const capLen = u32(b, u.start + 8, pcap.littleEndian);
    const frac = u32(b, u.start + 4, pcap.littleEndian);
    w.writePacket({
      tsSec: u32(b, u.start, pcap.littleEndian),
      tsNsec: nsec ? frac : frac * 1000,
      data: b.subarray(u.start + 16, u.start + 16 + capLen),
      origLen: Math.max(capLen, u32(b, u.start + 12, pcap.littleEndian)),
      iface: sections === 2 && i >= records.length >> 1 ? 1 : 0,
    });
  });
  return w.toBytes();
}

/** Every shared capture (its first {@link MAX_BASE_BYTES}), and pcapng rewrites of every fourth. */
export function baseCaptures(): BaseCapture[] {
  const names = readdirSync(SHARED_CAPTURES_DIR)
    .filter((f) => f.endsWith('.pcap'))
    .sort();
  const bases: BaseCapture[] = [];
  for (const name of names) {
    const whole = readFileSync(path.join(SHARED_CAPTURES_DIR, name));
    const { units, end, le } = pcapUnits(whole, MAX_BASE_BYTES);
    const bytes = new Uint8Array(whole.subarray(0, end));
    bases.push({ name, format: 'pcap', littleEndian: le, bytes, units });
  }
  const random = new Random(4);
  for (const base of bases.filter((_, i) => i % 4 === 1)) {
    const bytes = asPcapng(base, base.units.length % 2 === 0 ? 2 : 1, random);
    bases.push({ name: `${base.name} as pcapng`, format: 'pcapng', littleEndian: true, bytes, units: pcapngUnits(bytes) });
  }
  return bases;
}

/** Values a length field is set to: zero, tiny, unaligned, around the limits, the file size. */
function absurdLength(random: Random, current: number, fileSize: number): number {
  return random.pick([0, 1, 3, 4, 11, 12, 15, 16, 27, 28, 0x7fffffff, 0x80000000, 0xffffffff, 0xfffffffc, 64 * 1024 * 1024, 64 * 1024 * 1024 + 4, 262144, 262145, fileSize, current + 1, current - 1, current + 4, current - 4, current * 2, current + random.int(-64, 64)]);
}

const EDGE_BYTES = [0x00, 0xff, 0x7f, 0x80, 0x01, 0x0a, 0x0d];

function splice(bytes: Uint8Array, at: number, remove: number, insert: Uint8Array = new Uint8Array(0)): Uint8Array {
  const out = new Uint8Array(bytes.length - remove + insert.length);
  out.set(bytes.subarray(0, at), 0);
  out.set(insert, at);
  out.set(bytes.subarray(at + remove), at + insert.length);
  return out;
}

/** One change to the capture bytes (framing known from the base); returns the bytes and what was done. */
function captureStep(base: BaseCapture, bytes: Uint8Array, random: Random): [Uint8Array, string] {
  const units = base.units.filter((u) => u.end <= bytes.length);
  const unit = (): Unit => (units.length > 0 ? random.pick(units) : { start: 0, end: bytes.length, lengths: [], sectionHeader: true });
  const out = bytes.slice();
  switch (random.int(0, 9)) {
    case 0: {
      const flips = random.int(1, 8);
      for (let i = 0; i < flips && out.length > 0; i++) out[random.int(0, out.length - 1)] ^= 1 << random.int(0, 7);
      return [out, `flip(${flips} bits)`];
    }
    case 1: {
      // Bits flipped in a unit's header, where the framing is.
      const u = unit();
      const at = Math.min(out.length - 1, u.start + random.int(0, Math.min(31, u.end - u.start - 1)));
      if (at < 0) return [out, 'flip-header(empty)'];
      out[at] ^= 1 << random.int(0, 7);
      return [out, `flip-header(${at})`];
    }
    case 2: {
      const n = random.int(1, 4);
      const at: number[] = [];
      for (let i = 0; i < n && out.length > 0; i++) {
        const p = random.int(0, out.length - 1);
        out[p] = random.pick(EDGE_BYTES);
        at.push(p);
      }
      return [out, `edge-bytes(${at.join(',')})`];
    }
    case 3: {
      const cut = random.int(0, out.length);
      return [out.subarray(0, cut), `cut(${cut})`];
    }
    case 4: {
      // Cut at a unit boundary or a few bytes either side (inside the file header, a record header,
      // a block's length fields).
      const u = unit();
      const cut = Math.max(0, Math.min(out.length, random.pick([u.start, u.end]) + random.int(-4, 12)));
      return [out.subarray(0, cut), `cut-boundary(${cut})`];
    }
    case 5:
    case 6: {
      const withLengths = units.filter((u) => u.lengths.length > 0);
      if (withLengths.length === 0) return [out, 'length(none)'];
      const u = random.pick(withLengths);
      const field = random.pick(u.lengths);
      const le = base.format === 'pcap' ? base.littleEndian : sectionByteOrder(base, u.start);
      const value = absurdLength(random, u32(out, field, le), out.length) >>> 0;
      putU32(out, field, value, le);
      return [out, `length(@${field}=0x${value.toString(16)})`];
    }
    case 7: {
      // A section header again at a unit boundary: the pcap file header, or a pcapng SHB (with or
      // without the IDBs that follow it).
      const headers = base.units.filter((u) => u.sectionHeader);
      const h = random.pick(headers);
      let end = h.end;
      if (base.format === 'pcapng' && random.next() < 0.5) {
        for (const u of base.units) if (u.start === end && !u.sectionHeader && u32(base.bytes, u.start, true) === 1) end = u.end;
      }
      const at = unit().end;
      return [splice(out, Math.min(at, out.length), 0, base.bytes.subarray(h.start, end)), `duplicate-section-header(${h.start}..${end} at ${at})`];
    }
    case 8: {
      // A unit duplicated or dropped.
      const u = unit();
      if (random.next() < 0.5) return [splice(out, u.end, 0, out.slice(u.start, u.end)), `duplicate-unit(${u.start}..${u.end})`];
      return [splice(out, u.start, u.end - u.start), `drop-unit(${u.start}..${u.end})`];
    }
    default: {
      // A random run of bytes copied over another place.
      const n = random.int(1, 64);
      const from = random.int(0, Math.max(0, out.length - n));
      const to = random.int(0, Math.max(0, out.length - n));
      out.copyWithin(to, from, from + n);
      return [out, `copy(${from}+${n} to ${to})`];
    }
  }
}

function sectionByteOrder(base: BaseCapture, offset: number): boolean {
  let le = true;
  for (const u of base.units) {
    if (u.start > offset) break;
    if (u.sectionHeader) le = u32(base.bytes, u.start + 8, true) === 0x1a2b3c4d;
  }
  return le;
}

/** gzip(1)'s header with the file name (FNAME), around deflate data of `data`; or zlib's, without. */
function gzipOf(data: Uint8Array, random: Random): [Uint8Array, string] {
  const level = random.int(1, 9);
  if (random.next() < 0.5) return [gzipSync(data, { level }), `gzip(${level})`];
  const members = random.next() < 0.3 ? 2 : 1;
  const split = members === 2 ? random.int(0, data.length) : data.length;
  const parts = [data.subarray(0, split), data.subarray(split)].slice(0, members);
  const out = parts.map((part) => {
    const header = Buffer.concat([Uint8Array.of(0x1f, 0x8b, 8, 0x08, 0, 0, 0, 0, 0, 3), Buffer.from('capture.pcap\0', 'latin1')]);
    const trailer = Buffer.alloc(8);
    trailer.writeUInt32LE(crc32(part), 0);
    trailer.writeUInt32LE(part.length, 4);
    return Buffer.concat([header, gzipSync(part, { level }).subarray(10, -8), trailer]);
  });
  return [Buffer.concat(out), `gzip(${level}, name, ${members} member(s) split at ${split})`];
}

/** One change to the gzip stream. */
function gzipStep(gz: Uint8Array, random: Random): [Uint8Array, string] {
  const out = gz.slice();
  switch (random.int(0, 6)) {
    case 0: {
      const cut = random.int(0, out.length);
      return [out.subarray(0, cut), `gzip-cut(${cut})`];
    }
    case 1: {
      // Cut inside the header, or inside the trailer.
      const cut = random.next() < 0.5 ? random.int(1, 30) : out.length - random.int(1, 8);
      return [out.subarray(0, Math.max(0, cut)), `gzip-cut-edge(${cut})`];
    }
    case 2: {
      const flips = random.int(1, 4);
      for (let i = 0; i < flips; i++) out[random.int(0, out.length - 1)] ^= 1 << random.int(0, 7);
      return [out, `gzip-flip(${flips})`];
    }
    case 3: {
      // The trailer's CRC-32 or length, or a header byte (method, flags, name).
      const at = random.next() < 0.6 ? out.length - random.int(1, 8) : random.int(2, 12);
      out[at] ^= 1 << random.int(0, 7);
      return [out, `gzip-flip-edge(${at})`];
    }
    case 4: {
      const tail = random.next() < 0.5 ? new Uint8Array(random.int(1, 600)) : random.bytes(random.int(1, 40));
      return [Buffer.concat([out, tail]), `gzip-append(${tail.length})`];
    }
    case 5:
      // gzip of gzip.
      return [gzipSync(out), 'gzip-again'];
    default:
      return [out, 'gzip-intact'];
  }
}

/** The mutation `index` of the run seeded with `seed`: 1 to 3 changes to a base, then maybe gzip. */
export function mutation(bases: readonly BaseCapture[], seed: number, index: number): Mutation {
  const random = new Random((Math.imul(seed, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0);
  const base = random.pick(bases);
  let bytes: Uint8Array = base.bytes;
  const steps: string[] = [];
  const changes = random.next() < 0.15 ? 0 : random.int(1, 3);
  for (let i = 0; i < changes; i++) {
    const [next, step] = captureStep(base, bytes, random);
    bytes = next;
    steps.push(step);
  }
  let extension = base.format === 'pcap' ? '.pcap' : '.pcapng';
  if (changes === 0 || random.next() < 0.3) {
    const [gz, step] = gzipOf(bytes, random);
    bytes = gz;
    steps.push(step);
    extension += '.gz';
    if (random.next() < 0.7) {
      const [bad, gzStep] = gzipStep(bytes, random);
      bytes = bad;
      steps.push(gzStep);
    }
  }
  return { index, base: base.name, steps, bytes, extension };
}
