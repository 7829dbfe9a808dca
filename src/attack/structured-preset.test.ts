import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DeviceUse } from '../core/device-use.js';
import { ATTACK_CLASSES, NONE_CLASS } from '../features/feature-set.js';
import { DEFAULT_STRUCTURE } from './structured-day.js';
import { parseStructure, StructuredPreset, StructureFileError, structureJson } from './structured-preset.js';

const DAY0_US = Date.UTC(2026, 10, 2) * 1000;
const MIN = 60e6;

/** Three days: up at 07:00, out through the door at 08:30 until 17:30, to bed at 23:00. */
function days(): DeviceUse[] {
  const uses: DeviceUse[] = [];
  for (let d = 0; d < 3; d++) {
    const at = (m: number): number => DAY0_US + (d * 1440 + m) * MIN;
    for (let m = 420; m < 505; m += 5) uses.push({ timeUs: at(m), device: 'kitchen', kind: 'motion' });
    uses.push({ timeUs: at(510), device: 'front', kind: 'door' }, { timeUs: at(1050), device: 'front', kind: 'door' });
    for (let m = 1055; m < 1380; m += 7) uses.push({ timeUs: at(m), device: 'lounge', kind: 'light' });
  }
  return uses;
}

test("the structured preset's day lists the uses within a bin of where each activity was placed", () => {
  const preset = new StructuredPreset();
  const uses = days();
  const day = preset.day(uses);
  const leave = day.find((a) => a.activity === 'leave_home')!;
  assert.ok(leave.events.some((e) => e.device === 'front' && e.timeUs === leave.timeUs));
  assert.deepEqual(
    day.map((a) => a.activity),
    ['leave_home', 'return_home', 'go_to_bed', 'wake_up', 'leave_home', 'return_home', 'go_to_bed', 'wake_up', 'leave_home', 'return_home'],
  );
});

test('its per-use probabilities sum to 1, none where no activity was placed', () => {
  const preset = new StructuredPreset();
  const uses = days();
  const p = preset.predict(uses);
  const classes = ATTACK_CLASSES.length;
  assert.equal(p.length, uses.length * classes);
  for (let i = 0; i < uses.length; i++) {
    const row = [...p.subarray(i * classes, (i + 1) * classes)];
    assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-5);
  }
  const lounge = uses.findIndex((u) => u.device === 'lounge' && u.timeUs > DAY0_US + 20 * 60 * MIN);
  assert.equal(p[lounge * classes + NONE_CLASS], Math.fround(0.9));
});

test('the priors survive a round trip through JSON, and a wrong field is named', () => {
  assert.deepEqual(parseStructure(JSON.parse(JSON.stringify(structureJson(DEFAULT_STRUCTURE)))), DEFAULT_STRUCTURE);
  const bad = JSON.parse(JSON.stringify(structureJson(DEFAULT_STRUCTURE)));
  bad.durations.asleep.sigma = -1;
  assert.throws(() => parseStructure(bad), (err: unknown) => err instanceof StructureFileError && err.message === 'durations.asleep.sigma: expected a number from 0.001 to 10, got -1');
  const hoursOff = JSON.parse(JSON.stringify(structureJson(DEFAULT_STRUCTURE)));
  hoursOff.wakeHours[3] += 0.5;
  assert.throws(() => parseStructure(hoursOff), /^StructureFileError|wakeHours: the 24 probabilities sum to 1\.5/);
});

test('a structured model folder: written, read back with its priors, and refused when it lies', async () => {
  const { mkdtempSync, readFileSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { fitPreset } = await import('./fit-preset.js');
  const { saveFittedModel } = await import('./model-files.js');
  const { loadPredictor } = await import('./predictor.js');
  const { lifeOfHome } = await import('./simulated-life.js');
  const dir = mkdtempSync(join(tmpdir(), 'peephole-structured-'));
  const fitted = await fitPreset(null, { preset: 'structured', seed: 1, lives: { source: 'paper home', lives: [lifeOfHome('paper', 20, 1)] } });
  await saveFittedModel(dir, fitted);
  const loaded = await loadPredictor(dir);
  assert.equal(loaded.predictor.name, 'structured');
  assert.ok(loaded.predictor.day !== undefined);
  assert.deepEqual((loaded.predictor as unknown as StructuredPreset).params, fitted.structure);
  // Emptied of its priors, relabelled as the rules: each is refused, naming the field.
  const manifest = JSON.parse(readFileSync(join(dir, 'peephole-model.json'), 'utf8'));
  writeFileSync(join(dir, 'peephole-model.json'), JSON.stringify({ ...manifest, files: {} }));
  await assert.rejects(loadPredictor(dir), /files: the structured preset's model is structure\.json, but structure\.json is not listed/);
  writeFileSync(join(dir, 'peephole-model.json'), JSON.stringify({ ...manifest, preset: 'rules' }));
  await assert.rejects(loadPredictor(dir), /files: the rules preset has no network, but structure\.json is listed/);
});
