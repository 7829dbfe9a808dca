/**
 * `node --import tsx bench/single-day.ts SEED`: one random home's true activities and its structured
 * day read as one (schedules left out, as the preset reads it), merged in time order, local clock
 * (the model's UTC offset): what a decoder got wrong, day by day. Its devices and their uses first.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ACTIVITIES } from '../src/core/activities.js';
import { withoutSchedules } from '../src/attack/schedules.js';
import { structuredDay, STATE_NAMES } from '../src/attack/structured-day.js';
import { parseStructure, STRUCTURE_FILE } from '../src/attack/structured-preset.js';
import { cachedHome } from './count-cache.js';

const REPO = path.resolve(import.meta.dirname, '..');
const params = parseStructure(JSON.parse(readFileSync(path.join(REPO, 'models', 'bundled', STRUCTURE_FILE), 'utf8')));
const h = await cachedHome(path.join(REPO, 'bench', '.data', 'residents'), `random:${process.argv[2]}`, 14, 7);
const events = withoutSchedules(h.uses);
const counts = new Map<string, number>();
for (const e of events) counts.set(`${e.device} ${e.kind}`, (counts.get(`${e.device} ${e.kind}`) ?? 0) + 1);
process.stdout.write(`${h.home}: ${h.residents} resident(s), ${events.length} uses (${h.uses.length} before schedules): ${[...counts].map(([d, n]) => `${d} ${n}`).join(', ')}\n`);
const day = structuredDay(events, params, 1);
const fmt = (us: number): string => new Date((us + params.utcOffsetMinutes * 60e6) / 1000).toISOString().slice(5, 16).replace('T', ' ');
const rows = [
  ...h.truth.map((a) => ({ t: a.timeUs, s: `T ${ACTIVITIES[a.activity]}` })),
  ...day.activities.map((a) => ({ t: a.timeUs, s: `                         D ${a.activity} ${a.confidence.toFixed(2)}` })),
].sort((a, b) => a.t - b.t);
for (const r of rows) process.stdout.write(`${fmt(r.t)} ${r.s}\n`);
if (process.argv.includes('--segments')) for (const s of day.segments) process.stdout.write(`${fmt(s.startUs)} - ${fmt(s.endUs)} ${STATE_NAMES[s.state]}\n`);
