/**
 * Evaluating an attack preset: per use (as the paper counts, one prediction per feature row), per
 * activity on a timeline (a predicted activity is right when a true one of its class lies within
 * 15 minutes; evaluate/timeline-match.ts), and on the paper's 8 test scenarios. The inputs are the
 * simulator's outputs: a home lived for some days (simulated-life.ts), a `peephole simulate` folder
 * (events.csv and activities.csv), or a `--preset paper` folder (scenarios.csv and one folder per
 * scenario).
 */
import { join } from 'node:path';
import { ATTACK_CLASSES, labelOf, NONE_CLASS } from '../features/feature-set.js';
import { ACTIVITIES, activityId, type Activity } from '../core/activities.js';
import { classificationReport, type ClassificationReport } from '../evaluate/metrics.js';
import { matchTimeline, type TimedActivity, type TimelineMatch } from '../evaluate/timeline-match.js';
import { scoreScenarios, type ScenarioResults } from '../evaluate/scenarios.js';
import { activityTimeline, type TimelineEntry } from './episodes.js';
import { EventsCsvError, parseEventsCsv, readEventsCsv } from './events-csv.js';
import type { ActivityPredictor } from './predictor.js';
import { csvRecords } from './csv-records.js';
import { atPlace, BadInputError, readInputText, type InputPlace } from '../core/bad-input-error.js';
import type { LabelledLife } from './simulated-life.js';

export interface Evaluation {
  readonly source: string;
  readonly predictor: string;
  /** Per use: the paper's way of counting (for a 5-class preset, uses with no activity are left out). */
  readonly perUse: ClassificationReport;
  readonly timeline: TimelineMatch;
  readonly predicted: readonly TimelineEntry[];
}

/** A `peephole simulate` folder: its events.csv (with causes) and activities.csv. */
export function lifeOfSimulation(dir: string): LabelledLife {
  const path = join(dir, 'events.csv');
  const events = readEventsCsv(path);
  if (!events.labelled) throw new EventsCsvError(path, 1, 'no cause column, so there is nothing to evaluate against');
  return { source: dir, events: events.events, activities: readActivitiesCsv(join(dir, 'activities.csv')) };
}

/** Bad input at `place`, worded there. */
function badInput(place: InputPlace, problem: string): BadInputError {
  return new BadInputError(atPlace(place, problem), place);
}

/** activities.csv as `peephole simulate` writes it (time_epoch and activity columns are read). */
export function readActivitiesCsv(path: string): TimedActivity[] {
  const records = [...csvRecords(readInputText(path), path)];
  const header = records[0]?.cells ?? [];
  const at = { time: header.indexOf('time_epoch'), activity: header.indexOf('activity'), resident: header.indexOf('resident') };
  if (at.time < 0 || at.activity < 0) throw badInput({ file: path, line: 1 }, 'expected the columns time_epoch and activity (as peephole simulate writes)');
  const out: TimedActivity[] = [];
  for (const r of records.slice(1)) {
    const time = Number(r.cells[at.time]);
    const id = ACTIVITIES.indexOf(r.cells[at.activity] as Activity);
    if (!Number.isFinite(time) || id < 0) throw badInput({ file: path, line: r.line }, `time_epoch "${r.cells[at.time]}" or activity "${r.cells[at.activity]}" is not valid`);
    out.push({ timeUs: Math.round(time * 1e6), activity: id, resident: at.resident >= 0 ? r.cells[at.resident] : undefined });
  }
  return out.sort((a, b) => a.timeUs - b.timeUs);
}

/** The class of highest output of each row (rows × classes, row-major); the first on a tie. */
export function argmaxRows(outputs: Float32Array, classes: number): number[] {
  const best: number[] = [];
  for (let r = 0; r < outputs.length; r += classes) {
    let b = 0;
    for (let c = 1; c < classes; c++) if (outputs[r + c] > outputs[r + b]) b = c;
    best.push(b);
  }
  return best;
}

/** Runs `predictor` over the life and scores it per use and on the timeline. */
export function evaluateLife(predictor: ActivityPredictor, life: LabelledLife): Evaluation {
  const classes = predictor.classes.length;
  const probabilities = predictor.predict(life.events);
  const best = argmaxRows(probabilities, classes);
  const truth: number[] = [];
  const predicted: number[] = [];
  life.events.forEach((e, i) => {
    const label = labelOf(e);
    if (label < 0 || (label === NONE_CLASS && classes === ACTIVITIES.length)) return;
    truth.push(label);
    predicted.push(best[i]);
  });
  const perUse = classificationReport(truth, predicted, classes === ACTIVITIES.length ? ACTIVITIES : ATTACK_CLASSES);
  const entries = predictor.day !== undefined ? predictor.day(life.events) : activityTimeline(life.events, probabilities);
  const timeline = matchTimeline(
    life.activities,
    entries.map((t) => ({ timeUs: t.timeUs, activity: activityId(t.activity) })),
  );
  return { source: life.source, predictor: predictor.name, perUse, timeline, predicted: entries };
}

/** The paper's 8 scenarios (a `peephole simulate --preset paper` folder) scored with `predictor`. */
export function evaluateScenarios(predictor: ActivityPredictor, presetDir: string): ScenarioResults {
  const indexPath = join(presetDir, 'scenarios.csv');
  const records = [...csvRecords(readInputText(indexPath, '; make it with peephole simulate --preset paper'), indexPath)];
  const header = records[0]?.cells ?? [];
  const col = (name: string): number => {
    const i = header.indexOf(name);
    if (i < 0) throw badInput({ file: indexPath, line: 1 }, `no ${name} column`);
    return i;
  };
  const [cScenario, cId, cDir] = [col('scenario'), col('activity_id'), col('dir')];
  const classes = predictor.classes.length;
  const rows: number[] = [];
  const rowScenario: string[] = [];
  const firstLine = new Map<string, number>();
  const scenarios = records.slice(1).map((r) => {
    const at: InputPlace = { file: indexPath, line: r.line };
    if (r.cells.length !== header.length) throw badInput(at, `${r.cells.length} cells, but the header has ${header.length}`);
    const label = r.cells[cScenario];
    const seen = firstLine.get(label);
    if (seen !== undefined) throw badInput(at, `scenario ${JSON.stringify(label)} is listed twice (first on line ${seen})`);
    firstLine.set(label, r.line);
    const expected = Number(r.cells[cId]);
    if (r.cells[cId] === '' || !Number.isInteger(expected) || expected < 0 || expected >= classes) {
      throw badInput(at, `activity_id ${JSON.stringify(r.cells[cId])} is not a class id from 0 to ${classes - 1}`);
    }
    if (r.cells[cDir] === '') throw badInput(at, 'dir is empty');
    const eventsPath = join(presetDir, r.cells[cDir], 'events.csv');
    const text = readInputText(eventsPath);
    const inScenario = scenarioMarks(text, eventsPath);
    if (!inScenario.includes(true)) throw badInput({ file: eventsPath, field: 'in_scenario' }, `no use is marked 1, so scenario ${JSON.stringify(label)} has nothing to score`);
    const events = parseEventsCsv(text, eventsPath).events;
    const p = predictor.predict(events);
    // readEventsCsv sorts stably by time: the file is already in time order, so marks line up.
    events.forEach((_, i) => {
      if (!inScenario[i]) return;
      for (let c = 0; c < classes; c++) rows.push(p[i * classes + c]);
      rowScenario.push(label);
    });
    return { label, expected };
  });
  return scoreScenarios({ probabilities: Float32Array.from(rows), rowScenario, scenarios, classes: predictor.classes });
}

function scenarioMarks(text: string, path: string): boolean[] {
  const records = [...csvRecords(text, path)];
  const at = records[0]?.cells.indexOf('in_scenario') ?? -1;
  if (at < 0) throw badInput({ file: path, line: 1 }, 'no in_scenario column (written by peephole simulate --preset paper)');
  return records.slice(1).map((r) => r.cells[at] === '1');
}
