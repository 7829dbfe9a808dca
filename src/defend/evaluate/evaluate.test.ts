// The evaluation of defences (issue 15, items 3 and 4), small enough for the suite: the paper's
// injection brings the published network's scenario accuracy down as its Figure 5 reports (to the
// lowest level), and on a simulated home stochastic padding at the parameter the sweep recommends
// keeps the adaptive observer under the target on days it was not chosen on; the frontier's files
// are written and say the same numbers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadHomeSpec } from '../../home/spec.js';
import { createDefence, strategyOf } from '../registry.js';
import { STOCHASTIC_PADDING } from '../strategies/stochastic-padding.js';
import { INJECT } from '../strategies/inject.js';
import { PAD } from '../strategies/pad.js';
import { RANDOM_COVER } from '../strategies/random-cover.js';
import { TUNNEL } from '../strategies/tunnel.js';
import { recommend, sweepDefences } from './sweep.js';
import { labelDetected } from './captured.js';
import type { Strategy } from '../strategy.js';
import { paperFigures } from './paper-figures.js';
import { evaluateDefences } from './run.js';
import { fitObserver, observedLife, timelineF1 } from './observers.js';
import { FRONTIER_CSV_HEADER, frontierText } from './frontier.js';
import { ENCRYPTED_DNS } from '../strategies/encrypted-dns.js';

const dir = mkdtempSync(path.join(tmpdir(), 'peephole-defend-evaluate-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47]);

test("the paper's fake-data injection brings the published network from most scenarios right to the lowest level (Figure 5)", async () => {
  // The published network on the first 20,000 records for 3 epochs: a quick fit that still gets most scenarios right.
  const r = await paperFigures({ out: path.join(dir, 'paper'), seed: 1, epochs: 3, period: 60, trainingRows: 20_000 });
  assert.ok(r.before.correct >= 6, `${r.before.correct} of 8 right as lived`);
  // The lowest level: no better than always answering the most common class (2 of the 8 scenarios).
  assert.ok(r.after.correct <= 2, `${r.after.correct} of 8 right with fake data`);
  const predictedClasses = new Set(r.after.scenarios.map((s) => s.predicted));
  assert.ok(predictedClasses.size <= 3, `the injected scenarios are told apart into ${predictedClasses.size} classes`);
  for (const name of ['figure4-confusion.png', 'figure5-confusion.png', 'figure6-top-predicted-vs-expected.png', 'figure6-bottom-predicted-vs-expected.png']) {
    const file = r.files.find((f) => f.endsWith(`/${name}`));
    assert.ok(file !== undefined, name);
    assert.ok(readFileSync(file).subarray(0, 4).equals(PNG), `${name} is a PNG`);
  }
  const figure5 = readFileSync(r.files.find((f) => f.endsWith('/figure5-confusion.csv'))!, 'utf8');
  assert.match(figure5, /wake_up/);
});

test('stochastic padding at the recommended ratio keeps the adaptive observer under the target on other days; the frontier says so', async () => {
  const spec = loadHomeSpec('paper');
  // The paper home's few activities a day make 7 days a wide bound: ratio 8's strongest observer
  // reads 0.227 on them, its 95% bound 0.420 (ratio 1: 0.570, bound 0.844).
  const target = 0.45;
  // Fewer points than the full sweep, to keep the suite short.
  const stp: Strategy = { ...STOCHASTIC_PADDING, sweep: { param: 'ratio', values: [1, 8] } };
  const inject: Strategy = { ...INJECT, sweep: { param: 'period', values: [60] } };
  const observers = { preset: 'sequence' as const, epochs: 10, seed: 3 };
  const out = path.join(dir, 'frontier');
  const r = await evaluateDefences({ spec, source: 'paper', out, seed: 3, strategies: [stp, inject], target, trainDays: 14, testDays: 7, costDays: 1, observers, toleranceMinutes: 15 });
  assert.ok(r.sweep.references.undefended > target, `the undefended attack (${r.sweep.references.undefended}) is above the target`);
  assert.ok(r.sweep.references.chance < r.sweep.references.undefended);
  // Periodic injection: the naive observer falls, the adaptive one sees through it.
  const periodic = r.sweep.points.find((p) => p.strategy === 'inject')!;
  assert.ok(periodic.f1.naive < r.sweep.references.undefended && periodic.f1.adaptive > periodic.f1.naive, JSON.stringify(periodic.f1));
  assert.ok(r.recommended !== null && r.recommended.strategy === 'stp', `recommended ${JSON.stringify(r.recommended)} of ${JSON.stringify(r.sweep.points.map((p) => [p.strategy, p.value, p.strongest, p.strongestBound]))}`);
  const ratio = r.recommended.value as number;
  assert.ok(r.recommended.cost.extraMbPerMonth > 0 && r.recommended.cost.delayP95S === 0);

  // Other days: the adaptive observer retrained on defended days, scored on days the sweep never saw.
  const defence = () => createDefence('stp', { ratio });
  const adaptive = await fitObserver(observedLife(spec, 14, 77, defence()).events, observers, 'defended');
  const test7 = observedLife(spec, 7, 78, defence());
  const f1 = timelineF1(adaptive, test7.events, test7.activities, 15 * 60e6);
  assert.ok(f1 < target, `the adaptive observer at ${f1.toFixed(3)} on other days`);

  const csv = readFileSync(path.join(out, 'frontier.csv'), 'utf8').trim().split('\n');
  assert.equal(csv[0], FRONTIER_CSV_HEADER);
  assert.equal(csv.length, 1 + r.sweep.points.length);
  const text = readFileSync(path.join(out, 'frontier.txt'), 'utf8');
  assert.match(text, new RegExp(`Recommendation: stp ratio=${ratio}: the strongest observer at ${r.recommended.strongest.toFixed(3)}, its 95% upper bound ${r.recommended.strongestBound.toFixed(3)} \\(under ${target}\\)`));
  // The bound beside the score in each row of the CSV, and the same in the JSON.
  r.sweep.points.forEach((p, i) => assert.equal(csv[1 + i].split(',').at(-1), p.strongestBound.toFixed(3)));
  const json = JSON.parse(readFileSync(path.join(out, 'frontier.json'), 'utf8'));
  assert.deepEqual(json.settings.bound, { over: 'test days', level: 0.95, resamples: 2000, seed: 3 });
  assert.equal(json.recommended.strongestBound, r.recommended.strongestBound);
  assert.ok(readFileSync(path.join(out, 'frontier.png')).subarray(0, 4).equals(PNG));
  assert.match(readFileSync(path.join(out, 'frontier.svg'), 'utf8'), /^<svg/);
});

test('observers on defended captures: through a tunnel the detection reads one device of no vendor and many uses; padding leaves the uses it finds; cover is scored on uses, with the size-aware observer on its capture; identification re-run: one device through the box, every vendor still named with encrypted DNS, none by a name with ECH too', async () => {
  const spec = loadHomeSpec('paper');
  const tunnel: Strategy = { ...TUNNEL, params: TUNNEL.params.map((p) => ({ ...p, choices: ['home'] })) };
  const pad: Strategy = { ...PAD, sweep: { param: 'bucket', values: [256] } };
  const cover: Strategy = { ...RANDOM_COVER, sweep: { param: 'perDay', values: [8] } };
  const observers = { preset: 'sequence' as const, epochs: 2, seed: 3 };
  const dns: Strategy = { ...ENCRYPTED_DNS, sweep: null };
  const r = await sweepDefences({ spec, source: 'paper', strategies: [tunnel, pad, cover, dns, strategyOf('encrypted-dns+ech')], seed: 3, trainDays: 3, testDays: 2, costDays: 1, observers, toleranceUs: 15 * 60e6, work: path.join(dir, 'captured') });
  const [box, padded, covered, private_, hidden] = r.points;
  assert.equal(box.observedOn, 'capture');
  assert.equal(box.capture!.devices, 1, 'the tunnel box is the one device the detection tells apart');
  assert.deepEqual(box.capture!.vendors, []);
  assert.equal(padded.observedOn, 'capture');
  assert.ok(padded.capture!.devices >= spec.devices.length - 1, `${padded.capture!.devices} devices told apart through padding`);
  assert.ok(box.usesSeenPerDay > 10 * padded.usesSeenPerDay, `${box.usesSeenPerDay} uses a day through the tunnel, ${padded.usesSeenPerDay} padded`);
  assert.equal(typeof r.references.undefendedCapture, 'number');
  assert.equal(covered.observedOn, 'uses');
  assert.notEqual(covered.capture, null);
  assert.equal(typeof covered.f1.awareSizes, 'number');
  assert.ok(covered.capture!.coverTold !== null && covered.capture!.coverTold >= 0 && covered.capture!.coverTold <= 1);
  assert.equal(covered.strongest, Math.max(covered.f1.adaptive, covered.f1.aware ?? 0, covered.f1.awareSizes ?? 0));

  // Device identification re-run on the defended day: the box hides who is there; encrypted DNS
  // leaves every vendor named (by the MAC's registry and the devices' own TLS server names).
  const lived = r.references.identification!;
  assert.ok(lived.devices >= spec.devices.length - 1 && lived.vendors.length >= 3, JSON.stringify(lived));
  assert.deepEqual({ devices: box.identification!.devices, vendors: box.identification!.vendors, named: box.identification!.namedByNames }, { devices: 1, vendors: [], named: 0 });
  assert.deepEqual(padded.identification, lived);
  assert.equal(private_.strategy, 'encrypted-dns');
  assert.deepEqual(private_.identification!.vendors, lived.vendors);
  assert.equal(private_.identification!.namedByNames, lived.namedByNames, 'named by their TLS server names when DNS is hidden');
  // With ECH too, no device is named by what it said; on the LAN its MAC's registry still names it.
  assert.equal(hidden.strategy, 'encrypted-dns+ech');
  assert.equal(hidden.identification!.namedByNames, 0, 'named by a name with encrypted DNS and ECH');
  assert.equal(hidden.identification!.devices, lived.devices);
  assert.ok(hidden.identification!.vendors.length >= 3, `vendors by their OUIs: ${hidden.identification!.vendors.join(', ')}`);
  assert.ok(hidden.cost.extraBytesPerDay > private_.cost.extraBytesPerDay, 'the hellos grow');
const text = frontierText(r, 0.3, null);
  assert.match(text, /\n {2}tunnel scope=home: 1 device\(s\), no vendor named; 0 named by what they said/);
  assert.match(text, new RegExp(`\\n {2}random-cover: perDay=8 ${Math.round(100 * covered.capture!.coverTold!)}%`));
});

test('labelDetected: the cause of the nearest truth use within 5 s, any device; noise without one', () => {
  const detected = [0, 10e6, 30e6].map((t) => ({ timeUs: t + 1_000_000, endUs: t + 2_000_000, device: 'box', kind: 'other' as const, packets: 3, bytes: 900, direction: 'both' as const, confidence: 0.9 }));
  const truth = [
    { timeUs: 0, device: 'lamp', kind: 'light', cause: 'wake_up' as const },
    { timeUs: 10_500_000, device: 'plug', kind: 'plug', cause: 'cover' as const },
    { timeUs: 12_000_000, device: 'lock', kind: 'lock', cause: 'leave_home' as const },
  ];
  assert.deepEqual(labelDetected(detected, truth).map((u) => u.cause), ['wake_up', 'cover', 'noise']);
});

// The full sweep (peephole defend evaluate --home family --strategies stp) scores ratio 4's strongest
// observer at 0.289 on its own 7 test days, under 0.3; the adaptive observer of these other days reads
// it at 0.351. The 95% bound of that score over the test days is 0.364, so the sweep refuses it and
// recommends ratio 8 (0.218, bound 0.259), which these days read at 0.238 against 0.519 as lived.
test('on the family home, stochastic padding at the ratio the sweep recommends (its bound under 0.3) keeps the adaptive observer under 0.3 on days the sweep never saw', async () => {
  const spec = loadHomeSpec('family');
  const target = 0.3;
  const observers = { preset: 'sequence' as const, epochs: 15, seed: 1 };
  // The sweep's points around its choice (each point is scored alone: these are the full sweep's own figures).
  const stp: Strategy = { ...STOCHASTIC_PADDING, sweep: { param: 'ratio', values: [4, 8] } };
  const r = await sweepDefences({ spec, source: 'family', strategies: [stp], seed: 1, trainDays: 21, testDays: 7, costDays: 1, observers, toleranceUs: 15 * 60e6, work: path.join(dir, 'family') });
  for (const p of r.points) assert.ok(p.strongestBound >= p.strongest, `ratio ${p.value}: bound ${p.strongestBound} under the score ${p.strongest}`);
  const recommended = recommend(r.points, target);
  assert.ok(recommended !== null && recommended.strongestBound < target, JSON.stringify(r.points.map((p) => [p.value, p.strongest, p.strongestBound])));
  const ratio = recommended.value as number;

  const fresh = { ...observers, seed: 5 };
  const defence = () => createDefence('stp', { ratio });
  const adaptive = await fitObserver(observedLife(spec, 21, 501, defence()).events, fresh, 'family defended');
  const days = observedLife(spec, 7, 502, defence());
  const f1 = timelineF1(adaptive, days.events, days.activities, 15 * 60e6);
  // The same observer on the home as lived: the padding, not a weak observer, keeps it down.
  const lived = await fitObserver(observedLife(spec, 21, 501, null).events, fresh, 'family as lived');
  const livedDays = observedLife(spec, 7, 502, null);
  const undefended = timelineF1(lived, livedDays.events, livedDays.activities, 15 * 60e6);
  assert.ok(f1 < target && undefended > target, `ratio ${ratio}: adaptive ${f1.toFixed(3)} defended, ${undefended.toFixed(3)} as lived`);
});
