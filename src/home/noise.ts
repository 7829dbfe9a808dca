/**
 * Device uses with no activity behind them, for one day: noise at Poisson times in its window while
 * its household condition holds (a motion sensor while someone is up, a camera's clips while nobody
 * is home, a kettle's plug in the morning), and guests' visits (they come while someone is at home
 * and awake, use devices on arrival and departure, and cause noise while they stay). Noise is
 * credited to a resident at home and awake when its condition needs one, to nobody otherwise.
 *
 * Noise that people make (`someone_awake`, `someone_home`: lights, the kitchen, motion, appliances)
 * comes at its rate per person in the condition: with two residents up, twice the uses of one (an
 * assumption, data/homes/README.md: each person's own comings and goings in the home). It is drawn
 * at the rate × the home's residents and each draw kept with the share of them in the condition then
 * (a Poisson process thinned to rate × people); in a home of one resident nothing is thinned and the
 * draws are those of one process at the rate, as before. The devices' own chatter (`always`,
 * `home_empty`, `someone_asleep`: a hub, a camera's clips, a bed mat) comes at one rate however many
 * are there.
 */
import type { Random } from '../core/random.js';
import type { Household, HouseholdChange } from './household.js';
import { drawDuration } from './resident-life.js';
import { poisson, uniform } from './seeds.js';
import type { GuestSpec, NoiseSpec, RandomUseSpec } from './spec-effects.js';
import type { SimulatedUse } from './types.js';

const US_PER_MINUTE = 60e6;
const MINUTES_PER_HOUR = 60;
const DAYS_PER_WEEK = 7;
/** Times a visit's arrival is redrawn when nobody is at home and awake to open the door. */
const ARRIVAL_TRIES = 4;

/** Adds day `dayStartUs`'s noise and guests to `events`; the household must know the day up to its next midnight. */
export function addNoiseAndGuests(
  dayStartUs: number,
  noise: readonly NoiseSpec[],
  guests: GuestSpec | null,
  household: Household,
  random: Random,
  events: SimulatedUse[],
): void {
  const residents = household.residentCount;
  for (const spec of noise) {
    const fromUs = dayStartUs + spec.windowMinutes[0] * US_PER_MINUTE;
    const toUs = dayStartUs + spec.windowMinutes[1] * US_PER_MINUTE;
    const perPerson = spec.when === 'someone_home' || spec.when === 'someone_awake';
    const scale = perPerson ? residents : 1;
    forEachPoissonTime(random, spec.ratePerHour * scale, fromUs, toUs, (timeUs) => {
      const then = household.at(timeUs);
      if (!holds(spec, then)) return;
      // Kept with the share of the residents in the condition: rate × people in all.
      if (scale > 1 && random.next() * scale >= (spec.when === 'someone_home' ? then.home : then.awake.length)) return;
      const resident = perPerson ? pickAwake(random, then) : '';
      addRandomUse(spec, timeUs, resident, household, random, events);
    });
  }
  if (guests !== null) addVisits(dayStartUs, guests, household, random, events);
}

function addVisits(dayStartUs: number, guests: GuestSpec, household: Household, random: Random, events: SimulatedUse[]): void {
  const visits = poisson(random, guests.visitsPerWeek / DAYS_PER_WEEK);
  for (let v = 0; v < visits; v++) {
    for (let attempt = 0; attempt < ARRIVAL_TRIES; attempt++) {
      const arriveUs = Math.round(dayStartUs + uniform(random, guests.arriveWindowMinutes[0], guests.arriveWindowMinutes[1]) * US_PER_MINUTE);
      if (household.at(arriveUs).awake.length === 0) continue;
      const leaveUs = arriveUs + Math.round(drawDuration(random, guests.stayMinutes) * US_PER_MINUTE);
      for (const use of guests.onArrival) household.use(use, arriveUs, 'noise', '', events);
      for (const spec of guests.during) {
        forEachPoissonTime(random, spec.ratePerHour, arriveUs, leaveUs, (timeUs) => addRandomUse(spec, timeUs, '', household, random, events));
      }
      for (const use of guests.onDeparture) household.use(use, leaveUs, 'noise', '', events);
      break;
    }
  }
}

/** Calls `at` for each time of a Poisson process of `ratePerHour` in [fromUs, toUs). */
function forEachPoissonTime(random: Random, ratePerHour: number, fromUs: number, toUs: number, at: (timeUs: number) => void): void {
  if (ratePerHour <= 0) return;
  const meanGapUs = (MINUTES_PER_HOUR / ratePerHour) * US_PER_MINUTE;
  for (let t = fromUs + random.exponential(meanGapUs); t < toUs; t += random.exponential(meanGapUs)) at(Math.round(t));
}

function holds(spec: NoiseSpec, then: HouseholdChange): boolean {
  switch (spec.when) {
    case 'always':
      return true;
    case 'someone_home':
      return then.home > 0;
    case 'someone_awake':
      return then.awake.length > 0;
    case 'home_empty':
      return then.home === 0;
    case 'someone_asleep':
      return then.home > then.awake.length;
    default: {
      const never: never = spec.when;
      return never;
    }
  }
}

function pickAwake(random: Random, then: HouseholdChange): string {
  return then.awake.length === 0 ? '' : random.pick(then.awake);
}

function addRandomUse(spec: RandomUseSpec, timeUs: number, resident: string, household: Household, random: Random, events: SimulatedUse[]): void {
  for (const device of household.targets(spec)) {
    events.push({ timeUs, device: device.id, kind: device.kind, action: spec.action, cause: 'noise', resident });
    if (spec.then !== null) {
      const afterUs = Math.round(uniform(random, spec.then.afterMinutes[0], spec.then.afterMinutes[1]) * US_PER_MINUTE);
      events.push({ timeUs: timeUs + afterUs, device: device.id, kind: device.kind, action: spec.then.action, cause: 'noise', resident });
    }
  }
}
