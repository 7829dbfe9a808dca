import { test } from 'node:test';
import assert from 'node:assert/strict';
import { argmax, scoreScenarios } from './scenarios.js';

const CLASSES = ['wake_up', 'leave_home', 'return_home'];

test('scoreScenarios() predicts the class of highest mean probability, not the most frequent per-row argmax', () => {
  // s1: two rows lean slightly to class 1, one row is sure of class 0.
  // Per-row argmax votes 1,1,0 → class 1; the means are (0.6, 0.4, 0) → class 0.
  const probabilities = [
    [0.45, 0.55, 0],
    [0.45, 0.55, 0],
    [0.9, 0.1, 0],
    [0.1, 0.2, 0.7],
  ];
  const r = scoreScenarios({
    probabilities,
    rowScenario: ['s1', 's1', 's1', 's2'],
    scenarios: [
      { label: 's1', expected: 0 },
      { label: 's2', expected: 1 },
    ],
    classes: CLASSES,
  });
  const [s1, s2] = r.scenarios;
  assert.equal(s1.predicted, 0);
  assert.equal(s1.correct, true);
  assert.equal(s1.rows, 3);
  assert.ok(Math.abs(s1.meanProbabilities[0] - 0.6) < 1e-12 && Math.abs(s1.meanProbabilities[1] - 0.4) < 1e-12);
  assert.equal(s2.predicted, 2);
  assert.equal(s2.correct, false);
  assert.equal(r.correct, 1);
  assert.deepEqual(r.report.confusion, [
    [1, 0, 0],
    [0, 0, 1],
    [0, 0, 0],
  ]);
  assert.equal(r.report.accuracy, 0.5);
});

test('scoreScenarios() reads a flat Float32Array as rows × classes and gives the same answer as arrays', () => {
  const rows = [
    [0.2, 0.3, 0.5],
    [0.1, 0.1, 0.8],
    [0.7, 0.2, 0.1],
    [0.6, 0.3, 0.1],
  ];
  const common = {
    rowScenario: ['b', 'a', 'b', 'a'],
    scenarios: [
      { label: 'a', expected: 2 },
      { label: 'b', expected: 0 },
    ],
    classes: CLASSES,
  };
  const fromArrays = scoreScenarios({ probabilities: rows, ...common });
  const fromFlat = scoreScenarios({ probabilities: Float32Array.from(rows.flat()), ...common });
  assert.deepEqual(
    fromFlat.scenarios.map((s) => [s.label, s.predicted]),
    [
      ['a', 2],
      ['b', 0],
    ],
  );
  assert.deepEqual(
    fromFlat.scenarios.map((s) => s.predicted),
    fromArrays.scenarios.map((s) => s.predicted),
  );
  // a: rows 1 and 3 → means (0.35, 0.2, 0.45); b: rows 0 and 2 → (0.45, 0.25, 0.3).
  assert.ok(Math.abs(fromFlat.scenarios[0].meanProbabilities[2] - 0.45) < 1e-7);
});

test('scoreScenarios() breaks a tie of means toward the lower class id', () => {
  const r = scoreScenarios({
    probabilities: [
      [0.2, 0.4, 0.4],
      [0.2, 0.4, 0.4],
    ],
    rowScenario: ['t', 't'],
    scenarios: [{ label: 't', expected: 2 }],
    classes: CLASSES,
  });
  assert.equal(r.scenarios[0].predicted, 1);
  assert.equal(argmax([1, 3, 3, 2]), 1);
  assert.equal(argmax([5]), 0);
});

test('scoreScenarios() rejects rows of the wrong width, unknown or empty scenarios and bad classes', () => {
  const base = { rowScenario: ['a'], scenarios: [{ label: 'a', expected: 0 }], classes: CLASSES };
  assert.throws(() => scoreScenarios({ ...base, probabilities: [[1, 0]] }), /row 0 has 2 probabilities, not 3/);
  assert.throws(() => scoreScenarios({ ...base, probabilities: new Float32Array(4) }), /not whole rows of 3/);
  assert.throws(() => scoreScenarios({ ...base, probabilities: [[1, 0, 0]], rowScenario: ['z'] }), /scenario "z", which is not listed/);
  assert.throws(() => scoreScenarios({ ...base, probabilities: [[1, 0, 0]], rowScenario: [] }), /1 probability rows but 0 scenario labels/);
  assert.throws(
    () => scoreScenarios({ ...base, probabilities: [[1, 0, 0]], scenarios: [...base.scenarios, { label: 'b', expected: 1 }] }),
    /scenario "b" has no rows/,
  );
  assert.throws(() => scoreScenarios({ ...base, probabilities: [[1, 0, 0]], scenarios: [{ label: 'a', expected: 3 }] }), /expects class 3/);
  assert.throws(
    () => scoreScenarios({ ...base, probabilities: [[1, 0, 0]], scenarios: [base.scenarios[0], base.scenarios[0]] }),
    /listed twice/,
  );
});
