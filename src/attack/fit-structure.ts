/**
 * Learns the structured day's priors (structured-day.ts) from labelled lives, simulated ones: how long
 * the home sleeps, stays awake, is out for a while or for long; at which hours it wakes and goes to
 * bed; where an awake home goes next; and, for the count decoder of a home of several residents,
 * how often one resident wakes, goes to bed, leaves and comes back per hour (resident-rates.ts). The per-device rates are not learned here: they belong to
 * each home and are learned on it when it is decoded.
 *
 * A labelled life names each resident's activities; the home's state is what its residents are:
 * awake when anyone is at home and awake, asleep when everyone at home sleeps, out when nobody is
 * home (out-short below the outing line, out-long from it). Each resident starts in the state their
 * first activity leaves.
 */
import type { TimedActivity } from '../evaluate/timeline-match.js';
import { ACTIVITIES, type Activity } from '../core/activities.js';
import { fitResidentRates } from './resident-rates.js';
import { ASLEEP, AWAKE, DEFAULT_STRUCTURE, OUT_LONG, OUT_SHORT, STATE_NAMES, type DurationLaw, type StructureParams } from './structured-day.js';

const HOUR_US = 3600e6;
const MINUTE_US = 60e6;
const DAY_US = 24 * HOUR_US;

type Person = 'home' | 'asleep' | 'out';

/** The home's state segments over a labelled life's activities (sorted by time). */
export function homeSegments(activities: readonly TimedActivity[], outingLineUs: number): { state: number; startUs: number; endUs: number }[] {
  // Each resident starts in the state their first activity leaves: asleep before a wake_up, out before a return, at home otherwise.
  const people = new Map<string, Person>();
  for (const a of activities) {
    const who = a.resident ?? '';
    if (people.has(who)) continue;
    const first = ACTIVITIES[a.activity] as Activity;
    people.set(who, first === 'wake_up' ? 'asleep' : first === 'return_home' ? 'out' : 'home');
  }
  const homeState = (): number => {
    const states = [...people.values()];
    if (states.includes('home')) return AWAKE;
    if (states.includes('asleep')) return ASLEEP;
    return OUT_LONG;
  };
  const segments: { state: number; startUs: number; endUs: number }[] = [];
  let current = homeState();
  let since = activities.length > 0 ? activities[0].timeUs : 0;
  for (const a of activities) {
    const name = ACTIVITIES[a.activity] as Activity;
    const who = a.resident ?? '';
    if (name === 'wake_up' || name === 'return_home') people.set(who, 'home');
    else if (name === 'go_to_bed') people.set(who, 'asleep');
    else people.set(who, 'out');
    const next = homeState();
    if (next !== current) {
      segments.push({ state: current, startUs: since, endUs: a.timeUs });
      current = next;
      since = a.timeUs;
    }
  }
  for (const s of segments) if (s.state === OUT_LONG && s.endUs - s.startUs < outingLineUs) s.state = OUT_SHORT;
  // The first segment starts with the record, not with a transition: its length says nothing.
  return segments.slice(1);
}

function logNormal(durationsUs: readonly number[], fallback: DurationLaw): DurationLaw {
  const inside = durationsUs.filter((d) => d >= fallback.minUs && d <= fallback.maxUs);
  if (inside.length < 5) return fallback;
  const logs = inside.map(Math.log);
  const mean = logs.reduce((a, b) => a + b, 0) / logs.length;
  const sd = Math.sqrt(logs.reduce((a, b) => a + (b - mean) ** 2, 0) / (logs.length - 1));
  // A floor on σ keeps a law broad enough for homes unlike the ones it was learned on.
  return { ...fallback, medianUs: Math.exp(mean), sigma: Math.max(sd, 0.25) };
}

function hourHistogram(hours: readonly number[], smoothing: number): number[] {
  const counts = new Array<number>(24).fill(smoothing);
  for (const h of hours) counts[h]++;
  const sum = counts.reduce((a, b) => a + b, 0);
  return counts.map((c) => c / sum);
}

/** The structured day's priors learned from `lives` (each: its activities, sorted by time). */
export function fitStructure(lives: readonly { readonly activities: readonly TimedActivity[] }[], base: StructureParams = DEFAULT_STRUCTURE): StructureParams {
  const durations: number[][] = STATE_NAMES.map(() => []);
  const wakeHours: number[] = [];
  const bedHours: number[] = [];
  const fromAwake = [0, 0, 0];
  const hourOf = (us: number): number => Math.floor((((us + base.utcOffsetMinutes * MINUTE_US) % DAY_US) + DAY_US) % DAY_US / HOUR_US);
  for (const life of lives) {
    const segments = homeSegments(life.activities, base.outingLineUs);
    segments.forEach((s, i) => {
      if (i + 1 < segments.length) durations[s.state].push(s.endUs - s.startUs);
      const prev = segments[i - 1];
      if (prev === undefined) return;
      if (prev.state === ASLEEP && s.state === AWAKE) wakeHours.push(hourOf(s.startUs));
      if (prev.state === AWAKE) {
        if (s.state === ASLEEP) bedHours.push(hourOf(s.startUs));
        fromAwake[s.state === ASLEEP ? 0 : s.state === OUT_SHORT ? 1 : 2]++;
      }
    });
  }
  const total = fromAwake.reduce((a, b) => a + b, 0) + 3;
  return {
    ...base,
    durations: {
      asleep: logNormal(durations[ASLEEP], base.durations.asleep),
      awake: logNormal(durations[AWAKE], base.durations.awake),
      'out-short': logNormal(durations[OUT_SHORT], base.durations['out-short']),
      'out-long': logNormal(durations[OUT_LONG], base.durations['out-long']),
    },
    fromAwake: [(fromAwake[0] + 1) / total, (fromAwake[1] + 1) / total, (fromAwake[2] + 1) / total],
    wakeHours: hourHistogram(wakeHours, 1),
    bedHours: hourHistogram(bedHours, 1),
    residentRates: fitResidentRates(lives, base.utcOffsetMinutes),
  };
}
