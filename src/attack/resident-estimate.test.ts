import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DeviceUse } from '../core/device-use.js';
import { classProbabilities, estimateBasis, estimateResidents, featureVector, fitResidentClassifier, nothingToCount, residentFeatures, RESIDENT_CLASSIFIER } from './resident-estimate.js';
import { DEFAULT_STRUCTURE, structuredDay } from './structured-day.js';
import { StructuredPreset } from './structured-preset.js';

const DAY0_US = Date.UTC(2026, 10, 2) * 1000;
const MIN = 60e6;

/** One resident, `days` days: up at 07:00, out through the door from 08:30 to 17:30, to bed at 23:00. */
function oneResident(days: number): DeviceUse[] {
  const uses: DeviceUse[] = [];
  for (let d = 0; d < days; d++) {
    const at = (m: number): number => DAY0_US + (d * 1440 + m) * MIN;
    for (let m = 420; m < 505; m += 4) uses.push({ timeUs: at(m), device: 'kitchen', kind: 'motion' });
    uses.push({ timeUs: at(510), device: 'front', kind: 'door' }, { timeUs: at(1050), device: 'front', kind: 'door' });
    for (let m = 1055; m < 1380; m += 6) uses.push({ timeUs: at(m), device: 'lounge', kind: 'light' });
  }
  return uses;
}

/**
 * A household on shifts, `days` days: someone is always home and up from 06:00 to 01:00 (the home
 * never empties), the front door used in the middle of the day as one comes and another goes.
 */
function household(days: number): DeviceUse[] {
  const uses: DeviceUse[] = [];
  for (let d = 0; d < days; d++) {
    const at = (m: number): number => DAY0_US + (d * 1440 + m) * MIN;
    for (let m = 360; m < 1500; m += 5) uses.push({ timeUs: at(m), device: m % 10 === 0 ? 'kitchen' : 'lounge', kind: m % 10 === 0 ? 'motion' : 'light' });
    uses.push({ timeUs: at(781), device: 'front', kind: 'door' }, { timeUs: at(1021), device: 'front', kind: 'door' });
  }
  return uses.sort((a, b) => a.timeUs - b.timeUs);
}

test('a home of one who leaves every day through the door is estimated as one resident', () => {
  const uses = oneResident(10);
  const chain = structuredDay(uses, DEFAULT_STRUCTURE, 1);
  const f = residentFeatures(uses, chain);
  // Out 9 h of each day: the chain's absences hold most of them.
  assert.ok(f.outShare > 0.3 && f.outShare < 0.45, `out share ${f.outShare}`);
  assert.ok(f.longOutsPerDay > 0.8 && f.longOutsPerDay <= 1.1, `${f.longOutsPerDay} long absences a day`);
  const e = estimateResidents(uses, chain);
  assert.equal(e.residents, 1, estimateBasis(e));
  assert.equal(e.probabilities.length, 5);
  assert.ok(Math.abs(e.probabilities.reduce((a, b) => a + b, 0) - 1) < 1e-9);
});

test('a home that never empties, its door used mid-waking, is estimated as several residents', () => {
  const uses = household(10);
  const chain = structuredDay(uses, DEFAULT_STRUCTURE, 1);
  const f = residentFeatures(uses, chain);
  assert.ok(f.outShare < 0.02, `out share ${f.outShare}`);
  assert.equal(f.entranceMidShare, 1);
  const e = estimateResidents(uses, chain);
  assert.ok(e.residents >= 2, estimateBasis(e));
});

test('under two days of uses a home is read as one, and the basis says so', () => {
  const uses = household(1);
  const e = estimateResidents(uses, structuredDay(uses, DEFAULT_STRUCTURE, 1));
  assert.equal(e.residents, 1);
  assert.deepEqual(e.probabilities, []);
  assert.match(estimateBasis(e), /^under 2 days of uses: read as one/);
});

test('a home with no absence, no entrance use and uses unlike every fitting home is read as one; either alone is not enough', () => {
  // As the shared capture of one outdoor camera for a week: never out, no entrance, its waking
  // edges at 0.22 times its middle's rate.
  const camera = { days: 7, outShare: 0, longOutsPerDay: 0, edgeRatio: Math.log(0.22), entranceMidShare: -1 };
  assert.ok(nothingToCount(camera));
  // The softmax alone would extrapolate to several residents.
  const p = classProbabilities(RESIDENT_CLASSIFIER, featureVector(camera));
  assert.ok(p.indexOf(Math.max(...p)) >= 1, `P ${p.join(' ')}`);
  assert.ok(!nothingToCount({ ...camera, edgeRatio: 0 }), 'within the fitting homes: the classifier decides');
  assert.ok(!nothingToCount({ ...camera, entranceMidShare: 0.5 }), 'an entrance to go by');
  assert.ok(!nothingToCount({ ...camera, outShare: 0.2 }), 'absences to go by');
  const e = estimateResidents(household(10), structuredDay(household(10), DEFAULT_STRUCTURE, 1));
  assert.notEqual(e.probabilities.length, 0, 'the household of the test above is read by the classifier');
  assert.match(estimateBasis({ residents: 1, probabilities: [], features: camera }), /^no absence, no entrance use and uses unlike every home fitted on: read as one/);
});

test('fitResidentClassifier() learns classes that its features separate', () => {
  // Class r's first feature near −r, the second pure noise.
  const samples = Array.from({ length: 90 }, (_, i) => {
    const residents = (i % 3) + 1;
    return { residents, x: [-residents + 0.2 * Math.sin(i * 7.1), Math.cos(i * 3.3)] };
  });
  const c = fitResidentClassifier(samples, { classes: 3, l2: 0.001 });
  for (const s of samples) {
    const p = classProbabilities(c, s.x);
    assert.equal(p.indexOf(Math.max(...p)) + 1, s.residents, `${s.x} → ${p}`);
  }
  assert.equal(RESIDENT_CLASSIFIER.weights.length, 5);
  assert.equal(RESIDENT_CLASSIFIER.mean.length, RESIDENT_CLASSIFIER.features.length);
});

test('the structured preset reads the number it estimates (auto, its default), or the one it is given', () => {
  const seen: number[] = [];
  const auto = new StructuredPreset(DEFAULT_STRUCTURE, 'auto', { onEstimate: (e) => seen.push(e.residents) });
  const one = oneResident(10);
  assert.deepEqual(auto.day(one), new StructuredPreset(DEFAULT_STRUCTURE, 1).day(one));
  const many = household(10);
  const read = auto.day(many);
  assert.equal(seen[0], 1);
  assert.ok(seen[1] >= 2, `${seen}`);
  assert.deepEqual(read, new StructuredPreset(DEFAULT_STRUCTURE, seen[1]).day(many));
  assert.notDeepEqual(read, new StructuredPreset(DEFAULT_STRUCTURE, 1).day(many));
  // Held: the first estimate is kept for the later calls (the blocks of one record).
  const held = new StructuredPreset(DEFAULT_STRUCTURE, 'auto', { hold: true });
  held.day(one);
  assert.deepEqual(held.day(many), new StructuredPreset(DEFAULT_STRUCTURE, 1).day(many));
  assert.equal(new StructuredPreset().residents, 'auto');
  assert.throws(() => new StructuredPreset(DEFAULT_STRUCTURE, 0), /residents must be 'auto' or a whole number from 1, not 0/);
});
