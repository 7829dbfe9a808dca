/**
 * One resident's life, a day at a time: the day's plan (work day, day off, holiday, day at home,
 * the morning after a night shift, the shift of a rotation) drawn step by step, its times moved by
 * the routine's drift, then outings and naps fitted in; trips take the resident away for nights. The
 * resident stays consistent: every activity follows from the state before it (asleep, awake, away,
 * out; see {@link nextState}); a drawn step that does not is dropped, and a step drawn before the
 * previous one (or closer than {@link MIN_STEP_GAP_MINUTES}) is moved to just after it, so steps
 * keep their order across days too.
 */
import type { Activity } from '../core/activities.js';
import type { Random } from '../core/random.js';
import { poisson, streamRandom, uniform } from './seeds.js';
import { MAX_TRIP_NIGHTS, type TripSpec } from './spec-household.js';
import { nextState, stateBefore, WEEKDAYS, type DurationSpec, type OutingSpec, type ResidentSpec, type ResidentState, type ShiftSpec, type StepSpec } from './spec-routine.js';
import type { ActivityRecord } from './types.js';

/** The least time between two activities of a resident. */
export const MIN_STEP_GAP_MINUTES = 5;
/** Days per block in which holidays and days at home are chosen (a year from the first day). */
export const DAYS_PER_YEAR = 365;
/** Times an outing is redrawn when it does not fit (the resident is not home and awake, or another step is in the way). */
const OUTING_TRIES = 8;
const US_PER_MINUTE = 60e6;
const US_PER_DAY = 86_400e6;
const MIN_GAP_US = MIN_STEP_GAP_MINUTES * US_PER_MINUTE;
const STREAM_DAYS = 1;
const STREAM_HOLIDAYS = 2;
/** Streams 3 and 4 are the household's and the device reports' (life.ts). */
const STREAM_DRIFT = 5;
const STREAM_TRIPS = 6;
const STREAM_TRIP_TIMES = 7;
/** How far apart the members of a party leave and come back, minutes (uniform). */
const PARTY_SPREAD_MINUTES = 5;
/** Before leaving on a trip while asleep (a night worker's day sleep), the resident gets up this long before. */
const WAKE_BEFORE_TRIP_MINUTES = 30;

/** What kind of day a resident has. */
export type DayKind = 'work' | 'off' | 'holiday' | 'home';

/** A trip of the home spec with its index there (its random stream). */
export interface IndexedTrip {
  readonly index: number;
  readonly trip: TripSpec;
}

/** A trip as it happens: it leaves on `startDay` and comes back `nights` days later. */
interface TripDates {
  readonly startDay: number;
  readonly nights: number;
  /** Minutes after midnight. */
  readonly leaveMinutes: number;
  readonly returnMinutes: number;
}

/** What a day is for a resident on a trip. */
type TripDay = { readonly phase: 'leave'; readonly atUs: number } | { readonly phase: 'away' } | { readonly phase: 'return'; readonly atUs: number };

interface Step {
  readonly timeUs: number;
  readonly activity: ActivityRecord['activity'];
  /** The state after the step. */
  readonly state: ResidentState;
}

export class ResidentLife {
  readonly id: string;
  /** Where the resident is now: after the last activity drawn. */
  state: ResidentState;
  private lastUs = -Infinity;
  private readonly random: Random;
  private readonly workDays: ReadonlySet<number>;
  private specialBlock = -1;
  private holidays = new Set<number>();
  private homeDays = new Set<number>();
  private readonly shifts: readonly ShiftSpec[];
  private readonly driftRandom: Random | null;
  private driftMinutes = 0;
  /** Trip days by day, filled a year block at a time ({@link tripBlocks} blocks so far). */
  private readonly tripDays = new Map<number, TripDay>();
  private tripBlocks = 0;
  private lastTripDay = -1;
  private readonly tripRandom: Random | null;

  constructor(
    private readonly resident: ResidentSpec,
    private readonly index: number,
    private readonly seed: number,
    private readonly startUs: number,
    /** The home's trips this resident goes on. */
    private readonly trips: readonly IndexedTrip[] = [],
  ) {
    this.id = resident.id;
    this.random = streamRandom(seed, STREAM_DAYS, index);
    this.workDays = new Set(resident.routine.workDays.map((d) => WEEKDAYS.indexOf(d)));
    const routine = resident.routine;
    this.shifts = [{ weekday: routine.weekday, workNights: routine.workNights }, ...(routine.rotation?.shifts ?? [])];
    this.driftRandom = routine.drift === null ? null : streamRandom(seed, STREAM_DRIFT, index);
    this.tripRandom = trips.length === 0 ? null : streamRandom(seed, STREAM_TRIP_TIMES, index);
    const firstPlan = this.planFor(0);
    this.state = stateBefore(firstPlan[0].activity);
  }

  /** The kind of day `day` (0 = the first simulated day) is for this resident. */
  dayKind(day: number): DayKind {
    const weekday = new Date((this.startUs + day * US_PER_DAY) / 1000).getUTCDay();
    if (!this.workDays.has(weekday)) return 'off';
    this.chooseSpecialDays(Math.floor(day / DAYS_PER_YEAR));
    if (this.holidays.has(day)) return 'holiday';
    if (this.homeDays.has(day)) return 'home';
    return 'work';
  }

  /** Draws day `day`'s activities (in time order, some maybe after the next midnight) and moves the resident's state on. */
  drawDay(day: number): ActivityRecord[] {
    const dayStartUs = this.startUs + day * US_PER_DAY;
    const kind = this.dayKind(day);
    const trip = this.tripDay(day);
    const startState = this.state;
    const startLastUs = this.lastUs;
    const steps: Step[] = [];
    const push = (activity: Activity, atUs: number): void => {
      const after = nextState(this.state, activity);
      if (after === null) return;
      const timeUs = Math.round(Math.max(atUs, dayStartUs, this.lastUs + MIN_GAP_US));
      steps.push({ timeUs, activity, state: after });
      this.state = after;
      this.lastUs = timeUs;
    };
    if (trip?.phase === 'return') push('return_home', trip.atUs);
    const driftUs = this.drift() * US_PER_MINUTE;
    for (const spec of this.planFor(day)) {
      // Draw the time before the coin so a step's time does not depend on whether the one before happened.
      const drawnUs = dayStartUs + (spec.atMinutes + this.random.normal(0, spec.spreadMinutes)) * US_PER_MINUTE + driftUs;
      if (this.random.next() >= spec.probability) continue;
      // On a trip, only the steps before leaving and after coming back happen.
      if (trip !== null && (trip.phase === 'away' || (trip.phase === 'leave' && drawnUs >= trip.atUs) || (trip.phase === 'return' && drawnUs <= trip.atUs))) continue;
      push(spec.activity, drawnUs);
    }
    if (trip?.phase === 'leave') {
      // Already away (at work, on a night shift) or out: the trip starts from there.
      if (this.state === 'asleep') push('wake_up', trip.atUs - WAKE_BEFORE_TRIP_MINUTES * US_PER_MINUTE);
      if (this.state === 'awake') push('leave_home', trip.atUs);
    }
    this.fitBreaks(steps, dayStartUs, kind, startState, startLastUs, this.resident.routine.outings, OUTING);
    this.fitBreaks(steps, dayStartUs, kind, startState, startLastUs, this.resident.routine.naps, NAP);
    return steps.map((s) => ({ timeUs: s.timeUs, resident: this.id, activity: s.activity }));
  }

  /** The routine's drift today, minutes: yesterday's and a normal step, kept within its bounds. */
  private drift(): number {
    const drift = this.resident.routine.drift;
    if (drift === null || this.driftRandom === null) return 0;
    this.driftMinutes = Math.max(-drift.maxMinutes, Math.min(drift.maxMinutes, this.driftMinutes + this.driftRandom.normal(0, drift.sdMinutesPerDay)));
    return this.driftMinutes;
  }

  /** The shift of day `day` in the rotation (the routine's own work day plan without one). */
  private shiftFor(day: number): ShiftSpec {
    const rotation = this.resident.routine.rotation;
    if (rotation === null) return this.shifts[0];
    return this.shifts[Math.floor(day / rotation.everyDays) % this.shifts.length];
  }

  /**
   * The plan of day `day`: by its kind and its shift, and for a night worker back from a shift, the
   * morning after first. A work day right after the last night shift of a rotation's night block is
   * spent as a day off (the rest day after nights).
   */
  private planFor(day: number): readonly StepSpec[] {
    const routine = this.resident.routine;
    let kind = this.dayKind(day);
    const shift = this.shiftFor(day);
    const previous = day > 0 ? this.shiftFor(day - 1) : shift;
    if (previous.workNights && !shift.workNights && (kind === 'work' || kind === 'home')) kind = 'off';
    let plan: readonly StepSpec[] = kind === 'work' || kind === 'home' ? shift.weekday : routine.weekend;
    if (kind === 'home') plan = plan.filter((s) => s.activity !== 'leave_home');
    if (previous.workNights && day > 0 && this.state === 'away' && plan[0]?.activity !== 'return_home') {
      const firstLeave = previous.weekday.findIndex((s) => s.activity === 'leave_home');
      plan = [...previous.weekday.slice(0, firstLeave < 0 ? previous.weekday.length : firstLeave), ...plan];
    }
    return plan;
  }

  /** Adds each outing (or nap) that fits to `steps` (kept in time order). */
  private fitBreaks(steps: Step[], dayStartUs: number, kind: DayKind, startState: ResidentState, startLastUs: number, specs: readonly OutingSpec[], pair: BreakPair): void {
    const work = kind === 'work' || kind === 'home';
    for (const outing of specs) {
      if ((outing.days === 'work' && !work) || (outing.days === 'off' && work)) continue;
      const count = poisson(this.random, outing.ratePerDay);
      for (let n = 0; n < count; n++) {
        for (let attempt = 0; attempt < OUTING_TRIES; attempt++) {
          const leaveUs = Math.round(dayStartUs + uniform(this.random, outing.windowMinutes[0], outing.windowMinutes[1]) * US_PER_MINUTE);
          const returnUs = leaveUs + Math.round(drawDuration(this.random, outing.durationMinutes) * US_PER_MINUTE);
          if (this.insertBreak(steps, leaveUs, returnUs, startState, startLastUs, pair)) break;
        }
      }
    }
  }

  /** Inserts a break's two steps (leave_temporarily and return_home; go_to_bed and wake_up) when the resident is home and awake with room around them. */
  private insertBreak(steps: Step[], startUs: number, endUs: number, startState: ResidentState, startLastUs: number, pair: BreakPair): boolean {
    if (startUs < startLastUs + MIN_GAP_US) return false;
    let before = 0;
    while (before < steps.length && steps[before].timeUs <= startUs) before++;
    const stateThen = before === 0 ? startState : steps[before - 1].state;
    if (stateThen !== 'awake') return false;
    if (before > 0 && steps[before - 1].timeUs > startUs - MIN_GAP_US) return false;
    if (before < steps.length && steps[before].timeUs < endUs + MIN_GAP_US) return false;
    steps.splice(before, 0, { timeUs: startUs, activity: pair.start, state: pair.during }, { timeUs: endUs, activity: pair.end, state: 'awake' });
    this.lastUs = Math.max(this.lastUs, endUs);
    return true;
  }

  /** What day `day` is on a trip, or null. */
  private tripDay(day: number): TripDay | null {
    if (this.trips.length === 0) return null;
    while (this.tripBlocks <= Math.floor(day / DAYS_PER_YEAR)) this.chooseTrips(this.tripBlocks++);
    return this.tripDays.get(day) ?? null;
  }

  /**
   * The trips starting in year block `block`: each party's from its own stream (so its members go
   * together), then in order of their start, each kept unless it starts before the resident is
   * back from the one before.
   */
  private chooseTrips(block: number): void {
    const dates: { dates: TripDates; order: number }[] = [];
    for (const { index, trip } of this.trips) {
      const random = streamRandom(this.seed, STREAM_TRIPS, index, block);
      const count = poisson(random, trip.perYear);
      for (let n = 0; n < count; n++) {
        dates.push({
          order: dates.length,
          dates: {
            startDay: block * DAYS_PER_YEAR + random.int(0, DAYS_PER_YEAR - 1),
            nights: Math.max(1, Math.min(MAX_TRIP_NIGHTS, Math.round(drawDuration(random, trip.nights)))),
            leaveMinutes: uniform(random, trip.leaveWindowMinutes[0], trip.leaveWindowMinutes[1]),
            returnMinutes: uniform(random, trip.returnWindowMinutes[0], trip.returnWindowMinutes[1]),
          },
        });
      }
    }
    dates.sort((a, b) => a.dates.startDay - b.dates.startDay || a.order - b.order);
    const random = this.tripRandom!;
    for (const { dates: t } of dates) {
      if (t.startDay <= this.lastTripDay) continue;
      const at = (day: number, minutes: number): number => Math.round(this.startUs + day * US_PER_DAY + (minutes + uniform(random, 0, PARTY_SPREAD_MINUTES)) * US_PER_MINUTE);
      this.tripDays.set(t.startDay, { phase: 'leave', atUs: at(t.startDay, t.leaveMinutes) });
      for (let d = t.startDay + 1; d < t.startDay + t.nights; d++) this.tripDays.set(d, { phase: 'away' });
      this.tripDays.set(t.startDay + t.nights, { phase: 'return', atUs: at(t.startDay + t.nights, t.returnMinutes) });
      this.lastTripDay = t.startDay + t.nights;
    }
  }

  /** Chooses the holidays and days at home of year block `block` (among its work days), once per block. */
  private chooseSpecialDays(block: number): void {
    if (block === this.specialBlock) return;
    this.specialBlock = block;
    const routine = this.resident.routine;
    const random = streamRandom(this.seed, STREAM_HOLIDAYS, this.index, block);
    const workDays: number[] = [];
    for (let day = block * DAYS_PER_YEAR; day < (block + 1) * DAYS_PER_YEAR; day++) {
      if (this.workDays.has(new Date((this.startUs + day * US_PER_DAY) / 1000).getUTCDay())) workDays.push(day);
    }
    // A partial Fisher-Yates shuffle: the first holidays, then the days at home, all distinct.
    const wanted = Math.min(workDays.length, routine.holidaysPerYear + routine.daysAtHomePerYear);
    for (let i = 0; i < wanted; i++) {
      const j = random.int(i, workDays.length - 1);
      [workDays[i], workDays[j]] = [workDays[j], workDays[i]];
    }
    const holidays = Math.min(routine.holidaysPerYear, wanted);
    this.holidays = new Set(workDays.slice(0, holidays));
    this.homeDays = new Set(workDays.slice(holidays, wanted));
  }
}

/** The two steps of a break from the day: how it starts, where the resident is during it, how it ends. */
interface BreakPair {
  readonly start: Activity;
  readonly during: ResidentState;
  readonly end: Activity;
}

const OUTING: BreakPair = { start: 'leave_temporarily', during: 'out', end: 'return_home' };
const NAP: BreakPair = { start: 'go_to_bed', during: 'asleep', end: 'wake_up' };

/** A duration in minutes: normal, redrawn a few times when outside [min, max], then clamped. */
export function drawDuration(random: Random, spec: DurationSpec): number {
  for (let i = 0; i < 4; i++) {
    const value = random.normal(spec.mean, spec.sd);
    if (value >= spec.min && value <= spec.max) return value;
  }
  return Math.min(spec.max, Math.max(spec.min, spec.mean));
}
