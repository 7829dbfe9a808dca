/**
 * `node --import tsx bench/resident-f1.ts A-B OUT.jsonl`: per random home of seeds A to B (14 days,
 * seed 7, LAN capture's uses as `attack` finds them, bench/count-cache.ts), the timeline macro-F1 at
 * 30 min of its day read as 1 to 5 residents (1: the home's chain; 2 to 5: the count decoder) and the
 * estimator's features, one JSON line per home (kept: a home already in OUT.jsonl is not read again);
 * then, over the homes of OUT.jsonl, the mean F1 read as one, as two, as estimated (the shipped
 * classifier, with a bias × e^b on P(R = 1) for b = −1 to 1.5), as the true number, and by true R.
 * `... 1000-1149 bench/.data/residents/f1-train.jsonl` are the homes the classifier is fitted on,
 * `... 3000-3099 bench/.data/residents/f1-test.jsonl` the ones it never saw.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { activityId } from '../src/core/activities.js';
import { matchTimeline } from '../src/evaluate/timeline-match.js';
import { countDay } from '../src/attack/resident-count.js';
import { classProbabilities, featureVector, RESIDENT_CLASSIFIER, residentFeatures } from '../src/attack/resident-estimate.js';
import { HOME_CHAIN, structuredDay, type StructuredActivity } from '../src/attack/structured-day.js';
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
  const chain = structuredDay(h.uses, params, 1, HOME_CHAIN);
  const f1s = [f1(structuredDay(h.uses, params, 1).activities)];
  for (let r = 2; r <= 5; r++) f1s.push(f1(countDay(h.uses, params, r, params.residentRates!, undefined, chain).activities));
  appendFileSync(out, JSON.stringify({ home, residents: h.residents, x: featureVector(residentFeatures(h.uses, chain)), f1s }) + '\n');
}

interface Row {
  readonly residents: number;
  readonly x: number[];
  readonly f1s: number[];
}
const rows = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Row);
const estimated = (r: Row, bias: number): number => {
  const p = classProbabilities(RESIDENT_CLASSIFIER, r.x);
  p[0] *= Math.exp(bias);
  return p.indexOf(Math.max(...p)) + 1;
};
const mean = (set: readonly Row[], read: (r: Row) => number): string => (set.reduce((s, r) => s + r.f1s[read(r) - 1], 0) / set.length).toFixed(3);
process.stdout.write(`${rows.length} homes, mean timeline macro-F1 at 30 min read as one ${mean(rows, () => 1)}, as two ${mean(rows, () => 2)}, as estimated ${mean(rows, (r) => estimated(r, 0))}, as their true number ${mean(rows, (r) => Math.min(5, r.residents))}\n`);
process.stdout.write(`with a bias toward one: ${[-1, -0.5, 0, 0.5, 1, 1.5].map((b) => `b ${b} ${mean(rows, (r) => estimated(r, b))}`).join(', ')}\n`);
for (let R = 1; R <= 5; R++) {
  const g = rows.filter((r) => Math.min(5, r.residents) === R);
  if (g.length > 0) process.stdout.write(`  true R ${R} (${g.length}): as one ${mean(g, () => 1)}, as two ${mean(g, () => 2)}, as three ${mean(g, () => 3)}, as estimated ${mean(g, (r) => estimated(r, 0))}, as ${R} ${mean(g, () => R)}\n`);
}
