/**
 * `npm run eval:homes [-- --model DIR] [-- --days N] [-- --json]`: the attack's timeline macro-F1 (30 min)
 * on homes it never trained on, as a user meets them.
 *
 * - The real development homes (`../shared/activities/kasteren_b`, `kasteren_c`: events.csv and
 *   labels.csv, read in place, never copied), scored as `peephole evaluate --events --labels` scores them.
 * - Simulated homes the bundled structured model does not learn from (its priors come from random
 *   homes of seeds 1000 on, training-homes.ts; `sensor-rich` is kept out of every preset's training,
 *   `family` and `night-shift` teach the network presets; seeds 201 and 202 are below 1000), each
 *   simulated for N days (default 14, seed 7) by `peephole simulate`, its LAN capture read by
 *   `peephole attack --json`, the predicted day matched against the simulator's activities.csv (every
 *   resident's activities, residents ignored: traffic does not say who).
 *
 * Each home's line gives the number of true and predicted activities and, per class, found/true
 * (predicted).
 *
 * By default (`--residents auto`, as `peephole attack`) each home is read as the number of residents
 * estimated from its uses (attack/resident-estimate.ts), said on its line. With `--residents N`, the
 * structured day of N residents (the count decoder, resident-count.ts, for N ≥ 2; `peephole attack
 * --residents N`) on every home; with `--residents true`, each home's own number: the simulated
 * home's from its truth (the residents its activities.csv names), the real homes' 1.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ACTIVITIES, activityId } from '../src/core/activities.js';
import { matchTimeline, type TimedActivity } from '../src/evaluate/timeline-match.js';
import { readLabelledHome } from '../src/attack/labelled-home.js';
import { readActivitiesCsv } from '../src/attack/evaluate-model.js';
import { inferredDay, loadPredictor, type ActivityPredictor } from '../src/attack/predictor.js';
import { StructuredPreset } from '../src/attack/structured-preset.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const REPO = path.resolve(import.meta.dirname, '..');
const CLI = path.join(REPO, 'bin', 'peephole.js');
const SHARED = path.resolve(REPO, '..', 'shared', 'activities');
const model = arg('--model', path.join(REPO, 'models', 'bundled'));
const days = arg('--days', '14');
const seed = arg('--seed', '7');
const json = process.argv.includes('--json');
const residentsArg = arg('--residents', 'auto');
const trueResidents = residentsArg === 'true';
const autoResidents = residentsArg === 'auto';
const residents = trueResidents || autoResidents ? 1 : Number(residentsArg);
if (!trueResidents && !autoResidents && !(Number.isInteger(residents) && residents >= 1)) throw new Error(`--residents: auto, a whole number from 1, or true, not ${residentsArg}`);
const TOLERANCE_US = 30 * 60e6;
const REAL = ['kasteren_b', 'kasteren_c'];
const SIMULATED = arg('--homes', 'sensor-rich,random:201,random:202,family,night-shift').split(',').filter((h) => h !== '');

interface Row {
  readonly home: string;
  readonly source: string;
  readonly macroF1: number;
  readonly truth: number;
  readonly predicted: number;
  readonly perClass: string;
}

function score(home: string, source: string, truth: readonly TimedActivity[], predicted: readonly TimedActivity[]): Row {
  const m = matchTimeline(truth, predicted, { toleranceUs: TOLERANCE_US });
  const perClass = ACTIVITIES.map((a, k) => {
    const t = truth.filter((x) => x.activity === k).length;
    const found = m.pairs.filter((p) => p.truth.activity === k).length;
    const pred = predicted.filter((x) => x.activity === k).length;
    return `${a} ${found}/${t} (${pred})`;
  }).join(', ');
  return { home, source, macroF1: m.macroF1, truth: truth.length, predicted: predicted.length, perClass };
}

function attackDay(capture: string, homeResidents: number | 'auto'): { estimated?: number; activities: TimedActivity[] } {
  const out = execFileSync('node', [CLI, 'attack', capture, '--json', '--model', model, '--residents', String(homeResidents)], { maxBuffer: 1 << 30 }).toString();
  const day = JSON.parse(out) as { residents?: { residents: number }; activities: { time: string; activity: string }[] };
  return { estimated: day.residents?.residents, activities: day.activities.map((a) => ({ timeUs: Date.parse(a.time) * 1000, activity: activityId(a.activity as never) })) };
}

const loaded = await loadPredictor(model);
let predictor: ActivityPredictor = loaded.predictor;
// The real homes are read in this process: as one with --residents true (their number), as N, or estimated (auto, the preset's default).
if (!autoResidents) {
  if (!(predictor instanceof StructuredPreset)) throw new Error(`--residents ${residentsArg}: ${model} holds the ${loaded.manifest.preset} preset, not structured`);
  predictor = new StructuredPreset(predictor.params, residents);
}
const estimates: string[] = [];
if (autoResidents && predictor instanceof StructuredPreset) predictor = new StructuredPreset(predictor.params, 'auto', { onEstimate: (e) => estimates.push(`estimated ${e.residents}`) });
// Several residents are read by the count decoder only where the model holds its rates (structure.json's residentRates).
if ((residents > 1 || trueResidents) && predictor instanceof StructuredPreset && predictor.params.residentRates === undefined) {
  process.stderr.write(`eval:homes: ${model} has no residentRates (trained before them): several residents are read by more-residents.ts; peephole train --bundled makes them\n`);
}
const rows: Row[] = [];
for (const home of REAL) {
  const dir = path.join(SHARED, home);
  if (!existsSync(path.join(dir, 'events.csv'))) {
    process.stderr.write(`skipped ${home}: ${dir} has no events.csv\n`);
    continue;
  }
  const labelled = readLabelledHome(path.join(dir, 'events.csv'), path.join(dir, 'labels.csv'));
  const predicted = inferredDay(predictor, labelled.events).map((t) => ({ timeUs: t.timeUs, activity: activityId(t.activity) }));
  const how = autoResidents ? `, ${estimates.splice(0).join(', ') || 'read as one'}` : residents > 1 ? `, read as ${residents}` : '';
  rows.push(score(home, `real events.csv, 1 resident${how}`, labelled.labels, predicted));
}
const tmp = mkdtempSync(path.join(tmpdir(), 'peephole-eval-homes-'));
try {
  for (const home of SIMULATED) {
    const dir = path.join(tmp, home.replace(/[^a-z0-9-]/gi, '_'));
    execFileSync('node', [CLI, 'simulate', '--home', home, '--days', days, '--seed', seed, '--out', dir], { stdio: ['ignore', 'ignore', 'inherit'] });
    const truth = readActivitiesCsv(path.join(dir, 'activities.csv'));
    const homeResidents = new Set(truth.map((r) => r.resident)).size;
    const readAs = trueResidents ? homeResidents : autoResidents ? 'auto' : residents;
    const day = attackDay(path.join(dir, 'capture.pcapng'), readAs);
    const how = readAs === 'auto' ? `, estimated ${day.estimated ?? '(none)'}` : readAs > 1 ? `, read as ${readAs}` : '';
    rows.push(score(home, `LAN capture, ${days} d, ${homeResidents} resident(s)${how}`, truth, day.activities));
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
if (json) process.stdout.write(JSON.stringify({ model, residents: trueResidents || autoResidents ? residentsArg : residents, days: Number(days), seed: Number(seed), rows }, null, 2) + '\n');
else {
  const how = trueResidents ? ', each home read as its true number of residents' : autoResidents ? ', each home read as the number of residents estimated from its uses (--residents auto)' : `, structured day of ${residents} resident(s)`;
  process.stdout.write(`timeline macro-F1 at 30 min, model ${path.relative(process.cwd(), model) || model}${how}\n`);
  for (const r of rows) process.stdout.write(`${r.home.padEnd(13)} ${r.source.padEnd(50)} ${r.macroF1.toFixed(3)}  true ${String(r.truth).padStart(4)} predicted ${String(r.predicted).padStart(4)}  ${r.perClass}\n`);
}
