/**
 * One resident's life, a day at a time: the day's plan (work day, day off, holiday, day at home,
 * the morning after a night shift) drawn step by step, then outings fitted in. The resident stays
 * consistent: every activity follows from the state before it (asleep, awake, away, out; see
 * {@link nextState}); a drawn step that does not is dropped, and a step drawn before the previous
 * one (or closer than {@link MIN_STEP_GAP_MINUTES}) is moved to just after it, so steps keep their
 * order across days too.
 */
import type { Random } from '../core/random.js';
import { poisson, streamRandom, uniform } from './seeds.js';
import { nextState, stateBefore, WEEKDAYS, type DurationSpec, type ResidentSpec, type ResidentState, type StepSpec } from './spec-routine.js';
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

/** What kind of day a resident has. */
export type DayKind = 'work' | 'off' | 'holiday' | 'home';

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

  constructor(
    private readonly resident: ResidentSpec,
    private readonly index: number,
    private readonly seed: number,
    private readonly startUs: number,
  ) {
    this.id = resident.id;
    this.random = streamRandom(seed, STREAM_DAYS, index);
    this.workDays = new Set(resident.routine.workDays.map((d) => WEEKDAYS.indexOf(d)));
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
    const startState = this.state;
    const startLastUs = this.lastUs;
    const steps: Step[] = [];
    for (const spec of this.planFor(day)) {
      // Draw the time before the coin so a step's time does not depend on whether the one before happened.
      const drawnUs = dayStartUs + (spec.atMinutes + this.random.normal(0, spec.spreadMinutes)) * US_PER_MINUTE;
      if (this.random.next() >= spec.probability) continue;
      const after = nextState(this.state, spec.activity);
      if (after === null) continue;
      const timeUs = Math.round(Math.max(drawnUs, dayStartUs, this.lastUs + MIN_GAP_US));
      steps.push({ timeUs, activity: spec.activity, state: after });
      this.state = after;
      this.lastUs = timeUs;
    }
    this.fitOutings(steps, dayStartUs, kind, startState, startLastUs);
    return steps.map((s) => ({ timeUs: s.timeUs, resident: this.id, activity: s.activity }));
  }

  /** The plan of day `day`: by its kind, and for a night worker back from a shift, the morning after first. */
  private planFor(day: number): readonly StepSpec[] {
    const routine = this.resident.routine;
    const kind = this.dayKind(day);
    let plan: readonly StepSpec[] = kind === 'work' || kind === 'home' ? routine.weekday : routine.weekend;
    if (kind === 'home') plan = plan.filter((s) => s.activity !== 'leave_home');
    if (routine.workNights && day > 0 && this.state === 'away' && plan[0]?.activity !== 'return_home') {
      const firstLeave = routine.weekday.findIndex((s) => s.activity === 'leave_home');
      plan = [...routine.weekday.slice(0, firstLeave < 0 ? routine.weekday.length : firstLeave), ...plan];
    }
    return plan;
  }

  /** Adds each outing that fits to `steps` (kept in time order). */
  private fitOutings(steps: Step[], dayStartUs: number, kind: DayKind, startState: ResidentState, startLastUs: number): void {
    const work = kind === 'work' || kind === 'home';
    for (const outing of this.resident.routine.outings) {
      if ((outing.days === 'work' && !work) || (outing.days === 'off' && work)) continue;
      const count = poisson(this.random, outing.ratePerDay);
      for (let n = 0; n < count; n++) {
        for (let attempt = 0; attempt < OUTING_TRIES; attempt++) {
          const leaveUs = Math.round(dayStartUs + uniform(this.random, outing.windowMinutes[0], outing.windowMinutes[1]) * US_PER_MINUTE);
          const returnUs = leaveUs + Math.round(drawDuration(this.random, outing.durationMinutes) * US_PER_MINUTE);
          if (this.insertOuting(steps, leaveUs, returnUs, startState, startLastUs)) break;
        }
      }
    }
  }

  /** Inserts leave_temporarily and return_home when the resident is home and awake with room around them. */
  private insertOuting(steps: Step[], leaveUs: number, returnUs: number, startState: ResidentState, startLastUs: number): boolean {
    if (leaveUs < startLastUs + MIN_GAP_US) return false;
    let before = 0;
    while (before < steps.length && steps[before].timeUs <= leaveUs) before++;
    const stateThen = before === 0 ? startState : steps[before - 1].state;
    if (stateThen !== 'awake') return false;
    if (before > 0 && steps[before - 1].timeUs > leaveUs - MIN_GAP_US) return false;
    if (before < steps.length && steps[before].timeUs < returnUs + MIN_GAP_US) return false;
    steps.splice(before, 0, { timeUs: leaveUs, activity: 'leave_temporarily', state: 'out' }, { timeUs: returnUs, activity: 'return_home', state: 'awake' });
    this.lastUs = Math.max(this.lastUs, returnUs);
    return true;
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

/** A duration in minutes: normal, redrawn a few times when outside [min, max], then clamped. */
export function drawDuration(random: Random, spec: DurationSpec): number {
  for (let i = 0; i < 4; i++) {
    const value = random.normal(spec.mean, spec.sd);
    if (value >= spec.min && value <= spec.max) return value;
  }
  return Math.min(spec.max, Math.max(spec.min, spec.mean));
}
