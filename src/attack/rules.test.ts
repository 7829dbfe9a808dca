import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ATTACK_CLASSES, NONE_CLASS } from '../features/feature-set.js';
import type { DeviceUse } from '../core/device-use.js';
import { activityId, isActivity, type UsageCause } from '../core/activities.js';
import { activityTimeline } from './episodes.js';
import { RulesPreset, ruleEpisodes } from './rules.js';

/** Monday 2 November 2026, 00:00 UTC. */
const DAY0_US = Date.UTC(2026, 10, 2) * 1000;
const MIN = 60e6;

function at(day: number, hhmm: string, device: string, kind: string, cause: UsageCause): DeviceUse {
  const [h, m] = hhmm.split(':').map(Number);
  return { timeUs: DAY0_US + ((day * 24 + h) * 60 + m) * MIN, device, kind, cause };
}

/** A hand-made weekday (twice): wake, leave for work, return, an evening outing, bed, and noise between. */
function weekday(day: number): DeviceUse[] {
  return [
    at(day, '06:58', 'bedroom', 'light', 'wake_up'),
    at(day, '07:04', 'echo', 'speaker', 'wake_up'),
    at(day, '07:12', 'kettle', 'plug', 'wake_up'),
    at(day, '08:27', 'bedroom', 'light', 'leave_home'),
    at(day, '08:30', 'front', 'lock', 'leave_home'),
    at(day, '08:31', 'base', 'alarm', 'leave_home'),
    at(day, '18:02', 'front', 'lock', 'return_home'),
    at(day, '18:03', 'base', 'alarm', 'return_home'),
    at(day, '18:05', 'hall', 'light', 'return_home'),
    at(day, '18:45', 'kettle', 'plug', 'noise'),
    at(day, '19:05', 'heating', 'thermostat', 'noise'),
    at(day, '19:30', 'front', 'lock', 'leave_temporarily'),
    at(day, '19:50', 'porch', 'camera', 'noise'),
    at(day, '20:15', 'door-sensor', 'contact', 'return_home'),
    at(day, '20:16', 'front', 'lock', 'return_home'),
    at(day, '20:20', 'hall', 'light', 'return_home'),
    at(day, '21:10', 'tv', 'plug', 'noise'),
    at(day, '23:00', 'hall', 'light', 'go_to_bed'),
    at(day, '23:03', 'bedroom', 'light', 'go_to_bed'),
  ];
}

const LABEL = (e: DeviceUse): number => (e.cause === undefined || !isActivity(e.cause) ? NONE_CLASS : activityId(e.cause));

test('the rules preset recovers every use of a hand-made weekday, noise as none', () => {
  const events = [...weekday(0), ...weekday(1)];
  const preset = new RulesPreset();
  assert.deepEqual(preset.classes, ATTACK_CLASSES);
  const p = preset.predict(events);
  assert.equal(p.length, events.length * 6);
  events.forEach((e, i) => {
    const row = [...p.subarray(i * 6, i * 6 + 6)];
    const best = row.indexOf(Math.max(...row));
    assert.equal(ATTACK_CLASSES[best], ATTACK_CLASSES[LABEL(e)], `${new Date(e.timeUs / 1000).toISOString()} ${e.device}`);
    assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-6, 'a row sums to 1');
    assert.ok(Math.abs(row[best] - 0.9) < 1e-6);
  });
});

test("the rules preset and activityTimeline() give the residents' day in order", () => {
  const events = weekday(0);
  const timeline = activityTimeline(events, new RulesPreset().predict(events));
  assert.deepEqual(
    timeline.map((t) => `${new Date(t.timeUs / 1000).toISOString().slice(11, 16)} ${t.activity}`),
    ['06:58 wake_up', '08:27 leave_home', '18:02 return_home', '19:30 leave_temporarily', '20:15 return_home', '23:00 go_to_bed'],
  );
  assert.deepEqual(timeline[0].events.map((e) => e.device), ['bedroom', 'echo', 'kettle']);
  assert.ok(timeline.every((t) => Math.abs(t.confidence - 0.9) < 1e-6));
});

test('ruleEpisodes() names the rule behind each class', () => {
  const rules = ruleEpisodes(weekday(0)).map((e) => `${ATTACK_CLASSES[e.classId]}: ${e.rule}`);
  assert.deepEqual(rules, [
    'wake_up: morning after a long silence',
    'leave_home: entrance before a long silence',
    'return_home: entrance after a long silence',
    'none: no rule',
    'none: no rule',
    'leave_temporarily: outing: out and back within 3 h',
    'none: no rule',
    'return_home: outing: out and back within 3 h',
    'none: no rule',
    'go_to_bed: evening before a long silence',
  ]);
});

test('ruleEpisodes() tells arriving from departing by the inside uses around the entrance', () => {
  const directions = (uses: [string, string][]): string => {
    const events = uses.map(([device, kind], i) => at(0, `12:0${i}`, device, kind, 'noise'));
    return ruleEpisodes(events)[0].direction;
  };
  assert.equal(directions([['front', 'lock'], ['base', 'alarm'], ['hall', 'light']]), 'arriving');
  assert.equal(directions([['hall', 'light'], ['front', 'contact'], ['front', 'lock'], ['base', 'alarm']]), 'departing');
  assert.equal(directions([['pir', 'motion'], ['front', 'lock'], ['porch', 'camera']]), 'departing');
  assert.equal(directions([['front', 'lock'], ['base', 'alarm']]), 'unknown');
  assert.equal(directions([['hall', 'light'], ['front', 'lock'], ['kitchen', 'light']]), 'unknown');
  assert.equal(directions([['hall', 'light'], ['tv', 'plug']]), 'unknown');
});

test('the rules preset reads locking up at bedtime as going to bed, whichever way it looks', () => {
  const night = (first: [string, string], second: [string, string], hhmm: string): string => {
    const events = [at(0, '18:00', 'hall', 'light', 'noise'), at(0, hhmm, first[0], first[1], 'go_to_bed'), at(0, hhmm.replace(/\d$/, '4'), second[0], second[1], 'go_to_bed')];
    const episode = ruleEpisodes(events)[1];
    return `${ATTACK_CLASSES[episode.classId]} (${episode.rule})`;
  };
  assert.equal(night(['front', 'lock'], ['hall', 'light'], '23:00'), 'go_to_bed (entrance before a long silence at bedtime)');
  assert.equal(night(['hall', 'light'], ['front', 'lock'], '23:00'), 'go_to_bed (entrance before a long silence at bedtime)');
  assert.equal(night(['front', 'lock'], ['hall', 'light'], '20:30'), 'go_to_bed (entrance before a long silence at bedtime)');
  assert.equal(night(['hall', 'light'], ['front', 'lock'], '20:30'), 'leave_home (entrance before a long silence)');
});

test('the rules preset lets lone motion and camera uses neither break a silence nor count as activity', () => {
  const events = [
    at(0, '23:00', 'hall', 'light', 'go_to_bed'),
    at(1, '02:00', 'porch', 'camera', 'noise'),
    at(1, '03:30', 'pir', 'motion', 'noise'),
    at(1, '06:40', 'kitchen', 'light', 'wake_up'),
  ];
  const classes = ruleEpisodes(events).map((e) => `${ATTACK_CLASSES[e.classId]}${e.ambient ? ' (ambient)' : ''}`);
  assert.deepEqual(classes, ['go_to_bed', 'none (ambient)', 'none (ambient)', 'wake_up']);
  const withLight = [...events.slice(0, 2), at(1, '03:30', 'bathroom', 'light', 'noise'), events[3]];
  assert.deepEqual(ruleEpisodes(withLight).map((e) => ATTACK_CLASSES[e.classId]), ['none', 'none', 'none', 'none'], 'a light at 03:30 breaks the night');
});

test('the rules preset sees an outing in a busy home when the ways out and in are clear', () => {
  const events = [
    at(0, '15:00', 'hall', 'light', 'noise'),
    at(0, '15:02', 'front', 'lock', 'leave_temporarily'),
    at(0, '15:30', 'tv', 'plug', 'noise'),
    at(0, '16:00', 'tv', 'plug', 'noise'),
    at(0, '16:30', 'speaker', 'speaker', 'noise'),
    at(0, '17:00', 'front', 'lock', 'return_home'),
    at(0, '17:01', 'hall', 'light', 'return_home'),
  ];
  assert.deepEqual(ruleEpisodes(events).map((e) => `${ATTACK_CLASSES[e.classId]}: ${e.rule}`), [
    'leave_temporarily: outing: out and back within 3 h',
    'none: no rule',
    'none: no rule',
    'none: no rule',
    'return_home: outing: out and back within 3 h',
  ]);
  const late = [...events.slice(0, 5), at(0, '18:03', 'front', 'lock', 'return_home'), at(0, '18:04', 'hall', 'light', 'return_home')];
  assert.deepEqual(ruleEpisodes(late).map((e) => `${ATTACK_CLASSES[e.classId]}: ${e.rule}`), [
    'leave_home: departing',
    'none: no rule',
    'none: no rule',
    'none: no rule',
    'return_home: arriving',
  ]);
});

test('the rules preset needs 5 h of silence, exactly 5 h included', () => {
  const quiet = (gapMin: number): number => {
    const events = [at(0, '01:00', 'hall', 'light', 'noise'), { ...at(0, '01:00', 'hall', 'light', 'wake_up'), timeUs: DAY0_US + 60 * MIN + gapMin * MIN }];
    return ruleEpisodes(events)[1].classId;
  };
  assert.equal(quiet(300), activityId('wake_up'));
  assert.equal(quiet(299.99), NONE_CLASS);
});

test('the rules preset sees no outing when the door is used again after more than 3 h, or with a busy home between', () => {
  const late = [at(0, '12:00', 'hall', 'light', 'noise'), at(0, '14:00', 'front', 'lock', 'noise'), at(0, '17:01', 'front', 'lock', 'noise'), at(0, '17:30', 'hall', 'light', 'noise')];
  assert.deepEqual(ruleEpisodes(late).map((e) => e.classId), [NONE_CLASS, NONE_CLASS, NONE_CLASS, NONE_CLASS]);
  const busy = [at(0, '12:00', 'hall', 'light', 'noise'), at(0, '14:00', 'front', 'lock', 'noise'), at(0, '14:30', 'tv', 'plug', 'noise'), at(0, '15:00', 'tv', 'plug', 'noise'), at(0, '15:30', 'tv', 'plug', 'noise'), at(0, '16:00', 'front', 'lock', 'noise'), at(0, '16:30', 'hall', 'light', 'noise')];
  assert.ok(ruleEpisodes(busy).every((e) => e.classId === NONE_CLASS));
  const exact = [at(0, '12:00', 'hall', 'light', 'noise'), at(0, '14:00', 'front', 'lock', 'noise'), at(0, '17:00', 'front', 'lock', 'noise'), at(0, '17:30', 'hall', 'light', 'noise')];
  assert.deepEqual(ruleEpisodes(exact).map((e) => ATTACK_CLASSES[e.classId]), ['none', 'leave_temporarily', 'return_home', 'none']);
});

test('the rules preset reads hours in local time when given an offset from UTC', () => {
  // 22:00 UTC is 07:00 in a home at UTC+9: a wake-up there, not a bedtime.
  const events = [at(0, '22:00', 'hall', 'light', 'noise')];
  assert.equal(ATTACK_CLASSES[ruleEpisodes(events)[0].classId], 'go_to_bed');
  assert.equal(ATTACK_CLASSES[ruleEpisodes(events, { utcOffsetMinutes: 9 * 60 })[0].classId], 'wake_up');
  assert.throws(() => new RulesPreset({ ruleProbability: 0.1 }), /ruleProbability must be above 1\/6/);
});
