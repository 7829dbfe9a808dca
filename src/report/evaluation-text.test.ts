import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classificationReport } from '../evaluate/metrics.js';
import { matchTimeline } from '../evaluate/timeline-match.js';
import type { TimedActivity } from '../evaluate/timeline-match.js';
import { scoreScenarios } from '../evaluate/scenarios.js';
import { MAX_LISTED, renderEvaluationText } from './evaluation-text.js';

const T0 = Date.UTC(2024, 2, 4, 7) * 1000;
const MIN_US = 60 * 1_000_000;

test('renderEvaluationText() writes the headline, the per-class table, the confusion matrix, the timeline and the scenarios', () => {
  const classes = ['wake_up', 'leave_home', 'none'];
  const scenarios = scoreScenarios({
    probabilities: [
      [0.7, 0.2, 0.1],
      [0.1, 0.3, 0.6],
      [0.2, 0.5, 0.3],
    ],
    rowScenario: ['morning', 'evening', 'evening'],
    scenarios: [
      { label: 'morning', expected: 0 },
      { label: 'evening', expected: 1 },
    ],
    classes,
  });
  const timeline = matchTimeline(
    [
      { timeUs: T0, activity: 0, resident: 'ann' },
      { timeUs: T0 + 60 * MIN_US, activity: 1, resident: 'ann' },
    ],
    [
      { timeUs: T0 - 3 * MIN_US, activity: 0 },
      { timeUs: T0 + 90 * MIN_US, activity: 1 },
    ],
    { classes: classes.slice(0, 2) },
  );
  const text = renderEvaluationText({ title: 'small', report: scenarios.report, timeline, scenarios: scenarios.scenarios });
  // Checked by hand: evening's mean probabilities are (0.15, 0.40, 0.45), so it is predicted `none`;
  // macro-F1 over 3 classes = (1 + 0 + 0) / 3; on the timeline the wake_up 3 min early is found and
  // the leave_home 30 min late is both missed and a false alarm.
  assert.equal(
    text,
    [
      'peephole evaluation: small',
      '  2 sample(s) · accuracy 50.0 % (1 of 2 right) · macro-F1 0.333 (over 3 of 3 classes)',
      '',
    'Per class',
    '  class         precision  recall     F1  support  predicted  right',
    '  0 wake_up         1.000   1.000  1.000        1          1      1',
    '  1 leave_home      0.000   0.000  0.000        1          0      0',
    '  2 none            0.000   0.000  0.000        0          1      0',
    '',
    'Confusion matrix (rows: true class, columns: predicted class id)',
    '  true \\ predicted  0  1  2  total',
    '  0 wake_up         1  0  0      1',
    '  1 leave_home      0  0  1      1',
    '  2 none            0  0  0      0',
    '',
    'Activities on the timeline (right when within 15 min of a true one of the same class)',
    '  2 true, 2 predicted, 1 found · precision 0.500 · recall 0.500 · macro-F1 0.500 (over 2 classes)',
    '  found ones were off by 3 min in the median (median offset −3 min; 1 early, 0 late)',
    '',
    '  class         precision  recall     F1  true  predicted  right',
    '  0 wake_up         1.000   1.000  1.000     1          1      1',
    '  1 leave_home      0.000   0.000  0.000     1          1      0',
    '',
    '  missed (true, not found): 1',
    '    time                     activity    resident',
    '    2024-03-04 08:00:00 UTC  leave_home  ann',
    '  false (predicted, not true): 1',
    '    time                     activity',
    '    2024-03-04 08:30:00 UTC  leave_home',
    '',
    'Scenarios: 1 of 2 right (50.0 %); wrong: evening',
    '  scenario  expected    predicted  mean p  rows',
    '  morning   wake_up     wake_up     0.700     1  right',
    '  evening   leave_home  none        0.450     2  WRONG',
      '',
    ].join('\n'),
  );
});

test('renderEvaluationText() writes the report alone when no timeline nor scenarios are given, and marks absent classes', () => {
  const text = renderEvaluationText({ report: classificationReport([0, 0, 1], [0, 1, 1], ['a', 'b', 'c']) });
  assert.match(text, /^peephole evaluation\n {2}3 sample\(s\) · accuracy 66\.7 % \(2 of 3 right\) · macro-F1 0\.667 \(over 2 of 3 classes\)\n/);
  assert.match(text, /\n {2}2 c +0\.000 +0\.000 +0\.000 +0 +0 +0 {2}\(absent: not in macro-F1\)\n/);
  assert.ok(!text.includes('timeline') && !text.includes('Scenarios'));
});

test('renderEvaluationText() lists at most ten missed and false activities and says how many more there are', () => {
  const truth: TimedActivity[] = Array.from({ length: 13 }, (_, i) => ({ timeUs: T0 + i * 60 * MIN_US, activity: 4 }));
  const text = renderEvaluationText({ report: classificationReport([0], [0], ['x']), timeline: matchTimeline(truth, []) });
  assert.equal(MAX_LISTED, 10);
  assert.match(text, /missed \(true, not found\): 13\n/);
  assert.equal(text.match(/ go_to_bed\n/g)?.length, 10);
  assert.match(text, /\n {4}… and 3 more\n/);
  assert.match(text, /false \(predicted, not true\): none\n/);
});

test('renderEvaluationText() shows hostile class, scenario and title text with its controls and bidi characters escaped', () => {
  const classes = ['a\u001b[31mred', 'b\u202eevil'];
  const s = scoreScenarios({ probabilities: [[0.2, 0.8]], rowScenario: ['s\n2'], scenarios: [{ label: 's\n2', expected: 0 }], classes });
  const text = renderEvaluationText({ title: 'x\u0007\u2066', report: s.report, scenarios: s.scenarios });
  assert.ok(!/[\u0000-\u0009\u000b-\u001f\u202a-\u202e\u2066-\u2069]/.test(text), 'no control character but newlines, no bidi');
  assert.ok(text.startsWith('peephole evaluation: x\\x07\\u{2066}\n'));
  assert.ok(text.includes('0 a\\x1b[31mred') && text.includes('1 b\\u{202e}evil'));
  assert.match(text, /\n {2}s\\x0a2 +a\\x1b\[31mred +b\\u\{202e\}evil +0\.800 +1 {2}WRONG\n/);
});
