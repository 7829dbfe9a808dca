/**
 * How far a point's strongest observer may be from its score on the sweep's few test days: a
 * bootstrap over those days. Each resample draws as many days as were scored, with replacement (the
 * same days for every observer of the point), scores each observer on them (the macro-F1 of their
 * summed counts, observers.ts `daysMacroF1`), and keeps the best; the bound is the `level` quantile of
 * those bests, and never less than the strongest on the days as scored. Seeded, so a sweep's bounds are the same each time it runs.
 */
import { Random } from '../../core/random.js';
import { daysMacroF1, type DailyMatch } from './observers.js';

export interface BoundSettings {
  /** The one-sided level: the share of resamples whose strongest observer is at or under the bound. */
  readonly level: number;
  readonly resamples: number;
  readonly seed: number;
}

/**
 * The level and resamples the sweep uses (the seed is the sweep's). 95%: on the family home the 80%
 * and 90% bounds of stp ratio 4 (0.296, 0.305 with --seed 2) let through or barely refuse a setting
 * that an adaptive observer of other days reads at 0.351 (docs/method.md). 2,000 resamples take 36 ms
 * a point (3 observers, 7 days); the family stp sweep took 46.7 and 45.9 s of CPU before the bound,
 * 58.5 and 46.2 s with it (runs alternated on a loaded machine).
 */
export const BOUND_LEVEL = 0.95;
export const BOUND_RESAMPLES = 2000;

/**
 * The `level` quantile of the strongest of `observers` over `resamples` bootstrap resamples of their
 * scored days (every observer is scored on the same days). 0 with no observer or no scored day.
 */
export function strongestBound(observers: readonly DailyMatch[], settings: BoundSettings): number {
  if (observers.length === 0) return 0;
  const days = observers[0].days;
  for (const o of observers) if (o.days !== days) throw new RangeError(`Cannot bound observers scored on ${days} and ${o.days} days`);
  if (days === 0) return 0;
  const random = new Random(settings.seed);
  const bests = new Float64Array(settings.resamples);
  const pick = new Array<number>(days);
  for (let r = 0; r < settings.resamples; r++) {
    for (let i = 0; i < days; i++) pick[i] = Math.floor(random.next() * days);
    let best = 0;
    for (const o of observers) best = Math.max(best, daysMacroF1(o, pick));
    bests[r] = best;
  }
  bests.sort();
  // Never under the score on the days as scored: a bound is not a second estimate.
  const scored = Math.max(...observers.map((o) => daysMacroF1(o)));
  return Math.max(scored, bests[Math.min(settings.resamples - 1, Math.ceil(settings.level * settings.resamples) - 1)]);
}
