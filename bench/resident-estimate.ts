/**
 * `node --import tsx bench/resident-estimate.ts [-- --print] [-- --l2 X] [-- --train A-B] [-- --test A-B] [-- --days N]`:
 * the estimate of the number of residents (src/attack/resident-estimate.ts) fitted and checked. The
 * classifier is fitted on random homes of seeds A to B (default 1000-1149: the bundled model's
 * training seeds, on other days), N days each (default 14, simulation seed 7), from their LAN
 * capture's uses as `attack` finds them (bench/count-cache.ts keeps them in bench/.data/residents,
 * made once by `peephole simulate`); their true number is the residents their activities.csv names.
 * It prints the confusion of true against estimated R on those homes, on random homes never used
 * for fitting (default seeds 3000-3099), on the built-in homes, and P(R) for the real development
 * homes (../shared/activities/kasteren_b, kasteren_c: one resident each, read in place, never used
 * for fitting); with --print, the fitted classifier as JSON (what RESIDENT_CLASSIFIER holds), and
 * the shipped classifier's confusion beside the refitted one's.
 */
import path from 'node:path';
import { HOME_CHAIN, structuredDay } from '../src/attack/structured-day.js';
import { readFileSync } from 'node:fs';
import { parseStructure, STRUCTURE_FILE } from '../src/attack/structured-preset.js';
import { classProbabilities, featureVector, fitResidentClassifier, nothingToCount, residentFeatures, RESIDENT_CLASSIFIER, type ResidentClassifier } from '../src/attack/resident-estimate.js';
import { readLabelledHome } from '../src/attack/labelled-home.js';
import type { DeviceUse } from '../src/core/device-use.js';
import { cachedHome } from './count-cache.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}
const range = (s: string): number[] => {
  const [a, b] = s.split('-').map(Number);
  return Array.from({ length: b - a + 1 }, (_, i) => a + i);
};
const REPO = path.resolve(import.meta.dirname, '..');
const params = parseStructure(JSON.parse(readFileSync(path.join(REPO, 'models', 'bundled', STRUCTURE_FILE), 'utf8')));
const CACHE = path.join(REPO, 'bench', '.data', 'residents');
const CLASSES = 5;
const days = Number(arg('--days', '14'));
const l2 = Number(arg('--l2', '0.01'));
interface Sample {
  readonly home: string;
  readonly residents: number;
  readonly x: number[];
  /** No absence and no entrance use: estimateResidents reads it as one whatever the classifier says. */
  readonly nothing: boolean;
}
const sample = (home: string, residents: number, uses: readonly DeviceUse[]): Sample => {
  const f = residentFeatures(uses, structuredDay(uses, params, 1, HOME_CHAIN));
  return { home, residents: Math.min(residents, CLASSES), x: featureVector(f), nothing: nothingToCount(f) };
};
async function homes(names: readonly string[]): Promise<Sample[]> {
  const out: Sample[] = [];
  for (const name of names) {
    const h = await cachedHome(CACHE, name, days, 7);
    // A home whose capture shows fewer than two uses has no day to read.
    if (h.uses.length >= 2) out.push(sample(name, h.residents, h.uses));
  }
  return out;
}
const train = await homes(range(arg('--train', '1000-1149')).map((s) => `random:${s}`));
const test = await homes(range(arg('--test', '3000-3099')).map((s) => `random:${s}`));
const builtin = await homes(['paper', 'night-shift', 'couple-shifts', 'sensor-rich', 'family']);
const real = ['kasteren_b', 'kasteren_c'].map((name) => {
  const d = path.join(REPO, '..', 'shared', 'activities', name);
  return sample(name, 1, readLabelledHome(path.join(d, 'events.csv'), path.join(d, 'labels.csv')).events);
});
// As estimateResidents decides: a home with nothing to count residents by is read as one.
const estimate = (c: ResidentClassifier, s: Sample): number => {
  if (s.nothing) return 1;
  const p = classProbabilities(c, s.x);
  return p.indexOf(Math.max(...p)) + 1;
};
const confusion = (c: ResidentClassifier, set: readonly Sample[], label: string): void => {
  const m = Array.from({ length: CLASSES }, () => new Array<number>(CLASSES).fill(0));
  let right = 0;
  let oneOrMore = 0;
  for (const s of set) {
    const r = estimate(c, s);
    m[s.residents - 1][r - 1]++;
    if (r === s.residents) right++;
    if ((r === 1) === (s.residents === 1)) oneOrMore++;
  }
  process.stdout.write(`${label}: ${right}/${set.length} exactly right, ${oneOrMore}/${set.length} right on one or more; rows true R 1 to ${CLASSES}, columns estimated\n${m.map((row, i) => `  ${i + 1}: ${row.map((n) => String(n).padStart(3)).join(' ')}`).join('\n')}\n`);
};
const fitted = fitResidentClassifier(train, { classes: CLASSES, l2 });
for (const [name, c] of [['refitted', fitted], ['shipped', RESIDENT_CLASSIFIER]] as const) {
  process.stdout.write(`== the ${name} classifier\n`);
  confusion(c, train, `fitted on: random homes ${arg('--train', '1000-1149')} (${train.length})`);
  confusion(c, test, `never fitted on: random homes ${arg('--test', '3000-3099')} (${test.length})`);
  process.stdout.write(`built-in homes: ${builtin.map((s) => `${s.home} ${s.residents} → ${estimate(c, s)}`).join(', ')}\n`);
  for (const s of real) process.stdout.write(`${s.home} (1 resident): P(R = 1..${CLASSES}) ${classProbabilities(c, s.x).map((p) => p.toFixed(3)).join(' ')} → ${estimate(c, s)}\n`);
}
if (process.argv.includes('--print')) process.stdout.write(JSON.stringify(fitted) + '\n');
