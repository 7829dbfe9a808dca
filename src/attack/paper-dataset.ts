/**
 * `peephole simulate --preset paper`: the published data regenerated (Al Ameedee & Lee, SECURWARE
 * 2018, section II): a training set of exactly 135,668 records in the published feature format, and
 * the 8 test scenarios of its Figure 4 (2 wake_up, 2 leave_home, 2 leave_temporarily, 1 return_home,
 * 1 go_to_bed), each as events, feature rows and a capture.
 *
 * Both come from the built-in `paper` home (one resident, a lock, a light and an alarm, the weekday
 * routine every day). The training set is the paper home's life over as many days as it takes, one
 * record per device use caused by an activity; the scenarios come from another stretch of its life
 * (another seed), so no scenario is in the training set. data/paper-choices.md says why.
 *
 * A defence's transforms (`seams`, home/seams.ts) change the scenarios, the uses and traffic an
 * attack is tested on: the use transform gets each scenario's 24-hour window of uses as one day,
 * and the packet transform every packet of its capture. The training set stays the undefended
 * home's: what an attacker learnt before the defence was there.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { paperCsvHeader, paperCsvLine, paperFeatureRows, type PaperFeatureRow } from '../features/paper-features.js';
import { LineFile } from '../home/line-file.js';
import { simulateLife } from '../home/life.js';
import { loadHomeSpec, type HomeSpec } from '../home/spec.js';
import { EVENTS_CSV_HEADER, eventCsvLine, openCapture, timeCells } from '../home/simulate.js';
import type { CaptureFormat, Vantage } from '../core/vantage.js';
import { HomeTrafficWriter } from '../home/traffic/index.js';
import { activeUseTransform, UseSeam, type Seams } from '../home/seams.js';
import { ACTIVITIES, activityId, isActivity, type Activity } from '../core/activities.js';
import { type ActivityRecord, type SimulatedUse } from '../home/types.js';

/** The size of the published training set. */
export const PAPER_TRAINING_RECORDS = 135_668;
/** The published test scenarios (Figure 4), in the order they are numbered here. */
export const PAPER_SCENARIOS: readonly Activity[] = ['wake_up', 'wake_up', 'leave_home', 'leave_home', 'leave_temporarily', 'leave_temporarily', 'return_home', 'go_to_bed'];
/** The test life's seed is the training seed with these bits flipped: another stretch of life. */
const TEST_SEED_XOR = 0x7e57_5eed;
const HOUR_US = 3_600e6;
/** A scenario's capture and events span 12 h either side of its activity: the 5 h features need them. */
const SCENARIO_HALF_WINDOW_US = 12 * HOUR_US;
/** The uses an activity causes follow it within this time (the paper home's reactions take seconds to minutes). */
const CAUSED_WITHIN_US = HOUR_US;
/** Days of test life searched for the scenarios (each is taken from a different day where it can be). */
const TEST_DAYS = 60;
/** A bound on training days, far above what 135,668 records need (about 13,000 days): a guard, never reached. */
const MAX_TRAINING_DAYS = 1_000_000;

export interface PaperPresetOptions {
  readonly out: string;
  readonly seed: number;
  readonly vantage: Vantage;
  readonly format: CaptureFormat;
  /** A defence's transforms, applied to the scenarios (default: none). */
  readonly seams?: Seams;
}

export interface PaperScenario {
  readonly id: string;
  readonly activity: Activity;
  readonly time: string;
  readonly resident: string;
  /** Feature rows of the uses this activity caused (the rows to predict). */
  readonly rows: number;
  readonly dir: string;
}

export interface PaperPresetResult {
  readonly seed: number;
  readonly training: { readonly path: string; readonly records: number; readonly days: number; readonly firstDay: string; readonly classCounts: Record<Activity, number> };
  readonly scenarios: { readonly index: string; readonly items: readonly PaperScenario[] };
}

export function writePaperPreset(options: PaperPresetOptions): PaperPresetResult {
  const spec = loadHomeSpec('paper');
  mkdirSync(options.out, { recursive: true });
  const training = writeTrainingSet(spec, options);
  const scenarios = writeScenarios(spec, options);
  return { seed: options.seed, training, scenarios };
}

function writeTrainingSet(spec: HomeSpec, options: PaperPresetOptions): PaperPresetResult['training'] {
  const events: SimulatedUse[] = [];
  let labelled = 0;
  let days = 0;
  let firstDayUs = NaN;
  let lastDayUs = NaN;
  for (const day of simulateLife(spec, { days: MAX_TRAINING_DAYS, seed: options.seed })) {
    if (days === 0) firstDayUs = day.dayStartUs;
    days++;
    // One day more than needed, so the last records' "used in the 5 hours after" sees what follows.
    if (labelled >= PAPER_TRAINING_RECORDS && day.dayStartUs > lastDayUs) break;
    for (const e of day.events) {
      events.push(e);
      if (isActivity(e.cause)) labelled++;
    }
    if (labelled >= PAPER_TRAINING_RECORDS && Number.isNaN(lastDayUs)) lastDayUs = day.dayStartUs;
  }
  events.sort((a, b) => a.timeUs - b.timeUs);
  const rows = paperFeatureRows(events);
  const path = join(options.out, 'training.csv');
  const file = new LineFile(path, paperCsvHeader());
  const classCounts = { wake_up: 0, leave_home: 0, return_home: 0, leave_temporarily: 0, go_to_bed: 0 } as Record<Activity, number>;
  for (const row of rows) {
    if (row.label < 0) continue;
    file.line(paperCsvLine(row));
    classCounts[ACTIVITIES[row.label]]++;
    if (file.lines === PAPER_TRAINING_RECORDS) break;
  }
  file.close();
  return { path, records: file.lines, days: days - 1, firstDay: new Date(firstDayUs / 1000).toISOString().slice(0, 10), classCounts };
}

/**
 * The 8 scenarios: from a stretch of test life, the first activities of each published class, each
 * from a different day where the test life has enough days, each one that caused at least one use.
 */
function writeScenarios(spec: HomeSpec, options: PaperPresetOptions): PaperPresetResult['scenarios'] {
  const seed = (options.seed ^ TEST_SEED_XOR) >>> 0;
  const activities: ActivityRecord[] = [];
  const events: SimulatedUse[] = [];
  for (const day of simulateLife(spec, { days: TEST_DAYS, seed })) {
    activities.push(...day.activities);
    events.push(...day.events);
  }
  events.sort((a, b) => a.timeUs - b.timeUs);
  const chosen = chooseScenarios(activities, events);
  const dir = join(options.out, 'scenarios');
  mkdirSync(dir, { recursive: true });
  const index = new LineFile(join(options.out, 'scenarios.csv'), 'scenario,time,time_epoch,resident,activity,activity_id,rows,dir');
  const items: PaperScenario[] = [];
  chosen.forEach(({ a, next }, i) => {
    const id = `${String(i + 1).padStart(2, '0')}-${a.activity}`;
    const scenarioDir = join(dir, id);
    const rows = writeScenario(spec, a, next, events, scenarioDir, options, seed + i + 1);
    index.line(`${id},${timeCells(a.timeUs)},${a.resident},${a.activity},${activityId(a.activity)},${rows},scenarios/${id}`);
    items.push({ id, activity: a.activity, time: new Date(a.timeUs / 1000).toISOString(), resident: a.resident, rows, dir: scenarioDir });
  });
  index.close();
  return { index: index.path, items };
}

/** The uses `a` caused: its resident's uses with its cause, from its time until the resident's next activity (at most an hour). */
export function usesCausedBy(a: ActivityRecord, next: ActivityRecord | undefined, events: readonly SimulatedUse[]): SimulatedUse[] {
  const end = Math.min(a.timeUs + CAUSED_WITHIN_US, next?.timeUs ?? Infinity);
  return events.filter((e) => e.cause === a.activity && e.resident === a.resident && e.timeUs >= a.timeUs && e.timeUs < end);
}

interface ChosenScenario {
  readonly a: ActivityRecord;
  /** The same resident's next activity, which bounds the uses `a` caused. */
  readonly next: ActivityRecord | undefined;
}

function chooseScenarios(activities: readonly ActivityRecord[], events: readonly SimulatedUse[]): ChosenScenario[] {
  const chosen: ChosenScenario[] = [];
  const nextOf = (i: number): ActivityRecord | undefined => activities.slice(i + 1).find((b) => b.resident === activities[i].resident);
  const usedDays = new Set<number>();
  const dayOf = (a: ActivityRecord): number => Math.floor(a.timeUs / (24 * HOUR_US));
  // Leave a half window of life before the first scenario, so its "5 hours before" is real.
  const earliest = (activities[0]?.timeUs ?? 0) + SCENARIO_HALF_WINDOW_US;
  const latest = (activities[activities.length - 1]?.timeUs ?? 0) - SCENARIO_HALF_WINDOW_US;
  for (const wanted of PAPER_SCENARIOS) {
    const candidates: ChosenScenario[] = [];
    activities.forEach((a, i) => {
      if (a.activity !== wanted || a.timeUs < earliest || a.timeUs > latest || chosen.some((c) => c.a === a)) return;
      const next = nextOf(i);
      if (usesCausedBy(a, next, events).length > 0) candidates.push({ a, next });
    });
    const pick = candidates.find((c) => !usedDays.has(dayOf(c.a))) ?? candidates[0];
    if (pick === undefined) throw new Error(`The paper home's test life has no ${wanted} with a device use in ${TEST_DAYS} days`);
    chosen.push(pick);
    usedDays.add(dayOf(pick.a));
  }
  return chosen;
}

/** Writes one scenario's events.csv, rows.csv and capture; returns how many rows it has to predict. */
function writeScenario(
  spec: HomeSpec,
  a: ActivityRecord,
  next: ActivityRecord | undefined,
  allEvents: readonly SimulatedUse[],
  dir: string,
  options: PaperPresetOptions,
  seed: number,
): number {
  mkdirSync(dir, { recursive: true });
  const start = a.timeUs - SCENARIO_HALF_WINDOW_US;
  const end = a.timeUs + SCENARIO_HALF_WINDOW_US;
  const lived = allEvents.filter((e) => e.timeUs >= start && e.timeUs < end);
  const useTransform = activeUseTransform(options.seams);
  const window = useTransform === null ? lived : new UseSeam(useTransform, spec, seed).day({ dayStartUs: start, activities: [a], events: lived }).events;
  // The rows to predict: the uses this activity caused, with features computed over the window.
  const caused = new Set(usesCausedBy(a, next, window));
  // events.csv as `peephole simulate` writes it, and a last column marking the scenario's own uses.
  const eventsFile = new LineFile(join(dir, 'events.csv'), `${EVENTS_CSV_HEADER},in_scenario`);
  for (const e of window) eventsFile.line(`${eventCsvLine(e)},${caused.has(e) ? 1 : 0}`);
  eventsFile.close();
  const rows: PaperFeatureRow[] = paperFeatureRows(window).filter((_, i) => caused.has(window[i]));
  const rowsFile = new LineFile(join(dir, 'rows.csv'), paperCsvHeader());
  for (const row of rows) rowsFile.line(paperCsvLine(row));
  rowsFile.close();
  const writer = openCapture(join(dir, `capture.${options.format}`), options.format, options.vantage, spec.name);
  try {
    const traffic = new HomeTrafficWriter({
      source: 'paper',
      devices: spec.devices,
      network: spec.network,
      vantage: options.vantage,
      seed,
      sink: writer,
      startUs: start,
      packets: options.seams?.packets,
    });
    traffic.writeDay({ dayStartUs: start, activities: [a], events: window });
    traffic.finish();
  } finally {
    writer.close();
  }
  return rows.length;
}
