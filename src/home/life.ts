/**
 * A home's simulated, labelled life, one day at a time: each resident's activities (drawn from
 * their routine, kept consistent, and labelled by the spec's label rules when it has them:
 * labels.ts), the devices' reactions to them in time order across the household, noise and
 * guests, then what becomes of the device reports (some lost or late, a clock that is off). Same
 * spec and seed, same days; a year is 365 yields in bounded memory (the generator looks one day
 * ahead, so a resident's late return after midnight and another's early start are seen in their
 * true order).
 *
 * ```ts
 * for (const day of simulateLife(loadHomeSpec('family'), { days: 365, seed: 1 })) {
 *   console.log(day.activities.length, day.events.length);
 * }
 * ```
 */
import type { Activity } from '../core/activities.js';
import type { Random } from '../core/random.js';
import { Household } from './household.js';
import { ResidentLabeller } from './labels.js';
import { addNoiseAndGuests } from './noise.js';
import { ResidentLife } from './resident-life.js';
import { streamRandom, uniform } from './seeds.js';
import type { HomeSpec } from './spec.js';
import type { ClockSpec, ReportFaults } from './spec-household.js';
import { nextState, type ResidentState } from './spec-routine.js';
import type { ActivityRecord, DayOfLife, SimulatedUse } from './types.js';

export interface LifeOptions {
  /** Days to simulate from the spec's start date. */
  readonly days: number;
  readonly seed: number;
}

const US_PER_DAY = 86_400e6;
const US_PER_SECOND = 1e6;
const STREAM_HOUSEHOLD = 3;
const STREAM_REPORTS = 4;

interface Pending {
  /** As lived, under its label's name when it has one (a long leave_temporarily is leave_home). */
  readonly record: ActivityRecord;
  readonly state: ResidentState;
  readonly day: number;
  /** False for an activity the label rules leave unlabelled: its uses are noise. */
  readonly labelled: boolean;
}

interface DayBuffer {
  readonly activities: ActivityRecord[];
  readonly events: SimulatedUse[];
}

/** Lives `options.days` days of the home; yields each day with its activities and events in time order. */
export function* simulateLife(spec: HomeSpec, options: LifeOptions): Generator<DayOfLife> {
  if (!Number.isInteger(options.days) || options.days < 0) throw new RangeError(`days must be a whole number >= 0, got ${options.days}`);
  if (!Number.isFinite(options.seed)) throw new RangeError(`seed must be a finite number, got ${options.seed}`);
  const seed = options.seed >>> 0;
  const residents = spec.residents.map((r, i) => {
    const trips = spec.trips.map((trip, index) => ({ index, trip })).filter((t) => t.trip.residents.includes(r.id));
    return new ResidentLife(r, i, seed, spec.startUs, trips);
  });
  const labels = spec.labels;
  const labellers = labels === null ? null : residents.map((r) => new ResidentLabeller(r, labels, spec.startUs));
  const faults = new Map<string, ReportFaults>();
  for (const device of spec.devices) if (device.reports !== undefined) faults.set(device.id, device.reports);
  const reportRandom = faults.size === 0 ? null : streamRandom(seed, STREAM_REPORTS);
  const random = streamRandom(seed, STREAM_HOUSEHOLD);
  const household = new Household(
    residents.map((r) => r.id),
    residents.map((r) => r.state),
    spec.devices,
    spec.reactions,
    random,
  );
  const buffers = new Map<number, DayBuffer>();
  const labellerState = residents.map((r) => r.state);
  let queue: Pending[] = [];
  const draw = (day: number): void => {
    const drawn: Pending[] = [];
    residents.forEach((resident, r) => {
      let state = resident.state;
      if (labellers === null) {
        for (const record of resident.drawDay(day)) {
          state = nextState(state, record.activity)!;
          drawn.push({ record, state, day, labelled: true });
        }
        return;
      }
      // The labeller may have drawn this resident's later days already: its state is the one before this day's first activity.
      state = labellerState[r];
      for (const a of labellers[r].day(day)) {
        const activity: Activity = a.label ?? a.lived.activity;
        state = nextState(state, activity)!;
        drawn.push({ record: activity === a.lived.activity ? a.lived : { ...a.lived, activity }, state, day, labelled: a.label !== null });
      }
      labellerState[r] = state;
    });
    // Stable: equal times keep the residents' order.
    queue = [...queue, ...drawn].sort((a, b) => a.record.timeUs - b.record.timeUs);
    buffers.set(day, { activities: [], events: [] });
  };
  if (options.days > 0) draw(0);
  for (let day = 0; day < options.days; day++) {
    draw(day + 1);
    // Everything up to this day's last activity, in time order (the next day's early ones included).
    let last = -1;
    for (let i = 0; i < queue.length; i++) if (queue[i].day <= day) last = i;
    for (let i = 0; i <= last; i++) {
      const pending = queue[i];
      const buffer = buffers.get(pending.day)!;
      if (pending.labelled) {
        buffer.activities.push(pending.record);
        household.apply(pending.record, pending.state, buffer.events);
      } else {
        household.apply(pending.record, pending.state, buffer.events, 'noise');
      }
    }
    queue = queue.slice(last + 1);
    const dayStartUs = spec.startUs + day * US_PER_DAY;
    const buffer = buffers.get(day)!;
    addNoiseAndGuests(dayStartUs, spec.noise, spec.guests, household, random, buffer.events);
    household.forgetBefore(dayStartUs + US_PER_DAY);
    buffers.delete(day);
    buffer.events.sort((a, b) => a.timeUs - b.timeUs);
    let events = buffer.events;
    if (reportRandom !== null || spec.clock !== null) {
      events = reported(events, faults, reportRandom, spec.clock, spec.startUs);
      events.sort((a, b) => a.timeUs - b.timeUs);
    }
    yield { dayStartUs, activities: buffer.activities, events };
  }
}

/**
 * The uses as the devices report them: each of a faulty device lost or late by its chances (in
 * time order, one draw each), then every time on the reports' clock. The day's uses are this
 * generator's own new objects, so their times are changed in place (a chatty home's month is tens
 * of thousands of uses: copying them all doubled the garbage).
 */
function reported(events: SimulatedUse[], faults: ReadonlyMap<string, ReportFaults>, random: Random | null, clock: ClockSpec | null, startUs: number): SimulatedUse[] {
  let kept = 0;
  for (const e of events) {
    const use = e as { timeUs: number };
    const livedUs = e.timeUs;
    const fault = faults.get(e.device);
    if (fault !== undefined && random !== null) {
      const u = random.next();
      if (u < fault.missProbability) continue;
      if (u < fault.missProbability + fault.lateProbability) use.timeUs += Math.round(uniform(random, fault.lateSeconds[0], fault.lateSeconds[1]) * US_PER_SECOND);
    }
    if (clock !== null) use.timeUs += Math.round((clock.offsetSeconds + (clock.driftSecondsPerDay * (livedUs - startUs)) / US_PER_DAY) * US_PER_SECOND);
    events[kept++] = e;
  }
  events.length = kept;
  return events;
}
