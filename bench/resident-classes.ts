/**
 * `node --import tsx bench/resident-classes.ts [-- --homes a,b] [-- --options JSON] [-- --residents N]`:
 * where the count decoder (src/attack/resident-count.ts) gains and loses on homes of several
 * residents, read as their true number (or as N). Per activity, pooled over the homes: the true
 * ones, the decoded ones, the matches at 30 min, recall, precision and F1; and each true activity by
 * its sort, read off the truth's residents: a waking the first of the home's (nobody else up at
 * home) or one that joins another up, a going to bed the last (the home then asleep) or not, a leave
 * that empties the home or leaves someone in, a return that fills an empty home or joins someone in,
 * with the share of each sort found. Then the mean timeline macro-F1, by true R too.
 *
 * By default the homes the count decoder is tuned on: sensor-rich and the random homes of seeds
 * 300 to 315 with 2 to 5 residents; each home's uses and truth are kept in bench/.data/residents.
 */
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { ACTIVITIES, activityId } from '../src/core/activities.js';
import { matchTimeline, type TimedActivity } from '../src/evaluate/timeline-match.js';
import { countDay, DEFAULT_COUNT, type CountOptions } from '../src/attack/resident-count.js';
import { HOME_CHAIN, structuredDay } from '../src/attack/structured-day.js';
import { parseStructure, STRUCTURE_FILE } from '../src/attack/structured-preset.js';
import { cachedHome } from './count-cache.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const REPO = path.resolve(import.meta.dirname, '..');
const params = parseStructure(JSON.parse(readFileSync(path.join(REPO, 'models', 'bundled', STRUCTURE_FILE), 'utf8')));
if (params.residentRates === undefined) throw new Error('models/bundled has no residentRates: train it again (peephole train --bundled)');
const homes = arg('--homes', ['sensor-rich', ...[300, 301, 302, 304, 305, 310, 311, 312, 313, 314].map((s) => `random:${s}`)].join(',')).split(',');
const options: CountOptions = { ...DEFAULT_COUNT, ...(JSON.parse(arg('--options', '{}')) as Partial<CountOptions>) };
const fixedR = Number(arg('--residents', '0'));
const TOLERANCE_US = 30 * 60e6;

/**
 * Each true activity's sort (see the header), by walking the truth with each resident's place:
 * asleep, awake at home, out. A resident's place before their first activity is the one that
 * activity leaves; a leave_temporarily's return is no activity, so the resident counts as back at
 * their next activity.
 */
function sorts(truth: readonly TimedActivity[]): string[] {
  const place = new Map<string, 'asleep' | 'awake' | 'out'>();
  for (const a of truth) {
    const who = a.resident ?? '';
    if (place.has(who)) continue;
    const name = ACTIVITIES[a.activity];
    place.set(who, name === 'wake_up' ? 'asleep' : name === 'return_home' ? 'out' : 'awake');
  }
  const others = (who: string, p: string): number => [...place].filter(([w, q]) => w !== who && q === p).length;
  return truth.map((a) => {
    const who = a.resident ?? '';
    const name = ACTIVITIES[a.activity];
    if (place.get(who) === 'out' && name !== 'return_home') place.set(who, 'awake');
    let sort: string;
    if (name === 'wake_up') {
      sort = others(who, 'awake') > 0 ? 'joining' : 'first';
      place.set(who, 'awake');
    } else if (name === 'go_to_bed') {
      sort = others(who, 'awake') > 0 ? 'not last' : 'last';
      place.set(who, 'asleep');
    } else if (name === 'return_home') {
      sort = others(who, 'awake') + others(who, 'asleep') > 0 ? 'joining' : 'fills';
      place.set(who, 'awake');
    } else {
      sort = others(who, 'awake') + others(who, 'asleep') > 0 ? 'leaves some' : 'empties';
      place.set(who, 'out');
    }
    return `${name} ${sort}`;
  });
}

const C = ACTIVITIES.length;
const matched = new Array<number>(C).fill(0);
const trueN = new Array<number>(C).fill(0);
const predN = new Array<number>(C).fill(0);
const bySort = new Map<string, { n: number; found: number }>();
const f1ByR = new Map<number, number[]>();
for (const home of homes) {
  const h = await cachedHome(path.join(REPO, 'bench', '.data', 'residents'), home, 14, 7);
  if (h.uses.length < 2) continue;
  const R = fixedR > 0 ? fixedR : h.residents;
  const chain = structuredDay(h.uses, params, 1, HOME_CHAIN);
  const day = R === 1 ? structuredDay(h.uses, params, 1) : countDay(h.uses, params, R, params.residentRates, options, chain);
  const predicted = day.activities.map((a) => ({ timeUs: a.timeUs, activity: activityId(a.activity) }));
  const m = matchTimeline(h.truth, predicted, { toleranceUs: TOLERANCE_US });
  const found = new Set(m.pairs.map((p) => p.truth));
  const s = sorts(h.truth);
  h.truth.forEach((a, i) => {
    const e = bySort.get(s[i]) ?? { n: 0, found: 0 };
    e.n++;
    if (found.has(a)) e.found++;
    bySort.set(s[i], e);
  });
  for (let k = 0; k < C; k++) {
    trueN[k] += h.truth.filter((a) => a.activity === k).length;
    predN[k] += predicted.filter((a) => a.activity === k).length;
    matched[k] += m.pairs.filter((p) => p.truth.activity === k).length;
  }
  const list = f1ByR.get(h.residents) ?? [];
  list.push(m.macroF1);
  f1ByR.set(h.residents, list);
  process.stdout.write(`${home.padEnd(12)} R=${h.residents} read as ${R}: ${m.macroF1.toFixed(3)}  ${ACTIVITIES.map((n, k) => `${n} ${m.pairs.filter((p) => p.truth.activity === k).length}/${h.truth.filter((a) => a.activity === k).length} (${predicted.filter((a) => a.activity === k).length})`).join(', ')}\n`);
}
for (let k = 0; k < C; k++) {
  const rec = matched[k] / Math.max(1, trueN[k]);
  const prec = matched[k] / Math.max(1, predN[k]);
  process.stdout.write(`${ACTIVITIES[k].padEnd(18)} true ${String(trueN[k]).padStart(5)} decoded ${String(predN[k]).padStart(5)} matched ${String(matched[k]).padStart(5)}  recall ${rec.toFixed(3)} precision ${prec.toFixed(3)} F1 ${((2 * rec * prec) / Math.max(1e-9, rec + prec)).toFixed(3)}\n`);
}
for (const [sort, e] of [...bySort].sort()) process.stdout.write(`  ${sort.padEnd(30)} ${String(e.found).padStart(5)}/${String(e.n).padStart(5)} found (${(e.found / e.n).toFixed(3)})\n`);
const all = [...f1ByR.values()].flat();
process.stdout.write(`mean timeline macro-F1 at 30 min: ${(all.reduce((a, b) => a + b, 0) / all.length).toFixed(3)} (${all.length} homes); ${[...f1ByR].sort((a, b) => a[0] - b[0]).map(([r, xs]) => `R ${r} (${xs.length}) ${(xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(3)}`).join(', ')}\n`);
