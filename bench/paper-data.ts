/**
 * Rows shaped like the paper's activity data set, for bench/train.ts: 10 features (minutes since
 * midnight / 1440, 3 device one-hot bits, used before 5h, used after 5h, 4 lock-window bits) and 5
 * activity classes. Either synthesised from a simple rule (default) or read from a CSV with a header and
 * a `user_activity` label column (every other column a numeric feature).
 */
import { readFileSync } from 'node:fs';
import { Random } from '../src/core/random.js';
import { oneHot } from '../src/model/index.js';
import type { Matrix } from '../src/model/index.js';

export const PAPER_FEATURES = 10;
export const PAPER_CLASSES = 5;
export const PAPER_ROWS = 135_668;
const MINUTES_PER_DAY = 1440;
const LABEL_COLUMN = 'user_activity';

export interface LabelledRows {
  x: Matrix;
  y: Matrix;
  classNames: string[];
  source: string;
}

/**
 * The activity follows from device, time of day and lock window; `noise` of the rows get a random
 * label, so accuracy tops out near 1 - noise·4/5.
 */
export function synthesisePaperRows(rows: number, seed: number, noise = 0.005): LabelledRows {
  const random = new Random(seed);
  const x = new Float32Array(rows * PAPER_FEATURES);
  const labels = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    const minute = random.int(0, MINUTES_PER_DAY - 1);
    const device = random.int(0, 2);
    const before5h = random.next() < 0.5 ? 1 : 0;
    const after5h = random.next() < 0.5 ? 1 : 0;
    const lockWindow = random.int(0, 3);
    const o = r * PAPER_FEATURES;
    x[o] = minute / MINUTES_PER_DAY;
    x[o + 1 + device] = 1;
    x[o + 4] = before5h;
    x[o + 5] = after5h;
    x[o + 6 + lockWindow] = 1;
    const hour = minute / 60;
    let label: number;
    if (device === 0) label = hour < 10 ? 0 : hour < 18 ? 1 : 2;
    else if (device === 1) label = after5h === 1 ? 3 : before5h === 1 ? 2 : 1;
    else label = lockWindow < 2 ? 4 : hour < 12 ? 0 : 3;
    labels[r] = random.next() < noise ? random.int(0, PAPER_CLASSES - 1) : label;
  }
  return {
    x: { data: x, rows, columns: PAPER_FEATURES },
    y: oneHot(labels, PAPER_CLASSES),
    classNames: ['0', '1', '2', '3', '4'],
    source: `synthetic (${rows} rows, seed ${seed}, ${noise * 100}% label noise)`,
  };
}

/** A CSV with a header; `user_activity` holds the label (any text), the other columns numbers. */
export function readLabelledCsv(path: string): LabelledRows {
  const lines = readFileSync(path, 'utf8').split(/\r?\n/).filter((line) => line.trim() !== '');
  const header = lines[0].split(',').map((h) => h.trim());
  const labelAt = header.indexOf(LABEL_COLUMN);
  if (labelAt < 0) throw new Error(`${path}: no ${LABEL_COLUMN} column in the header`);
  const rows = lines.length - 1;
  const columns = header.length - 1;
  const x = new Float32Array(rows * columns);
  const rawLabels: string[] = [];
  for (let r = 0; r < rows; r++) {
    const cells = lines[r + 1].split(',');
    if (cells.length !== header.length) throw new Error(`${path}:${r + 2}: ${cells.length} cells, header has ${header.length}`);
    let c = 0;
    cells.forEach((cell, i) => {
      if (i === labelAt) return rawLabels.push(cell.trim());
      const value = Number(cell);
      if (!Number.isFinite(value)) throw new Error(`${path}:${r + 2}: column ${header[i]} is not a number: ${cell}`);
      x[r * columns + c++] = value;
    });
  }
  const classNames = [...new Set(rawLabels)].sort();
  const index = new Map(classNames.map((name, i) => [name, i]));
  const labels = rawLabels.map((name) => index.get(name) as number);
  return { x: { data: x, rows, columns }, y: oneHot(labels, classNames.length), classNames, source: path };
}
