import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Household } from './household.js';
import { addNoiseAndGuests } from './noise.js';
import { streamRandom } from './seeds.js';
import { parseHomeSpec, type HomeSpec } from './spec.js';
import type { SimulatedUse } from './types.js';

const US_PER_MINUTE = 60e6;

function spec(effects: string): HomeSpec {
  return parseHomeSpec(
    `name: t
network: { routerMac: "b8:27:eb:00:00:01", routerIp: 192.168.3.1, publicIp: 203.0.113.1, ispMac: "f4:bd:9e:00:00:01", ispResolverIp: 198.51.100.1 }
devices:
  - { id: hub, kind: hub, vendor: Samsung SmartThings, mac: "24:fd:5b:00:00:01", ip: 192.168.3.10 }
  - { id: door, kind: contact, vendor: Samsung SmartThings, via: hub }
  - { id: lamp, kind: light, vendor: LIFX, mac: "d0:73:d5:00:00:02", ip: 192.168.3.11 }
residents:
  - { id: ann, routine: { weekday: [ { activity: wake_up, at: "07:00" } ] } }
${effects}`,
    't.yaml',
  );
}

/** A day (midnight at 0) in which ann, asleep at midnight, wakes at 10:00, leaves at 12:00, returns at 14:00 and sleeps at 16:00. */
function dayOfAnn(home: HomeSpec): Household {
  const house = new Household(['ann'], ['asleep'], home.devices, home.reactions, streamRandom(1));
  const steps: [number, 'wake_up' | 'leave_home' | 'return_home' | 'go_to_bed', 'awake' | 'away' | 'asleep'][] = [
    [600, 'wake_up', 'awake'],
    [720, 'leave_home', 'away'],
    [840, 'return_home', 'awake'],
    [960, 'go_to_bed', 'asleep'],
  ];
  for (const [minute, activity, after] of steps) house.apply({ timeUs: minute * US_PER_MINUTE, resident: 'ann', activity }, after, []);
  return house;
}

const minuteOf = (e: SimulatedUse): number => e.timeUs / US_PER_MINUTE;

/**
 * 30 an hour over the 2 empty hours: 60 expected a day, 3000 over 50 days; the Poisson standard
 * error is √3000 = 55 (1.8%), so ±10% is 5.5 of them.
 */
test('addNoiseAndGuests() makes noise only while its condition holds, at its rate, with its follow-up', () => {
  const home = spec(`noise:
  - { device: lamp, action: "on", then: { action: "off", afterMinutes: [1, 2] }, window: ["00:00", "24:00"], ratePerHour: 30, when: home_empty }
  - { device: door, action: open, window: ["00:00", "24:00"], ratePerHour: 30, when: someone_awake }`);
  const house = dayOfAnn(home);
  let empty = 0;
  for (let run = 0; run < 50; run++) {
    const events: SimulatedUse[] = [];
    addNoiseAndGuests(0, home.noise, null, house, streamRandom(run), events);
    for (const e of events) {
      assert.equal(e.cause, 'noise');
      if (e.device === 'lamp' && e.action === 'on') {
        empty++;
        assert.ok(minuteOf(e) >= 720 && minuteOf(e) < 840, `lamp at minute ${minuteOf(e)} while nobody is home`);
        assert.equal(e.resident, '');
        const off = events.find((o) => o.device === 'lamp' && o.action === 'off' && o.timeUs >= e.timeUs + US_PER_MINUTE && o.timeUs <= e.timeUs + 2 * US_PER_MINUTE);
        assert.ok(off !== undefined, 'its follow-up comes 1 to 2 minutes later');
      }
      if (e.device === 'door') {
        const m = minuteOf(e);
        assert.ok((m >= 600 && m < 720) || (m >= 840 && m < 960), `door at minute ${m} while ann is awake at home`);
        assert.equal(e.resident, 'ann');
        assert.equal(e.kind, 'contact');
      }
    }
  }
  assert.ok(Math.abs(empty - 3000) <= 300, `${empty} lamp uses over 50 empty 2-hour spells`);
});

/**
 * A chatty sensor: 120 an hour while ann sleeps (10 h + 8 h of the day), 2160 a day; over 10 days
 * 21600, Poisson standard error 147 (0.7%), so ±3% is 4.4 of them.
 */
test('addNoiseAndGuests() makes someone_asleep noise only while someone at home sleeps', () => {
  const home = spec(`noise:
  - { device: door, action: open, window: ["00:00", "24:00"], ratePerHour: 120, when: someone_asleep }`);
  const house = dayOfAnn(home);
  let count = 0;
  for (let run = 0; run < 10; run++) {
    const events: SimulatedUse[] = [];
    addNoiseAndGuests(0, home.noise, null, house, streamRandom(run), events);
    for (const e of events) {
      const m = minuteOf(e);
      assert.ok(m < 600 || m >= 960, `door at minute ${m} while ann sleeps`);
      assert.equal(e.resident, '');
    }
    count += events.length;
  }
  assert.ok(Math.abs(count - 21600) <= 650, `${count} reports over 10 days`);
});

test('addNoiseAndGuests() lets guests in only while someone is at home and awake', () => {
  const home = spec(`guests:
  visitsPerWeek: 21
  arriveWindow: ["00:00", "24:00"]
  stayMinutes: { mean: 30, sd: 5, min: 20, max: 40 }
  onArrival: [ { device: door, action: open, delaySeconds: [0, 0] } ]
  onDeparture: [ { device: door, action: close, delaySeconds: [0, 0] } ]
  during: [ { device: lamp, action: "on", ratePerHour: 6 } ]`);
  const house = dayOfAnn(home);
  let visits = 0;
  for (let run = 0; run < 50; run++) {
    const events: SimulatedUse[] = [];
    addNoiseAndGuests(0, [], home.guests, house, streamRandom(run), events);
    const arrivals = events.filter((e) => e.action === 'open');
    const departures = events.filter((e) => e.action === 'close');
    assert.equal(arrivals.length, departures.length);
    arrivals.forEach((arrival, i) => {
      const m = minuteOf(arrival);
      assert.ok((m >= 600 && m < 720) || (m >= 840 && m < 960), `a guest arrives at minute ${m} while ann is up`);
      const stay = minuteOf(departures[i]) - m;
      assert.ok(stay >= 20 && stay <= 40, `stays ${stay} minutes`);
      assert.equal(arrival.resident, '');
    });
    for (const lamp of events.filter((e) => e.device === 'lamp')) {
      assert.ok(arrivals.some((a, i) => lamp.timeUs >= a.timeUs && lamp.timeUs < departures[i].timeUs), 'guests use the lamp while they stay');
    }
    visits += arrivals.length;
  }
  assert.ok(visits > 30, `${visits} visits in 50 days`);
});

/**
 * Two residents: ann up from 06:00 to 22:00, bob from 12:00 to 18:00 (6 h of two up, 10 h of one,
 * 8 h of both asleep). Noise people make comes per person up: 30 an hour each, so 60 an hour while
 * both are up (6 × 60 × 20 days = 7200 expected, Poisson standard error 85) and 30 while one is
 * (10 × 30 × 20 = 6000, error 77); ±5% is over 3.5 standard errors of each. A bed mat's chatter
 * (someone_asleep) stays at its one rate with both asleep: 8 × 30 × 20 = 4800 in those hours (error 69). A draw per
 * home at the rate (whoever is up) gives 3600 for the two-up hours and fails the first check.
 */
test('addNoiseAndGuests() makes noise people cause per resident in the condition, and chatter at one rate', () => {
  const home = spec(`noise:
  - { device: door, action: open, window: ["00:00", "24:00"], ratePerHour: 30, when: someone_awake }
  - { device: lamp, action: "on", window: ["00:00", "24:00"], ratePerHour: 30, when: someone_asleep }`);
  const house = new Household(['ann', 'bob'], ['asleep', 'asleep'], home.devices, home.reactions, streamRandom(1));
  const steps: [number, string, 'wake_up' | 'go_to_bed', 'awake' | 'asleep'][] = [
    [360, 'ann', 'wake_up', 'awake'],
    [720, 'bob', 'wake_up', 'awake'],
    [1080, 'bob', 'go_to_bed', 'asleep'],
    [1320, 'ann', 'go_to_bed', 'asleep'],
  ];
  for (const [minute, resident, activity, after] of steps) house.apply({ timeUs: minute * US_PER_MINUTE, resident, activity }, after, []);
  let twoUp = 0;
  let oneUp = 0;
  let asleep = 0;
  const credited = new Set<string>();
  for (let run = 0; run < 20; run++) {
    const events: SimulatedUse[] = [];
    addNoiseAndGuests(0, home.noise, null, house, streamRandom(run), events);
    for (const e of events) {
      const m = minuteOf(e);
      if (e.device === 'lamp') {
        assert.ok(m < 720 || m >= 1080, `the bed mat's chatter at minute ${m} while nobody sleeps`);
        if (m < 360 || m >= 1320) asleep++;
      } else if (m >= 720 && m < 1080) {
        twoUp++;
        credited.add(e.resident);
      } else {
        assert.ok(m >= 360 && m < 1320, `door at minute ${m} while someone is up`);
        assert.equal(e.resident, 'ann');
        oneUp++;
      }
    }
  }
  assert.ok(Math.abs(twoUp - 7200) <= 360, `${twoUp} uses in 120 hours of two up`);
  assert.ok(Math.abs(oneUp - 6000) <= 300, `${oneUp} uses in 200 hours of one up`);
  assert.ok(Math.abs(asleep - 4800) <= 240, `${asleep} bed mat reports in 160 hours of both asleep`);
  assert.deepEqual([...credited].sort(), ['ann', 'bob'], 'noise while both are up is credited to each');
});
