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

function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const s = values.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** The period of `timesUs` (sorted ascending), or null when the series is not periodic. */
export function detectPeriod(timesUs: readonly number[], options: PeriodOptions = {}): Periodicity | null {
  const minBeats = options.minBeats ?? DEFAULT_MIN_BEATS;
  const maxPeriodUs = options.maxPeriodUs ?? DEFAULT_MAX_PERIOD_US;
  if (timesUs.length < minBeats) return null;
  const gaps: number[] = [];
  for (let i = 1; i < timesUs.length; i++) {
    const g = timesUs[i] - timesUs[i - 1];
    if (g > 0) gaps.push(g);
  }
  if (gaps.length < minBeats - 1) return null;
  // The mode of the gaps, on a log scale.
  const logRatio = Math.log(BIN_RATIO);
  const bins = new Map<number, number>();
  for (const g of gaps) {
    if (g > maxPeriodUs * BIN_RATIO) continue;
    const b = Math.round(Math.log(g) / logRatio);
    bins.set(b, (bins.get(b) ?? 0) + 1);
  }
  let bestBin = 0;
  let bestCount = 0;
  for (const b of bins.keys()) {
    const c = (bins.get(b - 1) ?? 0) + (bins.get(b) ?? 0) + (bins.get(b + 1) ?? 0);
    if (c > bestCount || (c === bestCount && b < bestBin)) [bestBin, bestCount] = [b, c];
  }
  if (bestCount === 0) return null;
  const near = gaps.filter((g) => Math.abs(Math.round(Math.log(g) / logRatio) - bestBin) <= 1);
  let periodUs = median(near);
  // Refine with every gap of about one period.
  const single = gaps.filter((g) => Math.round(g / periodUs) === 1);
  periodUs = median(single);
  if (!(periodUs > 0) || periodUs > maxPeriodUs) return null;
  const jitterUs = MAD_TO_SIGMA * median(single.map((g) => Math.abs(g - periodUs)));
  let onBeat = 0;
  for (const g of gaps) {
    const k = Math.round(g / periodUs);
    if (k < 1 || k > MAX_MULTIPLE) continue;
    const tolerance = Math.max(TOLERANCE_SIGMAS * jitterUs * Math.sqrt(k), TOLERANCE_MIN_SHARE * periodUs, TOLERANCE_MIN_US);
    if (Math.abs(g - k * periodUs) <= tolerance) onBeat++;
  }
  const spanUs = timesUs[timesUs.length - 1] - timesUs[0];
  const result: Periodicity = {
    periodUs,
    jitterUs,
    beats: timesUs.length,
    onBeatShare: onBeat / gaps.length,
    coverage: Math.min(1, timesUs.length / (spanUs / periodUs + 1)),
  };
  const periodic = result.onBeatShare >= MIN_ON_BEAT_SHARE && jitterUs <= MAX_RELATIVE_JITTER * periodUs && result.coverage >= MIN_COVERAGE;
  return periodic ? result : null;
}
