import { visibleStrings } from '../core/table-format.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InferredDayJsonText, inferredDayHeader, inferredDayJson, inferredDayRow, inferredDayTable, inferredDayText, NO_ACTIVITY_LINE, type InferredActivity } from './inferred-day.js';

// 2026-11-02 06:40:08.841190 UTC, and a use 30.5 s later.
const T = 1_793_601_608_841_190;
const DAY: InferredActivity[] = [
  { timeUs: T, activity: 'wake_up', confidence: 0.98765, events: [{ timeUs: T, device: 'hall\u001b', kind: 'light' }, { timeUs: T + 30_500_000, device: 'door', kind: 'lock' }] },
  { timeUs: T + 3_600e6, activity: 'leave_temporarily', confidence: 0.5, events: [{ timeUs: T + 3_600e6, device: 'door', kind: 'lock' }] },
];

test('inferredDayText() lays out time, activity, confidence and the uses behind each activity', () => {
  assert.equal(
    inferredDayText(DAY),
    [
      'time (UTC)        activity           conf  uses behind it',
      '2026-11-02 06:40  wake_up            0.99  hall\\x1b (light), door (lock)',
      '2026-11-02 07:40  leave_temporarily  0.50  door (lock)',
      '',
    ].join('\n'),
  );
  const wide = inferredDayText(DAY, { timeWidth: 17, useLabel: (u) => u.device.toUpperCase() }).split('\n');
  assert.equal(wide[0], 'time (UTC)         activity           conf  uses behind it');
  assert.equal(wide[2], '2026-11-02 07:40   leave_temporarily  0.50  DOOR');
});

test('inferredDayRow() names each device once, in the order it first comes, with how many uses it stands for', () => {
  const chatty: InferredActivity = {
    timeUs: T,
    activity: 'go_to_bed',
    confidence: 0.37,
    events: [
      { timeUs: T, device: 'hall', kind: 'motion' },
      { timeUs: T + 60e6, device: 'hall', kind: 'motion' },
      { timeUs: T + 90e6, device: 'door', kind: 'lock' },
      { timeUs: T + 120e6, device: 'hall', kind: 'motion' },
    ],
  };
  assert.equal(inferredDayRow(chatty), '2026-11-02 06:40  go_to_bed          0.37  hall (motion) ×3, door (lock)');
  // Labels are counted as shown: two devices the label makes one are one.
  assert.equal(inferredDayRow(chatty, { useLabel: (u) => u.kind === 'lock' ? 'entrance' : 'room' }).endsWith('  room ×3, entrance'), true);
  // --json keeps every use.
  assert.equal(inferredDayJson([chatty])[0].uses.length, 4);
});

test('inferredDayText() of a day with no activity says so; the table has the header alone', () => {
  assert.equal(inferredDayText([]), 'time (UTC)        activity           conf  uses behind it\n(no activity inferred)\n');
  assert.deepEqual(inferredDayTable([]).rows, []);
});

test('inferredDayJson() gives ISO times to the millisecond, confidence to 4 decimals and every use, control characters visible', () => {
  assert.deepEqual(inferredDayJson(DAY.slice(0, 1)), [
    {
      time: '2026-11-02T06:40:08.841Z',
      activity: 'wake_up',
      confidence: 0.9877,
      uses: [
        { time: '2026-11-02T06:40:08.841Z', device: 'hall\\x1b', kind: 'light' },
        { time: '2026-11-02T06:40:39.341Z', device: 'door', kind: 'lock' },
      ],
    },
  ]);
});

test('InferredDayJsonText writes, a piece at a time, the text JSON.stringify() gives of the whole document, its strings made visible', () => {
  const head = { input: 'weird "name"\n\u2028.csv', model: { dir: '/m', preset: 'sequence', featureSet: 'sequence' }, uses: 3 };
  for (const day of [DAY, DAY.slice(0, 1), []]) {
    const json = new InferredDayJsonText(head);
    const pieces = [json.open(), ...day.map((a) => json.item(a)), json.close()];
    assert.equal(pieces.join(''), JSON.stringify(visibleStrings({ ...head, activities: inferredDayJson(day) }), null, 2) + '\n');
    assert.ok(pieces.join('').includes('\\\\x0a'), 'the line break in the input name is shown as \\x0a, not written as one');
  }
});

test('inferredDayHeader() and inferredDayRow() are the lines of inferredDayText()', () => {
  const options = { timeWidth: 17 };
  assert.equal(inferredDayText(DAY, options), [inferredDayHeader(options), ...DAY.map((a) => inferredDayRow(a, options)), ''].join('\n'));
  assert.equal(inferredDayText([], options), [inferredDayHeader(options), NO_ACTIVITY_LINE, ''].join('\n'));
});
