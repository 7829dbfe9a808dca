/**
 * `[PER_BIN=1] [MAX_R=N] [OUT=file.jsonl] node --import tsx bench/resident-scores.ts`: the route to
 * the number of residents tried and left out (src/attack/resident-estimate.ts): per home, the count
 * decoder's log-likelihood (resident-count.ts `countFit`) read as 1 to MAX_R (default 5) residents,
 * its CPU time per R and the estimator's statistics, one JSON line per home (kept: a home already in
 * OUT, default bench/.data/residents/scores.jsonl, is not read again): the real development homes
 * (../shared/activities/kasteren_b, kasteren_c, read in place) and every home bench/.data/residents
 * holds of 14 days. PER_BIN=1 reads each device per bin rather than per minute. Its finding: the
 * gain from 1 to 2 residents is 53 and 67 nats a day on B and C (one resident each), as large as on
 * simulated homes of several.
 */
import { readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { HOME_CHAIN, structuredDay } from '../src/attack/structured-day.js';
import { parseStructure, STRUCTURE_FILE } from '../src/attack/structured-preset.js';
import { residentFeatures } from '../src/attack/resident-estimate.js';
import { countFit, DEFAULT_COUNT } from '../src/attack/resident-count.js';
import { readLabelledHome } from '../src/attack/labelled-home.js';
import type { CachedHome } from './count-cache.js';
import type { DeviceUse } from '../src/core/device-use.js';
const REPO = path.resolve(import.meta.dirname, '..');
const params = parseStructure(JSON.parse(readFileSync(path.join(REPO, 'models', 'bundled', STRUCTURE_FILE), 'utf8')));
const dir = path.join(REPO, 'bench', '.data', 'residents');
const out = process.env.OUT ?? path.join(REPO, 'bench', '.data', 'residents', 'scores.jsonl');
const done = new Set(existsSync(out) ? readFileSync(out, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l).home) : []);
const lines: string[] = [];
const score = (home: string, R: number, uses: readonly DeviceUse[]): void => {
  if (done.has(home) || uses.length < 2) return;
  const chain = structuredDay(uses, params, 1, HOME_CHAIN);
  const f = residentFeatures(uses, chain);
  const logZ: number[] = [];
  const ms: number[] = [];
  for (let r = 1; r <= Number(process.env.MAX_R ?? 5); r++) {
    const c = process.cpuUsage();
    logZ.push(countFit(uses, params, r, params.residentRates!, process.env.PER_BIN ? { ...DEFAULT_COUNT, perBin: true } : undefined, chain).logLikelihood);
    const u = process.cpuUsage(c);
    ms.push(Math.round((u.user + u.system) / 1000));
  }
  const line = JSON.stringify({ home, R, uses: uses.length, f, logZ, ms });
  process.stdout.write(line + '\n');
  writeFileSync(out, line + '\n', { flag: 'a' });
};
for (const name of ['kasteren_b', 'kasteren_c']) {
  const d = path.join(REPO, '..', 'shared', 'activities', name);
  score(name, 1, readLabelledHome(path.join(d, 'events.csv'), path.join(d, 'labels.csv')).events);
}
for (const f of readdirSync(dir).filter((f) => f.endsWith('-14d-7.json')).sort()) {
  const h = JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as CachedHome;
  score(h.home, h.residents, h.uses);
}
