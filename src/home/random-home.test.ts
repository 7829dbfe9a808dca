import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import type { Activity } from '../core/activities.js';
import { dataFile } from '../core/data-file.js';
import { systemOuiRegistry } from '../observe/oui.js';
import { defaultVendorRules } from '../observe/vendor-rules.js';
import { DISTRIBUTION_KINDS, HOME_DISTRIBUTIONS_FILE, loadHomeDistributions, parseHomeDistributions, type Distribution } from './home-distributions.js';
import { simulateLife } from './life.js';
import { randomHome, randomHomeLives, randomHomeYaml } from './random-home.js';
import { simulateHome } from './simulate.js';
import { loadHomeSpec, parseHomeSpec, type HomeSpec } from './spec.js';
import { SpecError } from './spec-error.js';
import { defaultProfile, loadDeviceProfiles } from './traffic/device-profiles.js';
import type { ActivityRecord } from './types.js';

const US_PER_MINUTE = 60e6;
const US_PER_DAY = 86_400e6;
/** Deviations of more than this many standard errors fail (two-sided, about 6e-7 each for a normal statistic). */
const Z = 5;
const distributions = loadHomeDistributions();

/** The drawn homes of seeds 0..n-1 with every draw from a distribution, by name. */
function drawHomes(n: number): { homes: HomeSpec[]; draws: Map<string, (string | number | boolean)[]> } {
  const draws = new Map<string, (string | number | boolean)[]>();
  const homes: HomeSpec[] = [];
  for (let seed = 0; seed < n; seed++) {
    homes.push(
      randomHome(seed, distributions, (name, value) => {
        const list = draws.get(name) ?? [];
        list.push(value);
        draws.set(name, list);
      }),
    );
  }
  return { homes, draws };
}

const DRAWN = drawHomes(500);

test('randomHome() is the same home for the same seed, and another for another seed', () => {
  for (const seed of [0, 1, 77, 4294967295]) assert.deepEqual(randomHome(seed), randomHome(seed));
  // Every home differs from every other beyond its name.
  const bodies = DRAWN.homes.map((h) => JSON.stringify({ ...h, name: '', description: '' }));
  assert.equal(new Set(bodies).size, bodies.length);
  assert.equal(loadHomeSpec('random:77').name, 'random-77');
  assert.deepEqual(loadHomeSpec('random:77'), randomHome(77));
  for (const bad of ['random:', 'random:-1', 'random:1.5', 'random:4294967296', 'random:x']) {
    assert.throws(() => loadHomeSpec(bad), (e: unknown) => e instanceof SpecError && e.source === bad && /random:SEED with a seed from 0 to 4294967295/.test(e.problem), bad);
  }
});

test('a random home lives the same days for the same seed', () => {
  const spec = randomHome(5);
  const a = [...simulateLife(spec, { days: 14, seed: 5 })];
  assert.deepEqual([...simulateLife(spec, { days: 14, seed: 5 })], a);
  const lives = [...randomHomeLives({ count: 3, firstSeed: 5, days: 14 })];
  assert.deepEqual(lives[0].spec, spec);
  assert.deepEqual(lives[0].activities, a.flatMap((d) => d.activities));
  assert.deepEqual(lives[0].events, a.flatMap((d) => d.events).sort((x, y) => x.timeUs - y.timeUs));
  assert.notDeepEqual(lives[1].events, lives[0].events);
  assert.deepEqual(lives.map((l) => l.seed), [5, 6, 7]);
});

/** The mean and variance of a distribution (a truncated normal's by numerical integration). */
function moments(d: Distribution): { mean: number; variance: number } {
  switch (d.kind) {
    case 'uniform':
      return { mean: (d.low + d.high) / 2, variance: (d.high - d.low) ** 2 / 12 };
    case 'int':
      return { mean: (d.low + d.high) / 2, variance: ((d.high - d.low + 1) ** 2 - 1) / 12 };
    case 'normal': {
      if (d.sd === 0) return { mean: d.mean, variance: 0 };
      const steps = 4000;
      const h = (d.max - d.min) / steps;
      let w = 0;
      let m1 = 0;
      let m2 = 0;
      for (let i = 0; i <= steps; i++) {
        const x = d.min + i * h;
        const f = Math.exp(-(((x - d.mean) / d.sd) ** 2) / 2) * (i === 0 || i === steps ? 1 : i % 2 === 1 ? 4 : 2);
        w += f;
        m1 += f * x;
        m2 += f * x * x;
      }
      const mean = m1 / w;
      return { mean, variance: m2 / w - mean * mean };
    }
    default:
      throw new RangeError(d.kind);
  }
}

test('random homes draw every distribution of the data file, within it: frequencies and means within 5 standard errors of their sample sizes', () => {
  for (const name of Object.keys(DISTRIBUTION_KINDS)) assert.ok(DRAWN.draws.has(name), `${name} is drawn in 500 homes`);
  let checked = 0;
  for (const [name, values] of DRAWN.draws) {
    const d = distributions.distributions.get(name)!.distribution;
    const n = values.length;
    if (d.kind === 'categorical' || d.kind === 'chance') {
      const outcomes = d.kind === 'chance' ? [true, false] : d.values;
      const probabilities = d.kind === 'chance' ? [d.p, 1 - d.p] : d.weights;
      outcomes.forEach((outcome, i) => {
        const p = probabilities[i];
        const seen = values.filter((v) => v === outcome).length / n;
        const se = Math.sqrt((p * (1 - p)) / n);
        assert.ok(Math.abs(seen - p) <= Z * se + 1e-12, `${name} = ${outcome}: ${seen.toFixed(3)} of ${n} draws, expected ${p.toFixed(3)} ± ${(Z * se).toFixed(3)}`);
      });
      assert.ok(values.every((v) => (outcomes as readonly (string | boolean)[]).includes(v as string | boolean)), `${name}: only its values`);
      checked++;
      continue;
    }
    // Passed on as parameters (the trips' nights): nothing drawn here.
    if (values.every((v) => Number.isNaN(v))) continue;
    const xs = values as number[];
    const [low, high] = d.kind === 'normal' ? [d.min, d.max] : [d.low, d.high];
    assert.ok(xs.every((x) => x >= low && x <= high), `${name}: every draw in [${low}, ${high}]`);
    if (d.kind === 'int') assert.ok(xs.every((x) => Number.isInteger(x)), `${name}: whole numbers`);
    const { mean, variance } = moments(d);
    const seen = xs.reduce((a, b) => a + b, 0) / n;
    const se = Math.sqrt(variance / n);
    assert.ok(Math.abs(seen - mean) <= Z * se + 1e-9, `${name}: mean ${seen.toFixed(3)} of ${n} draws, expected ${mean.toFixed(3)} ± ${(Z * se).toFixed(3)}`);
    checked++;
  }
  assert.ok(checked >= Object.keys(DISTRIBUTION_KINDS).length - 1);
});

test('random homes hold what was drawn: residents, device mixes, homes without a lock, label rules', () => {
  const sizes = DRAWN.draws.get('household.residents')!;
  assert.deepEqual(DRAWN.homes.map((h) => String(h.residents.length)), sizes);
  const archetypes = DRAWN.draws.get('home.archetype')!;
  DRAWN.homes.forEach((home, i) => {
    const kinds = new Set(home.devices.map((d) => d.kind));
    if (archetypes[i] === 'minimal') {
      assert.deepEqual(home.devices.filter((d) => d.kind === 'contact').length, 1, `${home.name}: one door contact`);
      assert.ok([...kinds].every((k) => ['motion', 'contact', 'hub', 'alarm'].includes(k)), `${home.name}: only motion sensors and a door contact (${[...kinds]})`);
    }
    if (archetypes[i] === 'sensor') assert.ok(kinds.has('interior') && kinds.has('motion') && !kinds.has('lock'), `${home.name}: a sensor home`);
    assert.deepEqual(home.labels, distributions.labels);
    assert.ok(home.residents.length >= 1 && home.residents.length <= 5);
  });
  // Homes without a lock: 0.35 × (1 - 0.26) + 0.30 + 0.15 + 0.20 × (1 - 0.25) of the file's weights.
  const w = (name: string, value: string): number => {
    const d = distributions.distributions.get(name)!.distribution as Extract<Distribution, { kind: 'categorical' }>;
    return d.weights[d.values.indexOf(value)];
  };
  const p = (name: string): number => (distributions.distributions.get(name)!.distribution as Extract<Distribution, { kind: 'chance' }>).p;
  const noLock = w('home.archetype', 'consumer') * (1 - p('consumer.lock')) + w('home.archetype', 'sensor') + w('home.archetype', 'minimal') + w('home.archetype', 'security') * (1 - p('security.lock'));
  const seen = DRAWN.homes.filter((h) => !h.devices.some((d) => d.kind === 'lock')).length / DRAWN.homes.length;
  const se = Math.sqrt((noLock * (1 - noLock)) / DRAWN.homes.length);
  assert.ok(Math.abs(seen - noLock) <= Z * se, `${seen} of homes without a lock, expected ${noLock.toFixed(3)} ± ${(Z * se).toFixed(3)}`);
  // Chatty sensors, naps, trips, faulty devices and clocks that are off all occur.
  assert.ok(DRAWN.homes.some((h) => h.noise.some((n) => n.ratePerHour >= 30 && n.when === 'someone_home')));
  assert.ok(DRAWN.homes.some((h) => h.noise.some((n) => n.ratePerHour >= 20 && n.when === 'someone_asleep')));
  assert.ok(DRAWN.homes.some((h) => h.residents.some((r) => r.routine.rotation !== null)));
  assert.ok(DRAWN.homes.some((h) => h.residents.some((r) => r.routine.workNights)));
  assert.ok(DRAWN.homes.some((h) => h.devices.some((d) => d.reports !== undefined)));
  assert.ok(DRAWN.homes.some((h) => h.clock !== null) && DRAWN.homes.some((h) => h.clock === null));
});

test('every maker of the data file has a traffic profile for its kind, a fitting vendor rule, and MAC blocks registered to it or its Wi-Fi module maker', (t) => {
  const profiles = loadDeviceProfiles();
  const rules = defaultVendorRules().rules;
  const registry = systemOuiRegistry();
  const fits: Readonly<Record<string, readonly string[]>> = { lock: ['lock'], light: ['light'], alarm: ['alarm'], camera: ['camera'], plug: ['plug'], speaker: ['speaker'], thermostat: ['thermostat'], hub: ['hub'] };
  const registered = (oui: string, vendor: string): boolean => {
    const owner = registry.lookup(parseInt(`${oui}:00:00:01`.replaceAll(':', ''), 16));
    const name = (owner?.kind === 'registered' ? owner.vendor : '').toLowerCase();
    const words: Readonly<Record<string, string>> = { Yale: 'assa abloy', 'Philips Hue': 'philips', LIFX: 'lifi labs', 'Google Nest': 'nest labs', 'Samsung SmartThings': 'smartthings', 'Raspberry Pi Foundation': 'raspberry pi' };
    return name.includes((words[vendor] ?? vendor).toLowerCase()) || name.includes('espressif');
  };
  for (const [kind, makers] of distributions.vendors) {
    for (const { vendor, ouis } of makers) {
      assert.ok(defaultProfile(profiles, vendor, kind) !== undefined, `${vendor} ${kind} has a traffic profile`);
      const categories = rules.filter((r) => r.vendor === vendor).map((r) => r.category as string);
      assert.ok(categories.some((c) => fits[kind].includes(c) || c === 'generic'), `${vendor} ${kind}: vendor rules say ${categories.join(', ')}`);
      if (registry.problem === null) for (const oui of ouis) assert.ok(registered(oui, vendor), `${oui} is ${vendor}'s`);
    }
  }
  if (registry.problem !== null) {
    t.skip(`MAC blocks not checked: ${registry.problem}`);
    return;
  }
  for (const { vendor, ouis } of [...distributions.routers, ...distributions.isps]) for (const oui of ouis) assert.ok(registered(oui, vendor), `${oui} is ${vendor}'s`);
});

test('every random home simulates without error: 300 homes\' lives, and 6 of them as captures at each vantage', () => {
  let events = 0;
  for (const home of randomHomeLives({ count: 300, firstSeed: 1000, days: 4 })) events += home.events.length;
  assert.ok(events > 300 * 4 * 10, `${events} device uses`);
  const dir = mkdtempSync(join(tmpdir(), 'peephole-random-'));
  try {
    for (let seed = 0; seed < 6; seed++) {
      for (const vantage of ['lan', 'wan', 'wifi'] as const) {
        const spec = randomHome(seed);
        const result = simulateHome({ spec, source: `random:${seed}`, days: 1, seed, out: join(dir, `${seed}-${vantage}`), vantage, format: 'pcap' });
        assert.ok(result.packets > 1000, `random:${seed} ${vantage}: ${result.packets} packets`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/**
 * The label rules, applied afresh to a resident's whole lived sequence (not streaming): what the
 * labels of a home with rules must be.
 */
function labelsByRules(lived: readonly ActivityRecord[], spec: HomeSpec): string[] {
  const rules = spec.labels!;
  const out: string[] = [];
  const key = (a: ActivityRecord, activity: Activity = a.activity): string => `${a.timeUs} ${a.resident} ${activity}`;
  for (const resident of spec.residents) {
    const mine = lived.filter((a) => a.resident === resident.id);
    const sleeps: { first: number; last: number }[] = [];
    mine.forEach((a, i) => {
      const next = mine[i + 1];
      if (a.activity === 'leave_home' || a.activity === 'leave_temporarily') {
        const long = next === undefined || next.timeUs - a.timeUs >= rules.leaveHomeAfterMinutes * US_PER_MINUTE;
        out.push(key(a, long ? 'leave_home' : 'leave_temporarily'));
        if (next !== undefined && (long || rules.returnAfterShortAbsence)) out.push(key(next));
      } else if (a.activity === 'return_home' && i === 0) {
        out.push(key(a));
      } else if (a.activity === 'wake_up' && i === 0) {
        out.push(key(a));
      } else if (a.activity === 'go_to_bed') {
        const last = sleeps[sleeps.length - 1];
        if (last !== undefined && mine[last.last] !== undefined && a.timeUs - mine[last.last].timeUs < rules.sleepGapMinutes * US_PER_MINUTE) last.last = i + 1;
        else sleeps.push({ first: i, last: i + 1 });
      }
    });
    const nights = new Map<number, { first: number; last: number }[]>();
    for (const s of sleeps) {
      const night = Math.floor((mine[s.first].timeUs - 12 * 3600e6) / US_PER_DAY);
      nights.set(night, [...(nights.get(night) ?? []), s]);
    }
    for (const list of nights.values()) {
      const length = (s: { first: number; last: number }): number => (mine[s.last] === undefined ? 0 : mine[s.last].timeUs - mine[s.first].timeUs);
      const best = list.reduce((a, b) => (length(b) > length(a) ? b : a));
      if (mine[best.last] !== undefined && length(best) >= rules.shortestNightMinutes * US_PER_MINUTE) out.push(key(mine[best.first]), key(mine[best.last]));
    }
  }
  return out.sort();
}

test('random homes label as the real labelled homes: absences at the 2 h line, nights of 3 h or more, one of each per night', () => {
  let labels = 0;
  let changed = 0;
  for (let seed = 0; seed < 25; seed++) {
    const spec = randomHome(seed);
    const days = 28;
    // Lived as it happened (the residents' days do not depend on labels), for 5 more days so that every label of the 28 is settled.
    const lived = [...simulateLife({ ...spec, labels: null }, { days: days + 5, seed })].flatMap((d) => d.activities);
    const labelled = [...simulateLife(spec, { days, seed })].flatMap((d) => d.activities);
    const got = labelled.map((a) => `${a.timeUs} ${a.resident} ${a.activity}`).sort();
    const endUs = spec.startUs + days * US_PER_DAY;
    // The labels of the 28 days: those of lived activities drawn in them (drawn days end at most a day after).
    const before = (k: string): boolean => Number(k.split(' ')[0]) < endUs - US_PER_DAY;
    assert.deepEqual(got.filter(before), labelsByRules(lived, spec).filter(before), `random:${seed}`);
    labels += got.length;
    changed += lived.length - got.length;
    // Every labelled absence and night keeps the lines.
    for (const resident of spec.residents) {
      const mine = labelled.filter((a) => a.resident === resident.id);
      mine.forEach((a, i) => {
        const next = mine[i + 1];
        if (next === undefined) return;
        if (a.activity === 'leave_home') assert.ok(next.activity === 'return_home' && next.timeUs - a.timeUs >= 120 * US_PER_MINUTE, `random:${seed} ${resident.id}: leave_home then ${next.activity}`);
        if (a.activity === 'go_to_bed') assert.ok(next.activity === 'wake_up' && next.timeUs - a.timeUs >= 180 * US_PER_MINUTE, `random:${seed} ${resident.id}: go_to_bed then ${next.activity}`);
        if (a.activity === 'wake_up') assert.notEqual(next.activity, 'wake_up');
      });
    }
  }
  assert.ok(labels > 1000 && changed > 100, `${labels} labels; ${changed} lived activities not labelled (naps, returns from short outings)`);
});

test('randomHomeYaml() writes the home it drew: read back, it is the same spec', () => {
  for (let seed = 0; seed < 40; seed++) assert.deepEqual(parseHomeSpec(randomHomeYaml(seed), `random-${seed}.yaml`), randomHome(seed), `seed ${seed}`);
  const text = randomHomeYaml(3);
  assert.match(text, /^# A random home, drawn by peephole from seed 3 \(--home random:3\)/);
  assert.doesNotMatch(text, /[&*]a\d/, 'no YAML anchors or aliases');
});

test('the distributions file is checked: a missing, unknown or unsourced entry names the file and the field', () => {
  const text = readFileSync(dataFile(HOME_DISTRIBUTIONS_FILE), 'utf8');
  const file = 'd.yaml';
  const changed = (change: (doc: Record<string, any>) => void): string => {
    const doc = parseYaml(text);
    change(doc);
    return toYaml(doc);
  };
  const cases: [string, (doc: Record<string, any>) => void, string, RegExp][] = [
    ['a missing distribution', (d) => delete d.distributions['sleep.workdayBedtime'], 'distributions.sleep.workdayBedtime', /required distribution missing/],
    ['an unknown distribution', (d) => (d.distributions['sleep.typo'] = { chance: 0.5, source: 'assumption', note: 'x' }), 'distributions.sleep.typo', /unknown distribution/],
    ['the wrong kind', (d) => (d.distributions['consumer.lock'] = { uniform: [0, 1], source: 'assumption', note: 'x' }), 'distributions.consumer.lock.uniform', /unknown field/],
    ['an unknown source', (d) => (d.distributions['consumer.lock'].source = 'a-blog'), 'distributions.consumer.lock.source', /one of the file's sources or "assumption"/],
    ['an assumption without a reason', (d) => delete d.distributions['guests.perWeek'].note, 'distributions.guests.perWeek.note', /an assumption needs a note/],
    ['a probability above 1', (d) => (d.distributions['consumer.lock'].chance = 1.2), 'distributions.consumer.lock.chance', /from 0 to 1/],
    ['a normal with its mean outside its bounds', (d) => (d.distributions['work.commute'].normal.mean = 200), 'distributions.work.commute.normal', /min <= mean <= max/],
    ['a MAC block that is not one', (d) => (d.vendors.lock.August = ['78:9c']), 'vendors.lock.August[0]', /MAC block "aa:bb:cc"/],
  ];
  for (const [what, change, field, pattern] of cases) {
    assert.throws(
      () => parseHomeDistributions(changed(change), file),
      (e: unknown) => e instanceof SpecError && e.source === file && e.field === field && pattern.test(e.problem),
      what,
    );
  }
  assert.doesNotThrow(() => parseHomeDistributions(text, file));
});
