/**
 * The `structured` preset: the residents' day decoded as a structure (structured-day.ts), its priors
 * learned from simulated homes (fit-structure.ts) and kept in the model folder as `structure.json`.
 * It gives the day itself (`day`), and per-use probabilities like every preset (`predict`): the uses
 * within a bin of where an activity was placed carry that activity, with its confidence; every other
 * use is `none`.
 */
import { activityId } from '../core/activities.js';
import type { DeviceUse } from '../core/device-use.js';
import { ATTACK_CLASSES, NONE_CLASS, type UseContext } from '../features/feature-set.js';
import type { TimelineEntry } from './episodes.js';
import { countDay, DEFAULT_COUNT } from './resident-count.js';
import { estimateResidents, type ResidentEstimate } from './resident-estimate.js';
import { parseResidentRates } from './resident-rates.js';
import { withoutSchedules } from './schedules.js';
import { DEFAULT_STRUCTURE, HOME_CHAIN, STATE_NAMES, structuredDay, type DurationLaw, type StructuredDay, type StructureParams } from './structured-day.js';

/** How many residents the day is read with: a number, or 'auto' to estimate it from the uses. */
export type ResidentsOption = number | 'auto';

export const STRUCTURE_FILE = 'structure.json';

/** A structure file that does not hold priors: names the field, as `durations.asleep.sigma`. */
export class StructureFileError extends Error {
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${field}: ${problem}`);
  }
}

export class StructuredPreset {
  readonly name = 'structured';
  readonly classes: readonly string[] = ATTACK_CLASSES;
  /**
   * It reads the whole home: its day is decoded whole (attack/use-stream.ts `inferDay` gives it
   * blocks of days with margins, not stretches of uses).
   */
  readonly context: UseContext = { uses: 0, runGapUs: Infinity, spanUs: Infinity };

  /**
   * `residents`: how many live in the home, or 'auto' (the default): estimated from the uses
   * (resident-estimate.ts) each time a day is decoded, from the home's day read as one. With `hold`,
   * the first estimate is kept for every later call: `peephole attack` reads a long record in blocks
   * of 28 days (attack/use-stream.ts `dayInBlocks`; a record of up to 35 days in one), one home
   * throughout, and the first block (up to 30 days of uses, or the whole record) says the most.
   */
  constructor(
    readonly params: StructureParams = DEFAULT_STRUCTURE,
    readonly residents: ResidentsOption = 'auto',
    private readonly options: { readonly hold?: boolean; readonly onEstimate?: (estimate: ResidentEstimate) => void } = {},
  ) {
    if (residents !== 'auto' && !(Number.isInteger(residents) && residents >= 1)) throw new RangeError(`residents must be 'auto' or a whole number from 1, not ${residents}`);
  }

  private held: ResidentEstimate | null = null;

  /**
   * The day: one entry per decoded transition, with the uses within a bin (5 min) either side of where
   * it was placed. A device's uses at the same clock minute on most days are a schedule, not a
   * resident (schedules.ts): they are neither decoded nor listed behind an activity.
   */
  day(all: readonly DeviceUse[]): TimelineEntry[] {
    const events = withoutSchedules(all);
    const decoded = this.decode(events).activities;
    const out: TimelineEntry[] = [];
    let from = 0;
    for (const a of decoded) {
      while (from < events.length && events[from].timeUs < a.timeUs - this.params.binUs) from++;
      let to = from;
      while (to < events.length && events[to].timeUs <= a.timeUs + this.params.binUs) to++;
      out.push({ timeUs: a.timeUs, activity: a.activity, confidence: a.confidence, events: events.slice(from, to) });
    }
    return out;
  }

  /** The number of residents the day is read with: as given, held, or estimated from `events`. */
  private residentsFor(events: readonly DeviceUse[], chain: StructuredDay): number {
    if (this.residents !== 'auto') return this.residents;
    if (this.held !== null) return this.held.residents;
    const estimate = estimateResidents(events, chain);
    if (this.options.hold === true) this.held = estimate;
    this.options.onEstimate?.(estimate);
    return estimate.residents;
  }

  /** The day of `events`, uses that keep a clock already left out. */
  private decode(events: readonly DeviceUse[]): StructuredDay {
    if (events.length === 0) return { activities: [], segments: [] };
    if (this.residents === 1) return structuredDay(events, this.params, 1);
    // The home's chain: what the number of residents is estimated from, and the first labelling of the count decoder.
    const chain = structuredDay(events, this.params, 1, HOME_CHAIN);
    const residents = this.residentsFor(events, chain);
    // A home of one: its day read again with how many uses each device made a bin (structured-day.ts countClass).
    if (residents === 1) return structuredDay(events, this.params, 1, { chain });
    // Several residents: the count decoder where the model has its priors, else the home's chain and the others placed beside it.
    return this.params.residentRates !== undefined ? countDay(events, this.params, residents, this.params.residentRates, DEFAULT_COUNT, chain) : structuredDay(events, this.params, residents);
  }

  predict(events: readonly DeviceUse[], from = 0, to = events.length): Float32Array {
    const all = this.predictAll(events);
    return all.slice(from * this.classes.length, to * this.classes.length);
  }

  private predictAll(events: readonly DeviceUse[]): Float32Array {
    const classes = this.classes.length;
    const out = new Float32Array(events.length * classes);
    // By default a use is none, as sure as the preset can be without a transition near it.
    for (let i = 0; i < events.length; i++) {
      out.fill((1 - NONE_PROBABILITY) / (classes - 1), i * classes, (i + 1) * classes);
      out[i * classes + NONE_CLASS] = NONE_PROBABILITY;
    }
    const index = new Map<DeviceUse, number>(events.map((e, i) => [e, i]));
    for (const entry of this.day(events)) {
      const c = activityId(entry.activity);
      const p = Math.max(entry.confidence, 1 / classes + 1e-6);
      for (const use of entry.events) {
        const i = index.get(use)!;
        out.fill((1 - p) / (classes - 1), i * classes, (i + 1) * classes);
        out[i * classes + c] = p;
      }
    }
    return out;
  }
}

const NONE_PROBABILITY = 0.9;

/** The priors as JSON (what `structure.json` holds). */
export function structureJson(params: StructureParams): Record<string, unknown> {
  return { ...params };
}

function finite(value: unknown, field: string, min: number, max = Infinity): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new StructureFileError(field, `expected a number from ${min}${max === Infinity ? '' : ` to ${max}`}, got ${JSON.stringify(value)}`);
  }
  return value;
}

function hours(value: unknown, field: string): number[] {
  if (!Array.isArray(value) || value.length !== 24) throw new StructureFileError(field, 'expected 24 probabilities, one per hour');
  const out = value.map((v, i) => finite(v, `${field}[${i}]`, 0, 1));
  const sum = out.reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 1) > 1e-6) throw new StructureFileError(field, `the 24 probabilities sum to ${sum}, not 1`);
  return out;
}

/** The priors read back from `structure.json`'s parsed JSON; every field checked. */
export function parseStructure(json: unknown): StructureParams {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new StructureFileError('(top)', 'expected a JSON object');
  const o = json as Record<string, unknown>;
  const durations = o.durations as Record<string, unknown> | undefined;
  if (typeof durations !== 'object' || durations === null) throw new StructureFileError('durations', 'expected an object with a law per state');
  const law = (name: string): DurationLaw => {
    const l = durations[name] as Record<string, unknown> | undefined;
    const f = `durations.${name}`;
    if (typeof l !== 'object' || l === null) throw new StructureFileError(f, 'missing');
    const minUs = finite(l.minUs, `${f}.minUs`, 1);
    const maxUs = finite(l.maxUs, `${f}.maxUs`, minUs);
    return { medianUs: finite(l.medianUs, `${f}.medianUs`, 1), sigma: finite(l.sigma, `${f}.sigma`, 1e-3, 10), minUs, maxUs };
  };
  const fromAwake = o.fromAwake;
  if (!Array.isArray(fromAwake) || fromAwake.length !== 3) throw new StructureFileError('fromAwake', 'expected 3 probabilities (to bed, out for a while, out for long)');
  const from = fromAwake.map((v, i) => finite(v, `fromAwake[${i}]`, 1e-9, 1)) as [number, number, number];
  if (Math.abs(from[0] + from[1] + from[2] - 1) > 1e-6) throw new StructureFileError('fromAwake', 'the 3 probabilities do not sum to 1');
  const binUs = finite(o.binUs, 'binUs', 1e6, 3600e6);
  return {
    binUs,
    outingLineUs: finite(o.outingLineUs, 'outingLineUs', binUs),
    durations: Object.fromEntries(STATE_NAMES.map((n) => [n, law(n)])) as unknown as StructureParams['durations'],
    fromAwake: from,
    wakeHours: hours(o.wakeHours, 'wakeHours'),
    bedHours: hours(o.bedHours, 'bedHours'),
    hourPriorWeight: finite(o.hourPriorWeight, 'hourPriorWeight', 0),
    entranceAtTransition: finite(o.entranceAtTransition, 'entranceAtTransition', 1e-6, 1 - 1e-6),
    rounds: Math.round(finite(o.rounds, 'rounds', 0, 100)),
    utcOffsetMinutes: finite(o.utcOffsetMinutes, 'utcOffsetMinutes', -14 * 60, 14 * 60),
    ...(o.residentRates === undefined
      ? {}
      : {
          residentRates: parseResidentRates(o.residentRates, (field, problem) => {
            throw new StructureFileError(field, problem);
          }),
        }),
  };
}
