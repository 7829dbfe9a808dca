/**
 * Checks every link-layer codec test runs: a round trip at an offset inside a larger buffer of junk,
 * truncation of a header at every length, and random bytes that must never make a decoder throw.
 * Test support only (imported by the `*.test.ts` files beside it).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CollectingContext } from '../context.js';
import type { LayerCodec } from '../layer.js';
import { seededRandom } from '../../core/random.js';

type DecodeFn<L> = (bytes: Uint8Array, offset: number, end: number, ctx: CollectingContext) => L | null;

const JUNK_BYTE = 0xa5;

/** Bytes from hex, ignoring spaces and newlines. */
export function hex(text: string): Uint8Array {
  const clean = text.replace(/\s+/g, '');
  const out = new Uint8Array(clean.length >>> 1);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Copies `bytes` to offset `k` of a larger buffer filled with junk; returns the buffer. */
export function embed(bytes: Uint8Array, k: number, tail = 9): Uint8Array {
  const buf = new Uint8Array(k + bytes.length + tail).fill(JUNK_BYTE);
  buf.set(bytes, k);
  return buf;
}

/** Decodes `bytes` placed at offset `k` of a junk buffer; returns the layer and the anomalies. */
export function decodeAt<L>(
  decode: DecodeFn<L>,
  bytes: Uint8Array,
  k = 7,
): { layer: L | null; ctx: CollectingContext } {
  const buf = embed(bytes, k);
  const ctx = new CollectingContext(k);
  return { layer: decode(buf, k, k + bytes.length, ctx), ctx };
}

/**
 * Encodes `layer` at offset `k` of a junk buffer, appends `payload`, decodes at `k` with a context
 * whose base is `k`, and checks the value comes back deep-equal without anomalies. Returns the
 * encoded header bytes.
 */
export function roundTripAt<L extends { kind: string }>(
  codec: LayerCodec<L>,
  layer: L,
  options: { k?: number; payload?: Uint8Array; decode?: DecodeFn<L> } = {},
): Uint8Array {
  const k = options.k ?? 13;
  const payload = options.payload ?? new Uint8Array(0);
  const len = codec.encodingLength(layer);
  const buf = new Uint8Array(k + len + payload.length + 11).fill(JUNK_BYTE);
  assert.equal(codec.encode(layer, buf, k), k + len, 'encode returns the end offset');
  buf.set(payload, k + len);
  const ctx = new CollectingContext(k);
  const decode = options.decode ?? ((b, o, e, c): L | null => codec.decode(b, o, e, c));
  const back = decode(buf, k, k + len + payload.length, ctx);
  assert.deepEqual(ctx.anomalies, []);
  assert.deepEqual(back, layer);
  return buf.slice(k, k + len);
}

/**
 * Cuts `bytes` (a whole header) to every length below `headerLength` and checks each decode
 * returns null with exactly one anomaly of kind `kind` (offset inside the header), never throwing.
 */
export function assertEveryTruncationFails<L>(
  decode: DecodeFn<L>,
  bytes: Uint8Array,
  headerLength: number,
  kind: string,
): void {
  for (let n = 0; n < headerLength; n++) {
    const { layer, ctx } = decodeAt(decode, bytes.subarray(0, n), 5);
    assert.equal(layer, null, `length ${n} of ${headerLength} decodes to null`);
    assert.equal(ctx.anomalies.length, 1, `length ${n}: one anomaly`);
    assert.equal(ctx.anomalies[0].kind, kind, `length ${n}: anomaly kind`);
    assert.ok(ctx.anomalies[0].offset >= 0 && ctx.anomalies[0].offset <= headerLength, `length ${n}: offset`);
  }
}

/** A small deterministic generator (mulberry32, src/core/random.ts) for random bytes. */
export function randomBytes(seed: number): (n: number) => Uint8Array {
  const next = seededRandom(seed);
  return (n) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = Math.floor(next() * 256);
    return out;
  };
}

/**
 * Decodes `count` random buffers (lengths 0..maxLength, some starting with `prefix`) and checks the
 * decoder never throws and that every decoded layer stays inside the bytes it was given.
 */
export function assertRandomBytesNeverThrow<L extends { offset: number; headerLength: number; payloadLength: number }>(
  decode: DecodeFn<L>,
  options: { seed: number; count?: number; maxLength?: number; prefix?: Uint8Array },
): void {
  const gen = randomBytes(options.seed);
  const count = options.count ?? 2000;
  const maxLength = options.maxLength ?? 64;
  for (let i = 0; i < count; i++) {
    const n = Math.floor(gen(1)[0] / 256 * (maxLength + 1));
    const bytes = gen(n);
    if (options.prefix && i % 2 === 0) bytes.set(options.prefix.subarray(0, Math.min(n, options.prefix.length)));
    const { layer } = decodeAt(decode, bytes, 3);
    if (layer !== null) {
      assert.equal(layer.offset, 0);
      assert.ok(layer.headerLength + layer.payloadLength <= n, `layer fits in ${n} bytes`);
      assert.ok(layer.payloadLength >= 0);
    }
  }
}

/** Whether `tshark` can be run (oracle tests are skipped without it). */
export const HAVE_TSHARK = ((): boolean => {
  try {
    execFileSync('tshark', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const PCAP_MAGIC = 0xa1b2c3d4;
const PCAP_GLOBAL_HEADER_BYTES = 24;
const PCAP_RECORD_HEADER_BYTES = 16;
const PCAP_SNAPLEN = 262_144;

/** A little-endian microsecond pcap holding `frames` with link type `linkType`. */
export function pcapBytes(linkType: number, frames: readonly Uint8Array[]): Uint8Array {
  let size = PCAP_GLOBAL_HEADER_BYTES;
  for (const f of frames) size += PCAP_RECORD_HEADER_BYTES + f.length;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint32(0, PCAP_MAGIC, true);
  view.setUint16(4, 2, true);
  view.setUint16(6, 4, true);
  view.setUint32(16, PCAP_SNAPLEN, true);
  view.setUint32(20, linkType, true);
  let at = PCAP_GLOBAL_HEADER_BYTES;
  frames.forEach((f, i) => {
    view.setUint32(at, 1_700_000_000 + i, true);
    view.setUint32(at + 8, f.length, true);
    view.setUint32(at + 12, f.length, true);
    out.set(f, at + PCAP_RECORD_HEADER_BYTES);
    at += PCAP_RECORD_HEADER_BYTES + f.length;
  });
  return out;
}

/**
 * Writes `frames` to a temporary pcap and returns tshark's `-T fields` output for them: one row per
 * frame, one cell per field (all occurrences joined by commas).
 */
export function tsharkFields(linkType: number, frames: readonly Uint8Array[], fields: readonly string[]): string[][] {
  const dir = mkdtempSync(join(tmpdir(), 'peephole-link-'));
  try {
    const file = join(dir, 'frames.pcap');
    writeFileSync(file, pcapBytes(linkType, frames));
    const args = ['-r', file, '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=,'];
    for (const f of fields) args.push('-e', f);
    const text = execFileSync('tshark', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return text.split('\n').filter((line) => line !== '').map((line) => line.split('\t'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
