import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACTIVITIES, activityId, type Activity } from '../core/activities.js';
import type { DeviceUse } from '../core/device-use.js';
import type { AttackKind } from '../core/kinds.js';
import { evaluateLabelledHome } from './evaluate-labelled.js';
import { parseLabelsCsv, type LabelledHome } from './labelled-home.js';
import { RulesPreset } from './rules.js';
import { BadInputError } from '../core/bad-input-error.js';

/** Monday 2 November 2026, 00:00 UTC. */
const DAY0_US = Date.UTC(2026, 10, 2) * 1000;
const MIN = 60e6;

function time(day: number, hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return DAY0_US + ((day * 24 + h) * 60 + m) * MIN;
}

/** A weekday the rules preset reads as: 06:58 wake_up, 08:27 leave_home, 18:02 return_home, 19:30 leave_temporarily, 20:15 return_home, 23:00 go_to_bed. */
function weekday(day: number): DeviceUse<AttackKind>[] {
  const uses: [string, string, AttackKind][] = [
    ['06:58', 'bedroom', 'light'], ['07:04', 'echo', 'speaker'], ['07:12', 'kettle', 'plug'],
    ['08:27', 'bedroom', 'light'], ['08:30', 'front', 'lock'], ['08:31', 'base', 'alarm'],
    ['18:02', 'front', 'lock'], ['18:03', 'base', 'alarm'], ['18:05', 'hall', 'light'],
    ['18:45', 'kettle', 'plug'], ['19:05', 'heating', 'thermostat'], ['19:30', 'front', 'lock'],
    ['19:50', 'porch', 'camera'], ['20:15', 'door-sensor', 'door'], ['20:16', 'front', 'lock'],
    ['20:20', 'hall', 'light'], ['21:10', 'tv', 'plug'], ['23:00', 'hall', 'light'], ['23:03', 'bedroom', 'light'],
  ];
  return uses.map(([hhmm, device, kind]) => ({ timeUs: time(day, hhmm), device, kind }));
}

/**
 * The labels of the two days, off from what the rules infer in known ways: day 1's wake_up is 22 min
 * after the inferred one, its evening return is not labelled (as in homes whose returns after a short
 * outing are not), and a go_to_bed is labelled at 20:20, 5 min after an inferred return_home.
 */
const LABELS: [number, string, Activity][] = [
  [0, '06:58', 'wake_up'], [0, '08:27', 'leave_home'], [0, '18:02', 'return_home'], [0, '19:30', 'leave_temporarily'], [0, '23:00', 'go_to_bed'],
  [1, '07:20', 'wake_up'], [1, '08:27', 'leave_home'], [1, '18:02', 'return_home'], [1, '19:30', 'leave_temporarily'], [1, '20:20', 'go_to_bed'],
];

const HOME: LabelledHome = {
  eventsFile: 'events.csv',
  labelsFile: 'labels.csv',
  events: [...weekday(0), ...weekday(1)],
  labels: LABELS.map(([day, hhmm, activity]) => ({ timeUs: time(day, hhmm), activity: activityId(activity) })),
};

test('a hand-made labelled home gets the scores worked out by hand, at 15 and at 30 min', () => {
  const result = evaluateLabelledHome(new RulesPreset(), HOME);
  assert.equal(result.predicted.length, 12);
  const [at15, at30] = result.scores.map((s) => s.match);
  // 15 min: wake_up 1 of 2 (F1 .5), leave 2/2, return 2 right + 2 false (F1 2/3), outing 2/2, bed 1 right, 1 missed, 1 false (F1 .5).
  assert.deepEqual(at15.perClass.map((m) => Number(m.f1.toFixed(4))), [0.5, 1, 0.6667, 1, 0.5]);
  assert.equal(Number(at15.macroF1.toFixed(5)), 0.73333);
  // 30 min: day 1's wake_up (22 min late) is found.
  assert.deepEqual(at30.perClass.map((m) => Number(m.f1.toFixed(4))), [1, 1, 0.6667, 1, 0.5]);
  assert.equal(Number(at30.macroF1.toFixed(5)), 0.83333);
});

test("the confusion places every true activity and every inference once", () => {
  const { confusion } = evaluateLabelledHome(new RulesPreset(), HOME).scores[0];
  assert.deepEqual(confusion.counts, [
    [1, 0, 0, 0, 0, 1], // day 1's wake_up: nothing inferred within 15 min
    [0, 2, 0, 0, 0, 0],
    [0, 0, 2, 0, 0, 0],
    [0, 0, 0, 2, 0, 0],
    [0, 0, 1, 0, 1, 0], // the 20:20 go_to_bed: the return_home inferred at 20:15
    [1, 0, 1, 0, 1, 0], // inferred, nothing true: day 1's 06:58 wake_up, day 0's 20:15 return, day 1's 23:00 bed
  ]);
  const cells = confusion.counts.flat().reduce((a, b) => a + b, 0);
  assert.equal(cells, 10 + 12 - 8 - 1, 'truths + inferences − the pairs each counted once');
});

test('the side-by-side rows pair what the widest tolerance found and list the rest alone', () => {
  const rows = evaluateLabelledHome(new RulesPreset(), HOME).sideBySide;
  const shown = rows.map((r) => `${r.truth === null ? '-' : ACTIVITIES[r.truth.activity]}|${r.predicted?.activity ?? '-'}`);
  assert.equal(rows.length, 10 + 12 - 9);
  assert.deepEqual(shown.slice(0, 6), ['wake_up|wake_up', 'leave_home|leave_home', 'return_home|return_home', 'leave_temporarily|leave_temporarily', '-|return_home', 'go_to_bed|go_to_bed']);
  assert.deepEqual(shown.slice(6), ['wake_up|wake_up', 'leave_home|leave_home', 'return_home|return_home', 'leave_temporarily|leave_temporarily', '-|return_home', 'go_to_bed|-', '-|go_to_bed']);
});

test('a labels CSV is read in any column order, sorted, with a resident when given', () => {
  const labels = parseLabelsCsv('Activity, time ,resident\ngo_to_bed,2026-11-02T23:00:00Z,ann\nwake_up,1793602800,\n', 'labels.csv');
  assert.deepEqual(labels, [
    { timeUs: 1793602800e6, activity: 0 },
    { timeUs: Date.UTC(2026, 10, 2, 23) * 1000, activity: 4, resident: 'ann' },
  ]);
});

test('a bad labels CSV is refused naming the file and the line', () => {
  const problem = (text: string): string => {
    try {
      parseLabelsCsv(text, 'labels.csv');
    } catch (err) {
      assert.ok(err instanceof BadInputError);
      return err.message;
    }
    return 'accepted';
  };
  assert.equal(problem(''), 'labels.csv:1: empty file: expected a header with the columns time, activity');
  assert.equal(problem('when,activity\n'), 'labels.csv:1: no "time" column: the header has "when", "activity"; it needs time, activity');
  assert.equal(problem('time,activity\n2026-11-02T07:00:00Z,breakfast\n'), 'labels.csv:2: activity "breakfast" is none of wake_up, leave_home, return_home, leave_temporarily, go_to_bed');
  assert.equal(problem('time,activity\n2026-11-02T07:00:00Z,wake_up\nyesterday,wake_up\n'), 'labels.csv:3: time "yesterday" is neither ISO 8601 nor epoch seconds');
  assert.equal(problem('time,activity\n2026-11-02T07:00:00Z\n'), 'labels.csv:2: 1 cells, but the header has 2');
});
