/**
 * `node --import tsx bench/single-f1.ts A-B [--all] [--homes]`: how the structured day reads the
 * random homes of seeds A to B (14 days, seed 7, their LAN captures' uses from the
 * bench/.data/residents cache, bench/count-cache.ts), as the preset reads them (schedules left out,
 * schedules.ts). Over the homes of one resident: the mean timeline macro-F1 at 30 min read as one
 * and as estimated, and per class the true activities, the decoded ones, the right ones and the
 * `visible` ones (a use within 30 min of the truth: what any decoder could see); with --homes, each
 * home's F1 and counts. With --all, also the mean F1 over every home, read as estimated (a home of
 * several by the count decoder, as the preset does).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ACTIVITIES, activityId } from '../src/core/activities.js';
import { firstUseAt } from '../src/core/device-use.js';
import { matchTimeline } from '../src/evaluate/timeline-match.js';
import { countDay, DEFAULT_COUNT } from '../src/attack/resident-count.js';
import { estimateResidents } from '../src/attack/resident-estimate.js';
import { withoutSchedules } from '../src/attack/schedules.js';
import { HOME_CHAIN, structuredDay, type StructuredActivity } from '../src/attack/structured-day.js';
import { parseStructure, STRUCTURE_FILE } from '../src/attack/structured-preset.js';
import { cachedHome } from './count-cache.js';

const REPO = path.resolve(import.meta.dirname, '..');
const params = parseStructure(JSON.parse(readFileSync(path.join(REPO, 'models', 'bundled', STRUCTURE_FILE), 'utf8')));
const [from, to] = process.argv[2].split('-').map(Number);
// With --named a,b: these cached homes too (the built-in ones: paper, night-shift, couple-shifts, family), each with its F1 read as estimated.
const named = process.argv.includes('--named') ? process.argv[process.argv.indexOf('--named') + 1].split(',') : [];
const all = process.argv.includes('--all');
const perHome = process.argv.includes('--homes');
const TOL = 30 * 60e6;
const K = ACTIVITIES.length;
const sum = { truth: new Array(K).fill(0), predicted: new Array(K).fill(0), correct: new Array(K).fill(0), visible: new Array(K).fill(0) };
let one = 0;
let oneF1 = 0;
let oneEst = 0;
let allEst = 0;
let homes = 0;
const cpu0 = process.cpuUsage();
for (const name of named) {
  const h = await cachedHome(path.join(REPO, 'bench', '.data', 'residents'), name, 14, 7);
  const truth = h.truth.map((a) => ({ timeUs: a.timeUs, activity: a.activity }));
  const events = withoutSchedules(h.uses);
  const home = structuredDay(events, params, 1, HOME_CHAIN);
  const est = estimateResidents(events, home).residents;
  const day = est === 1 ? structuredDay(events, params, 1) : countDay(events, params, est, params.residentRates!, DEFAULT_COUNT, home);
  const f1 = matchTimeline(truth, day.activities.map((a) => ({ timeUs: a.timeUs, activity: activityId(a.activity) })), { toleranceUs: TOL }).macroF1;
  process.stdout.write(`${name} (${h.residents}) estimated ${est}: ${f1.toFixed(3)}\n`);
}
for (let seed = from; seed <= to; seed++) {
  const h = await cachedHome(path.join(REPO, 'bench', '.data', 'residents'), `random:${seed}`, 14, 7);
  if (h.uses.length < 2) continue;
  if (h.residents !== 1 && !all) continue;
  const truth = h.truth.map((a) => ({ timeUs: a.timeUs, activity: a.activity }));
  const score = (day: readonly StructuredActivity[]) => matchTimeline(truth, day.map((a) => ({ timeUs: a.timeUs, activity: activityId(a.activity) })), { toleranceUs: TOL });
  const events = withoutSchedules(h.uses);
  // As the preset: the home's chain for the estimate and the count decoder, the day of one read again.
  const home = structuredDay(events, params, 1, HOME_CHAIN);
  const chain = structuredDay(events, params, 1);
  const est = estimateResidents(events, home).residents;
  const estDay = est === 1 ? chain : countDay(events, params, est, params.residentRates!, DEFAULT_COUNT, home);
  const fEst = score(estDay.activities).macroF1;
  homes++;
  allEst += fEst;
  if (h.residents !== 1) {
    if (perHome) process.stdout.write(`${h.home} R ${h.residents} est ${est} ${fEst.toFixed(3)}\n`);
    continue;
  }
  const m = score(chain.activities);
  one++;
  oneF1 += m.macroF1;
  oneEst += fEst;
  const visible = new Array(K).fill(0);
  for (const a of truth) {
    const i = firstUseAt(events, a.timeUs - TOL);
    if (i < events.length && events[i].timeUs <= a.timeUs + TOL) visible[a.activity]++;
  }
  for (let k = 0; k < K; k++) {
    sum.truth[k] += m.perClass[k].support;
    sum.predicted[k] += m.perClass[k].predicted;
    sum.correct[k] += m.perClass[k].correct;
    sum.visible[k] += visible[k];
  }
  if (perHome) {
    const devices = new Set(events.map((e) => e.device)).size;
    process.stdout.write(`${h.home} F1 ${m.macroF1.toFixed(3)} est ${est} ${fEst.toFixed(3)} devices ${devices} uses ${events.length} ` + m.perClass.map((c, k) => `${ACTIVITIES[k].slice(0, 7)} ${c.correct}/${c.support}/${c.predicted}`).join(' ') + '\n');
  }
}
const cpu = process.cpuUsage(cpu0);
process.stdout.write(`${one} homes of one: as one ${(oneF1 / one).toFixed(4)}, as estimated ${(oneEst / one).toFixed(4)}\n`);
for (let k = 0; k < K; k++) {
  const p = sum.correct[k] / Math.max(1, sum.predicted[k]);
  const r = sum.correct[k] / Math.max(1, sum.truth[k]);
  process.stdout.write(`  ${ACTIVITIES[k].padEnd(18)} truth ${sum.truth[k]} visible ${sum.visible[k]} decoded ${sum.predicted[k]} right ${sum.correct[k]}  P ${p.toFixed(3)} R ${r.toFixed(3)}\n`);
}
if (all) process.stdout.write(`${homes} homes: mean F1 as estimated ${(allEst / homes).toFixed(4)}\n`);
process.stdout.write(`CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s\n`);
