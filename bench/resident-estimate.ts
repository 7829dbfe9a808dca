/**
 * DRAFT: features of cached homes, fit and confusion.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { structuredDay } from '../src/attack/structured-day.js';
import { parseStructure, STRUCTURE_FILE } from '../src/attack/structured-preset.js';
import { classProbabilities, featureVector, fitResidentClassifier, residentFeatures, FEATURE_NAMES } from '../src/attack/resident-estimate.js';
import { readLabelledHome } from '../src/attack/labelled-home.js';
import type { CachedHome } from './count-cache.js';
import type { DeviceUse } from '../src/core/device-use.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}
const REPO = path.resolve(import.meta.dirname, '..');
const params = parseStructure(JSON.parse(readFileSync(path.join(REPO, 'models', 'bundled', STRUCTURE_FILE), 'utf8')));
const dir = path.join(REPO, 'bench', '.data', 'residents');
const classes = Number(arg('--classes', '5'));
const l2 = Number(arg('--l2', '0.01'));
const maskArg = arg('--features', FEATURE_NAMES.map((_, i) => i).join(','));
const mask = FEATURE_NAMES.map((_, i) => maskArg.split(',').map(Number).includes(i));
interface S { home: string; residents: number; x: number[] }
const load = (name: string, R: number, uses: readonly DeviceUse[]): S => ({ home: name, residents: Math.min(R, classes), x: featureVector(residentFeatures(uses, structuredDay(uses, params, 1))) });
const train: S[] = [];
const test: S[] = [];
for (const f of readdirSync(dir).filter((f) => /^random_\d+-14d-7\.json$/.test(f)).sort()) {
  const seed = Number(/random_(\d+)/.exec(f)![1]);
  const h = JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as CachedHome;
  if (h.uses.length < 2) continue;
  (seed >= 3000 ? test : train).push(load(h.home, h.residents, h.uses));
}
const real: S[] = ['kasteren_b', 'kasteren_c'].map((name) => {
  const d = path.join(REPO, '..', 'shared', 'activities', name);
  return load(name, 1, readLabelledHome(path.join(d, 'events.csv'), path.join(d, 'labels.csv')).events);
});
const c = fitResidentClassifier(train, { classes, l2, mask });
const argmax = (p: number[]): number => p.indexOf(Math.max(...p)) + 1;
const confusion = (set: S[], label: string): void => {
  const m = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  let right = 0;
  for (const s of set) {
    const r = argmax(classProbabilities(c, s.x, mask));
    m[s.residents - 1][r - 1]++;
    if (r === s.residents) right++;
  }
  process.stdout.write(`${label}: ${right}/${set.length} right; rows true R, columns estimated\n${m.map((row, i) => `  ${i + 1}: ${row.join(' ')}`).join('\n')}\n`);
};
confusion(train, `train (${train.length})`);
confusion(test, `test (${test.length})`);
for (const s of real) process.stdout.write(`${s.home}: ${classProbabilities(c, s.x, mask).map((p) => p.toFixed(3)).join(' ')}\n`);
if (process.argv.includes('--print')) process.stdout.write(JSON.stringify(c) + '\n');
