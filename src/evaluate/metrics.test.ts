import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classMetrics, classificationReport, confusionCsv } from './metrics.js';

const CLASSES = ['a', 'b', 'c', 'd', 'e', 'f'];
// d (3) is true twice and never predicted; e (4) is predicted twice and never true; f (5) never occurs.
const TRUTH = [0, 0, 0, 1, 1, 2, 2, 2, 3, 3];
const PREDICTED = [0, 0, 1, 1, 4, 2, 0, 2, 1, 4];

function close(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) < 1e-12, `${what}: ${actual} is not ${expected}`);
}

test('classificationReport() counts true classes down the rows and predicted classes across', () => {
  const r = classificationReport(TRUTH, PREDICTED, CLASSES);
  assert.deepEqual(r.confusion, [
    [2, 1, 0, 0, 0, 0],
    [0, 1, 0, 0, 1, 0],
    [1, 0, 2, 0, 0, 0],
    [0, 1, 0, 0, 1, 0],
    [0, 0, 0, 0, 0, 0],
    [0, 0, 0, 0, 0, 0],
  ]);
  assert.equal(r.total, 10);
  assert.equal(r.correct, 5);
  assert.equal(r.accuracy, 0.5);
});

test('classificationReport() gives the hand-computed precision, recall and F1 of each class', () => {
  const r = classificationReport(TRUTH, PREDICTED, CLASSES);
  // [precision, recall, f1, support, predicted]
  const expected: [number, number, number, number, number][] = [
    [2 / 3, 2 / 3, 2 / 3, 3, 3], // a: TP 2, FP 1 (c→a), FN 1 (a→b)
    [1 / 3, 1 / 2, 2 / 5, 2, 3], // b: TP 1, FP 2 (a→b, d→b), FN 1 (b→e)
    [1, 2 / 3, 4 / 5, 3, 2], // c: TP 2, FP 0, FN 1
    [0, 0, 0, 2, 0], // d: never predicted: precision 0 by zero_division=0
    [0, 0, 0, 0, 2], // e: never true: recall 0 by zero_division=0
    [0, 0, 0, 0, 0], // f: never anywhere
  ];
  expected.forEach(([p, rc, f1, support, predicted], i) => {
    const m = r.perClass[i];
    assert.equal(m.name, CLASSES[i]);
    close(m.precision, p, `${m.name} precision`);
    close(m.recall, rc, `${m.name} recall`);
    close(m.f1, f1, `${m.name} F1`);
    assert.equal(m.support, support, `${m.name} support`);
    assert.equal(m.predicted, predicted, `${m.name} predicted`);
  });
});

test('classificationReport() averages macro-F1 over the classes that occur on either side, as scikit-learn does', () => {
  const r = classificationReport(TRUTH, PREDICTED, CLASSES);
  // (2/3 + 2/5 + 4/5 + 0 + 0) / 5 = 28/75: f, which never occurs, is left out; d and e count as 0.
  close(r.macroF1, 28 / 75, 'macro-F1');
  assert.deepEqual(r.macroClasses, [0, 1, 2, 3, 4]);
});

test('classificationReport() normalises each row by its support and leaves rows without support at 0', () => {
  const r = classificationReport(TRUTH, PREDICTED, CLASSES);
  close(r.normalised[0][0], 2 / 3, 'a→a');
  close(r.normalised[0][1], 1 / 3, 'a→b');
  assert.deepEqual(r.normalised[1], [0, 0.5, 0, 0, 0.5, 0]);
  assert.deepEqual(r.normalised[4], [0, 0, 0, 0, 0, 0]);
  for (const [t, row] of r.normalised.entries()) {
    const sum = row.reduce((a, b) => a + b, 0);
    if (r.perClass[t].support > 0) close(sum, 1, `row ${t} sums to 1`);
  }
});

test('classificationReport() gives 1 everywhere for a perfect prediction and 0 for an empty one', () => {
  const perfect = classificationReport([0, 1, 2, 2], [0, 1, 2, 2], ['x', 'y', 'z']);
  assert.equal(perfect.accuracy, 1);
  assert.equal(perfect.macroF1, 1);
  const empty = classificationReport([], [], ['x', 'y']);
  assert.equal(empty.accuracy, 0);
  assert.equal(empty.macroF1, 0);
  assert.deepEqual(empty.macroClasses, []);
});

test('classificationReport() reproduces the published Figure 4: one leave_temporarily taken for leave_home', () => {
  const activities = ['wake_up', 'leave_home', 'return_home', 'leave_temporarily', 'go_to_bed'];
  const truth = [0, 0, 1, 1, 2, 3, 3, 4];
  const predicted = [0, 0, 1, 1, 2, 1, 3, 4];
  const r = classificationReport(truth, predicted, activities);
  assert.equal(r.accuracy, 7 / 8);
  assert.deepEqual(r.normalised[3], [0, 0.5, 0, 0.5, 0]);
  close(r.perClass[1].precision, 2 / 3, 'leave_home precision');
  close(r.perClass[1].f1, 4 / 5, 'leave_home F1');
  close(r.perClass[3].f1, 2 / 3, 'leave_temporarily F1');
  close(r.macroF1, (1 + 4 / 5 + 1 + 2 / 3 + 1) / 5, 'macro-F1');
});

test('classificationReport() rejects labels outside the classes and lengths that differ', () => {
  assert.throws(() => classificationReport([0, 1], [0], ['x', 'y']), /2 true labels but 1 predictions/);
  assert.throws(() => classificationReport([0, 2], [0, 1], ['x', 'y']), /truth\[1\] is 2/);
  assert.throws(() => classificationReport([0, 1], [0, -1], ['x', 'y']), /predicted\[1\] is -1/);
  assert.throws(() => classificationReport([0.5], [0], ['x', 'y']), RangeError);
  assert.throws(() => classificationReport([], [], []), /no classes/);
});

test('classMetrics() writes F1 as 2TP/(2TP+FP+FN), the harmonic mean of precision and recall', () => {
  const m = classMetrics('x', 3, 1, 2);
  close(m.f1, (2 * m.precision * m.recall) / (m.precision + m.recall), 'harmonic mean');
  assert.deepEqual(classMetrics('none', 0, 0, 0), { name: 'none', precision: 0, recall: 0, f1: 0, support: 0, predicted: 0, correct: 0 });
});

test('confusionCsv() writes counts or fractions under a header of class names, neutralising formula names', () => {
  const r = classificationReport([0, 0, 0, 1], [0, 1, 1, 1], ['=cmd()', 'x,y']);
  assert.equal(confusionCsv(r, false), 'true\\predicted,\'=cmd(),"x,y"\n\'=cmd(),1,2\n"x,y",0,1\n');
  assert.equal(confusionCsv(r, true), 'true\\predicted,\'=cmd(),"x,y"\n\'=cmd(),0.333333,0.666667\n"x,y",0,1\n');
});
