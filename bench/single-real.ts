/**
 * `node --import tsx bench/single-real.ts`: the real development homes (../shared/activities/kasteren_b,
 * kasteren_c) read as the structured preset reads them by default (residents estimated), in this
 * process: their timeline macro-F1 at 30 min, as `npm run eval:homes` prints it, in a second. For
 * checking a change to the day of one against the homes it must not lose on (never for tuning on both).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { activityId } from '../src/core/activities.js';
import { matchTimeline } from '../src/evaluate/timeline-match.js';
import { readLabelledHome } from '../src/attack/labelled-home.js';
import { inferredDay } from '../src/attack/predictor.js';
import { parseStructure, StructuredPreset, STRUCTURE_FILE } from '../src/attack/structured-preset.js';

const REPO = path.resolve(import.meta.dirname, '..');
const params = parseStructure(JSON.parse(readFileSync(path.join(REPO, 'models', 'bundled', STRUCTURE_FILE), 'utf8')));
for (const home of ['kasteren_b', 'kasteren_c']) {
  const dir = path.join(REPO, '..', 'shared', 'activities', home);
  const shared = existsSync(dir) ? dir : path.join('/work/shared/activities', home);
  const labelled = readLabelledHome(path.join(shared, 'events.csv'), path.join(shared, 'labels.csv'));
  const predicted = inferredDay(new StructuredPreset(params, 'auto'), labelled.events).map((t) => ({ timeUs: t.timeUs, activity: activityId(t.activity) }));
  const m = matchTimeline(labelled.labels, predicted, { toleranceUs: 30 * 60e6 });
  process.stdout.write(`${home} ${m.macroF1.toFixed(3)} ${m.perClass.map((c) => `${c.name} ${c.correct}/${c.support} (${c.predicted})`).join(', ')}\n`);
}
