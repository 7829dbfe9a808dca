/**
 * pcapng timestamps: a 64-bit count of units since the epoch (plus the interface's `if_tsoffset` in
 * seconds), where a unit is 10^-k or 2^-k seconds (`if_tsresol`, bit 7 set for powers of two).
 *
 * Converting to (seconds, nanoseconds) truncates as Wireshark does:
 * `sec = floor(ts / units)`, `nsec = floor((ts % units) * 1e9 / units)`.
 * The common resolutions (10^-4..10^-9, 2^-13..2^-30) take one double division corrected through
 * the low 32 bits; others up to 10^-10 and 2^-32 are divided exactly on 16-bit limbs; finer ones
 * fall back to BigInt.
 *
 * ```ts
 * const t = new TimestampConverter(parseTsresol(9), 0);
 * t.toRecord(0x17925ad5, 0xa4c4b306, rec); // rec.tsSec, rec.tsNsec
 * t.fromTime(1698413468, 559085894);       // t.high, t.low
 * ```
 */

/** One unit is `base ** -exponent` seconds. */
export interface TsResolution {
  readonly base: 10 | 2;
  readonly exponent: number;
}

/** The pcapng default (no if_tsresol option): microseconds. */
export const TSRESOL_MICROSECONDS: TsResolution = { base: 10, exponent: 6 };
export const TSRESOL_NANOSECONDS: TsResolution = { base: 10, exponent: 9 };

const TSRESOL_BINARY_FLAG = 0x80;
const TSRESOL_EXPONENT_MASK = 0x7f;
const TWO_POW_16 = 65536;
const TWO_POW_32 = 4_294_967_296;
const TWO_POW_53 = 9_007_199_254_740_992;
/** Largest number of units per second converted with doubles (limb products stay below 2^53). */
const MAX_FAST_UNITS = 2 ** 36;
const NS_PER_SECOND = 1_000_000_000;
/** 10^9 ns per second, and 10^9 = 1953125 * 2^9. */
const NS_ODD_FACTOR = 1_953_125;
const NS_EXPONENT = 9;

/** Units per second for which one double division, corrected, gives the exact quotient. */
const APPROXIMATE_MIN_UNITS = 2 ** 12;
const APPROXIMATE_MAX_UNITS = 2 ** 30;

const MODE_POW10 = 0;
const MODE_POW2 = 1;
const MODE_BIGINT = 2;

/** Decodes the one-byte if_tsresol option value. */
export function parseTsresol(value: number): TsResolution {
  return (value & TSRESOL_BINARY_FLAG) !== 0
    ? { base: 2, exponent: value & TSRESOL_EXPONENT_MASK }
    : { base: 10, exponent: value & TSRESOL_EXPONENT_MASK };
}

/** Encodes a resolution as the one-byte if_tsresol option value. */
export function encodeTsresol(res: TsResolution): number {
  if (!Number.isInteger(res.exponent) || res.exponent < 0 || res.exponent > TSRESOL_EXPONENT_MASK) {
    throw new RangeError(`if_tsresol exponent must be 0..127, got ${res.exponent}`);
  }
  return res.base === 2 ? TSRESOL_BINARY_FLAG | res.exponent : res.exponent;
}

/** Units per second for a resolution, exactly. */
export function unitsPerSecond(res: TsResolution): bigint {
  return BigInt(res.base) ** BigInt(res.exponent);
}

/** `10^-6`, `2^-20`: how Wireshark's capinfos writes a resolution. */
export function formatTsresol(res: TsResolution): string {
  return `${res.base}^-${res.exponent}`;
}

/** Reads and writes timestamps of one interface; `high`/`low` hold the result of {@link fromTime}. */
export class TimestampConverter {
  /** Upper 32 bits of the last {@link fromTime} result. */
  high = 0;
  /** Lower 32 bits of the last {@link fromTime} result. */
  low = 0;
  private readonly mode: number;
  private readonly units: number;
  private readonly unitsBig: bigint;
  /** base^|exponent - 9|: the step between units and nanoseconds. */
  private readonly scale: number;
  private readonly exponent: number;
  /** True when units per second are in (2^12, 2^30]: µs, ns, 2^-20, ... take the one-division path. */
  private readonly approximate: boolean;

  constructor(
    readonly resolution: TsResolution,
    readonly offsetSec: number,
  ) {
    this.unitsBig = unitsPerSecond(resolution);
    this.units = Number(this.unitsBig);
    this.exponent = resolution.exponent;
    this.scale = resolution.base ** Math.abs(resolution.exponent - NS_EXPONENT);
    if (this.units > MAX_FAST_UNITS || (resolution.base === 2 && resolution.exponent > 32)) this.mode = MODE_BIGINT;
    else this.mode = resolution.base === 10 ? MODE_POW10 : MODE_POW2;
    this.approximate = this.mode !== MODE_BIGINT && this.units > APPROXIMATE_MIN_UNITS && this.units <= APPROXIMATE_MAX_UNITS;
  }

  /** Sets `rec.tsSec` and `rec.tsNsec` from the two 32-bit halves of a timestamp. */
  toRecord(high: number, low: number, rec: { tsSec: number; tsNsec: number }): void {
    if (this.mode === MODE_BIGINT) {
      this.toRecordBig(high, low, rec);
      return;
    }
    const u = this.units;
    let sec: number;
    let r: number;
    if (this.approximate) {
      // The double quotient is within one second of the true one (the count's rounding error is at
      // most 2^11 units, less than half a second here), so the exact remainder lies in [-u, 2u) and
      // is known from its low 32 bits.
      sec = Math.floor((high * TWO_POW_32 + low) / u);
      r = (low - Math.imul(sec, u)) | 0;
    } else if (high < 0x20_0000) {
      // The whole count is below 2^53: one division.
      const ts = high * TWO_POW_32 + low;
      sec = Math.floor(ts / u);
      r = ts - sec * u;
    } else {
      // Long division of high:low16:low16 by u; every partial value stays below 2^53.
      const qh = Math.floor(high / u);
      r = high - qh * u;
      let n = r * TWO_POW_16 + (low >>> 16);
      let q1 = Math.floor(n / u);
      r = n - q1 * u;
      if (r < 0) {
        q1--;
        r += u;
      }
      n = r * TWO_POW_16 + (low & 0xffff);
      let q2 = Math.floor(n / u);
      r = n - q2 * u;
      if (r < 0) {
        q2--;
        r += u;
      }
      sec = qh * TWO_POW_32 + q1 * TWO_POW_16 + q2;
    }
    if (r < 0) {
      sec--;
      r += u;
    } else if (r >= u) {
      sec++;
      r -= u;
    }
    rec.tsSec = sec + this.offsetSec;
    rec.tsNsec = this.fractionToNs(r);
  }

  /** Nanoseconds (truncated) in `r` units, `0 <= r < units`. */
  private fractionToNs(r: number): number {
    const e = this.exponent;
    if (this.mode === MODE_POW10) return e <= 9 ? r * this.scale : Math.floor(r / this.scale);
    // 2^-e: floor(r * 10^9 / 2^e); products below 2^53 and divisions by powers of two are exact.
    if (e <= NS_EXPONENT) return Math.floor((r * NS_PER_SECOND) / this.units);
    return Math.floor((r * NS_ODD_FACTOR) / this.scale);
  }

  private toRecordBig(high: number, low: number, rec: { tsSec: number; tsNsec: number }): void {
    const ts = (BigInt(high) << 32n) | BigInt(low);
    const u = this.unitsBig;
    rec.tsSec = Number(ts / u) + this.offsetSec;
    rec.tsNsec = Number(((ts % u) * 1_000_000_000n) / u);
  }

  /**
   * Sets `high` and `low` to the timestamp of `tsSec` seconds and `tsNsec` nanoseconds (fractions
   * of a unit truncated). Throws RangeError when the time is before the interface's offset or does
   * not fit in 64 bits.
   */
  fromTime(tsSec: number, tsNsec: number): void {
    const sec = tsSec - this.offsetSec;
    if (sec < 0 || tsNsec < 0 || tsNsec >= NS_PER_SECOND || !Number.isInteger(sec) || !Number.isInteger(tsNsec)) {
      throw new RangeError(`Cannot write timestamp ${tsSec}.${tsNsec} (offset ${this.offsetSec} s)`);
    }
    if (this.mode === MODE_BIGINT || sec >= TWO_POW_32) {
      this.fromTimeBig(sec, tsNsec);
      return;
    }
    const u = this.units;
    const frac = this.nsToFraction(tsNsec);
    const whole = sec * u;
    if (whole < TWO_POW_53 - u) {
      const ts = whole + frac;
      const high = Math.floor(ts / TWO_POW_32);
      this.high = high;
      this.low = ts - high * TWO_POW_32;
      return;
    }
    // sec = a * 2^16 + b; sec * u = a*u * 2^16 + b*u, each product below 2^53.
    const a = Math.floor(sec / TWO_POW_16);
    const b = sec - a * TWO_POW_16;
    const t1 = a * u;
    const hi1 = Math.floor(t1 / TWO_POW_16);
    const lo1 = t1 - hi1 * TWO_POW_16;
    const lowSum = lo1 * TWO_POW_16 + b * u + frac;
    const carry = Math.floor(lowSum / TWO_POW_32);
    const high = hi1 + carry;
    if (high >= TWO_POW_32) throw new RangeError(`Timestamp ${tsSec}.${tsNsec} does not fit in 64 bits`);
    this.high = high;
    this.low = lowSum - carry * TWO_POW_32;
  }

  /** Units (truncated) in `ns` nanoseconds. */
  private nsToFraction(ns: number): number {
    const e = this.exponent;
    if (this.mode === MODE_POW10) return e <= 9 ? Math.floor(ns / this.scale) : ns * this.scale;
    if (e <= NS_EXPONENT) {
      const n = ns * this.units; // < 2^39, exact
      let q = Math.floor(n / NS_PER_SECOND);
      if (q * NS_PER_SECOND > n) q--;
      else if ((q + 1) * NS_PER_SECOND <= n) q++;
      return q;
    }
    const n = ns * this.scale; // ns * 2^(e-9) < 2^53
    let q = Math.floor(n / NS_ODD_FACTOR);
    if (q * NS_ODD_FACTOR > n) q--;
    else if ((q + 1) * NS_ODD_FACTOR <= n) q++;
    return q;
  }

  private fromTimeBig(sec: number, ns: number): void {
    const u = this.unitsBig;
    const ts = BigInt(sec) * u + (BigInt(ns) * u) / 1_000_000_000n;
    if (ts >> 64n !== 0n) throw new RangeError(`Timestamp ${sec + this.offsetSec}.${ns} does not fit in 64 bits`);
    this.high = Number(ts >> 32n);
    this.low = Number(ts & 0xffff_ffffn);
  }
}
