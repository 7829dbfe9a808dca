/**
 * `node --import tsx bench/train-structured.ts [--homes N] [--days D] [--first-seed S]` (run by
 * `npm run bench:train` before the network's benchmark): fitting the structured preset, the default
 * attack, on N randomised homes of D days each, seeds S on (by default what `peephole train --bundled`
 * fits it on: attack/training-homes.ts BUNDLED_MODEL.randomHomes, 200 homes of 30 days from seed
 * 1000). The structured preset is not a network (its priors are duration laws, hour histograms and
 * transition shares counted from labelled lives: attack/fit-structure.ts), so there is no PyTorch run
 * beside it; the reference is the 4 built-in training homes of 120 days the networks learn from. It
 * prints wall seconds, homes/s and activities/s of living the homes (randomHomeLives(), events and
 * activities, no traffic) and of fitting the priors on them, timed apart, with the load average.
 */
import { loadavg } from 'node:os';
import { fitStructure } from '../src/attack/fit-structure.js';
import { lifeOfHome } from '../src/attack/simulated-life.js';
import { BUNDLED_MODEL, TRAINING_HOMES } from '../src/attack/training-homes.js';
import { activityId } from '../src/core/activities.js';
import type { TimedActivity } from '../src/evaluate/timeline-match.js';
import { randomHomeLives } from '../src/home/random-home.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const homes = arg('--homes', BUNDLED_MODEL.randomHomes.count);
const days = arg('--days', BUNDLED_MODEL.randomHomes.days);
const firstSeed = arg('--first-seed', BUNDLED_MODEL.randomHomes.firstSeed);

interface Timed {
  name: string;
  homes: number;
  activities: number;
  liveSeconds: number;
  fitSeconds: number;
}

function seconds(t0: bigint): number {
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

/** Lives the homes (timed), then fits the priors on their activities (timed apart). */
function measure(name: string, lives: () => Iterable<{ activities: readonly TimedActivity[] }>): Timed {
  const t0 = process.hrtime.bigint();
  const all = [...lives()];
  const liveSeconds = seconds(t0);
  const t1 = process.hrtime.bigint();
  fitStructure(all);
  const fitSeconds = seconds(t1);
  return { name, homes: all.length, activities: all.reduce((n, l) => n + l.activities.length, 0), liveSeconds, fitSeconds };
}

const random = measure(`${homes} random homes x ${days} days (seeds ${firstSeed}..${firstSeed + homes - 1})`, function* () {
  for (const home of randomHomeLives({ count: homes, days, firstSeed })) {
    yield { activities: home.activities.map((a) => ({ timeUs: a.timeUs, activity: activityId(a.activity), resident: a.resident })) };
  }
});
const builtIn = measure(`${TRAINING_HOMES.length} built-in homes x 120 days (the networks' training homes)`, () => TRAINING_HOMES.map((home) => lifeOfHome(home, 120, 1)));

const pad = (s: string, n: number): string => s.padStart(n);
const lines = [
  `structured preset: fitting its priors (load average ${loadavg()[0].toFixed(1)}; no network, so no PyTorch run)`,
  `${'lives'.padEnd(64)}${pad('activities', 11)}${pad('live s', 9)}${pad('homes/s', 9)}${pad('fit s', 8)}${pad('homes/s', 10)}${pad('activities/s', 14)}`,
  ...[random, builtIn].map(
    (r) =>
      `${r.name.padEnd(64)}${pad(String(r.activities), 11)}${pad(r.liveSeconds.toFixed(2), 9)}${pad((r.homes / r.liveSeconds).toFixed(1), 9)}` +
      `${pad(r.fitSeconds.toFixed(3), 8)}${pad((r.homes / r.fitSeconds).toFixed(0), 10)}${pad(Math.round(r.activities / r.fitSeconds).toLocaleString('en-US'), 14)}`,
  ),
  `fitting the structured default on ${random.homes} randomised homes: ${(random.liveSeconds + random.fitSeconds).toFixed(1)} s wall in all, ${(random.homes / (random.liveSeconds + random.fitSeconds)).toFixed(1)} homes/s`,
];
process.stdout.write(lines.join('\n') + '\n');
