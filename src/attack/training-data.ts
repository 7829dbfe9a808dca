/**
 * Labelled rows to train a preset on, from the two sources there are: the published CSV format (the
 * paper feature set), or the simulated life of built-in or spec-file homes (any feature set; this
 * runs the simulator).
 */
import { featureSet, type FeatureSetName } from '../features/feature-set.js';
import { readPaperCsv } from '../features/paper-csv.js';
import { PAPER_FEATURE_COLUMNS } from '../features/paper-features.js';
import { lifeOfHome } from './simulated-life.js';

/** Labelled rows of one feature set. */
export interface TrainingData {
  readonly featureSet: FeatureSetName;
  readonly values: Float32Array;
  readonly width: number;
  readonly labels: Int32Array;
  readonly rows: number;
  /** Where the rows came from, for the manifest. */
  readonly source: string;
}

/** Rows of the published CSV format (the paper feature set). */
export function dataFromPaperCsv(path: string): TrainingData {
  const csv = readPaperCsv(path);
  return { featureSet: 'paper', values: csv.values, width: PAPER_FEATURE_COLUMNS.length, labels: csv.labels, rows: csv.rows, source: path };
}

/**
 * Rows of `set` from `days` days of each home: features are computed per home (each home is its own
 * timeline), then the rows of all homes are merged in time order, so that Keras-style validation on
 * the last 20% of rows holds out the last days of every home rather than one whole home.
 */
export function dataFromHomes(homes: readonly string[], set: FeatureSetName, options: { days: number; seed: number }): TrainingData {
  const fs = featureSet(set);
  const width = fs.columns.length;
  const picked: { timeUs: number; home: number; part: number }[] = [];
  const parts = homes.map((home, h) => {
    const { events } = lifeOfHome(home, options.days, options.seed + h);
    const rows = fs.rows(events);
    for (let i = 0; i < rows.labels.length; i++) if (rows.labels[i] >= 0) picked.push({ timeUs: events[rows.eventIndex[i]].timeUs, home: h, part: i });
    return rows;
  });
  picked.sort((a, b) => a.timeUs - b.timeUs || a.home - b.home || a.part - b.part);
  const values = new Float32Array(picked.length * width);
  const labels = new Int32Array(picked.length);
  picked.forEach((p, r) => {
    const rows = parts[p.home];
    values.set(rows.values.subarray(p.part * width, (p.part + 1) * width), r * width);
    labels[r] = rows.labels[p.part];
  });
  return { featureSet: set, values, width, labels, rows: picked.length, source: `simulated homes ${homes.join(', ')} (${options.days} days each, seed ${options.seed})` };
}
