import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dataFile } from '../../core/data-file.js';
import { defaultVendorRules } from '../../observe/vendor-rules.js';
import { SpecError } from '../spec-error.js';
import { DEVICE_ACTIONS, type DeviceKind } from '../../core/kinds.js';
import { actionsNeeded, loadDeviceProfiles, parseDeviceProfiles, profileFor, DEVICE_PROFILES_FILE } from './device-profiles.js';

const FILE = dataFile(DEVICE_PROFILES_FILE);
const TEXT = readFileSync(FILE, 'utf8');

/** The built-in profiles' JSON with `edit` applied to one profile. */
function edited(id: string, edit: (p: Record<string, unknown>) => void): string {
  const json = JSON.parse(TEXT) as { profiles: Record<string, Record<string, unknown>> };
  edit(json.profiles[id]);
  return JSON.stringify(json);
}

function specError(run: () => unknown, field: string, problem: RegExp): void {
  assert.throws(run, (e: unknown) => {
    assert.ok(e instanceof SpecError, `expected a SpecError, got ${String(e)}`);
    assert.equal(e.field, field);
    assert.match(e.problem, problem);
    return true;
  });
}

test('loadDeviceProfiles() reads the built-in profiles of every vendor the simulator covers', () => {
  const profiles = loadDeviceProfiles();
  const have = new Set([...profiles.byId.values()].map((p) => `${p.vendor} ${p.kind}`));
  const wanted: [DeviceKind, string[]][] = [
    ['lock', ['August', 'Yale', 'Schlage']],
    ['light', ['Philips Hue', 'LIFX', 'Sengled', 'Tuya']],
    ['alarm', ['SimpliSafe', 'abode']],
    ['camera', ['Wyze', 'Arlo', 'Blink', 'Eufy']],
    ['plug', ['TP-Link', 'Belkin', 'Meross', 'Shelly']],
    ['speaker', ['Amazon', 'Sonos']],
    ['thermostat', ['ecobee', 'Google Nest', 'tado', 'Hive']],
    ['hub', ['Samsung SmartThings']],
  ];
  for (const [kind, vendors] of wanted) for (const v of vendors) assert.ok(have.has(`${v} ${kind}`), `${v} ${kind}`);
});

test('every built-in profile shapes each action of its kind, and a hub its sensors\' reports', () => {
  for (const p of loadDeviceProfiles().byId.values()) {
    for (const a of DEVICE_ACTIONS[p.kind]) assert.ok(a in p.actions, `${p.id}: ${a}`);
    if (p.kind === 'hub') for (const a of ['motion', 'open', 'close', 'press', 'release']) assert.ok(a in p.actions, `${p.id}: ${a}`);
  }
  assert.deepEqual(actionsNeeded('hub'), ['motion', 'open', 'close', 'press', 'release']);
});

test('every name a built-in profile looks up is named for its vendor by data/vendor-rules.tsv, or says only "a cloud"', () => {
  const rules = defaultVendorRules();
  for (const p of loadDeviceProfiles().byId.values()) {
    for (const d of p.dns) {
      const rule = rules.match(d.name);
      assert.ok(rule !== null, `${p.id}: ${d.name} matches no rule`);
      assert.ok(rule.vendor === p.vendor || rule.category === 'cloud', `${p.id}: ${d.name} is ${rule.vendor}'s`);
    }
    // The cloud sessions (their SNI) name the vendor itself.
    for (const s of p.sessions) assert.equal(rules.match(s.name)?.vendor, p.vendor, `${p.id}: ${s.name}`);
  }
});

test('every built-in profile entry says its basis, and the sources it names exist', () => {
  const json = JSON.parse(TEXT) as { sources: Record<string, string>; profiles: Record<string, { sources: string[] }> };
  for (const p of loadDeviceProfiles().byId.values()) {
    const bases = [...p.dns.map((d) => d.basis), ...p.sessions.map((s) => s.basis), ...Object.values(p.actions).map((a) => a.basis)];
    if (p.ntp) bases.push(p.ntp.basis);
    for (const b of bases) assert.match(b, /measured|assumption|vendor-rules/, `${p.id}: ${b}`);
    for (const s of json.profiles[p.id].sources) assert.ok(s in json.sources, `${p.id}: ${s}`);
  }
});

test('parseDeviceProfiles() names the profile and field of an action with no burst shape', () => {
  specError(() => parseDeviceProfiles(edited('august-lock', (p) => delete (p.actions as Record<string, unknown>).unlock), 'p.json'), 'profiles.august-lock.actions', /no burst shape for the lock action "unlock"/);
});

test('parseDeviceProfiles() rejects an unknown kind, a message of no size and a session name it does not look up', () => {
  specError(() => parseDeviceProfiles(edited('august-lock', (p) => (p.kind = 'toaster')), 'p.json'), 'profiles.august-lock.kind', /expected one of lock/);
  specError(
    () => parseDeviceProfiles(edited('august-lock', (p) => ((p.actions as Record<string, { messages: unknown[] }>).lock.messages[1] = ['down', 0, 10])), 'p.json'),
    'profiles.august-lock.actions.lock.messages[1][1]',
    /expected a number from 6/,
  );
  specError(
    () => parseDeviceProfiles(edited('august-lock', (p) => ((p.sessions as { name: string }[])[0].name = 'api.example.com')), 'p.json'),
    'profiles.august-lock.sessions[0].name',
    /not one of the profile's dns names/,
  );
});

test('parseDeviceProfiles() reads a name\'s refresh rule, "ttl" when not given, and rejects another', () => {
  const hub = loadDeviceProfiles().byId.get('philips-hue-light');
  assert.deepEqual(hub?.dns.map((d) => d.refresh), ['ttl', 'on-use']);
  specError(() => parseDeviceProfiles(edited('august-lock', (p) => ((p.dns as { refresh: string }[])[0].refresh = 'hourly')), 'p.json'), 'profiles.august-lock.dns[0].refresh', /expected "ttl" or "on-use"/);
});

test('parseDeviceProfiles() rejects a session port on which tshark would not read TLS', () => {
  specError(() => parseDeviceProfiles(edited('shelly-plug', (p) => ((p.sessions as { port: number }[])[0].port = 6022)), 'p.json'), 'profiles.shelly-plug.sessions[0].port', /tshark does not read TLS on port 6022/);
});

test('profileFor() picks the vendor\'s profile for the kind, or names devices[i].profile when there is none', () => {
  const profiles = loadDeviceProfiles();
  assert.equal(profileFor(profiles, 'home.json', 0, { id: 'l', kind: 'lock', vendor: 'August' }).id, 'august-lock');
  assert.equal(profileFor(profiles, 'home.json', 0, { id: 'l', kind: 'light', vendor: 'Tuya' }).id, 'tuya-light');
  specError(() => profileFor(profiles, 'home.json', 3, { id: 'l', kind: 'lock', vendor: 'Philips Hue' }), 'devices[3].profile', /no traffic profile for a Philips Hue lock/);
  specError(() => profileFor(profiles, 'home.json', 2, { id: 'l', kind: 'lock', vendor: 'August', profile: 'nope' }), 'devices[2].profile', /no traffic profile "nope"/);
  specError(() => profileFor(profiles, 'home.json', 1, { id: 'l', kind: 'lock', vendor: 'August', profile: 'tuya-plug' }), 'devices[1].profile', /is for a plug, not a lock/);
});
