/**
 * `node --import tsx bench/judge-blocks.ts [--days D] [--blocks 35,14,7]`: what judging a device's
 * bursts a block at a time (src/uses/device-judge.ts) changes, on the family home simulated for D
 * days (default 365, seed 1: bench/.data/family-<D>d-seed1, built when absent, as bench:memory
 * builds it). The uses are found in its capture with the whole capture as one block (as before
 * blocks), then with blocks of each length given in days (a margin of a day either side); each set
 * of uses is scored against the home's true uses (uses/score.ts) and, through the bundled model, the
 * inferred day against its true activities (evaluate/timeline-match.ts). Prints, per run: uses found,
 * precision and recall of use detection, uses that differ from the one-block run, and the inferred
 * day's precision, recall and macro-F1.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { activityId } from '../src/core/activities.js';
import { loadHomeSpec } from '../src/home/spec.js';
import { defaultVendorRules } from '../src/observe/vendor-rules.js';
import { registeredVendorLookup } from '../src/observe/oui.js';
import { detectUsage, type UsageReport } from '../src/uses/detect-usage.js';
import { scoreUsageDetection } from '../src/uses/score.js';
import { lifeOfSimulation } from '../src/attack/evaluate-model.js';
import { loadPredictor } from '../src/attack/predictor.js';
import { activityTimeline } from '../src/attack/episodes.js';
import { matchTimeline } from '../src/evaluate/timeline-match.js';

const DAY_US = 86_400e6;

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const days = Number(flag('--days', '365'));
const blocks = flag('--blocks', '35,14,7').split(',').map(Number);
const root = join(import.meta.dirname, '..');
const dir = join(import.meta.dirname, '.data', `family-${days}d-seed1`);
const capture = join(dir, 'capture.pcapng');
if (!existsSync(capture)) {
  mkdirSync(dir, { recursive: true });
  process.stderr.write(`simulating ${days} days of the family home into ${dir}...\n`);
  const r = spawnSync('node', [join(root, 'bin', 'peephole.js'), 'simulate', '--home', 'family', '--days', String(days), '--seed', '1', '--out', dir], { stdio: ['ignore', 2, 2] });
  if (r.status !== 0) throw new Error(`simulate failed (${r.status})`);
}
const spec = loadHomeSpec('family');
const life = lifeOfSimulation(dir);
const { predictor } = await loadPredictor(process.env.PEEPHOLE_BUNDLED_MODEL || join(root, 'models', 'bundled'));

const key = (e: { timeUs: number; device: string }): string => `${e.timeUs}/${e.device}`;
let whole: Set<string> | null = null;
const lines = [`family home, ${days} days, seed 1: ${life.events.length} true uses, ${life.activities.length} true activities`];
lines.push(`${'judged as'.padEnd(22)}${'uses'.padStart(7)}${'precision'.padStart(11)}${'recall'.padStart(8)}${'not in one'.padStart(12)}${'only in one'.padStart(13)}${'day P'.padStart(8)}${'day R'.padStart(8)}${'day F1'.padStart(8)}${'seconds'.padStart(9)}`);
for (const blockDays of [Infinity, ...blocks]) {
  const started = performance.now();
  const report: UsageReport = await detectUsage(capture, { rules: defaultVendorRules(), oui: registeredVendorLookup(), judgeBlockUs: blockDays * DAY_US });
  const seconds = (performance.now() - started) / 1000;
  const score = scoreUsageDetection(report.events, life.events, spec).overall;
  const keys = new Set(report.events.map(key));
  whole ??= keys;
  const added = [...keys].filter((k) => !whole!.has(k)).length;
  const lost = [...whole].filter((k) => !keys.has(k)).length;
  const uses = report.events.map((e) => ({ timeUs: e.timeUs, device: e.device, kind: e.kind }));
  const day = activityTimeline(uses, predictor.predict(uses));
  const m = matchTimeline(life.activities, day.map((t) => ({ timeUs: t.timeUs, activity: activityId(t.activity) })));
  const name = blockDays === Infinity ? 'one block (the whole)' : `blocks of ${blockDays} days`;
  lines.push(
    `${name.padEnd(22)}${String(report.events.length).padStart(7)}${score.precision.toFixed(4).padStart(11)}${score.recall.toFixed(4).padStart(8)}` +
      `${String(added).padStart(12)}${String(lost).padStart(13)}${m.precision.toFixed(4).padStart(8)}${m.recall.toFixed(4).padStart(8)}${m.macroF1.toFixed(4).padStart(8)}${seconds.toFixed(1).padStart(9)}`,
  );
  process.stderr.write(lines[lines.length - 1] + '\n');
}
process.stdout.write(lines.join('\n') + '\n');
