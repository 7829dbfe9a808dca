/**
 * Finds the period of a series of times that repeat, such as a device's keep-alives: the gaps'
 * mode (a histogram of gaps on a log scale, 4 % wide bins, each bin counted with its neighbours)
 * gives a first period; the gaps of one period then refine it (their median) and give the jitter
 * (1.4826 × their median absolute deviation, a standard deviation for normal jitter). A gap is on
 * the beat when it is k periods long (k = 1..4: up to three beats missing) within
 * max(4 σ √k, 2 % of the period, 50 ms). The series is periodic when enough gaps are on the beat,
 * the jitter is small beside the period, and the beats cover enough of the series' span.
 *
 * ```ts
 * detectPeriod([0, 30e6, 60.4e6, 89.7e6, 120e6, 180.2e6, 210e6]); // { periodUs: 30e6, ... }
 * ```
 */

export interface Periodicity {
  /** The period and the jitter (standard deviation of one period's gap), µs. */
  readonly periodUs: number;
  readonly jitterUs: number;
  /** Times in the series, and the share of gaps that are whole periods long. */
  readonly beats: number;
  readonly onBeatShare: number;
  /** Beats seen over beats expected in the series' span. */
  readonly coverage: number;
}

export interface PeriodOptions {
  /** Fewest times to call a series periodic (default 6). */
  readonly minBeats?: number;
  /** Longest period looked for (default 1 h): a daily habit is not a keep-alive. */
  readonly maxPeriodUs?: number;
}

export const DEFAULT_MIN_BEATS = 6;
export const DEFAULT_MAX_PERIOD_US = 3600e6;
/** Width of a histogram bin, as a ratio of gap lengths. */
const BIN_RATIO = 1.04;
/** Longest gap on the beat, in periods (three beats missing in a row). */
const MAX_MULTIPLE = 4;
const TOLERANCE_SIGMAS = 4;
const TOLERANCE_MIN_SHARE = 0.02;
const TOLERANCE_MIN_US = 50_000;
/** 1.4826 × MAD estimates σ for normal jitter. */
const MAD_TO_SIGMA = 1.4826;
/** Periodic when at least this share of gaps is on the beat ... */
export const MIN_ON_BEAT_SHARE = 0.6;
/** ... the jitter is at most this share of the period ... */
export const MAX_RELATIVE_JITTER = 0.15;
/** ... and the beats seen are at least this share of those the span would hold. */
export const MIN_COVERAGE = 0.3;

/**
 * The median of `values[0, n)` (NaN when n is 0), found by selection in place (the values are
 * reordered): the same number a sort would give, in linear time. The series of a keep-alive every
 * 30 s has 86 k gaps a month and three medians are taken of it; sorting them was the largest part of
 * judging the family home's 30 days (about 0.1 s of 0.5 s).
 */
export function medianInPlace(values: Float64Array, n: number): number {
  if (n === 0) return NaN;
  const m = n >> 1;
  const upper = select(values, n, m);
  if (n % 2 === 1) return upper;
  return (largest(values, m) + upper) / 2;
}

/**
 * The largest of `values[0, n)` (n ≥ 1). A loop of its own, as every long pass here (see
 * {@link detectPeriod}): code V8 compiled while it ran on the first long series is entered by the
 * next ones without leaving at a part that had not run yet.
 */
function largest(values: Float64Array, n: number): number {
  let max = values[0];
  for (let i = 1; i < n; i++) if (values[i] > max) max = values[i];
  return max;
}

/** Below this many values a range is sorted rather than partitioned. */
const SELECT_SORT_BELOW = 16;

/**
 * Puts the k-th smallest of `a[0, n)` at `a[k]`, the smaller ones before it and the others after,
 * and returns it (Hoare partitions around the median of three; a range that shrinks too slowly is
 * sorted, so no input takes quadratic time). The values hold no NaN.
 */
function select(a: Float64Array, n: number, k: number): number {
  partitionToward(a, n, k);
  a.subarray(rangeFrom, rangeTo).sort();
  return a[k];
}

/** The range {@link partitionToward} left to be sorted (empty when it put the k-th value in place). */
let rangeFrom = 0;
let rangeTo = 0;

/** {@link select}'s partitions, until `a[k]` is in place or the range holding it is to be sorted. */
function partitionToward(a: Float64Array, n: number, k: number): void {
  let lo = 0;
  let hi = n - 1;
  let budget = 2 * Math.ceil(Math.log2(n + 1)) + 4;
  while (hi - lo >= SELECT_SORT_BELOW && budget-- > 0) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < a[lo]) swap(a, mid, lo);
    if (a[hi] < a[lo]) swap(a, hi, lo);
    if (a[hi] < a[mid]) swap(a, hi, mid);
    const pivot = a[mid];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        swap(a, i, j);
        i++;
        j--;
      }
    }
    // Now a[lo, j] <= pivot <= a[i, hi], and a[j+1, i-1] (when i > j + 1) equal the pivot.
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else {
      rangeFrom = rangeTo = k;
      return;
    }
  }
  rangeFrom = lo;
  rangeTo = hi + 1;
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}

/**
 * Three arrays detectPeriod() works in, kept from call to call and grown as needed: a baseline calls
 * it for every shape of every device, some with 86 k times. learnBaseline() of the family home's 30
 * days (10 devices, 370 k bursts), best of 25 runs: 50-56 ms with them, 62-102 ms with three new
 * arrays a call.
 */
const scratchArrays = [new Float64Array(1024), new Float64Array(1024), new Float64Array(1024)];

function scratch(which: number, length: number): Float64Array {
  if (scratchArrays[which].length < length) scratchArrays[which] = new Float64Array(Math.max(length, 2 * scratchArrays[which].length));
  return scratchArrays[which];
}

/** Most bins a histogram of gap bins is counted in as an array; a wider spread is counted in a map. */
const MAX_HISTOGRAM_BINS = 1 << 16;

/**
 * The histogram {@link gapsAndBins} counts in, kept from call to call (zero between calls): bin b in
 * `binCounts[b + BIN_OFFSET]`. A positive gap up to the longest period has a bin from about -1,800
 * (a gap of 1e-30 µs) to 562 (3,744 s); a series whose bins leave the room falls back to counting
 * them after (modeBinDense, modeBinSparse).
 */
const BIN_OFFSET = 4096;
const binCounts = new Int32Array(2 * BIN_OFFSET);

/**
 * The bin whose count with its two neighbours' is highest (the lowest such bin on a tie), among the
 * bins of the gaps up to `longest`: counted in an array from `lowest` to `highest` (a map took a third
 * of detectPeriod()'s time on the family home's 30 days).
 */
function modeBinDense(gaps: Float64Array, binOf: Float64Array, count: number, longest: number, lowest: number, highest: number): number {
  // One empty bin each side, so that every counted bin has two neighbours in the array.
  const counts = new Int32Array(highest - lowest + 3);
  countBins(gaps, binOf, count, longest, lowest, counts);
  return busiestBin(counts, 1, counts.length - 1, lowest - 1);
}

/** Counts the gaps up to `longest` by bin (bin b in `counts[b - lowest + 1]`). */
function countBins(gaps: Float64Array, binOf: Float64Array, count: number, longest: number, lowest: number, counts: Int32Array): void {
  for (let i = 0; i < count; i++) if (gaps[i] <= longest) counts[binOf[i] - lowest + 1]++;
}

/**
 * {@link modeBinDense}'s choice among the bins counted in `counts[from, to)` (each with a neighbour
 * either side in the array), index j holding bin j + `base`.
 */
function busiestBin(counts: Int32Array, from: number, to: number, base: number): number {
  let bestBin = 0;
  let bestCount = 0;
  for (let j = from; j < to; j++) {
    if (counts[j] === 0) continue;
    const c = counts[j - 1] + counts[j] + counts[j + 1];
    if (c > bestCount) {
      bestCount = c;
      bestBin = j + base;
    }
  }
  return bestBin;
}

/** Empties `counts[from, to)`. */
function clearCounts(counts: Int32Array, from: number, to: number): void {
  for (let j = from; j < to; j++) counts[j] = 0;
}

/** {@link modeBinDense} for bins spread too wide for an array. */
function modeBinSparse(gaps: Float64Array, binOf: Float64Array, count: number, longest: number): number {
  const bins = new Map<number, number>();
  for (let i = 0; i < count; i++) if (gaps[i] <= longest) bins.set(binOf[i], (bins.get(binOf[i]) ?? 0) + 1);
  let bestBin = 0;
  let bestCount = 0;
  for (const b of bins.keys()) {
    const c = (bins.get(b - 1) ?? 0) + (bins.get(b) ?? 0) + (bins.get(b + 1) ?? 0);
    if (c > bestCount || (c === bestCount && b < bestBin)) [bestBin, bestCount] = [b, c];
  }
  return bestBin;
}

/** The lowest and highest bin {@link gapsAndBins} found among the gaps up to the longest period, and whether it counted them all in {@link binCounts}. */
let lowestBin = 0;
let highestBin = 0;
let binsCounted = false;

/**
 * The gaps between successive times that are above 0, into `gaps`, and each one's bin on the log
 * scale, into `binOf`; returns how many. Of the gaps up to `longest` it sets {@link lowestBin} and
 * {@link highestBin} to the range of their bins (from the first such gap on: infinities to start
 * from made V8 drop its compiled code here at the first series with no such gap, having seen only
 * whole numbers; none such leaves lowestBin above highestBin), and counts them in {@link binCounts}
 * ({@link binsCounted} false when a bin fell outside it: then nothing is left counted). One pass
 * where there were three (the gaps, their bins, their counts, in an array made per call): the 45
 * series of the family home's month (370 k times), each run once in a new process as `peephole
 * attack` runs them, took 65-91 ms of CPU with three passes (3 processes) and 54-65 ms with one (4);
 * once warm, 30 ms either way (best of 10): what it saves is code V8 runs before it has compiled it.
 */
function gapsAndBins(timesUs: ArrayLike<number>, gaps: Float64Array, binOf: Float64Array, longest: number): number {
  const logRatio = Math.log(BIN_RATIO);
  let count = 0;
  let inRange = 0;
  let lowest = 1;
  let highest = 0;
  let counted = true;
  for (let i = 1; i < timesUs.length; i++) {
    const g = timesUs[i] - timesUs[i - 1];
    if (!(g > 0)) continue;
    const b = Math.round(Math.log(g) / logRatio);
    gaps[count] = g;
    binOf[count++] = b;
    if (g <= longest) {
      if (inRange++ === 0) lowest = highest = b;
      else if (b < lowest) lowest = b;
      else if (b > highest) highest = b;
      if (b > -BIN_OFFSET && b < BIN_OFFSET - 1) binCounts[b + BIN_OFFSET]++;
      else counted = false;
    }
  }
  lowestBin = lowest;
  highestBin = highest;
  binsCounted = counted;
  if (!counted && inRange > 0) clearCounts(binCounts, Math.max(0, lowest + BIN_OFFSET), Math.min(binCounts.length, highest + BIN_OFFSET + 1));
  return count;
}

/** The gaps whose bin is at most one from `bin`, into `out`; returns how many. */
function gapsNearBin(gaps: Float64Array, binOf: Float64Array, count: number, bin: number, out: Float64Array): number {
  let n = 0;
  for (let i = 0; i < count; i++) if (Math.abs(binOf[i] - bin) <= 1) out[n++] = gaps[i];
  return n;
}

/** The gaps of about one period (rounding to one), into `out`; returns how many. */
function gapsOfOnePeriod(gaps: Float64Array, count: number, periodUs: number, out: Float64Array): number {
  let n = 0;
  for (let i = 0; i < count; i++) if (Math.round(gaps[i] / periodUs) === 1) out[n++] = gaps[i];
  return n;
}

/** Replaces each of `values[0, n)` by its distance from `center`. */
function deviations(values: Float64Array, n: number, center: number): void {
  for (let i = 0; i < n; i++) values[i] = Math.abs(values[i] - center);
}

/** The gaps k = 1..4 periods long within `tolerance[k]`. */
function countOnBeat(gaps: Float64Array, count: number, periodUs: number, tolerance: readonly number[]): number {
  let onBeat = 0;
  for (let i = 0; i < count; i++) {
    const g = gaps[i];
    const k = Math.round(g / periodUs);
    if (k < 1 || k > MAX_MULTIPLE) continue;
    if (Math.abs(g - k * periodUs) <= tolerance[k]) onBeat++;
  }
  return onBeat;
}

/**
 * The period of `timesUs` (sorted ascending), or null when the series is not periodic.
 *
 * Each pass over the gaps is a function of its own. A baseline calls this for every shape of a
 * device, 46 times with over a thousand times on the family home's month, and `peephole attack`
 * runs it once: V8 compiled the first long pass of the first long series on its own (on-stack
 * replacement), before the rest of the function had run, and every later long series entered that
 * code and left it again where the rest began, 46 times at each of six places, then ran on in the
 * interpreter.
 */
export function detectPeriod(timesUs: ArrayLike<number>, options: PeriodOptions = {}): Periodicity | null {
  const minBeats = options.minBeats ?? DEFAULT_MIN_BEATS;
  const maxPeriodUs = options.maxPeriodUs ?? DEFAULT_MAX_PERIOD_US;
  const beats = timesUs.length;
  if (beats < minBeats) return null;
  const gaps = scratch(0, beats - 1);
  // The mode of the gaps, on a log scale (each gap's bin worked out once).
  const binOf = scratch(1, beats - 1);
  const longest = maxPeriodUs * BIN_RATIO;
  const count = gapsAndBins(timesUs, gaps, binOf, longest);
  const lowest = lowestBin;
  const highest = highestBin;
  // No gap up to the longest period when lowest > highest; binCounts is left empty either way.
  if (count < minBeats - 1 || lowest > highest) {
    if (binsCounted && lowest <= highest) clearCounts(binCounts, lowest + BIN_OFFSET, highest + BIN_OFFSET + 1);
    return null;
  }
  let bestBin: number;
  if (binsCounted) {
    bestBin = busiestBin(binCounts, lowest + BIN_OFFSET, highest + BIN_OFFSET + 1, -BIN_OFFSET);
    clearCounts(binCounts, lowest + BIN_OFFSET, highest + BIN_OFFSET + 1);
  } else bestBin = highest - lowest < MAX_HISTOGRAM_BINS ? modeBinDense(gaps, binOf, count, longest, lowest, highest) : modeBinSparse(gaps, binOf, count, longest);
  const work = scratch(2, count);
  let periodUs = medianInPlace(work, gapsNearBin(gaps, binOf, count, bestBin, work));
  // Refine with every gap of about one period.
  const single = gapsOfOnePeriod(gaps, count, periodUs, work);
  periodUs = medianInPlace(work, single);
  if (!(periodUs > 0) || periodUs > maxPeriodUs) return null;
  deviations(work, single, periodUs);
  const jitterUs = MAD_TO_SIGMA * medianInPlace(work, single);
  const tolerance = [NaN];
  for (let k = 1; k <= MAX_MULTIPLE; k++) tolerance.push(Math.max(TOLERANCE_SIGMAS * jitterUs * Math.sqrt(k), TOLERANCE_MIN_SHARE * periodUs, TOLERANCE_MIN_US));
  const onBeat = countOnBeat(gaps, count, periodUs, tolerance);
  const spanUs = timesUs[beats - 1] - timesUs[0];
  const result: Periodicity = {
    periodUs,
    jitterUs,
    beats,
    onBeatShare: onBeat / count,
    coverage: Math.min(1, beats / (spanUs / periodUs + 1)),
  };
  const periodic = result.onBeatShare >= MIN_ON_BEAT_SHARE && jitterUs <= MAX_RELATIVE_JITTER * periodUs && result.coverage >= MIN_COVERAGE;
  return periodic ? result : null;
}
