import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  encodeTsresol,
  formatTsresol,
  parseTsresol,
  TimestampConverter,
  unitsPerSecond,
  type TsResolution,
} from './timestamp.js';
import { randomInt, seededRandom } from './test-support.js';

/** Wireshark's arithmetic, in BigInt. */
function reference(high: number, low: number, res: TsResolution, offsetSec: number): { tsSec: number; tsNsec: number } {
  const ts = (BigInt(high) << 32n) | BigInt(low);
  const u = unitsPerSecond(res);
  return { tsSec: Number(ts / u) + offsetSec, tsNsec: Number(((ts % u) * 1_000_000_000n) / u) };
}

const RESOLUTIONS: TsResolution[] = [
  ...Array.from({ length: 16 }, (_, e): TsResolution => ({ base: 10, exponent: e })),
  ...Array.from({ length: 48 }, (_, e): TsResolution => ({ base: 2, exponent: e })),
];

test('parseTsresol() reads powers of 10 and, with bit 7 set, powers of 2', () => {
  assert.deepEqual(parseTsresol(6), { base: 10, exponent: 6 });
  assert.deepEqual(parseTsresol(9), { base: 10, exponent: 9 });
  assert.deepEqual(parseTsresol(0x94), { base: 2, exponent: 20 });
  assert.equal(encodeTsresol({ base: 2, exponent: 20 }), 0x94);
  assert.equal(encodeTsresol({ base: 10, exponent: 9 }), 9);
  assert.equal(formatTsresol({ base: 2, exponent: 30 }), '2^-30');
  assert.throws(() => encodeTsresol({ base: 10, exponent: 128 }), RangeError);
});

test('TimestampConverter.toRecord() truncates to nanoseconds exactly like Wireshark for every resolution', () => {
  const random = seededRandom(7);
  const rec = { tsSec: 0, tsNsec: 0 };
  for (const res of RESOLUTIONS) {
    for (const offset of [0, 100, -5]) {
      const conv = new TimestampConverter(res, offset);
      const samples: [number, number][] = [
        [0, 0],
        [0, 1],
        [0xffff_ffff, 0xffff_ffff],
        [0x17925ad5, 0xa4c4b306],
        [0x0005f8ad, 0x12345678],
        [0x001f_ffff, 0xffff_ffff],
        [0x0020_0000, 0],
      ];
      for (let i = 0; i < 300; i++) samples.push([randomInt(random, 2 ** 32), randomInt(random, 2 ** 32)]);
      // Either side of whole seconds, today and near the 64-bit end, where double rounding bites.
      const u = unitsPerSecond(res);
      for (const k of [1_700_000_000n, (1n << 64n) / u - 1n, BigInt(randomInt(random, 2 ** 32)) % ((1n << 64n) / u)]) {
        for (const d of [-1n, 0n, 1n]) {
          const ts = k * u + d;
          if (ts >= 0n && ts < 1n << 64n) samples.push([Number(ts >> 32n), Number(ts & 0xffff_ffffn)]);
        }
      }
      for (const [high, low] of samples) {
        conv.toRecord(high, low, rec);
        assert.deepEqual(rec, reference(high, low, res, offset), `${formatTsresol(res)} offset ${offset} ts ${high}:${low}`);
      }
    }
  }
});

test('TimestampConverter.fromTime() writes floor(ns * units / 1e9) units after the offset, for every resolution', () => {
  const random = seededRandom(11);
  for (const res of RESOLUTIONS) {
    const u = unitsPerSecond(res);
    const conv = new TimestampConverter(res, 10);
    // Seconds up to what 64 bits of units hold (and below 2^32), small ones and today's.
    const limit = Math.min(Number((1n << 64n) / u) - 1, 2 ** 32 - 1);
    for (let i = 0; i < 200; i++) {
      const sec = 10 + (i % 2 === 0 ? randomInt(random, limit + 1) : randomInt(random, Math.min(limit, 2_000_000_000) + 1));
      const ns = randomInt(random, 1_000_000_000);
      conv.fromTime(sec, ns);
      const expected = BigInt(sec - 10) * u + (BigInt(ns) * u) / 1_000_000_000n;
      const got = (BigInt(conv.high) << 32n) | BigInt(conv.low);
      assert.equal(got, expected, `${formatTsresol(res)} ${sec}.${ns}`);
    }
  }
});

test('TimestampConverter round trip keeps nanoseconds at 10^-9 and truncates coarser units', () => {
  const rec = { tsSec: 0, tsNsec: 0 };
  const ns9 = new TimestampConverter({ base: 10, exponent: 9 }, 0);
  ns9.fromTime(1698413468, 559085894);
  ns9.toRecord(ns9.high, ns9.low, rec);
  assert.deepEqual(rec, { tsSec: 1698413468, tsNsec: 559085894 });

  const us = new TimestampConverter({ base: 10, exponent: 6 }, 0);
  us.fromTime(1698413468, 559085894);
  us.toRecord(us.high, us.low, rec);
  assert.deepEqual(rec, { tsSec: 1698413468, tsNsec: 559085000 });

  // 2^-20 s units: 123456789 ns -> floor(123456789 * 2^20 / 1e9) = 129453 units -> 123456001 ns,
  // which is what tshark prints for such a file.
  const bin = new TimestampConverter({ base: 2, exponent: 20 }, 0);
  bin.fromTime(1700000000, 123456789);
  assert.equal(bin.low % 2 ** 20, 129453);
  bin.toRecord(bin.high, bin.low, rec);
  assert.deepEqual(rec, { tsSec: 1700000000, tsNsec: 123456001 });
});

test('TimestampConverter.fromTime() rejects times before the offset, bad nanoseconds and overflow', () => {
  const conv = new TimestampConverter({ base: 10, exponent: 9 }, 100);
  assert.throws(() => conv.fromTime(99, 0), RangeError);
  assert.throws(() => conv.fromTime(200, 1_000_000_000), RangeError);
  assert.throws(() => conv.fromTime(200, -1), RangeError);
  assert.throws(() => conv.fromTime(200.5, 0), RangeError);
  assert.throws(() => conv.fromTime(100 + 2 ** 35, 0), RangeError);
});
