import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { dataFile } from '../core/data-file.js';
import { defaultVendorRules } from '../observe/vendor-rules.js';
import { systemOuiRegistry } from '../observe/oui.js';
import { BUILTIN_HOMES, DEFAULT_START_DATE, loadHomeSpec, parseHomeSpec } from './spec.js';
import { SpecError } from './spec-error.js';
import { DEVICE_ACTIONS, type DeviceKind } from '../core/kinds.js';

/** A spec as plain data, changed freely by the tests. */
type Json = Record<string, any>;

/** A small valid home: one resident, a lock, a light, an alarm with a door contact. */
function validSpec(): Json {
  return {
    name: 'test-home',
    network: { routerMac: 'b8:27:eb:00:00:01', routerIp: '192.168.7.1', publicIp: '203.0.113.5', ispMac: 'f4:bd:9e:00:00:01', ispResolverIp: '198.51.100.1' },
    devices: [
      { id: 'lock', kind: 'lock', vendor: 'August', mac: '78:9c:85:00:00:01', ip: '192.168.7.10' },
      { id: 'light', kind: 'light', vendor: 'LIFX', mac: 'd0:73:d5:00:00:02', ip: '192.168.7.11' },
      { id: 'alarm', kind: 'alarm', vendor: 'SimpliSafe', mac: 'f8:51:28:00:00:03', ip: '192.168.7.12' },
      { id: 'door', kind: 'contact', vendor: 'SimpliSafe', via: 'alarm' },
    ],
    residents: [
      {
        id: 'ann',
        routine: {
          weekday: [
            { activity: 'wake_up', at: '07:00', spreadMinutes: 10 },
            { activity: 'leave_home', at: '08:30' },
            { activity: 'return_home', at: '18:00', spreadMinutes: 30 },
            { activity: 'go_to_bed', at: '23:00', probability: 1 },
          ],
          outings: [{ window: ['19:00', '21:00'], ratePerDay: 0.3, durationMinutes: { mean: 40 } }],
        },
      },
    ],
    reactions: [
      { on: 'leave_home', device: 'alarm', action: 'arm', when: 'home_becomes_empty' },
      { on: ['return_home', 'leave_home'], kind: 'contact', action: 'open', delaySeconds: [0, 5], then: { action: 'close', afterMinutes: [0.1, 0.3] } },
    ],
    noise: [{ kind: 'light', action: 'on', then: { action: 'off', afterMinutes: [5, 30] }, window: ['18:00', '23:00'], ratePerHour: 0.5, when: 'someone_awake' }],
    guests: { visitsPerWeek: 1, arriveWindow: ['15:00', '20:00'], stayMinutes: { mean: 90 }, during: [{ device: 'light', action: 'on', ratePerHour: 0.2 }] },
  };
}

/** Parses `spec` (as JSON, or as YAML) and returns the SpecError it throws. */
function errorOf(spec: Json, format: 'json' | 'yaml' = 'json'): SpecError {
  const source = `home.${format}`;
  const text = format === 'json' ? JSON.stringify(spec) : toYaml(spec);
  try {
    parseHomeSpec(text, source);
  } catch (error) {
    assert.ok(error instanceof SpecError, `expected a SpecError, got ${String(error)}`);
    assert.equal(error.source, source);
    assert.equal(error.message, `${source}: ${error.field ? `${error.field}: ` : ''}${error.problem}`);
    return error;
  }
  assert.fail('expected the spec to be rejected');
}

function mutated(change: (spec: Json) => void): Json {
  const spec = validSpec();
  change(spec);
  return spec;
}

test('parseHomeSpec() reads a valid spec with its defaults', () => {
  const spec = parseHomeSpec(JSON.stringify(validSpec()), 'home.json');
  assert.equal(spec.start, DEFAULT_START_DATE);
  assert.equal(spec.startUs, Date.UTC(2026, 10, 2) * 1000);
  assert.equal(new Date(spec.startUs / 1000).getUTCDay(), 1, 'the default start is a Monday');
  const routine = spec.residents[0].routine;
  assert.deepEqual(routine.workDays, ['mon', 'tue', 'wed', 'thu', 'fri']);
  assert.equal(routine.weekend, routine.weekday, 'no weekend plan: the weekday plan');
  assert.deepEqual(routine.weekday[1], { activity: 'leave_home', atMinutes: 510, spreadMinutes: 15, probability: 1 });
  assert.deepEqual(routine.outings[0].durationMinutes, { mean: 40, sd: 10, min: 1, max: 120 });
  assert.equal(routine.workNights, false);
  assert.deepEqual(spec.reactions[0], { on: ['leave_home'], device: 'alarm', kind: 'alarm', each: false, action: 'arm', probability: 1, delaySeconds: [0, 30], then: null, when: 'home_becomes_empty', residents: null });
  assert.deepEqual(spec.reactions[1].then, { action: 'close', afterMinutes: [0.1, 0.3] });
  assert.deepEqual(spec.noise[0].windowMinutes, [1080, 1380]);
  assert.equal(spec.devices[3].via, 'alarm');
  assert.equal(spec.guests?.during[0].device, 'light');
});

test('parseHomeSpec() reads the same home from YAML and from JSON', () => {
  const text = readFileSync(dataFile('homes/family.yaml'), 'utf8');
  const fromYaml = parseHomeSpec(text, 'family.yaml');
  const fromJson = parseHomeSpec(JSON.stringify(parseYaml(text)), 'family.json');
  assert.deepEqual(fromJson, fromYaml);
});

test('parseHomeSpec() accepts times past midnight and lower-cases MACs', () => {
  const spec = parseHomeSpec(
    JSON.stringify(mutated((s) => {
      s.residents[0].routine.weekday[3].at = '25:30';
      s.devices[0].mac = '78:9C:85:AB:CD:EF';
    })),
    'home.json',
  );
  assert.equal(spec.residents[0].routine.weekday[3].atMinutes, 25 * 60 + 30);
  assert.equal(spec.devices[0].mac, '78:9c:85:ab:cd:ef');
});

/** [what, change, field, message pattern]: each kind of problem, and the field it is reported at. */
const BAD_SPECS: readonly [string, (s: Json) => void, string, RegExp][] = [
  ['a time of day that is not HH:MM', (s) => (s.residents[0].routine.weekday[2].at = '7am'), 'residents[0].routine.weekday[2].at', /^expected a time of day "HH:MM", got "7am"$/],
  ['minutes past 59', (s) => (s.residents[0].routine.weekday[0].at = '07:75'), 'residents[0].routine.weekday[0].at', /from 00:00 to 47:59/],
  ['an unknown field (a typo)', (s) => (s.residents[0].routine.weekday[0].spreadMinuts = 5), 'residents[0].routine.weekday[0].spreadMinuts', /^unknown field \(expected one of activity, at, spreadMinutes, probability\)$/],
  ['an unknown top-level field', (s) => (s.resident = []), 'resident', /unknown field/],
  ['a missing required field', (s) => delete s.network.routerIp, 'network.routerIp', /required field missing/],
  ['an unknown activity', (s) => (s.residents[0].routine.weekday[0].activity = 'wakeup'), 'residents[0].routine.weekday[0].activity', /expected one of wake_up, leave_home/],
  ['a step earlier than the one before', (s) => (s.residents[0].routine.weekday[1].at = '06:00'), 'residents[0].routine.weekday[1].at', /no earlier than the step before \(07:00\)/],
  ['a plan that is inconsistent', (s) => (s.residents[0].routine.weekday[2].activity = 'go_to_bed'), 'residents[0].routine.weekday[2].activity', /go_to_bed cannot come here: the resident is away/],
  ['an empty plan', (s) => (s.residents[0].routine.weekend = []), 'residents[0].routine.weekend', /at least one step/],
  ['a probability above 1', (s) => (s.residents[0].routine.weekday[3].probability = 1.5), 'residents[0].routine.weekday[3].probability', /from 0 to 1, got 1.5/],
  ['a night-shift plan that starts at home', (s) => (s.residents[0].routine.workNights = true), 'residents[0].routine.weekday[0].activity', /starts away: expected return_home/],
  ['an unknown work day', (s) => (s.residents[0].routine.workDays = ['mon', 'funday']), 'residents[0].routine.workDays[1]', /expected one of sun, mon/],
  ['an outing window that ends before it starts', (s) => (s.residents[0].routine.outings[0].window = ['21:00', '19:00']), 'residents[0].routine.outings[0].window', /end after its start/],
  ['an outing duration with min above the mean', (s) => (s.residents[0].routine.outings[0].durationMinutes.min = 60), 'residents[0].routine.outings[0].durationMinutes.min', /no more than the mean/],
  ['a duplicate resident id', (s) => s.residents.push(structuredClone(s.residents[0])), 'residents[1].id', /duplicate resident id "ann" \(also residents\[0\]\)/],
  ['a duplicate device id', (s) => (s.devices[1].id = 'lock'), 'devices[1].id', /duplicate device id "lock"/],
  ['a duplicate MAC', (s) => (s.devices[1].mac = '78:9c:85:00:00:01'), 'devices[1].mac', /duplicate MAC address/],
  ['a MAC that is the router\'s', (s) => (s.devices[1].mac = 'b8:27:eb:00:00:01'), 'devices[1].mac', /the network's own/],
  ['a duplicate IP', (s) => (s.devices[2].ip = '192.168.7.10'), 'devices[2].ip', /duplicate IP address "192.168.7.10"/],
  ['a bad MAC', (s) => (s.devices[2].mac = 'zz'), 'devices[2].mac', /^expected "aa:bb:cc:dd:ee:ff", got "zz"$/],
  ['a multicast MAC', (s) => (s.devices[0].mac = '01:00:5e:00:00:01'), 'devices[0].mac', /unicast/],
  ['a bad IP', (s) => (s.devices[0].ip = '192.168.7.300'), 'devices[0].ip', /expected an IPv4 address "a.b.c.d", got "192.168.7.300"/],
  ['an IP outside the router\'s network', (s) => (s.devices[0].ip = '192.168.8.10'), 'devices[0].ip', /router's network 192.168.7.0\/24/],
  ['a broadcast IP', (s) => (s.devices[0].ip = '192.168.7.255'), 'devices[0].ip', /broadcast/],
  ['a public router address', (s) => (s.network.routerIp = '8.8.8.1'), 'network.routerIp', /private/],
  ['a vendor not in the vendor rules', (s) => (s.devices[0].vendor = 'Acme'), 'devices[0].vendor', /unknown vendor "Acme": expected a vendor of data\/vendor-rules.tsv/],
  ['an unknown kind', (s) => (s.devices[0].kind = 'toaster'), 'devices[0].kind', /expected one of lock, light/],
  ['a sensor via no device', (s) => (s.devices[3].via = 'hub'), 'devices[3].via', /hub or alarm in the home \(alarm\), got "hub"/],
  ['a sensor via a light', (s) => (s.devices[3].via = 'light'), 'devices[3].via', /hub or alarm/],
  ['a sensor with a MAC', (s) => (s.devices[3].mac = '02:00:00:00:00:09'), 'devices[3].mac', /reports through its hub/],
  ['a non-sensor with via', (s) => (s.devices[0].via = 'alarm'), 'devices[0].via', /only sensors \(motion, contact, pressure, interior\) report/],
  ['an appliance behind a light', (s) => (s.devices[1].appliance = 'kettle'), 'devices[1].appliance', /only a plug/],
  ['an impossible start date', (s) => (s.start = '2026-02-30'), 'start', /no such day "2026-02-30"/],
  ['a start date no capture can hold', (s) => (s.start = '1960-01-01'), 'start', /expected a year from 1970 to 2099, got "1960-01-01"/],
  ['a reaction naming a device the home lacks', (s) => (s.reactions[0].device = 'siren'), 'reactions[0].device', /no device "siren" in the home \(devices: lock, light, alarm, door\)/],
  ['a reaction naming a kind the home lacks', (s) => (s.reactions[1].kind = 'camera'), 'reactions[1].kind', /the home has no device of kind camera/],
  ['a reaction with an action its device lacks', (s) => (s.reactions[0].action = 'on'), 'reactions[0].action', /expected one of arm, disarm, got "on"/],
  ['a reaction with both device and kind', (s) => (s.reactions[0].kind = 'alarm'), 'reactions[0]', /exactly one of device/],
  ['a home_becomes_empty reaction on wake_up', (s) => (s.reactions[0].on = ['leave_home', 'wake_up']), 'reactions[0].when', /needs leave_home or leave_temporarily, not wake_up/],
  ['a home_was_empty reaction on leave_home', (s) => (s.reactions[0].when = 'home_was_empty'), 'reactions[0].when', /needs return_home/],
  ['a reaction for an unknown resident', (s) => (s.reactions[0].residents = ['bob']), 'reactions[0].residents[0]', /no resident "bob"/],
  ['a reaction delay range upside down', (s) => (s.reactions[1].delaySeconds = [10, 5]), 'reactions[1].delaySeconds', /low <= high/],
  ['a follow-up action the kind lacks', (s) => (s.reactions[1].then.action = 'off'), 'reactions[1].then.action', /expected one of open, close/],
  ['a noise window past midnight', (s) => (s.noise[0].window = ['22:00', '25:00']), 'noise[0].window[1]', /no later than 24:00/],
  ['an unknown noise condition', (s) => (s.noise[0].when = 'sometimes'), 'noise[0].when', /expected one of always, someone_home/],
  ['a guest field typo', (s) => (s.guests.visitPerWeek = 2), 'guests.visitPerWeek', /unknown field/],
  ['a guest use of a missing device', (s) => (s.guests.during[0].device = 'tv'), 'guests.during[0].device', /no device "tv"/],
  ['a string where a number goes', (s) => (s.guests.visitsPerWeek = 'two'), 'guests.visitsPerWeek', /expected a number, got "two"/],
  ['a nap longer than half a day', (s) => (s.residents[0].routine.naps = [{ window: ['13:00', '15:00'], ratePerDay: 1, durationMinutes: { mean: 800 } }]), 'residents[0].routine.naps[0].durationMinutes.mean', /from 1 to 720, got 800/],
  ['a rotation without shifts', (s) => (s.residents[0].routine.rotation = { everyDays: 7, shifts: [] }), 'residents[0].routine.rotation.shifts', /at least one shift/],
  ['a rotation\'s night shift that starts at home', (s) => (s.residents[0].routine.rotation = { everyDays: 7, shifts: [{ weekday: [{ activity: 'wake_up', at: '14:00' }], workNights: true }] }), 'residents[0].routine.rotation.shifts[0].weekday[0].activity', /starts away: expected return_home/],
  ['a drift with no bound', (s) => (s.residents[0].routine.drift = { sdMinutesPerDay: 5 }), 'residents[0].routine.drift.maxMinutes', /required field missing/],
  ['a trip of a resident the home lacks', (s) => (s.trips = [{ residents: ['bob'], perYear: 2, nights: { mean: 3 }, leaveWindow: ['08:00', '12:00'], returnWindow: ['14:00', '20:00'] }]), 'trips[0].residents[0]', /no resident "bob" \(residents: ann\)/],
  ['a trip of more than 60 nights', (s) => (s.trips = [{ residents: ['ann'], perYear: 2, nights: { mean: 90 }, leaveWindow: ['08:00', '12:00'], returnWindow: ['14:00', '20:00'] }]), 'trips[0].nights.mean', /from 1 to 60/],
  ['label rules without the shortest night', (s) => (s.labels = { leaveHomeAfterMinutes: 120, returnAfterShortAbsence: false, sleepGapMinutes: 60 }), 'labels.shortestNightMinutes', /required field missing/],
  ['a clock off by more than an hour', (s) => (s.clock = { offsetSeconds: 7200, driftSecondsPerDay: 0 }), 'clock.offsetSeconds', /from -3600 to 3600, got 7200/],
  ['report faults whose chances pass 1', (s) => (s.devices[3].reports = { missProbability: 0.6, lateProbability: 0.6, lateSeconds: [1, 2] }), 'devices[3].reports', /missProbability \+ lateProbability <= 1, got 1.2/],
  ['a noise rate of more than one use every 10 s', (s) => (s.noise[0].ratePerHour = 400), 'noise[0].ratePerHour', /from 0 to 360, got 400/],
];

for (const [what, change, field, pattern] of BAD_SPECS) {
  test(`parseHomeSpec() names the field of ${what}`, () => {
    for (const format of ['json', 'yaml'] as const) {
      const error = errorOf(mutated(change), format);
      assert.equal(error.field, field, `${format}: ${error.message}`);
      assert.match(error.problem, pattern, `${format}: ${error.message}`);
    }
  });
}

test('parseHomeSpec() reports YAML and JSON syntax errors for the whole spec', () => {
  for (const [text, source, pattern] of [
    ['name: [unclosed', 'bad.yaml', /^not valid YAML: /],
    ['name: a\nname: b\n', 'dup.yaml', /^not valid YAML: .*[Uu]nique/],
    ['{"name": }', 'bad.json', /^not valid JSON: /],
    ['- just\n- a list\n', 'list.yaml', /^expected an object, got a list$/],
    ['{"name": "x",}', 'trailing-comma.json', /^not valid JSON: /],
  ] as const) {
    assert.throws(
      () => parseHomeSpec(text, source),
      (error: unknown) => error instanceof SpecError && error.source === source && error.field === '' && pattern.test(error.problem),
      source,
    );
  }
});

test('loadHomeSpec() loads every built-in home, and data/homes/ holds exactly those', () => {
  const files = readdirSync(dataFile('homes')).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -'.yaml'.length));
  assert.deepEqual([...files].sort(), [...BUILTIN_HOMES].sort());
  for (const name of BUILTIN_HOMES) assert.equal(loadHomeSpec(name).name, name);
});

test('loadHomeSpec() reads a file by path and names a missing one', () => {
  const dir = mkdtempSync(join(tmpdir(), 'peephole-spec-'));
  try {
    const yamlPath = join(dir, 'mine.yaml');
    const jsonPath = join(dir, 'mine.json');
    writeFileSync(yamlPath, toYaml(validSpec()));
    writeFileSync(jsonPath, JSON.stringify(validSpec(), null, 2));
    assert.deepEqual(loadHomeSpec(yamlPath), loadHomeSpec(jsonPath));
    writeFileSync(yamlPath, toYaml(mutated((s) => (s.devices[0].ip = '10.0.0.1'))));
    assert.throws(() => loadHomeSpec(yamlPath), (e: unknown) => e instanceof SpecError && e.source === yamlPath && e.field === 'devices[0].ip');
    assert.throws(() => loadHomeSpec(dir), (e: unknown) => e instanceof SpecError && e.source === dir && /^cannot read: /.test(e.problem));
    const missing = join(dir, 'nope.yaml');
    assert.throws(() => loadHomeSpec(missing), (e: unknown) => e instanceof SpecError && e.source === missing && /not a built-in home \(paper, /.test(e.problem));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** The vendor-rules categories that fit a device kind (sensors report through a hub or an alarm). */
const CATEGORIES_FOR_KIND: Readonly<Record<DeviceKind, readonly string[]>> = {
  lock: ['lock'], light: ['light'], alarm: ['alarm'], camera: ['camera'], plug: ['plug'], speaker: ['speaker'],
  thermostat: ['thermostat'], hub: ['hub'], motion: ['sensor', 'hub', 'alarm'], contact: ['sensor', 'hub', 'alarm'],
  pressure: ['sensor', 'hub', 'alarm'], interior: ['sensor', 'hub', 'alarm'],
};

test('the built-in homes use vendors whose vendor-rules category fits the kind, where the table has one', () => {
  const rules = defaultVendorRules().rules;
  for (const name of BUILTIN_HOMES) {
    for (const device of loadHomeSpec(name).devices) {
      const categories = new Set(rules.filter((r) => r.vendor === device.vendor).map((r) => r.category as string));
      const specific = [...categories].filter((c) => c !== 'generic' && c !== 'cloud');
      if (specific.length === 0) continue; // e.g. Tuya: one cloud for every kind of device
      assert.ok(specific.some((c) => CATEGORIES_FOR_KIND[device.kind].includes(c)), `${name}: ${device.id} is a ${device.kind} by ${device.vendor}, who makes ${specific.join(', ')}`);
    }
  }
});

test('the built-in homes differ: devices, vendors and residents vary from home to home', () => {
  const homes = BUILTIN_HOMES.map((name) => loadHomeSpec(name));
  const kinds = (name: string): Set<string> => new Set(homes.find((h) => h.name === name)!.devices.map((d) => d.kind));
  assert.deepEqual([...kinds('paper')].sort(), ['alarm', 'light', 'lock']);
  assert.equal(homes.find((h) => h.name === 'paper')!.residents.length, 1);
  for (const kind of ['camera', 'plug', 'speaker', 'thermostat', 'light', 'lock']) assert.ok(kinds('family').has(kind), `family has a ${kind}`);
  assert.ok(homes.find((h) => h.name === 'family')!.residents.length >= 3);
  assert.ok(homes.find((h) => h.name === 'family')!.devices.some((d) => d.kind === 'plug' && d.appliance !== undefined));
  assert.ok(!kinds('sensor-rich').has('lock'), 'sensor-rich has no smart lock');
  assert.ok(kinds('sensor-rich').has('motion') && kinds('sensor-rich').has('contact') && kinds('sensor-rich').has('hub'));
  assert.ok(homes.find((h) => h.name === 'night-shift')!.residents.some((r) => r.routine.workNights));
  const lockVendors = new Set(homes.flatMap((h) => h.devices.filter((d) => d.kind === 'lock').map((d) => d.vendor)));
  assert.ok(lockVendors.size >= 3, `lock vendors: ${[...lockVendors].join(', ')}`);
  const vendors = new Set(homes.flatMap((h) => h.devices.map((d) => d.vendor)));
  assert.ok(vendors.size >= 15, `${vendors.size} vendors`);
});

test('the built-in homes have actions for every kind they react with, and IPs in a 192.168.x.0/24', () => {
  for (const name of BUILTIN_HOMES) {
    const spec = loadHomeSpec(name);
    assert.match(spec.network.routerIp, /^192\.168\.\d+\.1$/);
    for (const device of spec.devices) if (device.ip !== undefined) assert.match(device.ip, /^192\.168\.\d+\.\d+$/);
    for (const reaction of spec.reactions) assert.ok(DEVICE_ACTIONS[reaction.kind].includes(reaction.action));
  }
});

test('the built-in homes\' MACs have a registered owner in the IEEE registry', (t) => {
  const registry = systemOuiRegistry();
  if (registry.problem !== null) {
    t.skip(registry.problem);
    return;
  }
  for (const name of BUILTIN_HOMES) {
    const spec = loadHomeSpec(name);
    const macs = [spec.network.routerMac, spec.network.ispMac, ...spec.devices.flatMap((d) => (d.mac === undefined ? [] : [d.mac]))];
    for (const mac of macs) {
      const owner = registry.lookup(parseInt(mac.replaceAll(':', ''), 16));
      assert.equal(owner?.kind, 'registered', `${name}: ${mac}`);
    }
  }
});

test('the example spec in data/homes/README.md is a valid home', () => {
  const readme = readFileSync(dataFile('homes/README.md'), 'utf8');
  const example = /```yaml\n([\s\S]*?)```/.exec(readme);
  assert.ok(example !== null, 'the README has a yaml block');
  const spec = parseHomeSpec(example[1], 'README.md');
  assert.equal(spec.name, 'my-home');
  assert.equal(spec.residents[0].routine.weekend[1].atMinutes, 24 * 60 + 30);
  assert.equal(spec.devices[3].via, 'base');
});

test('every network device of the built-in homes has a traffic profile for its vendor and kind in data/device-profiles.json', () => {
  const profiles = Object.values((JSON.parse(readFileSync(dataFile('device-profiles.json'), 'utf8')) as { profiles: Record<string, { vendor: string; kind: string }> }).profiles);
  for (const name of BUILTIN_HOMES) {
    for (const device of loadHomeSpec(name).devices) {
      if (device.via !== undefined) continue; // a sensor reports through its hub's profile
      assert.ok(profiles.some((p) => p.vendor === device.vendor && p.kind === device.kind), `${name}: no profile for a ${device.vendor} ${device.kind} (${device.id})`);
    }
  }
});
