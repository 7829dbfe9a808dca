/**
 * A home's simulated, labelled life, one day at a time: each resident's activities (drawn from
 * their routine, kept consistent), the devices' reactions to them in time order across the
 * household, noise and guests. Same spec and seed, same days; a year is 365 yields in bounded
 * memory (the generator looks one day ahead, so a resident's late return after midnight and
 * another's early start are seen in their true order).
 *
 * ```ts
 * for (const day of simulateLife(loadHomeSpec('family'), { days: 365, seed: 1 })) {
 *   console.log(day.activities.length, day.events.length);
 * }
 * ```
 */
import { Household } from './household.js';
import { addNoiseAndGuests } from './noise.js';
import { ResidentLife } from './resident-life.js';
import { streamRandom } from './seeds.js';
import type { HomeSpec } from './spec.js';
import { nextState, type ResidentState } from './spec-routine.js';
import type { ActivityRecord, DayOfLife, SimulatedUse } from './types.js';

export interface LifeOptions {
  /** Days to simulate from the spec's start date. */
  readonly days: number;
  readonly seed: number;
}

const US_PER_DAY = 86_400e6;
const STREAM_HOUSEHOLD = 3;

interface Pending {
  readonly record: ActivityRecord;
  readonly state: ResidentState;
  readonly day: number;
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
  const residents = spec.residents.map((r, i) => new ResidentLife(r, i, seed, spec.startUs));
  const random = streamRandom(seed, STREAM_HOUSEHOLD);
  const household = new Household(
    residents.map((r) => r.id),
    residents.map((r) => r.state),
    spec.devices,
    spec.reactions,
    random,
  );
  const buffers = new Map<number, DayBuffer>();
  let queue: Pending[] = [];
  const draw = (day: number): void => {
    const drawn: Pending[] = [];
    for (const resident of residents) {
      let state = resident.state;
      for (const record of resident.drawDay(day)) {
        state = nextState(state, record.activity)!;
        drawn.push({ record, state, day });
      }
    }
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
      buffer.activities.push(pending.record);
      household.apply(pending.record, pending.state, buffer.events);
    }
    queue = queue.slice(last + 1);
    const dayStartUs = spec.startUs + day * US_PER_DAY;
    const buffer = buffers.get(day)!;
    addNoiseAndGuests(dayStartUs, spec.noise, spec.guests, household, random, buffer.events);
    household.forgetBefore(dayStartUs + US_PER_DAY);
    buffers.delete(day);
    buffer.events.sort((a, b) => a.timeUs - b.timeUs);
    yield { dayStartUs, activities: buffer.activities, events: buffer.events };
  }
}
