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

/**
 * Per move, 24 rates (events per resident-hour in the state the move leaves), by local hour, when no
 * other resident is where the move goes; `joining`, when one is.
 */
export type ResidentRates = Readonly<Record<Move, readonly number[]>> & { readonly joining: Readonly<Record<Move, readonly number[]>> };

const HOUR_US = 3600e6;
const MINUTE_US = 60e6;
const DAY_US = 24 * HOUR_US;
/**
 * Pseudo-hours of each hour's exposure, at the move's rate over the whole day (and of each case's, at
 * the hour's rate over both): an hour seldom seen keeps the day's rate. 5, 20, 80: mean timeline
 * macro-F1 0.468, 0.472, 0.464 over bench/eval-residents.ts's 12 homes.
 */
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

/** What another resident is doing that a move's rate is conditioned on: already where the move goes. */
const TARGET: Record<Move, Person> = { wake: 'home', bed: 'asleep', leave: 'out', return: 'home' };

/**
 * The rates of `lives` (each: its activities sorted by time, each naming its resident). A short
 * outing's return is no activity: it is counted SHORT_OUTING_US after the leave, or halfway to the
 * resident's next activity if that is sooner. Each resident is in the state their first activity
 * leaves from the life's first activity on. A move's rate is counted apart for when no other
 * resident is where the move goes (`alone`) and when one is (`joining`): a second resident's waking
 * once someone is up, a going to bed once someone sleeps, a leave once someone is out, a return once
 * someone is home.
 */
export function fitResidentRates(lives: readonly { readonly activities: readonly TimedActivity[] }[], utcOffsetMinutes = 0): ResidentRates {
  const table = (): Record<Move, Float64Array> => Object.fromEntries(MOVES.map((m) => [m, new Float64Array(24)])) as Record<Move, Float64Array>;
  // [alone, joining] counts and resident-hours per move and hour.
  const events = [table(), table()];
  const exposure = [table(), table()];
  const hourOf = (us: number): number => Math.floor(((((us + utcOffsetMinutes * MINUTE_US) % DAY_US) + DAY_US) % DAY_US) / HOUR_US);
  /** Adds [fromUs, toUs) to `into`, hour by hour. */
  const expose = (into: Float64Array, fromUs: number, toUs: number): void => {
    for (let t = fromUs; t < toUs; ) {
      const next = Math.min(toUs, (Math.floor((t + utcOffsetMinutes * MINUTE_US) / HOUR_US) + 1) * HOUR_US - utcOffsetMinutes * MINUTE_US);
      into[hourOf(t)] += (next - t) / HOUR_US;
      t = next;
    }
  };
  for (const life of lives) {
    if (life.activities.length === 0) continue;
    const byResident = new Map<string, TimedActivity[]>();
    for (const a of life.activities) {
      const who = a.resident ?? '';
      if (!byResident.has(who)) byResident.set(who, []);
      byResident.get(who)!.push(a);
    }
    // Each resident's moves (the unlabelled returns from short outings among them), merged in time order.
    const state: Person[] = [];
    const moves: { timeUs: number; who: number; move: Move }[] = [];
    [...byResident.values()].forEach((acts, who) => {
      const first = ACTIVITIES[acts[0].activity] as Activity;
      state.push(first === 'wake_up' ? 'asleep' : first === 'return_home' ? 'out' : 'home');
      acts.forEach((a, i) => {
        const name = ACTIVITIES[a.activity] as Activity;
        moves.push({ timeUs: a.timeUs, who, move: moveOf(name) });
        if (name === 'leave_temporarily') {
          const next = acts[i + 1];
          const backUs = next === undefined ? a.timeUs + SHORT_OUTING_US : Math.min((a.timeUs + next.timeUs) / 2, a.timeUs + SHORT_OUTING_US);
          if (next === undefined || LEAVES[moveOf(ACTIVITIES[next.activity] as Activity)] === 'home') moves.push({ timeUs: backUs, who, move: 'return' });
        }
      });
    });
    moves.sort((a, b) => a.timeUs - b.timeUs);
    const othersIn = (who: number, where: Person): number => (state.some((s, i) => i !== who && s === where) ? 1 : 0);
    let fromUs = life.activities[0].timeUs;
    for (const mv of moves) {
      state.forEach((s, who) => {
        for (const m of MOVES) if (LEAVES[m] === s) expose(exposure[othersIn(who, TARGET[m])][m], fromUs, mv.timeUs);
      });
      // A move from a state the resident is not in (a label's sequence the labeller broke) only moves them.
      if (LEAVES[mv.move] === state[mv.who]) events[othersIn(mv.who, TARGET[mv.move])][mv.move][hourOf(mv.timeUs)]++;
      state[mv.who] = mv.move === 'wake' || mv.move === 'return' ? 'home' : mv.move === 'bed' ? 'asleep' : 'out';
      fromUs = mv.timeUs;
    }
  }
  const rates = (k: number): Record<Move, number[]> => {
    const out = {} as Record<Move, number[]>;
    for (const m of MOVES) {
      // Each hour's rate pulled toward the same hour's over both cases, that one toward the day's.
      const hourAll = (h: number): [number, number] => [events[0][m][h] + events[1][m][h], exposure[0][m][h] + exposure[1][m][h]];
      let all = 0;
      let total = 0;
      for (let h = 0; h < 24; h++) [all, total] = [all + hourAll(h)[0], total + hourAll(h)[1]];
      const dayRate = total > 0 ? all / total : 0.01;
      out[m] = Array.from({ length: 24 }, (_, h) => {
        const [n, e] = hourAll(h);
        const hourRate = (n + dayRate * SMOOTHING_HOURS) / (e + SMOOTHING_HOURS);
        return (events[k][m][h] + hourRate * SMOOTHING_HOURS) / (exposure[k][m][h] + SMOOTHING_HOURS);
      });
    }
    return out;
  };
  return { ...rates(0), joining: rates(1) };
}

/** Rates read back from JSON (structure.json's `residentRates`); `error(field, problem)` throws. */
export function parseResidentRates(json: unknown, error: (field: string, problem: string) => never): ResidentRates {
  const table = (value: unknown, field: string): Record<Move, number[]> => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) error(field, 'expected an object with 24 rates per move');
    const o = value as Record<string, unknown>;
    const out = {} as Record<Move, number[]>;
    for (const m of MOVES) {
      const v = o[m];
      if (!Array.isArray(v) || v.length !== 24) error(`${field}.${m}`, 'expected 24 rates per resident-hour, one per hour');
      out[m] = (v as unknown[]).map((x, i) => {
        if (typeof x !== 'number' || !Number.isFinite(x) || x <= 0 || x > 60) error(`${field}.${m}[${i}]`, `expected a rate above 0 and at most 60 per hour, got ${JSON.stringify(x)}`);
        return x as number;
      });
    }
    return out;
  };
  const alone = table(json, 'residentRates');
  return { ...alone, joining: table((json as Record<string, unknown>).joining, 'residentRates.joining') };
}
