/**
 * Per-scenario results, as the published evaluation reports them (8 test scenarios, Figures 4 and 6):
 * a scenario is a labelled stretch of life whose rows (feature rows, one per device use) the model
 * scores one by one. The scenario's prediction is the class with the highest mean probability over
 * its rows: each row's class probabilities are averaged (soft voting, so one confident row does not
 * outvote many, and unlike a majority of per-row argmaxes it cannot tie on counts); a tie of means
 * goes to the lower class id, as numpy's argmax does. Means are summed in float64 in row order.
 */
import { classificationReport } from './metrics.js';
import type { ClassificationReport } from './metrics.js';

/** Per-row class probabilities: a flat Float32Array (rows × classes, row-major) or one array per row. */
export type ProbabilityRows = Float32Array | readonly (readonly number[])[];

export interface ScenarioTruth {
  /** The scenario's name as shown in reports (untrusted: made safe where shown). */
  readonly label: string;
  /** The class id the scenario truly is. */
  readonly expected: number;
}

export interface ScenarioInput {
  readonly probabilities: ProbabilityRows;
  /** For each row, the label of the scenario it belongs to. */
  readonly rowScenario: readonly string[];
  /** The scenarios in the order to report them, each with its true class. */
  readonly scenarios: readonly ScenarioTruth[];
  /** Class names; their count is the width of a probability row. */
  readonly classes: readonly string[];
}

export interface ScenarioResult {
  readonly label: string;
  readonly expected: number;
  readonly predicted: number;
  readonly correct: boolean;
  /** How many rows the scenario has. */
  readonly rows: number;
  /** The mean probability of each class over the scenario's rows. */
  readonly meanProbabilities: readonly number[];
}

export interface ScenarioResults {
  readonly scenarios: readonly ScenarioResult[];
  /** The confusion report over scenarios (one sample per scenario). */
  readonly report: ClassificationReport;
  readonly correct: number;
}

function rowCount(p: ProbabilityRows, classCount: number): number {
  if (p instanceof Float32Array) {
    if (p.length % classCount !== 0) {
      throw new RangeError(`Cannot score scenarios: ${p.length} probabilities are not whole rows of ${classCount} classes`);
    }
    return p.length / classCount;
  }
  p.forEach((row, i) => {
    if (row.length !== classCount) throw new RangeError(`Cannot score scenarios: row ${i} has ${row.length} probabilities, not ${classCount}`);
  });
  return p.length;
}

/** The index of the largest value, the first on a tie. */
export function argmax(values: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

/**
 * Predicts each scenario from its rows' mean class probabilities and scores the predictions.
 *
 * @example
 * const r = scoreScenarios({
 *   probabilities: [[0.9, 0.1], [0.4, 0.6], [0.2, 0.8]],
 *   rowScenario: ['s1', 's1', 's2'],
 *   scenarios: [{ label: 's1', expected: 0 }, { label: 's2', expected: 1 }],
 *   classes: ['wake_up', 'leave_home'],
 * });
 * r.scenarios[0].predicted; // 0: mean (0.65, 0.35)
 */
export function scoreScenarios(input: ScenarioInput): ScenarioResults {
  const { probabilities, rowScenario, scenarios, classes } = input;
  const k = classes.length;
  if (k === 0) throw new RangeError('Cannot score scenarios: no classes');
  const rows = rowCount(probabilities, k);
  if (rowScenario.length !== rows) throw new RangeError(`Cannot score scenarios: ${rows} probability rows but ${rowScenario.length} scenario labels`);

  const index = new Map<string, number>();
  scenarios.forEach((s, i) => {
    if (index.has(s.label)) throw new RangeError(`Cannot score scenarios: scenario ${JSON.stringify(s.label)} is listed twice`);
    if (!Number.isInteger(s.expected) || s.expected < 0 || s.expected >= k) {
      throw new RangeError(`Cannot score scenarios: scenario ${JSON.stringify(s.label)} expects class ${s.expected}, not a class id from 0 to ${k - 1}`);
    }
    index.set(s.label, i);
  });
  const sums = scenarios.map(() => new Array<number>(k).fill(0));
  const counts = new Array<number>(scenarios.length).fill(0);
  for (let r = 0; r < rows; r++) {
    const s = index.get(rowScenario[r]);
    if (s === undefined) throw new RangeError(`Cannot score scenarios: row ${r} belongs to scenario ${JSON.stringify(rowScenario[r])}, which is not listed`);
    counts[s]++;
    const sum = sums[s];
    if (probabilities instanceof Float32Array) for (let c = 0; c < k; c++) sum[c] += probabilities[r * k + c];
    else for (let c = 0; c < k; c++) sum[c] += probabilities[r][c];
  }

  const results = scenarios.map((s, i): ScenarioResult => {
    if (counts[i] === 0) throw new RangeError(`Cannot score scenarios: scenario ${JSON.stringify(s.label)} has no rows`);
    const meanProbabilities = sums[i].map((v) => v / counts[i]);
    const predicted = argmax(meanProbabilities);
    return { label: s.label, expected: s.expected, predicted, correct: predicted === s.expected, rows: counts[i], meanProbabilities };
  });
  return {
    scenarios: results,
    report: classificationReport(
      results.map((r) => r.expected),
      results.map((r) => r.predicted),
      classes,
    ),
    correct: results.filter((r) => r.correct).length,
  };
}
