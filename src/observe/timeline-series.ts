/**
 * A device's traffic over time as bytes per fixed-width bin, shared by `peephole timeline --plot` and
 * `--csv`. {@link TimelineBinner} takes (device, label, time, bytes) events in time order, in bounded
 * memory, and picks the bin width from the capture's span when none is given.
 *
 * Bins are aligned to multiples of the bin width since the epoch, so the bins of a capture depend only
 * on its first and last event times: the same capture always gives the same series, byte for byte.
 *
 * How the width is chosen without knowing the span in advance: events are counted in internal bins
 * taken from {@link INTERNAL_BIN_CHAIN_US}, a chain where every width divides the next one. When the
 * span outgrows {@link INTERNAL_MAX_BINS} internal bins, every device's bins are merged into the next
 * width of the chain (exact: a bin of the finer width lies inside one bin of the coarser one). At the end
 * the output width is the smallest of {@link NICE_BIN_US} that covers the span in at most
 * {@link TARGET_MAX_BINS} bins (so 240–600 bins once the span exceeds 600 ms), and the internal width
 * divides it, so the output bins are sums of whole internal bins. Memory: at most
 * {@link INTERNAL_MAX_BINS} numbers per device.
 */
import { atPlace, BadInputError } from '../core/bad-input-error.js';
import { csvCell } from '../core/table-format.js';

export interface TimelineRow {
  /** The device's id (a MAC, an IP, or the id the device table gave it). */
  id: string;
  /** A name a person reads; untrusted when it came off the wire (DNS, DHCP names). */
  label: string;
  /** Bytes per bin, one entry per bin, bin `i` starting at `start + i * binSeconds`. */
  bytes: number[];
}

export interface TimelineSeries {
  /** Start of the first bin, epoch seconds (a multiple of `binSeconds`). */
  start: number;
  binSeconds: number;
  rows: TimelineRow[];
}

export interface TimelineBinnerOptions {
  /** A fixed bin width; when absent the width is chosen from the span (see the file comment). */
  binSeconds?: number;
  /** The capture the times come from, as errors name it. */
  source?: string;
}

/**
 * Times the binner cannot lay out: a packet's time out of what a Date holds, or a fixed bin width
 * that makes more bins over the capture's span than a plot can hold (`tooManyBins`: the width the
 * caller chose does not fit this capture).
 */
export class TimelineBinsError extends BadInputError {
  override readonly name = 'TimelineBinsError';

  constructor(
    file: string | undefined,
    problem: string,
    readonly tooManyBins: boolean,
  ) {
    super(atPlace({ file }, problem), { file });
  }
}

const US_PER_MS = 1_000;
const US_PER_S = 1_000_000;
const US_PER_MIN = 60 * US_PER_S;
const US_PER_HOUR = 60 * US_PER_MIN;
const US_PER_DAY = 24 * US_PER_HOUR;

/** The output aims for at most this many bins. */
export const TARGET_MAX_BINS = 600;

/** Bins kept per device while the span is not known. Enough for any span: see the test that checks it. */
export const INTERNAL_MAX_BINS = 3_000;

/** With a fixed bin width, a span needing more bins than this is refused (memory stays bounded). */
export const MAX_FIXED_BINS = 100_000;

/** Latest |time| accepted, epoch seconds: what a JavaScript Date can hold. */
export const MAX_TIME_SECONDS = 8.64e12;

/** Output bin widths a person reads easily, in µs; past 100 days they continue as 1, 2, 5 × 10^k days. */
export const NICE_BIN_US: readonly number[] = [
  1, 2, 5, 10, 20, 50, 100, 200, 500,
].map((ms) => ms * US_PER_MS).concat(
  [1, 2, 5, 10, 15, 30].map((s) => s * US_PER_S),
  [1, 2, 5, 10, 15, 30].map((m) => m * US_PER_MIN),
  [1, 2, 3, 6, 12].map((h) => h * US_PER_HOUR),
  decades([1, 2, 5], 9).map((d) => d * US_PER_DAY),
);

/**
 * Internal widths in µs, each dividing the next; every nice width N has a chain width b dividing it with
 * N / b ≤ 5, so a span that fits {@link TARGET_MAX_BINS} bins of N fits 5 × 600 internal bins of b.
 */
export const INTERNAL_BIN_CHAIN_US: readonly number[] = [1, 10, 100].map((ms) => ms * US_PER_MS).concat(
  [1, 5, 15].map((s) => s * US_PER_S),
  [1, 5, 15].map((m) => m * US_PER_MIN),
  [1, 3, 12].map((h) => h * US_PER_HOUR),
  decades([1], 9).map((d) => d * US_PER_DAY),
);

function decades(mantissas: readonly number[], count: number): number[] {
  const out: number[] = [];
  for (let k = 0, p = 1; k < count; k++, p *= 10) for (const m of mantissas) out.push(m * p);
  return out;
}

/** Number of bins of `binUs` from the bin holding `firstUs` to the one holding `lastUs`. */
function binCount(firstUs: number, lastUs: number, binUs: number): number {
  return Math.floor(lastUs / binUs) - Math.floor(firstUs / binUs) + 1;
}

/** The bin width (seconds) {@link TimelineBinner} picks for events from `firstSec` to `lastSec`. */
export function chooseBinSeconds(firstSec: number, lastSec: number): number {
  return chooseBinUs(Math.round(firstSec * US_PER_S), Math.round(lastSec * US_PER_S)) / US_PER_S;
}

function chooseBinUs(firstUs: number, lastUs: number): number {
  for (const n of NICE_BIN_US) if (binCount(firstUs, lastUs, n) <= TARGET_MAX_BINS) return n;
  return NICE_BIN_US[NICE_BIN_US.length - 1];
}

interface DeviceBins {
  id: string;
  label: string;
  /** Internal bin index of `counts[0]`. */
  base: number;
  counts: number[];
}

/**
 * Bins (device, time, bytes) events. Devices come out in the order they were first seen (by
 * {@link TimelineBinner.device} or {@link TimelineBinner.add}); a device's label is the last one given.
 *
 * @example
 * const binner = new TimelineBinner();
 * binner.add('aa:bb:cc:dd:ee:ff', 'front door lock', 1_700_000_000.25, 120);
 * const series = binner.finish();
 */
export class TimelineBinner {
  private readonly fixed: boolean;
  private binUs: number;
  private level = 0;
  private firstUs = Infinity;
  private lastUs = -Infinity;
  private readonly devices = new Map<string, DeviceBins>();
  private readonly source: string | undefined;

  constructor(options: TimelineBinnerOptions = {}) {
    this.source = options.source;
    if (options.binSeconds !== undefined) {
      const us = Math.round(options.binSeconds * US_PER_S);
      if (!Number.isFinite(options.binSeconds) || us < 1) {
        throw new RangeError(`Cannot bin a timeline: bin width ${options.binSeconds} s is not a positive number of µs`);
      }
      this.fixed = true;
      this.binUs = us;
    } else {
      this.fixed = false;
      this.binUs = INTERNAL_BIN_CHAIN_US[0];
    }
  }

  /** Declares a device so that it gets a row even if it sends nothing. */
  device(id: string, label: string): void {
    const d = this.devices.get(id);
    if (d === undefined) this.devices.set(id, { id, label, base: 0, counts: [] });
    else d.label = label;
  }

  /** Counts `bytes` for the device at `timeSec` (epoch seconds). Events should come in time order. */
  add(id: string, label: string, timeSec: number, bytes: number): void {
    if (!(Math.abs(timeSec) <= MAX_TIME_SECONDS)) {
      throw new TimelineBinsError(this.source, `Cannot bin a timeline: time ${timeSec} s is not a time a Date can hold`, false);
    }
    if (!(bytes >= 0 && Number.isFinite(bytes))) {
      throw new RangeError(`Cannot bin a timeline: ${bytes} is not a byte count`);
    }
    const us = Math.round(timeSec * US_PER_S);
    if (us < this.firstUs) this.firstUs = us;
    if (us > this.lastUs) this.lastUs = us;
    this.fitSpan();

    let d = this.devices.get(id);
    if (d === undefined) {
      d = { id, label, base: 0, counts: [] };
      this.devices.set(id, d);
    } else {
      d.label = label;
    }
    const idx = Math.floor(us / this.binUs);
    if (d.counts.length === 0) {
      d.base = idx;
      d.counts.push(bytes);
      return;
    }
    if (idx < d.base) {
      // An event earlier than this device's first one (a capture slightly out of order).
      d.counts = new Array<number>(d.base - idx).fill(0).concat(d.counts);
      d.base = idx;
    }
    const counts = d.counts;
    const k = idx - d.base;
    while (counts.length <= k) counts.push(0);
    counts[k] += bytes;
  }

  /** Coarsens the internal bins until the span fits; with a fixed width, refuses a span that does not. */
  private fitSpan(): void {
    if (this.fixed) {
      const n = binCount(this.firstUs, this.lastUs, this.binUs);
      if (n > MAX_FIXED_BINS) {
        throw new TimelineBinsError(this.source, `Cannot bin a timeline: ${this.binUs / US_PER_S} s bins over this span make ${n} bins, more than ${MAX_FIXED_BINS}`, true);
      }
      return;
    }
    while (binCount(this.firstUs, this.lastUs, this.binUs) > INTERNAL_MAX_BINS) {
      const next = this.level + 1 < INTERNAL_BIN_CHAIN_US.length ? INTERNAL_BIN_CHAIN_US[this.level + 1] : this.binUs * 10;
      const factor = next / this.binUs;
      for (const d of this.devices.values()) mergeBins(d, factor);
      this.binUs = next;
      this.level++;
    }
  }

  /** The series so far (the binner can go on taking events after). */
  finish(): TimelineSeries {
    if (this.firstUs > this.lastUs) {
      return { start: 0, binSeconds: 1, rows: [...this.devices.values()].map((d) => ({ id: d.id, label: d.label, bytes: [] })) };
    }
    const outUs = this.fixed ? this.binUs : chooseBinUs(this.firstUs, this.lastUs);
    const factor = outUs / this.binUs;
    if (!Number.isInteger(factor)) {
      throw new Error(`TimelineBinner bug: output bin ${outUs} µs is not a multiple of internal bin ${this.binUs} µs`);
    }
    const startIdx = Math.floor(this.firstUs / outUs);
    const n = binCount(this.firstUs, this.lastUs, outUs);
    const rows: TimelineRow[] = [];
    for (const d of this.devices.values()) {
      const bytes = new Array<number>(n).fill(0);
      for (let i = 0; i < d.counts.length; i++) {
        if (d.counts[i] !== 0) bytes[Math.floor((d.base + i) / factor) - startIdx] += d.counts[i];
      }
      rows.push({ id: d.id, label: d.label, bytes });
    }
    return { start: (startIdx * outUs) / US_PER_S, binSeconds: outUs / US_PER_S, rows };
  }
}

function mergeBins(d: DeviceBins, factor: number): void {
  if (d.counts.length === 0) return;
  const base = Math.floor(d.base / factor);
  const merged = new Array<number>(Math.floor((d.base + d.counts.length - 1) / factor) - base + 1).fill(0);
  for (let i = 0; i < d.counts.length; i++) merged[Math.floor((d.base + i) / factor) - base] += d.counts[i];
  d.base = base;
  d.counts = merged;
}

/** CSV columns of {@link timelineToCsv}; a stable, documented header. */
export const TIMELINE_CSV_COLUMNS = ['time_utc', 'device', 'label', 'bytes'] as const;

/** UTC ISO 8601 time of the start of bin `i`. */
export function binStartIso(series: TimelineSeries, i: number): string {
  return new Date(binStartMs(series, i)).toISOString();
}

/** Epoch milliseconds of the start of bin `i`, computed in whole µs so bins do not drift. */
export function binStartMs(series: TimelineSeries, i: number): number {
  const binUs = Math.round(series.binSeconds * US_PER_S);
  return ((Math.round(series.start * US_PER_S / binUs) + i) * binUs) / US_PER_MS;
}

/**
 * The series as CSV (RFC 4180, `\n` line ends): one line per device and bin, devices in row order,
 * bins in time order, `time_utc` the start of the bin. Text columns are untrusted: control characters
 * are made visible and cells a spreadsheet would run as a formula are neutralised with a leading `'`.
 */
export function timelineToCsv(series: TimelineSeries): string {
  const lines: string[] = [TIMELINE_CSV_COLUMNS.join(',')];
  const times: string[] = [];
  const bins = series.rows.reduce((m, r) => Math.max(m, r.bytes.length), 0);
  for (let i = 0; i < bins; i++) times.push(binStartIso(series, i));
  for (const row of series.rows) {
    const prefix = `,${csvCell(row.id)},${csvCell(row.label)},`;
    for (let i = 0; i < row.bytes.length; i++) lines.push(times[i] + prefix + String(row.bytes[i]));
  }
  return lines.join('\n') + '\n';
}
