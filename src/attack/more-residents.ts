/**
 * Since the count decoder (resident-count.ts) this reads a home of several residents only for a model
 * folder trained before its rates (`structure.json` without `residentRates`): the count decoder scores
 * better on every simulated home of several residents measured (docs/architecture.md, the structured
 * day), and `structuredDay(events, params, N)` called directly still gives this reading.
 *
 * A home of several residents on top of the home's structured day (structured-day.ts). The home's
 * chain reads the home as a whole: it wakes with the first riser, goes to bed with the last one,
 * leaves with the last to go and comes back with the first to return. Each of its transitions is one
 * resident's; with R residents, R − 1 others make the same transition nearby, each once per resident:
 * the others wake later in the same waking segment, go to bed earlier in it, left before the home
 * emptied and come back after it filled.
 *
 * So each home transition between a sleep or an absence and a waking segment is R per-resident
 * transitions: the home's own, and the others', placed where the home's uses step (a Poisson rate
 * per bin rising after each other wakes or comes back, falling before they go to bed or leave; the
 * k-th other at the k-th step, found in turn within `windowUs` of the home's transition, each step
 * judged on the bins of the window and as long again after it). When the uses show no step, the
 * other's transition goes where the others' most often are in the random homes the priors come from
 * (`fallbackUs`: 30 min after the home's waking for the second resident, 60 for the third, ...; on
 * a use within 15 min of it): each resident's own sequence stays possible (a waking is always after
 * a night, a return always after that resident's leave, each one's in before their out) and each
 * night holds one waking and one going to bed per sleeper.
 *
 * A leave by the second resident while the home stays up (the home's chain sees no absence) is read
 * where the home has an entrance: two entrance uses inside their stay with the home's rate between
 * them below the rate around them; leave_temporarily below the outing line, leave_home and return_home
 * from it.
 *
 * R is given (`structuredDay(events, params, residents)`; `peephole attack` estimates it from the
 * home's absences and entrance uses, resident-estimate.ts). It is not read from rate steps: a home's rate stepping up after
 * its first waking and down before its last going to bed on most of its waking segments (by 4 nats,
 * 1.5 times) reads real house B (one resident) as two, and two-resident simulated homes seen from
 * their LAN captures (hubs relaying their sensors, no entrance visible) as one.
 *
 * What it gains, and why it is not the default. The simulator draws the noise people make per
 * resident up (home/noise.ts), so a home's uses do rise with a second resident up: uses found per
 * hour in the LAN capture with one / two up (14 days, seed 7, the truth's states; npm run
 * eval:ceiling) sensor-rich 5.2 / 6.7, random:201 206.7 / 265.5, random:202 1.3 / 1.2, family 1.8 /
 * 4.1. Timeline macro-F1 at 30 min read as one / as the true number with the others placed with the
 * home when no step shows / at the learned offsets (npm run eval:homes, --residents true):
 * sensor-rich (2) 0.219 / 0.211 / 0.291, random:201 (2) 0.368 / 0.415 / 0.451, random:202 (2) 0.176
 * / 0.166 / 0.166, family (4) 0.187 / 0.203 / 0.326; real houses B and C (one resident each) read
 * as two 0.840 → 0.577 and 0.871 → 0.582 (each transition twice). On random homes not looked at
 * while building it (random:203 to 206: 5, 2, 3 and 2 residents), read as one → as their number:
 * 0.120 → 0.206, 0.300 → 0.298, 0.251 → 0.316, 0.358 → 0.426. The steps earn their place
 * beside the offsets: every other at its offset, no step looked for, scores sensor-rich 0.284,
 * random:201 0.354 (its chatty sensors step with the residents), family 0.332, random:203 to 206
 * 0.206, 0.298, 0.311, 0.432. At a handful of uses an hour a
 * step of 1.5 or 2 times over an hour gains too few nats to place (a third resident's step of 1.5
 * at a use every 6, 3 and 2 min: 1.8 nats), so most others go at the offsets; and the others'
 * leaves and returns while someone stays in are seen only at an entrance, which these captures do
 * not show (a hub relays the door; the family's camera is not an entrance kind). It stays off by
 * default: the number of residents is not read from the traffic, and a home of one read as two
 * doubles its transitions.
 */
import type { Activity } from '../core/activities.js';
import { firstUseAt, type DeviceUse } from '../core/device-use.js';
import { isEntranceKind } from '../core/kinds.js';
import type { StructuredActivity } from './structured-day.js';

const ASLEEP = 0;
const AWAKE = 1;
const OUT_SHORT = 2;
const OUT_LONG = 3;
const MINUTE_US = 60e6;
const HOUR_US = 60 * MINUTE_US;

export interface MoreResidentsOptions {
  readonly binUs: number;
  /** How far into a waking segment the other resident's transition is looked for. */
  readonly windowUs: number;
  /** The least log-likelihood gain (nats) of a step in the rate for the other's transition to be placed there. */
  readonly minGain: number;
  /** The least ratio of the two rates (with both residents up / with one). */
  readonly minRatio: number;
  /** Absence shorter than this is leave_temporarily. */
  readonly outingLineUs: number;
  /**
   * Where the k-th other's transition goes when the uses show no step for it (index k − 1; the last
   * for any beyond): this long after the home's waking or return, before its going to bed or leaving.
   */
  readonly fallbackUs: Readonly<Record<'wake_up' | 'go_to_bed' | 'leave' | 'return_home', readonly number[]>>;
}

export const DEFAULT_MORE_RESIDENTS: MoreResidentsOptions = {
  binUs: 5 * MINUTE_US,
  windowUs: 3 * HOUR_US,
  minGain: 4,
  minRatio: 1.5,
  outingLineUs: 2 * HOUR_US,
  // The offsets whose ±30 min hold most of the k-th other's transitions in the random homes the
  // bundled model's priors come from (bench/resident-gaps.ts: 200 homes of 30 days from seed 1000,
  // per-resident noise). Share within ±30 min at the offset, against at the home's own time: waking
  // 30, 60, 100 min: 0.53, 0.39, 0.28 (0.30, 0.08, 0.02); going to bed 30, 145, 230 min: 0.42, 0.27,
  // 0.27 (0.21, 0.03, 0.00); leaving 30, 85, 195 min: 0.43, 0.22, 0.21 (0.26, 0.05, 0.02); coming
  // back 30, 85, 135 min: 0.49, 0.32, 0.29 (0.29, 0.08, 0.02).
  fallbackUs: {
    wake_up: [30 * MINUTE_US, 60 * MINUTE_US, 100 * MINUTE_US],
    go_to_bed: [30 * MINUTE_US, 145 * MINUTE_US, 230 * MINUTE_US],
    leave: [30 * MINUTE_US, 85 * MINUTE_US, 195 * MINUTE_US],
    return_home: [30 * MINUTE_US, 85 * MINUTE_US, 135 * MINUTE_US],
  },
};

/** Uses nearer than this to a fallback's time take it: the transition is placed on the use. */
const FALLBACK_SNAP_US = 15 * MINUTE_US;

type Segment = { readonly state: number; readonly startUs: number; readonly endUs: number };

/** A step in a waking segment's rate near one of its ends: where, and how much better it explains the uses. */
interface Step {
  readonly atUs: number;
  readonly gain: number;
}

/** Poisson log-likelihood (up to terms that do not depend on the rate) of n uses in k bins at its best rate. */
function poissonFit(n: number, k: number): number {
  return n === 0 || k === 0 ? 0 : n * Math.log(n / k) - n;
}

/**
 * The best step in the rate within the first (`rising`) or last window of bins: the other resident
 * up after it (rising) or before it (falling), at a rate at least `minRatio` times the one alone.
 */
function bestStep(counts: readonly number[], rising: boolean, o: MoreResidentsOptions): { at: number; gain: number } | null {
  const k = counts.length;
  const total = counts.reduce((a, b) => a + b, 0);
  const whole = poissonFit(total, k);
  const window = Math.min(Math.round(o.windowUs / o.binUs), Math.floor(k / 2));
  let best: { at: number; gain: number } | null = null;
  let before = 0;
  for (let t = 1; t < k; t++) {
    before += counts[t - 1];
    // rising: the step at t lies within the window after the start; falling: within the window before the end.
    if (rising ? t > window : t < k - window) continue;
    const after = total - before;
    const alone = rising ? before / t : after / (k - t);
    const both = rising ? after / (k - t) : before / t;
    if (both < o.minRatio * alone || both === 0) continue;
    const gain = poissonFit(before, t) + poissonFit(after, k - t) - whole;
    if (best === null || gain > best.gain) best = { at: t, gain };
  }
  return best;
}

/** The uses per bin of [startUs, endUs). */
function binCounts(events: readonly DeviceUse[], first: number, startUs: number, endUs: number, binUs: number): number[] {
  const counts = new Array<number>(Math.max(1, Math.round((endUs - startUs) / binUs))).fill(0);
  for (let i = first; i < events.length && events[i].timeUs < endUs; i++) {
    if (events[i].timeUs < startUs) continue;
    counts[Math.min(counts.length - 1, Math.floor((events[i].timeUs - startUs) / binUs))]++;
  }
  return counts;
}

type Outing = { readonly leftUs: number; readonly backUs: number; readonly gain: number };

/**
 * Up to `n` rising steps of the rate within the first window of bins, in time order: the first the
 * best step (by `minRatio`), each next the best after it (the k-th by 1 + (minRatio − 1) / k: with
 * the rate per resident up, a third resident up adds half what a second did), each by `minGain` nats.
 */
function risingSteps(counts: readonly number[], n: number, o: MoreResidentsOptions): { at: number; gain: number }[] {
  const out: { at: number; gain: number }[] = [];
  const windowBins = Math.round(o.windowUs / o.binUs);
  let from = 0;
  for (let k = 1; k <= n; k++) {
    // The rates either side of the step over the window and as long again after it: a later fall (the evening's) stays out of the rate after.
    const rest = counts.slice(from, Math.max(from, windowBins) + windowBins);
    if (rest.length < 2) break;
    const b = bestStep(rest, true, { ...o, windowUs: Math.max(1, windowBins - from) * o.binUs, minRatio: 1 + (o.minRatio - 1) / k });
    if (b === null || b.gain < o.minGain) break;
    from += b.at;
    out.push({ at: from, gain: b.gain });
  }
  return out;
}

/**
 * Per waking segment of the home: the second resident's outings inside it (entrance uses around a
 * fall in the rate), then the steps near its start (after a night or an absence) before the first
 * outing and near its end (before one) after the last, up to `others` of each: the others coming in
 * one by one (rising) and going one by one (falling, found as rising steps of the bins reversed).
 */
function segmentSteps(events: readonly DeviceUse[], segments: readonly Segment[], others: number, o: MoreResidentsOptions): { start: Step[]; end: Step[]; outings: Outing[] }[] {
  return segments.map((s, i) => {
    if (s.state !== AWAKE || i === 0 || i === segments.length - 1) return { start: [], end: [], outings: [] };
    const away = outings(events, s.startUs, s.endUs, o);
    const steps = (fromUs: number, toUs: number, rising: boolean): Step[] => {
      if (toUs - fromUs < 2 * o.binUs) return [];
      const counts = binCounts(events, firstUseAt(events, fromUs), fromUs, toUs, o.binUs);
      if (rising) return risingSteps(counts, others, o).map((b) => ({ atUs: fromUs + b.at * o.binUs, gain: b.gain }));
      // The last to go first: the step nearest the end is the first found in the reversed bins.
      return risingSteps([...counts].reverse(), others, o).map((b) => ({ atUs: fromUs + (counts.length - b.at) * o.binUs, gain: b.gain }));
    };
    return {
      start: steps(s.startUs, away.length > 0 ? away[0].leftUs : s.endUs, true),
      end: steps(away.length > 0 ? away[away.length - 1].backUs : s.startUs, s.endUs, false),
      outings: away,
    };
  });
}

/**
 * The other residents' transitions of a home of `others` + 1 residents (resident 1 to `others`),
 * one each per transition of the home between a waking segment and a night or an absence
 * (`segments`: the home's decoded segments, in order). Resident k comes in at the k-th rising step
 * after the home's waking or return and goes at the k-th falling step before its night or absence,
 * counted from the end; with no such step, with the home. The outings while the home stays up are
 * resident 1's.
 */
export function otherResidents(events: readonly DeviceUse[], segments: readonly Segment[], others: number, o: MoreResidentsOptions = DEFAULT_MORE_RESIDENTS): (StructuredActivity & { resident: number })[] {
  const steps = segmentSteps(events, segments, others, o);
  const out: (StructuredActivity & { resident: number })[] = [];
  const useAtOrAfter = (us: number, limitUs: number): number => {
    const i = firstUseAt(events, us);
    return i < events.length && events[i].timeUs < limitUs ? events[i].timeUs : us;
  };
  const useBefore = (us: number, floorUs: number): number => {
    const i = firstUseAt(events, us) - 1;
    return i >= 0 && events[i].timeUs >= floorUs ? events[i].timeUs : us;
  };
  // Where the r-th other goes without a step: the learned offset into the segment (after its start,
  // or before its end), inside it, on the nearest use within FALLBACK_SNAP_US.
  const fallback = (s: Segment, kind: keyof MoreResidentsOptions['fallbackUs'], r: number, fromStart: boolean): number => {
    const offsets = o.fallbackUs[kind];
    const offset = Math.min(offsets[Math.min(r, offsets.length) - 1], (s.endUs - s.startUs) / 2);
    const us = fromStart ? s.startUs + offset : s.endUs - offset;
    const i = firstUseAt(events, us);
    let best = us;
    let bestGap = FALLBACK_SNAP_US;
    for (const j of [i - 1, i]) {
      if (j < 0 || j >= events.length || events[j].timeUs < s.startUs || events[j].timeUs >= s.endUs) continue;
      const gap = Math.abs(events[j].timeUs - us);
      if (gap <= bestGap) [best, bestGap] = [events[j].timeUs, gap];
    }
    return best;
  };
  // Per other resident, whether their last leave was for long: they come back with a return_home even when the home's own absence was short.
  const awayLong = new Array<boolean>(others + 1).fill(false);
  segments.forEach((s, i) => {
    if (s.state !== AWAKE || i === 0 || i === segments.length - 1) return;
    const prev = segments[i - 1].state;
    const next = segments[i + 1].state;
    // Each other's in and out keep their order, and resident 1's go around their outings inside the segment.
    const dips = steps[i].outings;
    const inAt = new Array<number>(others + 1).fill(s.startUs);
    for (let r = 1; r <= others; r++) {
      // In: the other wakes (after the night) or comes back (after a long absence) at their step, or at the learned offset.
      const start = steps[i].start[r - 1];
      const inActivity: Activity | null = prev === ASLEEP ? 'wake_up' : prev === OUT_LONG || (prev === OUT_SHORT && awayLong[r]) ? 'return_home' : null;
      awayLong[r] = false;
      if (inActivity === null) continue;
      const at = start !== undefined ? useAtOrAfter(start.atUs, s.endUs) : null;
      const inUs = at ?? Math.min(fallback(s, inActivity === 'wake_up' ? 'wake_up' : 'return_home', r, true), r === 1 && dips.length > 0 ? dips[0].leftUs : Infinity);
      inAt[r] = inUs;
      out.push({ timeUs: inUs, activity: inActivity, confidence: at === null ? 0.5 : Math.min(1, start!.gain / (2 * o.minGain)), resident: r });
    }
    // Out and back while the home stays up: between two entrance uses inside the second resident's stay, the rate falls.
    for (const dip of steps[i].outings) {
      const long = dip.backUs - dip.leftUs >= o.outingLineUs;
      out.push({ timeUs: dip.leftUs, activity: long ? 'leave_home' : 'leave_temporarily', confidence: Math.min(1, dip.gain / (2 * o.minGain)), resident: 1 });
      if (long) out.push({ timeUs: dip.backUs, activity: 'return_home', confidence: Math.min(1, dip.gain / (2 * o.minGain)), resident: 1 });
    }
    for (let r = 1; r <= others; r++) {
      // Out: the other goes to bed (before the night) or leaves (before the absence) at their step, or with the home.
      const end = steps[i].end[r - 1];
      const stepAt = end !== undefined ? useBefore(end.atUs, s.startUs) : null;
      if (next !== ASLEEP && next !== OUT_LONG && next !== OUT_SHORT) continue;
      const leftAt = Math.max(stepAt ?? fallback(s, next === ASLEEP ? 'go_to_bed' : 'leave', r, false), inAt[r], r === 1 && dips.length > 0 ? dips[dips.length - 1].backUs : -Infinity);
      let outActivity: Activity = 'go_to_bed';
      if (next !== ASLEEP) {
        // The other is away from leaving until the home's return at the earliest.
        outActivity = segments[i + 1].endUs - leftAt < o.outingLineUs ? 'leave_temporarily' : 'leave_home';
        awayLong[r] = outActivity === 'leave_home';
      }
      out.push({ timeUs: leftAt, activity: outActivity, confidence: stepAt === null ? 0.5 : Math.min(1, end!.gain / (2 * o.minGain)), resident: r });
    }
  });
  return out.sort((x, y) => x.timeUs - y.timeUs || x.resident - y.resident);
}

/**
 * The other resident's outings within [fromUs, toUs) while the home stays up: a pair of entrance uses
 * (a door, a lock) with the home's rate between them below 1 / `minRatio` of the rate around them, by
 * at least `minGain` nats; the best one, then the best in what lies either side of it.
 */
function outings(events: readonly DeviceUse[], fromUs: number, toUs: number, o: MoreResidentsOptions): Outing[] {
  const first = firstUseAt(events, fromUs);
  const doors: number[] = [];
  for (let i = first; i < events.length && events[i].timeUs < toUs; i++) if (isEntranceKind(events[i].kind)) doors.push(events[i].timeUs);
  if (doors.length < 2) return [];
  const counts = binCounts(events, first, fromUs, toUs, o.binUs);
  const prefix = [0];
  for (const c of counts) prefix.push(prefix[prefix.length - 1] + c);
  const k = counts.length;
  const binOf = (us: number): number => Math.min(k, Math.max(0, Math.round((us - fromUs) / o.binUs)));
  let best: Outing | null = null;
  for (let i = 0; i < doors.length; i++) {
    for (let j = i + 1; j < doors.length; j++) {
      const a = binOf(doors[i]);
      const b = binOf(doors[j]);
      if (b - a < 2 || a === 0 || b === k) continue;
      const inside = prefix[b] - prefix[a];
      const outside = prefix[k] - inside;
      const insideRate = inside / (b - a);
      const outsideRate = outside / (k - b + a);
      if (insideRate * o.minRatio > outsideRate) continue;
      const gain = poissonFit(inside, b - a) + poissonFit(outside, k - b + a) - poissonFit(prefix[k], k);
      if (gain >= o.minGain && (best === null || gain > best.gain)) best = { leftUs: doors[i], backUs: doors[j], gain };
    }
  }
  if (best === null) return [];
  return [...outings(events, fromUs, best.leftUs, o), best, ...outings(events, best.backUs + 1, toUs, o)];
}
