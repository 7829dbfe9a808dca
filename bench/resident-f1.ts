/**
 * `node --import tsx bench/resident-f1.ts A-B OUT.jsonl`: per random home of seeds A to B (14 days,
 * seed 7, LAN capture's uses as `attack` finds them, bench/count-cache.ts), the timeline macro-F1 at
 * 30 min of its day read as 1 to 5 residents (1: the home's chain; 2 to 5: the count decoder) and the
 * estimator's features, one JSON line per home: what bench/resident-estimate.ts --f1 weighs the
 * estimate's choices by.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { activityId } from '../src/core/activities.js';
import { matchTimeline } from '../src/evaluate/timeline-match.js';
import { countDay } from '../src/attack/resident-count.js';
import { featureVector, residentFeatures } from '../src/attack/resident-estimate.js';
import { structuredDay, type StructuredActivity } from '../src/attack/structured-day.js';
import { parseStructure, STRUCTURE_FILE } from '../src/attack/structured-preset.js';
import { cachedHome } from './count-cache.js';

const REPO = path.resolve(import.meta.dirname, '..');
const params = parseStructure(JSON.parse(readFileSync(path.join(REPO, 'models', 'bundled', STRUCTURE_FILE), 'utf8')));
const [from, to] = process.argv[2].split('-').map(Number);
const out = process.argv[3];
const done = new Set(existsSync(out) ? readFileSync(out, 'utf8').trim().split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { home: string }).home) : []);
for (let seed = from; seed <= to; seed++) {
  const home = `random:${seed}`;
  if (done.has(home)) continue;
  const h = await cachedHome(path.join(REPO, 'bench', '.data', 'residents'), home, 14, 7);
  if (h.uses.length < 2) continue;
  const truth = h.truth.map((a) => ({ timeUs: a.timeUs, activity: a.activity }));
  const f1 = (day: readonly StructuredActivity[]): number => matchTimeline(truth, day.map((a) => ({ timeUs: a.timeUs, activity: activityId(a.activity) })), { toleranceUs: 30 * 60e6 }).macroF1;
  const chain = structuredDay(h.uses, params, 1);
  const f1s = [f1(chain.activities)];
  for (let r = 2; r <= 5; r++) f1s.push(f1(countDay(h.uses, params, r, params.residentRates!, undefined, chain).activities));
  appendFileSync(out, JSON.stringify({ home, residents: h.residents, x: featureVector(residentFeatures(h.uses, chain)), f1s }) + '\n');
}
