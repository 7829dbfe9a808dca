import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EXTENDED_WIDTH, extendedFeatureValues } from './extended.js';
import { ATTACK_CLASSES, FEATURE_SETS, featureSet, labelOf, NONE_CLASS, sequenceFeatureSet } from './feature-set.js';
import { paperFeatureRows } from './paper-features.js';
import { type DeviceUse } from '../core/device-use.js';

const DAY0_US = Date.UTC(2026, 10, 2) * 1000;
const HOUR = 3_600e6;

function at(hours: number, device: string, kind: string, cause?: DeviceUse['cause']): DeviceUse {
  return { timeUs: DAY0_US + Math.round(hours * HOUR), device, kind, cause };
}

const DAY: DeviceUse[] = [
  at(7, 'hall', 'light', 'wake_up'),
  at(8.5, 'door', 'lock', 'leave_home'),
  at(12, 'pir', 'motion', 'noise'),
  at(18, 'door', 'lock', 'return_home'),
  at(18.1, 'hall', 'light'),
  at(23, 'hall', 'light', 'go_to_bed'),
];

/** The day with a use a defence made (cover) in the afternoon. */
const COVERED: DeviceUse[] = [...DAY.slice(0, 3), at(15, 'kettle', 'plug', 'cover'), ...DAY.slice(3)];

test('FEATURE_SETS holds paper, extended and sequence, each with columns matching its shape', () => {
  assert.deepEqual(FEATURE_SETS.map((s) => s.name), ['paper', 'extended', 'sequence']);
  for (const set of FEATURE_SETS) {
    assert.equal(set.columns.length, set.shape.reduce((a, b) => a * b, 1), set.name);
    assert.ok(set.description.length > 20);
    const rows = set.rows(DAY);
    assert.equal(rows.width, set.columns.length, set.name);
    assert.equal(rows.values.length, rows.labels.length * rows.width, set.name);
    assert.equal(rows.eventIndex.length, rows.labels.length);
  }
  assert.equal(featureSet('extended').shape[0], EXTENDED_WIDTH);
  assert.throws(() => featureSet('nope'), /No feature set "nope": there are paper, extended, sequence/);
});

test('labelOf() gives the activity id, 5 for noise and -1 without a cause', () => {
  assert.deepEqual(DAY.map(labelOf), [0, 1, NONE_CLASS, 2, -1, 4]);
  assert.equal(ATTACK_CLASSES[NONE_CLASS], 'none');
  assert.equal(ATTACK_CLASSES.length, 6);
});

test('labelOf() and every feature set take a cover use for no activity, as noise', () => {
  assert.equal(labelOf(COVERED[3]), NONE_CLASS);
  const paper = featureSet('paper').rows(COVERED);
  assert.deepEqual([...paper.labels], [0, 1, 2, -1, 4], 'the paper set leaves cover out');
  assert.deepEqual([...paper.eventIndex], [0, 1, 4, 5, 6]);
  for (const name of ['extended', 'sequence']) assert.deepEqual([...featureSet(name).rows(COVERED).labels], [0, 1, 5, 5, 2, -1, 4], name);
});

test('the paper set leaves noise out as published and keeps the published values', () => {
  const rows = featureSet('paper').rows(DAY);
  assert.deepEqual([...rows.labels], [0, 1, 2, -1, 4]);
  assert.deepEqual([...rows.eventIndex], [0, 1, 3, 4, 5]);
  const published = paperFeatureRows(DAY);
  assert.deepEqual([...rows.values.subarray(2 * 10, 3 * 10)], published[3].values, 'row 2 is the return');
});

test('the extended and sequence sets keep every use, noise labelled 5', () => {
  const extended = featureSet('extended').rows(DAY);
  assert.deepEqual([...extended.labels], [0, 1, 5, 2, -1, 4]);
  assert.deepEqual([...extended.eventIndex], [0, 1, 2, 3, 4, 5]);
  assert.deepEqual(extended.values, extendedFeatureValues(DAY));
  const sequence = sequenceFeatureSet(3).rows(DAY);
  assert.equal(sequence.width, 7 * 15);
  assert.deepEqual([...sequence.labels], [0, 1, 5, 2, -1, 4]);
});

test('the extended and sequence rows do not change with the labels: nothing leaks the cause', () => {
  const relabelled = DAY.map((e, i) => ({ ...e, cause: i % 2 === 0 ? ('noise' as const) : ('leave_home' as const) }));
  const unlabelled = DAY.map(({ timeUs, device, kind }) => ({ timeUs, device, kind }));
  for (const name of ['extended', 'sequence']) {
    const set = featureSet(name);
    const values = set.rows(DAY).values;
    assert.deepEqual(set.rows(relabelled).values, values, name);
    assert.deepEqual(set.rows(unlabelled).values, values, name);
  }
  assert.deepEqual([...featureSet('paper').rows(unlabelled).labels], [-1, -1, -1, -1, -1, -1], 'without causes the paper set keeps every use, unlabelled');
});
