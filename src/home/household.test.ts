import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Household } from './household.js';
import { streamRandom } from './seeds.js';
import { parseHomeSpec } from './spec.js';
import { nextState, type ResidentState } from './spec-routine.js';
import type { Activity } from '../core/activities.js';
import type { SimulatedUse } from './types.js';

const SPEC = parseHomeSpec(
  `name: t
network: { routerMac: "b8:27:eb:00:00:01", routerIp: 192.168.3.1, publicIp: 203.0.113.1, ispMac: "f4:bd:9e:00:00:01", ispResolverIp: 198.51.100.1 }
devices:
  - { id: alarm, kind: alarm, vendor: SimpliSafe, mac: "f8:51:28:00:00:01", ip: 192.168.3.10 }
  - { id: lamp-a, kind: light, vendor: LIFX, mac: "d0:73:d5:00:00:02", ip: 192.168.3.11 }
  - { id: lamp-b, kind: light, vendor: LIFX, mac: "d0:73:d5:00:00:03", ip: 192.168.3.12 }
residents:
  - { id: ann, routine: { weekday: [ { activity: wake_up, at: "07:00" } ] } }
  - { id: bob, routine: { weekday: [ { activity: wake_up, at: "07:00" } ] } }
reactions:
  - { on: [leave_home, leave_temporarily], device: alarm, action: arm, when: home_becomes_empty, delaySeconds: [10, 20] }
  - { on: return_home, device: alarm, action: disarm, when: home_was_empty, delaySeconds: [0, 5] }
  - { on: go_to_bed, kind: light, each: true, action: "off", when: nobody_else_awake }
  - { on: wake_up, kind: light, action: "on", when: someone_else_awake }
  - { on: wake_up, device: alarm, action: disarm, when: nobody_else_awake }
`,
  't.yaml',
);

/** A household of ann and bob, both awake, and a way to play activities through it. */
function household(): { play: (resident: string, activity: Activity, minute: number) => SimulatedUse[]; house: Household } {
  const states = new Map<string, ResidentState>([['ann', 'awake'], ['bob', 'awake']]);
  const house = new Household(['ann', 'bob'], ['awake', 'awake'], SPEC.devices, SPEC.reactions, streamRandom(1));
  const play = (resident: string, activity: Activity, minute: number): SimulatedUse[] => {
    const after = nextState(states.get(resident)!, activity)!;
    states.set(resident, after);
    const events: SimulatedUse[] = [];
    house.apply({ timeUs: minute * 60e6, resident, activity }, after, events);
    return events;
  };
  return { play, house };
}

const summary = (events: readonly SimulatedUse[]): string[] => events.map((e) => `${e.device} ${e.action} ${e.cause} ${e.resident}`);

test('Household arms the alarm only when the last resident leaves and disarms it only for the first one back', () => {
  const { play } = household();
  assert.deepEqual(play('ann', 'leave_home', 480), []);
  const armed = play('bob', 'leave_temporarily', 490);
  assert.deepEqual(summary(armed), ['alarm arm leave_temporarily bob']);
  assert.ok(armed[0].timeUs >= 490 * 60e6 + 10e6 && armed[0].timeUs <= 490 * 60e6 + 20e6, 'after the delay');
  assert.deepEqual(summary(play('bob', 'return_home', 520)), ['alarm disarm return_home bob']);
  assert.deepEqual(play('ann', 'return_home', 1080), [], 'the home was not empty');
});

test('Household does not disarm an alarm that is not armed, nor arm one that is', () => {
  const { play } = household();
  play('ann', 'leave_home', 480);
  assert.equal(play('bob', 'leave_home', 490).length, 1);
  assert.deepEqual(summary(play('bob', 'return_home', 600)), ['alarm disarm return_home bob']);
  play('bob', 'go_to_bed', 1300); // nobody else awake: the lights go off, the alarm is not touched
  assert.deepEqual(summary(play('bob', 'wake_up', 1800)), [], 'first up: disarm skipped, the alarm is already disarmed');
});

test('Household acts on each device of a kind, or on one of them, as the target says', () => {
  const { play } = household();
  const first = play('ann', 'go_to_bed', 1380);
  assert.deepEqual(first, [], 'bob is still awake');
  assert.deepEqual(summary(play('bob', 'go_to_bed', 1400)).sort(), ['lamp-a off go_to_bed bob', 'lamp-b off go_to_bed bob']);
  const morning = play('ann', 'wake_up', 1860);
  assert.deepEqual(summary(morning), ['alarm disarm wake_up ann'], 'first up (the alarm never set yet): disarm, no light');
  const second = play('bob', 'wake_up', 1870);
  assert.equal(second.length, 1, 'one light, picked at random');
  assert.match(summary(second)[0], /^lamp-[ab] on wake_up bob$/);
});

test('Household.at() tells who was home and awake at a time, and forgetBefore() keeps the change in force', () => {
  const { play, house } = household();
  play('ann', 'leave_home', 480);
  play('bob', 'go_to_bed', 600);
  assert.deepEqual(house.at(0), { timeUs: -Infinity, home: 2, awake: ['ann', 'bob'] });
  assert.deepEqual(house.at(500 * 60e6), { timeUs: 480 * 60e6, home: 1, awake: ['bob'] });
  assert.deepEqual(house.at(700 * 60e6), { timeUs: 600 * 60e6, home: 1, awake: [] });
  house.forgetBefore(550 * 60e6);
  assert.deepEqual(house.at(0), { timeUs: 480 * 60e6, home: 1, awake: ['bob'] }, 'earlier times now read the oldest change kept');
  assert.equal(house.homeCount(), 1);
});
