/**
 * `node --import tsx bench/eval-residents.ts [-- --homes a,b] [-- --options JSON] [-- --model DIR] [-- --days N] [-- --seed S]`:
 * the two readings of a home of several residents compared in one process, on simulated homes read
 * from their LAN capture as `attack` reads it: the count decoder (src/attack/resident-count.ts, with
 * `--options` over its DEFAULT_COUNT, as `{"movePenalty":1}`) and the home's chain with the others
 * placed beside it (more-residents.ts), each home read as its true number of residents. Timeline
 * macro-F1 at 30 min, per class found/true (predicted), the count decoder's CPU time, and the mean.
 * Each home's uses and truth are kept in bench/.data/residents (made once, by `peephole simulate`
 * and the capture's uses found as `attack` finds them), so options can be compared in seconds.
 *
 * By default the homes its options were chosen on (sensor-rich, random:201, random:202, family and
 * random homes of seeds from 1000, whose homes the bundled model's rates come from, on other days);
 * random:203 to 206 are kept for checking a choice, not for making one.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ACTIVITIES, activityId } from '../src/core/activities.js';
import { matchTimeline, type TimedActivity } from '../src/evaluate/timeline-match.js';
import { countDay, DEFAULT_COUNT, type CountOptions } from '../src/attack/resident-count.js';
import { structuredDay, type StructuredActivity } from '../src/attack/structured-day.js';
import { parseStructure, STRUCTURE_FILE } from '../src/attack/structured-preset.js';
import { cachedHome } from './count-cache.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const REPO = path.resolve(import.meta.dirname, '..');
const model = arg('--model', path.join(REPO, 'models', 'bundled'));
const homes = arg('--homes', 'sensor-rich,random:201,random:202,family,random:1001,random:1002,random:1005,random:1006,random:1007,random:1008,random:1009,random:1010').split(',');
const days = Number(arg('--days', '14'));
const seed = Number(arg('--seed', '7'));
const options: CountOptions = { ...DEFAULT_COUNT, ...(JSON.parse(arg('--options', '{}')) as Partial<CountOptions>) };
const params = parseStructure(JSON.parse(readFileSync(path.join(model, STRUCTURE_FILE), 'utf8')));
if (params.residentRates === undefined) throw new Error(`${path.join(model, STRUCTURE_FILE)} has no residentRates: train it again (peephole train --bundled)`);
const TOLERANCE_US = 30 * 60e6;

const f1s: number[] = [];
for (const home of homes) {
  const h = await cachedHome(path.join(REPO, 'bench', '.data', 'residents'), home, days, seed);
  const truth: TimedActivity[] = h.truth.map((a) => ({ timeUs: a.timeUs, activity: a.activity }));
  const scored = (day: readonly StructuredActivity[]): { f1: number; perClass: string } => {
    const predicted = day.map((a) => ({ timeUs: a.timeUs, activity: activityId(a.activity) }));
    const m = matchTimeline(truth, predicted, { toleranceUs: TOLERANCE_US });
    const perClass = ACTIVITIES.map((name, k) => `${name} ${m.pairs.filter((p) => p.truth.activity === k).length}/${truth.filter((a) => a.activity === k).length} (${predicted.filter((a) => a.activity === k).length})`).join(', ');
    return { f1: m.macroF1, perClass };
  };
  const cpu = process.cpuUsage();
  const count = scored(countDay(h.uses, params, h.residents, params.residentRates, options).activities);
  const used = process.cpuUsage(cpu);
  const steps = scored(structuredDay(h.uses, params, h.residents).activities);
  f1s.push(count.f1);
  process.stdout.write(`${home.padEnd(12)} R=${h.residents} count ${count.f1.toFixed(3)} (${((used.user + used.system) / 1000).toFixed(0)} ms CPU) steps ${steps.f1.toFixed(3)}  count: ${count.perClass}\n`);
}
process.stdout.write(`mean of the count decoder: ${(f1s.reduce((a, b) => a + b, 0) / f1s.length).toFixed(3)}\n`);
