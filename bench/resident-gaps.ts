/**
 * `node --import tsx bench/resident-gaps.ts [-- --count N] [-- --first-seed S] [-- --days D]`: how far
 * the other residents' transitions lie from the home's, in the random homes the bundled structured
 * model learns from (attack/training-homes.ts: 200 homes of 30 days from seed 1000), for the
 * placement of an other whose step the uses do not show (attack/more-residents.ts).
 *
 * For each home of k + 1 residents or more and each of the home's transitions (its waking after a
 * night, its going to bed, its emptying, its filling), the k-th other's same transition in the
 * waking segment beside it (the k-th to wake after the home woke, to go to bed before it went, to
 * leave before it emptied, to come back after it filled): the minutes from the home's transition,
 * their quartiles, the share within 30 min, and the offset whose ±30 min holds most of them (where a
 * guess is right most often, as the timeline match at 30 min counts it).
 */
import { homeSegments } from '../src/attack/fit-structure.js';
import { ASLEEP, AWAKE } from '../src/attack/structured-day.js';
import { ACTIVITIES, activityId } from '../src/core/activities.js';
import { randomHomeLives } from '../src/home/random-home.js';
import { BUNDLED_MODEL } from '../src/attack/training-homes.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const { count, days, firstSeed } = BUNDLED_MODEL.randomHomes;
const MINUTE_US = 60e6;
const OTHERS = 3;
const TRANSITIONS = ['wake_up', 'go_to_bed', 'leave', 'return_home'] as const;
const gaps = new Map<string, number[][]>(TRANSITIONS.map((t) => [t, Array.from({ length: OTHERS }, () => [])]));
for (const life of randomHomeLives({ count: arg('--count', count), firstSeed: arg('--first-seed', firstSeed), days: arg('--days', days) })) {
  if (life.spec.residents.length < 2) continue;
  const acts = life.activities.map((a) => ({ timeUs: a.timeUs, activity: activityId(a.activity), resident: a.resident }));
  const segments = homeSegments(acts, 2 * 60 * MINUTE_US);
  for (let i = 1; i < segments.length - 1; i++) {
    const s = segments[i];
    if (s.state !== AWAKE) continue;
    const inside = (names: readonly string[]): number[] => acts.filter((a) => names.includes(ACTIVITIES[a.activity]) && a.timeUs > s.startUs && a.timeUs < s.endUs).map((a) => a.timeUs);
    const push = (name: string, minutes: number[]): void => minutes.sort((a, b) => a - b).slice(0, OTHERS).forEach((m, k) => gaps.get(name)![k].push(m));
    const before = segments[i - 1].state;
    const after = segments[i + 1].state;
    if (before === ASLEEP) push('wake_up', inside(['wake_up']).map((t) => (t - s.startUs) / MINUTE_US));
    else push('return_home', inside(['return_home']).map((t) => (t - s.startUs) / MINUTE_US));
    if (after === ASLEEP) push('go_to_bed', inside(['go_to_bed']).map((t) => (s.endUs - t) / MINUTE_US));
    else push('leave', inside(['leave_home', 'leave_temporarily']).map((t) => (s.endUs - t) / MINUTE_US));
  }
}
const quantile = (xs: readonly number[], p: number): number => xs[Math.floor(p * (xs.length - 1))];
for (const [name, perOther] of gaps) {
  perOther.forEach((xs, k) => {
    if (xs.length === 0) return;
    xs.sort((a, b) => a - b);
    let best = { at: 0, share: 0 };
    for (let at = 0; at <= 600; at += 5) {
      const share = xs.filter((x) => Math.abs(x - at) <= 30).length / xs.length;
      if (share > best.share) best = { at, share };
    }
    const within = xs.filter((x) => x <= 30).length / xs.length;
    process.stdout.write(`${name.padEnd(11)} other ${k + 1}: n ${String(xs.length).padStart(5)}, quartiles ${[0.25, 0.5, 0.75].map((p) => quantile(xs, p).toFixed(0)).join('/')} min, within 30 min ${within.toFixed(2)}, best offset ${best.at} min (${best.share.toFixed(2)} within ±30)\n`);
  });
}
