/**
 * Classification metrics as scikit-learn computes them: the confusion matrix (rows = true class,
 * columns = predicted class, as `sklearn.metrics.confusion_matrix`), its row-normalised form
 * (`normalize='true'`), accuracy, and per-class precision, recall, F1 and support with
 * `zero_division=0`.
 *
 * Conventions (those of scikit-learn ≥ 1.3 with `zero_division=0`):
 * - precision = TP / (TP + FP), 0 for a class never predicted;
 * - recall = TP / (TP + FN), 0 for a class never true;
 * - F1 = 2·TP / (2·TP + FP + FN), 0 when that is 0/0 (the harmonic mean of precision and recall
 *   wherever both are defined, and 0 where either is 0);
 * - macro-F1 is the unweighted mean of F1 over the classes that occur in the truth or in the
 *   predictions (scikit-learn's default `labels=unique_labels(y_true, y_pred)`); a class listed in
 *   `classes` that never occurs on either side takes no part. No such class: macro-F1 is 0.
 * - A row of the normalised matrix whose class never occurs in the truth is all 0 (scikit-learn
 *   writes NaN there); {@link ClassMetrics.support} tells the two apart.
 * - With no rows at all, accuracy is 0.
 */
import { csvCell } from '../core/table-format.js';

export interface ClassMetrics {
  /** The class name (as given, untrusted: make it safe where it is shown). */
  readonly name: string;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** How many rows are truly of this class. */
  readonly support: number;
  /** How many rows were predicted as this class. */
  readonly predicted: number;
  /** True positives: rows of this class predicted as it. */
  readonly correct: number;
}

export interface ClassificationReport {
  readonly classes: readonly string[];
  /** `confusion[t][p]`: rows of true class t predicted as p. */
  readonly confusion: readonly (readonly number[])[];
  /** Each row of {@link confusion} divided by its sum (the class's support); 0 where the support is 0. */
  readonly normalised: readonly (readonly number[])[];
  readonly total: number;
  readonly correct: number;
  readonly accuracy: number;
  readonly perClass: readonly ClassMetrics[];
  readonly macroF1: number;
  /** Indices of the classes the macro-F1 averages over (those with support or predictions). */
  readonly macroClasses: readonly number[];
}

/** Per-class metrics from counts, with `zero_division=0`. */
export function classMetrics(name: string, tp: number, fp: number, fn: number): ClassMetrics {
  const predicted = tp + fp;
  const support = tp + fn;
  const f1Denominator = 2 * tp + fp + fn;
  return {
    name,
    precision: predicted === 0 ? 0 : tp / predicted,
    recall: support === 0 ? 0 : tp / support,
    f1: f1Denominator === 0 ? 0 : (2 * tp) / f1Denominator,
    support,
    predicted,
    correct: tp,
  };
}

/** Mean F1 over the classes with support or predictions, and which classes those are. */
export function macroF1(perClass: readonly ClassMetrics[]): { macroF1: number; macroClasses: number[] } {
  const macroClasses: number[] = [];
  let sum = 0;
  perClass.forEach((c, i) => {
    if (c.support > 0 || c.predicted > 0) {
      macroClasses.push(i);
      sum += c.f1;
    }
  });
  return { macroF1: macroClasses.length === 0 ? 0 : sum / macroClasses.length, macroClasses };
}

function checkLabel(label: number, classCount: number, side: string, index: number): void {
  if (!Number.isInteger(label) || label < 0 || label >= classCount) {
    throw new RangeError(`Cannot score predictions: ${side}[${index}] is ${label}, not a class id from 0 to ${classCount - 1}`);
  }
}

/**
 * Scores `predicted` against `truth` (class ids, indices into `classes`).
 *
 * @example
 * const r = classificationReport([0, 1, 1], [0, 1, 0], ['wake_up', 'leave_home']);
 * r.accuracy; // 2/3
 * r.confusion; // [[1, 0], [1, 1]]
 */
export function classificationReport(truth: readonly number[], predicted: readonly number[], classes: readonly string[]): ClassificationReport {
  if (truth.length !== predicted.length) {
    throw new RangeError(`Cannot score predictions: ${truth.length} true labels but ${predicted.length} predictions`);
  }
  if (classes.length === 0) throw new RangeError('Cannot score predictions: no classes');
  const n = classes.length;
  const confusion = classes.map(() => new Array<number>(n).fill(0));
  let correct = 0;
  for (let i = 0; i < truth.length; i++) {
    checkLabel(truth[i], n, 'truth', i);
    checkLabel(predicted[i], n, 'predicted', i);
    confusion[truth[i]][predicted[i]]++;
    if (truth[i] === predicted[i]) correct++;
  }
  const perClass = classes.map((name, c) => {
    const tp = confusion[c][c];
    let support = 0;
    let predictedAs = 0;
    for (let k = 0; k < n; k++) {
      support += confusion[c][k];
      predictedAs += confusion[k][c];
    }
    return classMetrics(name, tp, predictedAs - tp, support - tp);
  });
  const normalised = confusion.map((row, c) => row.map((v) => (perClass[c].support === 0 ? 0 : v / perClass[c].support)));
  return {
    classes: [...classes],
    confusion,
    normalised,
    total: truth.length,
    correct,
    accuracy: truth.length === 0 ? 0 : correct / truth.length,
    perClass,
    ...macroF1(perClass),
  };
}

/** Significant digits of a fraction in the CSV: enough to tell 1/3 from 0.333, stable across runs. */
const CSV_FRACTION_DIGITS = 6;

/**
 * The confusion matrix as CSV: a header `true\predicted,<class>,…`, then one row per true class
 * starting with its name. Counts are integers; fractions (`normalised`) have up to 6 decimals.
 * Class names are CSV cells: quoted when needed, a leading `=`/`+`/`-`/`@` neutralised.
 */
export function confusionCsv(report: ClassificationReport, normalised: boolean): string {
  const matrix = normalised ? report.normalised : report.confusion;
  const lines = [['true\\predicted', ...report.classes].map(csvCell).join(',')];
  matrix.forEach((row, t) => {
    const cells = row.map((v) => (normalised ? String(Number(v.toFixed(CSV_FRACTION_DIGITS))) : String(v)));
    lines.push([csvCell(report.classes[t]), ...cells].join(','));
  });
  return lines.join('\n') + '\n';
}
