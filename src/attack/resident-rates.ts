/**
 * How often one resident wakes, goes to bed, leaves and comes back, by local hour of the day: the
 * transition priors of the household's count decoder (resident-count.ts), learned from simulated
 * labelled lives as the structured day's other priors are (fit-structure.ts; the bundled model's from
 * its random homes, training-homes.ts `BUNDLED_MODEL.randomHomes`).
 *
 * Per hour and kind of move, a rate per resident-hour in the state the move leaves: waking per hour
 * asleep, going to bed and leaving per hour awake at home, coming back per hour out. Each resident
 * starts in the state their first activity leaves (as fit-structure.ts `homeSegments`).
 */
import { ACTIVITIES, type Activity } from '../core/activities.js';
import type { TimedActivity } from '../evaluate/timeline-match.js';

export const MOVES = ['wake', 'bed', 'leave', 'return'] as const;
export type Move = (typeof MOVES)[number];

/** Per move, 24 rates (events per resident-hour in the state the move leaves), by local hour. */
export type ResidentRates = Readonly<Record<Move, readonly number[]>>;

const HOUR_US = 3600e6;
const MINUTE_US = 60e6;
const DAY_US = 24 * HOUR_US;
/** Pseudo-hours of each hour's exposure, at the move's rate over the whole day: an hour seldom seen keeps the day's rate. */
const SMOOTHING_HOURS = 20;

/** A short outing's length when its return is not labelled: the median of structured-day.ts DEFAULT_STRUCTURE's out-short. */
const SHORT_OUTING_US = 40 * MINUTE_US;

type Person = 'home' | 'asleep' | 'out';

/** The state each move leaves. */
const LEAVES: Record<Move, Person> = { wake: 'asleep', bed: 'home', leave: 'home', return: 'out' };

function moveOf(activity: Activity): Move {
  switch (activity) {
    case 'wake_up':
      return 'wake';
    case 'go_to_bed':
      return 'bed';
    case 'leave_home':
    case 'leave_temporarily':
      return 'leave';
    case 'return_home':
      return 'return';
    default: {
      const never: never = activity;
      return never;
    }
  }
}

/**
 * The rates of `lives` (each: its activities sorted by time, each naming its resident). A short
 * outing's return is no activity: the resident is taken back at home at the next activity that needs
 * them at home (their next leave or going to bed), so its exposure counts as out until then.
 */
export function fitResidentRates(lives: readonly { readonly activities: readonly TimedActivity[] }[], utcOffsetMinutes = 0): ResidentRates {
  const events = Object.fromEntries(MOVES.map((m) => [m, new Float64Array(24)])) as Record<Move, Float64Array>;
  const exposure: Record<Person, Float64Array> = { home: new Float64Array(24), asleep: new Float64Array(24), out: new Float64Array(24) };
  const hourOf = (us: number): number => Math.floor(((((us + utcOffsetMinutes * MINUTE_US) % DAY_US) + DAY_US) % DAY_US) / HOUR_US);
  /** Adds [fromUs, toUs) to `state`'s exposure, hour by hour. */
  const expose = (state: Person, fromUs: number, toUs: number): void => {
    for (let t = fromUs; t < toUs; ) {
      const next = Math.min(toUs, (Math.floor((t + utcOffsetMinutes * MINUTE_US) / HOUR_US) + 1) * HOUR_US - utcOffsetMinutes * MINUTE_US);
      exposure[state][hourOf(t)] += (next - t) / HOUR_US;
      t = next;
    }
  };
  for (const life of lives) {
    const byResident = new Map<string, TimedActivity[]>();
    for (const a of life.activities) {
      const who = a.resident ?? '';
      if (!byResident.has(who)) byResident.set(who, []);
      byResident.get(who)!.push(a);
    }
    for (const acts of byResident.values()) {
      for (let i = 1; i < acts.length; i++) {
        const prev = ACTIVITIES[acts[i - 1].activity] as Activity;
        const cur = ACTIVITIES[acts[i].activity] as Activity;
        const state: Person = prev === 'go_to_bed' ? 'asleep' : prev === 'leave_home' || prev === 'leave_temporarily' ? 'out' : 'home';
        const move = moveOf(cur);
        if (prev === 'leave_temporarily' && LEAVES[move] === 'home') {
          // Back from a short outing without an activity: the outing's return, unseen in the labels, is
          // counted SHORT_OUTING_US after the leave (or halfway to the next activity, if that is sooner).
          const mid = Math.min((acts[i - 1].timeUs + acts[i].timeUs) / 2, acts[i - 1].timeUs + SHORT_OUTING_US);
          expose('out', acts[i - 1].timeUs, mid);
          events.return[hourOf(mid)]++;
          expose('home', mid, acts[i].timeUs);
        } else expose(state, acts[i - 1].timeUs, acts[i].timeUs);
        events[move][hourOf(acts[i].timeUs)]++;
      }
    }
  }
  const out = {} as Record<Move, number[]>;
  for (const m of MOVES) {
    const exp = exposure[LEAVES[m]];
    const total = exp.reduce((a, b) => a + b, 0);
    const all = events[m].reduce((a, b) => a + b, 0);
    const dayRate = total > 0 ? all / total : 0.01;
    out[m] = Array.from({ length: 24 }, (_, h) => (events[m][h] + dayRate * SMOOTHING_HOURS) / (exp[h] + SMOOTHING_HOURS));
  }
  return out;
}

/** Rates read back from JSON (structure.json's `residentRates`); `error(field, problem)` throws. */
export function parseResidentRates(json: unknown, error: (field: string, problem: string) => never): ResidentRates {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) error('residentRates', 'expected an object with 24 rates per move');
  const o = json as Record<string, unknown>;
  const out = {} as Record<Move, number[]>;
  for (const m of MOVES) {
    const v = o[m];
    if (!Array.isArray(v) || v.length !== 24) error(`residentRates.${m}`, 'expected 24 rates per resident-hour, one per hour');
    out[m] = (v as unknown[]).map((x, i) => {
      if (typeof x !== 'number' || !Number.isFinite(x) || x <= 0 || x > 60) error(`residentRates.${m}[${i}]`, `expected a rate above 0 and at most 60 per hour, got ${JSON.stringify(x)}`);
      return x as number;
    });
  }
  return out;
}
