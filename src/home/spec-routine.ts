/**
 * A resident's routine in a home spec: a plan for work days (`weekday`) and one for days off
 * (`weekend`, by default the weekday plan), outings, naps, holidays, days at home, night shifts,
 * shifts that rotate and a routine that drifts. The types here are the parsed, checked form;
 * data/homes/README.md describes the file format.
 */
import { ACTIVITIES, type Activity } from '../core/activities.js';
import { MINUTES_PER_DAY, formatTimeOfDay, type SpecReader } from './spec-fields.js';

/** Days of the week as JavaScript numbers them (`getUTCDay()`): 0 is Sunday. */
export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const DEFAULT_WORK_DAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri'];
/** Which days an outing may happen on: every day, work days only, or days off only. */
export const OUTING_DAYS = ['all', 'work', 'off'] as const;
export type OutingDays = (typeof OUTING_DAYS)[number];

const DEFAULT_SPREAD_MINUTES = 15;
const MAX_SPREAD_MINUTES = 240;
const MAX_OUTINGS_PER_DAY = 10;
const MAX_DAYS_PER_YEAR = 365;
const MAX_ROTATION_DAYS = 365;
/** A nap of up to half a day. */
const MAX_NAP_MINUTES = 720;
const MAX_DRIFT_MINUTES = 240;

/** One step of a day plan: an activity at a time of day (normal: mean, sd), that happens with a probability. */
export interface StepSpec {
  readonly activity: Activity;
  /** Minutes after the day's midnight (`at: "HH:MM"`); past 1440 is after the next midnight. */
  readonly atMinutes: number;
  /** The standard deviation of the time, minutes. */
  readonly spreadMinutes: number;
  readonly probability: number;
}

/** A duration drawn from a normal distribution clamped to [min, max], minutes. */
export interface DurationSpec {
  readonly mean: number;
  readonly sd: number;
  readonly min: number;
  readonly max: number;
}

/** Short trips out (leave_temporarily, then return_home) while at home and awake, in a window. */
export interface OutingSpec {
  readonly windowMinutes: readonly [number, number];
  /** Expected outings a day (Poisson). */
  readonly ratePerDay: number;
  readonly durationMinutes: DurationSpec;
  readonly days: OutingDays;
}

/** One shift of a rotation: a work day plan, and whether it is a night shift (see {@link RoutineSpec.workNights}). */
export interface ShiftSpec {
  readonly weekday: readonly StepSpec[];
  readonly workNights: boolean;
}

/**
 * Shifts that take turns: the routine's own work day plan first, then each of `shifts`, each for
 * `everyDays` days (counted from the first simulated day), round and round.
 */
export interface RotationSpec {
  readonly everyDays: number;
  readonly shifts: readonly ShiftSpec[];
}

/**
 * A routine that drifts: every day the plan's times move together by a normal step of
 * `sdMinutesPerDay` (a random walk), kept within ±`maxMinutes` of the plan.
 */
export interface DriftSpec {
  readonly sdMinutesPerDay: number;
  readonly maxMinutes: number;
}

export interface RoutineSpec {
  readonly workDays: readonly Weekday[];
  /** The plan of a work day (the first shift of a rotation). */
  readonly weekday: readonly StepSpec[];
  /** The plan of a day off (weekends, holidays); the weekday plan when the spec has none. */
  readonly weekend: readonly StepSpec[];
  readonly outings: readonly OutingSpec[];
  /** Work days a year spent like days off, chosen by the seed. */
  readonly holidaysPerYear: number;
  /** Work days a year on which the resident stays in (the work day plan without leaving), chosen by the seed. */
  readonly daysAtHomePerYear: number;
  /**
   * A night-shift worker: the work day plan starts away (return_home, go_to_bed, wake_up, leave_home);
   * a day off after a shift starts with the plan's steps up to its first leave_home.
   */
  readonly workNights: boolean;
  /** Naps (go_to_bed, then wake_up) fitted in while at home and awake, like outings. */
  readonly naps: readonly OutingSpec[];
  /** Shifts that take turns, or null for the one work day plan. */
  readonly rotation: RotationSpec | null;
  /** A routine that drifts day by day, or null. */
  readonly drift: DriftSpec | null;
}

export interface ResidentSpec {
  readonly id: string;
  readonly routine: RoutineSpec;
}

/** Where a resident is: asleep or awake at home, away (for long) or out (temporarily). */
export type ResidentState = 'asleep' | 'awake' | 'away' | 'out';

/** The state an activity needs, and the state after it; null when the activity cannot follow `state`. */
export function nextState(state: ResidentState, activity: Activity): ResidentState | null {
  switch (activity) {
    case 'wake_up':
      return state === 'asleep' ? 'awake' : null;
    case 'go_to_bed':
      return state === 'awake' ? 'asleep' : null;
    case 'leave_home':
      return state === 'awake' ? 'away' : null;
    case 'leave_temporarily':
      return state === 'awake' ? 'out' : null;
    case 'return_home':
      return state === 'away' || state === 'out' ? 'awake' : null;
    default: {
      const never: never = activity;
      return never;
    }
  }
}

/** The state a plan starting with `activity` expects to start in. */
export function stateBefore(activity: Activity): ResidentState {
  if (activity === 'wake_up') return 'asleep';
  if (activity === 'return_home') return 'away';
  return 'awake';
}

export function parseResident(reader: SpecReader, value: unknown, path: string): ResidentSpec {
  const obj = reader.object(value, path, ['id', 'routine']);
  return { id: reader.id(...obj.required('id')), routine: parseRoutine(reader, ...obj.required('routine')) };
}

function parseRoutine(reader: SpecReader, value: unknown, path: string): RoutineSpec {
  const keys = ['workDays', 'weekday', 'weekend', 'outings', 'holidaysPerYear', 'daysAtHomePerYear', 'workNights', 'naps', 'rotation', 'drift'];
  const obj = reader.object(value, path, keys);
  let workDays = DEFAULT_WORK_DAYS;
  if (obj.has('workDays')) {
    const [list, listPath] = obj.required('workDays');
    workDays = reader.list(list, listPath).map((day, i) => reader.choice(day, `${listPath}[${i}]`, WEEKDAYS));
    const seen = new Set<string>();
    workDays.forEach((day, i) => {
      if (seen.has(day)) reader.fail(`${listPath}[${i}]`, `duplicate day ${JSON.stringify(day)}`);
      seen.add(day);
    });
  }
  const weekday = parsePlan(reader, ...obj.required('weekday'));
  const weekend = obj.has('weekend') ? parsePlan(reader, ...obj.required('weekend')) : weekday;
  const workNights = obj.has('workNights') ? reader.boolean(...obj.required('workNights')) : false;
  checkNightPlan(reader, weekday, workNights, obj.fieldPath('weekday'));
  const outingList = (key: string, maxMinutes: number): OutingSpec[] => {
    if (!obj.has(key)) return [];
    const [list, listPath] = obj.required(key);
    return reader.list(list, listPath).map((item, i) => parseOuting(reader, item, `${listPath}[${i}]`, maxMinutes));
  };
  const outings = outingList('outings', MINUTES_PER_DAY);
  const holidaysPerYear = obj.has('holidaysPerYear') ? reader.integer(...obj.required('holidaysPerYear'), 0, MAX_DAYS_PER_YEAR) : 0;
  const daysAtHomePerYear = obj.has('daysAtHomePerYear') ? reader.integer(...obj.required('daysAtHomePerYear'), 0, MAX_DAYS_PER_YEAR) : 0;
  const naps = outingList('naps', MAX_NAP_MINUTES);
  const rotation = obj.has('rotation') ? parseRotation(reader, ...obj.required('rotation')) : null;
  const drift = obj.has('drift') ? parseDrift(reader, ...obj.required('drift')) : null;
  return { workDays, weekday, weekend, outings, holidaysPerYear, daysAtHomePerYear, workNights, naps, rotation, drift };
}

/** A night-shift plan (workNights: true) starts away, with return_home. */
function checkNightPlan(reader: SpecReader, plan: readonly StepSpec[], workNights: boolean, path: string): void {
  if (workNights && plan[0].activity !== 'return_home') {
    reader.fail(`${path}[0].activity`, `a night-shift plan (workNights: true) starts away: expected return_home, got ${JSON.stringify(plan[0].activity)}`);
  }
}

function parseRotation(reader: SpecReader, value: unknown, path: string): RotationSpec {
  const obj = reader.object(value, path, ['everyDays', 'shifts']);
  const [list, listPath] = obj.required('shifts');
  const items = reader.list(list, listPath);
  if (items.length === 0) reader.fail(listPath, 'expected at least one shift (the routine\'s weekday plan is the first)');
  const shifts = items.map((item, i): ShiftSpec => {
    const shift = reader.object(item, `${listPath}[${i}]`, ['weekday', 'workNights']);
    const weekday = parsePlan(reader, ...shift.required('weekday'));
    const workNights = shift.has('workNights') ? reader.boolean(...shift.required('workNights')) : false;
    checkNightPlan(reader, weekday, workNights, shift.fieldPath('weekday'));
    return { weekday, workNights };
  });
  return { everyDays: reader.integer(...obj.required('everyDays'), 1, MAX_ROTATION_DAYS), shifts };
}

function parseDrift(reader: SpecReader, value: unknown, path: string): DriftSpec {
  const obj = reader.object(value, path, ['sdMinutesPerDay', 'maxMinutes']);
  return {
    sdMinutesPerDay: reader.number(...obj.required('sdMinutesPerDay'), 0, MAX_DRIFT_MINUTES),
    maxMinutes: reader.number(...obj.required('maxMinutes'), 0, MAX_DRIFT_MINUTES),
  };
}

/**
 * A day plan: steps in time order (each `at` no earlier than the one before), that make sense in a
 * row when they all happen (no go_to_bed twice, no return_home without leaving first).
 */
function parsePlan(reader: SpecReader, value: unknown, path: string): StepSpec[] {
  const items = reader.list(value, path);
  if (items.length === 0) reader.fail(path, 'expected at least one step');
  const steps = items.map((item, i) => parseStep(reader, item, `${path}[${i}]`));
  let state = stateBefore(steps[0].activity);
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i];
    if (i > 0 && step.atMinutes < steps[i - 1].atMinutes) {
      reader.fail(`${path}[${i}].at`, `expected a time no earlier than the step before (${formatTimeOfDay(steps[i - 1].atMinutes)}), got "${formatTimeOfDay(step.atMinutes)}"`);
    }
    const after = nextState(state, step.activity);
    if (after === null) reader.fail(`${path}[${i}].activity`, `${step.activity} cannot come here: the resident is ${describeState(state)}`);
    state = after;
  }
  return steps;
}

function describeState(state: ResidentState): string {
  return state === 'out' ? 'out (temporarily)' : state === 'away' ? 'away' : `at home and ${state}`;
}

function parseStep(reader: SpecReader, value: unknown, path: string): StepSpec {
  const obj = reader.object(value, path, ['activity', 'at', 'spreadMinutes', 'probability']);
  return {
    activity: reader.choice(...obj.required('activity'), ACTIVITIES),
    atMinutes: reader.timeOfDay(...obj.required('at')),
    spreadMinutes: obj.has('spreadMinutes') ? reader.number(...obj.required('spreadMinutes'), 0, MAX_SPREAD_MINUTES) : DEFAULT_SPREAD_MINUTES,
    probability: obj.has('probability') ? reader.number(...obj.required('probability'), 0, 1) : 1,
  };
}

function parseOuting(reader: SpecReader, value: unknown, path: string, maxMinutes: number): OutingSpec {
  const obj = reader.object(value, path, ['window', 'ratePerDay', 'durationMinutes', 'days']);
  return {
    windowMinutes: reader.window(...obj.required('window'), MINUTES_PER_DAY),
    ratePerDay: reader.number(...obj.required('ratePerDay'), 0, MAX_OUTINGS_PER_DAY),
    durationMinutes: parseDuration(reader, ...obj.required('durationMinutes'), maxMinutes),
    days: obj.has('days') ? reader.choice(...obj.required('days'), OUTING_DAYS) : 'all',
  };
}

/** `{ mean, sd, min, max }` in minutes; sd defaults to a quarter of the mean, min to 1, max to 3× the mean. */
export function parseDuration(reader: SpecReader, value: unknown, path: string, maxMinutes: number): DurationSpec {
  const obj = reader.object(value, path, ['mean', 'sd', 'min', 'max']);
  const mean = reader.number(...obj.required('mean'), 1, maxMinutes);
  const sd = obj.has('sd') ? reader.number(...obj.required('sd'), 0, maxMinutes) : mean / 4;
  const min = obj.has('min') ? reader.number(...obj.required('min'), 1, maxMinutes) : 1;
  const max = obj.has('max') ? reader.number(...obj.required('max'), 1, maxMinutes) : Math.min(maxMinutes, mean * 3);
  if (min > mean) reader.fail(obj.fieldPath('min'), `expected no more than the mean (${mean}), got ${min}`);
  if (max < mean) reader.fail(obj.fieldPath('max'), `expected no less than the mean (${mean}), got ${max}`);
  return { mean, sd, min, max };
}
