/**
 * Every strategy over a sweep of its main parameter, on one simulated home (issue 15, item 4): for
 * each point, the timeline macro-F1 of the naive, adaptive and aware observers (observers.ts) on days
 * the observers were not trained on, and what the point costs, measured on a day of the home written
 * at the LAN vantage with the defence (defend-home.ts) against the same day undefended. The undefended
 * attack and chance are the reference lines.
 *
 * A shaping tunnel's frames are counted rather than written (at a few messages a second a day is
 * millions of frames): the shaper runs on the day's undefended capture exactly as it would to write
 * it, and the cost is the frames it made.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { HomeSpec } from '../../home/spec.js';
import { simulateHome, type SimulateResult } from '../../home/simulate.js';
import { seamRandom } from '../../home/seams.js';
import { trafficCost, packetDelayCost, type DefenceCost } from '../cost.js';
import { defendHome } from '../defend-home.js';
import { FrameLedger } from '../frames/frame-defence.js';
import { readHeldCapture, type HeldFrame } from '../frames/held-capture.js';
import { createDefence } from '../registry.js';
import { constantRateFrames } from '../strategies/constant-rate.js';
import type { Strategy } from '../strategy.js';
import { resolveParams, type ParamValues } from '../params.js';
import type { Defence } from '../strategy.js';
import { observeDevices } from '../../observe/devices.js';
import { registeredVendorLookup } from '../../observe/oui.js';
import { defaultVendorRules } from '../../observe/vendor-rules.js';
import type { ActivityPredictor } from '../../attack/index.js';
import type { DeviceUse } from '../../core/device-use.js';
import { chanceF1, dailyMatch, daysMacroF1, fitCoverFilter, fitObserver, observedLife, timelineF1, type DailyMatch, type ObserverSettings } from './observers.js';
import { BOUND_LEVEL, BOUND_RESAMPLES, strongestBound } from './bound.js';
import { namedBySaying } from './captured.js';
import { capturedRecord, CHUNK_DAYS, coverToldApart, fitCapturedObserver, fitSizeFilter, recordF1, type CapturedRecord } from './capture-observers.js';

export interface SweepOptions {
  readonly spec: HomeSpec;
  readonly source: string;
  readonly strategies: readonly Strategy[];
  readonly seed: number;
  /** Days the observers learn from, days they are scored on, days written for the cost. */
  readonly trainDays: number;
  readonly testDays: number;
  readonly costDays: number;
  readonly observers: ObserverSettings;
  readonly toleranceUs: number;
  /** A folder for the cost's simulations (emptied after each point). */
  readonly work: string;
  /**
   * The strategies observed on defended captures (captured.ts) as well as on uses: `default` (or
   * unset) for those whose uses-level view is a model ({@link CAPTURE_SCORED}, whose scores then come
   * from the capture) and those that add cover (for the size-aware observer); a list names them; an
   * empty list observes none on captures.
   */
  readonly captureStrategies?: 'default' | readonly string[];
  /**
   * Days the observers of captures learn from (default: `trainDays`, at most a week). A capture is
   * simulated, written, defended and read back: a week of the family home takes about 3 s, a tunnel's
   * 18 s, where the uses-level life takes a fraction of a second.
   */
  readonly captureTrainDays?: number;
  /** Called after each point. */
  readonly onPoint?: (point: SweepPoint, done: number, total: number) => void;
}

/** One strategy at one value of its parameter. */
export interface SweepPoint {
  readonly strategy: string;
  /** The parameter swept and its value (null for a strategy without a sweep). */
  readonly param: string | null;
  readonly value: number | string | null;
  readonly params: ParamValues;
  /**
   * Scores of the observers. `naive`, `adaptive` and `aware` are on the uses the strategy's observer
   * reads (see `observedOn`); `awareSizes` is the size-aware observer's, on the defended capture (null
   * where it was not run: nothing but real uses to tell apart, or no capture).
   */
  readonly f1: { readonly naive: number; readonly adaptive: number; readonly aware: number | null; readonly awareSizes: number | null };
  /** The best of the adaptive, aware and size-aware observers: what the defence must hold down. */
  readonly strongest: number;
  /**
   * An upper bound of `strongest` on days the sweep did not score: the bootstrap over its test days
   * (bound.ts) at the sweep's `settings.bound`, never under `strongest`. The recommendation holds it
   * under the target.
   */
  readonly strongestBound: number;
  /** Uses the observer sees a day on the scored days (real and cover). */
  readonly usesSeenPerDay: number;
  readonly cost: PointCost;
  /**
   * Where `naive`, `adaptive` and `aware` were scored: on the uses the defence makes, seen through its
   * modelled view (`uses`), or on the defended capture written and read by the use detection (`capture`).
   */
  readonly observedOn: 'uses' | 'capture';
  /** The observers on the defended capture (captured.ts), where it was written; null otherwise. */
  readonly capture: CapturePoint | null;
  /**
   * Device identification re-run on the defended traffic (the cost's day, at the LAN vantage; for a
   * shaping tunnel, whose cost is counted, the first captured chunk): null when neither was written.
   */
  readonly identification: Identification | null;
}

/** What device identification tells of a defended capture. */
export interface Identification {
  /** Devices told apart (the router left out). */
  readonly devices: number;
  /** The vendors named, sorted. */
  readonly vendors: readonly string[];
  /** Devices named by what they said (a DNS question or a TLS server name that weighs: captured.ts `namedBySaying`), not only by their MAC's registry. */
  readonly namedByNames: number;
}

/** A point observed on defended captures. */
export interface CapturePoint {
  /** Days scored and days learnt from, in captures of at most `chunkDays` days. */
  readonly testDays: number;
  readonly trainDays: number;
  readonly chunkDays: number;
  /** Uses the detection found a day on the scored days. */
  readonly usesDetectedPerDay: number;
  /** Devices the detection told apart, and the vendors their identification named (a tunnel's box hides them, encrypted DNS the names). */
  readonly devices: number;
  readonly vendors: readonly string[];
  /** Of those devices, the ones the identification named by what they said (DNS questions, TLS server names). */
  readonly namedByNames: number;
  readonly f1: { readonly naive: number; readonly adaptive: number; readonly aware: number | null; readonly awareSizes: number | null };
  /** The size-aware observer's balanced accuracy at telling cover from real uses on the scored days (null without both). */
  readonly coverTold: number | null;
}

export interface PointCost {
  readonly extraBytesPerDay: number;
  readonly extraBytesPerSecond: number;
  readonly extraPercent: number;
  readonly extraMbPerMonth: number;
  /** Delay added to real uses (uses moved) or real packets (a shaping queue), seconds. */
  readonly delayMeanS: number;
  readonly delayP95S: number;
  /** How it was measured: on the capture written, or on the shaper's frames counted. */
  readonly measured: 'written' | 'counted';
}

export interface SweepResult {
  readonly home: string;
  readonly seed: number;
  readonly settings: {
    readonly trainDays: number;
    readonly testDays: number;
    readonly costDays: number;
    readonly toleranceMinutes: number;
    readonly preset: string;
    readonly epochs: number;
    readonly captureTrainDays: number;
    /** The bootstrap behind each point's `strongestBound`: over the test days, one-sided `level`, `resamples` seeded with `seed`. */
    readonly bound: { readonly over: 'test days'; readonly level: number; readonly resamples: number; readonly seed: number };
  };
  /** `undefendedCapture`: the naive observer on the undefended capture read by the use detection (null when no point was observed on captures). */
  readonly references: { readonly undefended: number; readonly chance: number; readonly undefendedCapture: number | null; readonly identification?: Identification | null };
  readonly points: readonly SweepPoint[];
  readonly seconds: number;
  /** Simulated home-days processed (training, scoring and cost days of every point). */
  readonly homeDays: number;
}

/** The points of a strategy: its sweep's values, or each choice of its first word parameter, or its defaults. */
export function sweepValues(strategy: Strategy): { param: string | null; values: (number | string | null)[] } {
  if (strategy.sweep !== null) return { param: strategy.sweep.param, values: [...strategy.sweep.values] };
  const word = strategy.params.find((p) => p.choices !== undefined);
  if (word !== undefined) return { param: word.name, values: [...word.choices!] };
  return { param: null, values: [null] };
}

export async function sweepDefences(options: SweepOptions): Promise<SweepResult> {
  const started = Date.now();
  const { spec, seed, trainDays, testDays, costDays, toleranceUs } = options;
  const trainSeed = seed;
  const testSeed = seed + 1000;
  const costSeed = seed + 2000;
  const train = observedLife(spec, trainDays, trainSeed, null);
  const test = observedLife(spec, testDays, testSeed, null);
  const naive = await fitObserver(train.events, options.observers, `${spec.name}, ${trainDays} days as lived`);
  const references = { undefended: timelineF1(naive, test.events, test.activities, toleranceUs), chance: chanceF1(test.events, test.activities, toleranceUs, seed) };
  let homeDays = trainDays + testDays;

  mkdirSync(options.work, { recursive: true });
  const undefendedDir = join(options.work, 'undefended-day');
  const undefended: SimulateResult = simulateHome({ spec, source: options.source, days: costDays, seed: costSeed, vantage: 'lan', format: 'pcapng', out: undefendedDir });
  let undefendedFrames: HeldFrame[] | null = null;
  homeDays += costDays;
  const undefendedIdentification = await identify(undefended.files.capture!);

  const plan = options.strategies.flatMap((s) => {
    const { param, values } = sweepValues(s);
    return values.map((value) => ({ strategy: s, param, value }));
  });
  // The observers of captures: the naive one learns from the home's undefended captures read back.
  const captureWork = join(options.work, 'captured');
  const captureTrainDays = options.captureTrainDays ?? Math.min(trainDays, CHUNK_DAYS);
  const captureScored = (s: Strategy) => options.captureStrategies === undefined || options.captureStrategies === 'default' ? CAPTURE_SCORED.has(s.name) || s.family === 'cover' : options.captureStrategies.includes(s.name);
  let capturedNaive: { predictor: Awaited<ReturnType<typeof fitCapturedObserver>>; undefended: number } | null = null;
  const capturedReference = async () => {
    if (capturedNaive !== null) return capturedNaive;
    const lived = await capturedRecord({ spec, source: options.source, days: captureTrainDays, seed: trainSeed, defence: () => null, work: captureWork });
    const test = await capturedRecord({ spec, source: options.source, days: testDays, seed: testSeed, defence: () => null, work: captureWork });
    homeDays += captureTrainDays + testDays;
    const predictor = await fitCapturedObserver(lived, options.observers, `${spec.name}, ${captureTrainDays} days as lived, captured`);
    capturedNaive = { predictor, undefended: recordF1(predictor, test.events, test, toleranceUs) };
    return capturedNaive;
  };

  const boundSettings = { level: BOUND_LEVEL, resamples: BOUND_RESAMPLES, seed };
  const points: SweepPoint[] = [];
  for (const { strategy, param, value } of plan) {
    const given = param === null || value === null ? {} : { [param]: value };
    const params = resolveParams(strategy.name, strategy.params, given);
    const make = () => createDefence(strategy.name, given);
    const chunkDays = captureChunkDays(strategy.name, params);
    const onCapture = captureScored(strategy) && chunkDays > 0;
    let f1: SweepPoint['f1'];
    let usesSeenPerDay: number;
    let observedOn: SweepPoint['observedOn'] = 'uses';
    let capture: CapturePoint | null = null;
    let captureDaily: CaptureDaily | null = null;
    // The strongest observers, scored per day, for the bound.
    let daily: DailyMatch[];
    if (onCapture) {
      const reference = await capturedReference();
      ({ point: capture, daily: captureDaily } = await capturePoint({ spec, source: options.source, make, trainDays: captureTrainDays, testDays, trainSeed, testSeed, chunkDays, observers: options.observers, toleranceUs, work: captureWork, naive: reference.predictor }));
      homeDays += capture.testDays + capture.trainDays;
    }
    if (onCapture && CAPTURE_SCORED.has(strategy.name)) {
      // The uses-level view of this strategy is a model: the capture is what an observer has.
      f1 = { ...capture!.f1 };
      usesSeenPerDay = capture!.usesDetectedPerDay;
      observedOn = 'capture';
      daily = [captureDaily!.adaptive, captureDaily!.aware, captureDaily!.awareSizes].filter((d): d is DailyMatch => d !== null);
    } else {
      const dTrain = observedLife(spec, trainDays, trainSeed, make());
      const dTest = observedLife(spec, testDays, testSeed, make());
      homeDays += trainDays + testDays;
      const score = (p: Parameters<typeof timelineF1>[0] | null, events = dTest.events): DailyMatch => dailyMatch(p, events, dTest.activities, toleranceUs, spec.startUs);
      const adaptive = dTrain.events.length >= 2 ? await fitObserver(dTrain.events, options.observers, `${spec.name}, ${trainDays} days defended`) : null;
      const filter = await fitCoverFilter(dTrain.events, options.observers);
      const adaptiveDaily = score(adaptive);
      const awareDaily = filter === null ? null : score(naive, filter.keep(dTest.events));
      f1 = { naive: daysMacroF1(score(naive)), adaptive: daysMacroF1(adaptiveDaily), aware: awareDaily === null ? null : daysMacroF1(awareDaily), awareSizes: capture?.f1.awareSizes ?? null };
      // The size-aware observer reads the capture's days, the others the uses': each is resampled on its own days.
      daily = [adaptiveDaily, awareDaily, captureDaily?.awareSizes ?? null].filter((d): d is DailyMatch => d !== null);
      usesSeenPerDay = dTest.events.length / testDays;
    }

    let cost: PointCost;
    let identification: Identification | null = null;
    if (strategy.name === 'constant-rate') {
      undefendedFrames ??= (await readHeldCapture(undefended.files.capture!, 'the sweep')).frames;
      const ledger = new FrameLedger();
      const shaped = constantRateFrames(params, true).apply(undefendedFrames, { random: seamRandom('packets', costSeed), ledger, vantage: 'lan', file: undefended.files.capture! });
      const totals = (frames: readonly HeldFrame[]) => ({ frames: frames.length, bytes: frames.reduce((s, f) => s + f.origLen, 0), firstUs: NaN, lastUs: NaN });
      const t = trafficCost(totals(undefendedFrames), totals(shaped), costDays);
      const delay = packetDelayCost(ledger.packetDelaysUs);
      identification = capture === null ? null : { devices: capture.devices, vendors: capture.vendors, namedByNames: capture.namedByNames };
      cost = { extraBytesPerDay: t.extraBytesPerDay, extraBytesPerSecond: t.extraBytesPerSecond, extraPercent: t.extraPercent, extraMbPerMonth: t.extraMbPerMonth, delayMeanS: delay?.delayMeanS ?? 0, delayP95S: delay?.delayP95S ?? 0, measured: 'counted' };
    } else {
      const out = join(options.work, 'point');
      const r = await defendHome({ spec, source: options.source, days: costDays, seed: costSeed, vantage: 'lan', format: 'pcapng', out, defence: make(), undefended });
      cost = pointCost(r.cost);
      identification = await identify(r.defended.files.capture!);
      rmSync(join(out, 'defended'), { recursive: true, force: true });
      homeDays += costDays;
    }
    const point: SweepPoint = {
      strategy: strategy.name,
      param,
      value,
      params,
      f1,
      strongest: Math.max(f1.adaptive, f1.aware ?? 0, f1.awareSizes ?? 0),
      strongestBound: boundOf(daily, boundSettings),
      usesSeenPerDay,
      cost,
      observedOn,
      capture,
      identification,
    };
    points.push(point);
    options.onPoint?.(point, points.length, plan.length);
  }
  rmSync(undefendedDir, { recursive: true, force: true });
  return {
    home: spec.name,
    seed,
    settings: { trainDays, testDays, costDays, toleranceMinutes: toleranceUs / 60e6, preset: options.observers.preset, epochs: options.observers.epochs, captureTrainDays, bound: { over: 'test days', ...boundSettings } },
    references: { ...references, identification: undefendedIdentification, undefendedCapture: capturedNaive === null ? null : (capturedNaive as { undefended: number }).undefended },
    points,
    seconds: (Date.now() - started) / 1000,
    homeDays,
  };
}

/**
 * The bound of a point's strongest observer: one bootstrap over the days its observers share (the
 * uses' and the capture's scored days are the same simulated days); observers scored on other days
 * (a capture's days are fewer when a day holds no activity it could read) are bounded apart and the
 * highest bound kept.
 */
function boundOf(daily: readonly DailyMatch[], settings: { level: number; resamples: number; seed: number }): number {
  const byDays = new Map<number, DailyMatch[]>();
  for (const d of daily) byDays.set(d.days, [...(byDays.get(d.days) ?? []), d]);
  return Math.max(0, ...[...byDays.values()].map((group) => strongestBound(group, settings)));
}

function pointCost(c: DefenceCost): PointCost {
  const t = c.traffic!;
  const delay = c.packets ?? c.uses;
  return {
    extraBytesPerDay: t.extraBytesPerDay,
    extraBytesPerSecond: t.extraBytesPerSecond,
    extraPercent: t.extraPercent,
    extraMbPerMonth: t.extraMbPerMonth,
    delayMeanS: delay?.delayMeanS ?? 0,
    delayP95S: delay?.delayP95S ?? 0,
    measured: 'written',
  };
}

/**
 * The cheapest point (extra MB a month, then delay) whose strongest observer stays under `target`
 * macro-F1 with its bound (`strongestBound`: on days the sweep did not score), or null when none does.
 * A point whose score is under the target on the sweep's test days but whose bound is not is refused.
 */
export function recommend(points: readonly SweepPoint[], target: number): SweepPoint | null {
  const ok = points.filter((p) => p.strongest < target && p.strongestBound < target);
  ok.sort((a, b) => Math.max(0, a.cost.extraMbPerMonth) - Math.max(0, b.cost.extraMbPerMonth) || a.cost.delayP95S - b.cost.delayP95S);
  return ok[0] ?? null;
}

/**
 * The strategies whose uses-level shortcut is not what an observer of their traffic gets: what use
 * detection still finds through a shaping tunnel, a tunnel, padding or a delay, on which device and of
 * which kind, is decided by the bytes written. Their scores come from the defended capture.
 */
export const CAPTURE_SCORED: ReadonlySet<string> = new Set(['constant-rate', 'tunnel', 'pad', 'slot-delay']);

/**
 * Frames of a shaping tunnel one capture may hold: every frame is held in memory to be written (about
 * 1.5 kB each at the default size), so 250,000 frames keep a chunk near 400 MB.
 */
export const MAX_CAPTURED_SHAPED_FRAMES = 250_000;

/**
 * Days one capture of a point holds: a week, or for a shaping tunnel the days its frames fit in
 * {@link MAX_CAPTURED_SHAPED_FRAMES} (2 × rate × 86,400 frames a day for the home's one tunnel; a
 * tunnel per device sends as many per device); 0 when not even a day fits (the point keeps its
 * uses-level view).
 */
export function captureChunkDays(strategy: string, params: ParamValues): number {
  if (strategy !== 'constant-rate') return CHUNK_DAYS;
  const tunnels = params.scope === 'device' ? 10 : 1;
  const perDay = 2 * Number(params.rate) * 86_400 * tunnels;
  return Math.min(CHUNK_DAYS, Math.floor(MAX_CAPTURED_SHAPED_FRAMES / perDay));
}

interface CapturePointOptions {
  readonly spec: HomeSpec;
  readonly source: string;
  readonly make: () => Defence;
  readonly trainDays: number;
  readonly testDays: number;
  readonly trainSeed: number;
  readonly testSeed: number;
  readonly chunkDays: number;
  readonly observers: ObserverSettings;
  readonly toleranceUs: number;
  readonly work: string;
  readonly naive: ActivityPredictor | null;
}

/** The strongest observers of captures scored per day (null where not run), for the bound. */
interface CaptureDaily {
  readonly adaptive: DailyMatch;
  readonly aware: DailyMatch | null;
  readonly awareSizes: DailyMatch | null;
}

/** One point observed on captures: the scored days written first; when the detection finds no use in them, no observer has anything to read and none is trained. */
async function capturePoint(o: CapturePointOptions): Promise<{ point: CapturePoint; daily: CaptureDaily }> {
  const record = (days: number, seed: number): Promise<CapturedRecord> => capturedRecord({ spec: o.spec, source: o.source, days, seed, defence: o.make, work: o.work, chunkDays: o.chunkDays });
  const test = await record(o.testDays, o.testSeed);
  const vendors = [...new Set(test.devices.map((d) => d.vendor).filter((v): v is string => v !== null))].sort();
  const base = { testDays: o.testDays, chunkDays: o.chunkDays, usesDetectedPerDay: test.events.length / o.testDays, devices: test.devices.length, vendors, namedByNames: test.namedByNames };
  const score = (p: ActivityPredictor | null, events: readonly DeviceUse[]): DailyMatch => dailyMatch(p, events, test.activities, o.toleranceUs, o.spec.startUs);
  if (test.events.length < 2) return { point: { ...base, trainDays: 0, f1: { naive: 0, adaptive: 0, aware: null, awareSizes: null }, coverTold: null }, daily: { adaptive: score(null, []), aware: null, awareSizes: null } };
  const train = await record(o.trainDays, o.trainSeed);
  const adaptive = await fitCapturedObserver(train, o.observers, `${o.spec.name}, ${o.trainDays} days defended, captured`);
  const cover = await fitCoverFilter(train.events, o.observers);
  const sizes = await fitSizeFilter(train.events, o.observers);
  // What the size filter keeps of the defended days, learnt from again: the observer reads the kept uses with this or the naive observer, whichever scores higher.
  const kept = sizes === null ? [] : sizes.keep(train.events);
  const sizeObserver = kept.length >= 2 ? await fitObserver(kept, o.observers, `${o.spec.name}, ${o.trainDays} days defended, captured, kept by sizes`) : null;
  const adaptiveDaily = score(adaptive, test.events);
  const awareDaily = cover === null ? null : score(o.naive, cover.keep(test.events));
  // The size-aware observer reads the kept uses with whichever of its two scores higher on the scored days.
  const sizesDaily = sizes === null ? null : [score(o.naive, sizes.keep(test.events)), score(sizeObserver, sizes.keep(test.events))].reduce((a, b) => (daysMacroF1(b) > daysMacroF1(a) ? b : a));
  const point: CapturePoint = {
    ...base,
    trainDays: o.trainDays,
    f1: {
      naive: daysMacroF1(score(o.naive, test.events)),
      adaptive: daysMacroF1(adaptiveDaily),
      aware: awareDaily === null ? null : daysMacroF1(awareDaily),
      awareSizes: sizesDaily === null ? null : daysMacroF1(sizesDaily),
    },
    coverTold: sizes === null ? null : coverToldApart(sizes, test.events),
  };
  return { point, daily: { adaptive: adaptiveDaily, aware: awareDaily, awareSizes: sizesDaily } };
}

/** Device identification on a written capture (observe/devices.ts, as `peephole devices` runs it). */
export async function identify(capture: string): Promise<Identification> {
  const report = await observeDevices(capture, { rules: defaultVendorRules(), oui: registeredVendorLookup() });
  const devices = report.devices.filter((d) => d.category !== 'router');
  return {
    devices: devices.length,
    vendors: [...new Set(devices.map((d) => d.vendor).filter((v): v is string => v !== null))].sort(),
    namedByNames: devices.filter((d) => namedBySaying(d)).length,
  };
}
