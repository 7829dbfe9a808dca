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
import { chanceF1, fitCoverFilter, fitObserver, observedLife, timelineF1, type ObserverSettings } from './observers.js';

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
  readonly f1: { readonly naive: number; readonly adaptive: number; readonly aware: number | null };
  /** The best of the adaptive and aware observers: what the defence must hold down. */
  readonly strongest: number;
  /** Uses the observer sees a day on the scored days (real and cover). */
  readonly usesSeenPerDay: number;
  readonly cost: PointCost;
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
  readonly settings: { readonly trainDays: number; readonly testDays: number; readonly costDays: number; readonly toleranceMinutes: number; readonly preset: string; readonly epochs: number };
  readonly references: { readonly undefended: number; readonly chance: number };
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

  const plan = options.strategies.flatMap((s) => {
    const { param, values } = sweepValues(s);
    return values.map((value) => ({ strategy: s, param, value }));
  });
  const points: SweepPoint[] = [];
  for (const { strategy, param, value } of plan) {
    const given = param === null || value === null ? {} : { [param]: value };
    const params = resolveParams(strategy.name, strategy.params, given);
    const make = () => createDefence(strategy.name, given);
    const dTrain = observedLife(spec, trainDays, trainSeed, make());
    const dTest = observedLife(spec, testDays, testSeed, make());
    homeDays += trainDays + testDays;
    const score = (p: Parameters<typeof timelineF1>[0] | null, events = dTest.events): number => (p === null || events.length === 0 ? 0 : timelineF1(p, events, dTest.activities, toleranceUs));
    const adaptive = dTrain.events.length >= 2 ? await fitObserver(dTrain.events, options.observers, `${spec.name}, ${trainDays} days defended`) : null;
    const filter = await fitCoverFilter(dTrain.events, options.observers);
    const f1 = { naive: score(naive), adaptive: score(adaptive), aware: filter === null ? null : score(naive, filter.keep(dTest.events)) };

    let cost: PointCost;
    if (strategy.name === 'constant-rate') {
      undefendedFrames ??= (await readHeldCapture(undefended.files.capture!, 'the sweep')).frames;
      const ledger = new FrameLedger();
      const shaped = constantRateFrames(params, true).apply(undefendedFrames, { random: seamRandom('packets', costSeed), ledger, vantage: 'lan', file: undefended.files.capture! });
      const totals = (frames: readonly HeldFrame[]) => ({ frames: frames.length, bytes: frames.reduce((s, f) => s + f.origLen, 0), firstUs: NaN, lastUs: NaN });
      const t = trafficCost(totals(undefendedFrames), totals(shaped), costDays);
      const delay = packetDelayCost(ledger.packetDelaysUs);
      cost = { extraBytesPerDay: t.extraBytesPerDay, extraBytesPerSecond: t.extraBytesPerSecond, extraPercent: t.extraPercent, extraMbPerMonth: t.extraMbPerMonth, delayMeanS: delay?.delayMeanS ?? 0, delayP95S: delay?.delayP95S ?? 0, measured: 'counted' };
    } else {
      const out = join(options.work, 'point');
      const r = await defendHome({ spec, source: options.source, days: costDays, seed: costSeed, vantage: 'lan', format: 'pcapng', out, defence: make(), undefended });
      cost = pointCost(r.cost);
      rmSync(join(out, 'defended'), { recursive: true, force: true });
      homeDays += costDays;
    }
    const point: SweepPoint = {
      strategy: strategy.name,
      param,
      value,
      params,
      f1,
      strongest: Math.max(f1.adaptive, f1.aware ?? 0),
      usesSeenPerDay: dTest.events.length / testDays,
      cost,
    };
    points.push(point);
    options.onPoint?.(point, points.length, plan.length);
  }
  rmSync(undefendedDir, { recursive: true, force: true });
  return {
    home: spec.name,
    seed,
    settings: { trainDays, testDays, costDays, toleranceMinutes: toleranceUs / 60e6, preset: options.observers.preset, epochs: options.observers.epochs },
    references,
    points,
    seconds: (Date.now() - started) / 1000,
    homeDays,
  };
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
 * macro-F1, or null when none does.
 */
export function recommend(points: readonly SweepPoint[], target: number): SweepPoint | null {
  const ok = points.filter((p) => p.strongest < target);
  ok.sort((a, b) => Math.max(0, a.cost.extraMbPerMonth) - Math.max(0, b.cost.extraMbPerMonth) || a.cost.delayP95S - b.cost.delayP95S);
  return ok[0] ?? null;
}
