import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fitPreset } from './fit-preset.js';
import { MANIFEST_FILE, saveFittedModel } from './model-files.js';
import { loadPredictor, predictorFor } from './predictor.js';
import { lifeOfHome } from './simulated-life.js';
import { dataFromHomes } from './training-data.js';

test('fitPreset() trains in memory; the folder saveFittedModel() writes predicts exactly as the fitted model does', async () => {
  const data = dataFromHomes(['paper', 'family'], 'extended', { days: 10, seed: 3 });
  const fitted = await fitPreset(data, { preset: 'dense', seed: 3, epochs: 2, backend: 'js' });
  assert.equal(fitted.fit!.history.length, 2);
  assert.equal(fitted.manifest.training.rows, data.rows);
  assert.equal(fitted.manifest.training.trainRows, Math.floor(data.rows * 0.8));
  assert.equal(fitted.manifest.normalisation!.mean.length, data.width);

  const dir = join(mkdtempSync(join(tmpdir(), 'peephole-fit-')), 'model');
  const written = await saveFittedModel(dir, fitted);
  assert.deepEqual(JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')), written);
  assert.deepEqual({ ...written, format: undefined, version: undefined, files: undefined }, { ...fitted.manifest, format: undefined, version: undefined, files: undefined });

  const uses = lifeOfHome('family', 2, 99).events;
  const inMemory = predictorFor(fitted).predict(uses);
  const { predictor: loaded } = await loadPredictor(dir);
  assert.ok(inMemory.length === uses.length * 6 && inMemory.some((p) => p !== 1 / 6));
  assert.deepEqual(loaded.predict(uses), inMemory);
});

test('fitPreset() of the rules preset has no network and nothing to fit; of a network preset, refuses rows of another feature set', async () => {
  const rules = await fitPreset(null, { preset: 'rules', seed: 1 });
  assert.equal(rules.network, null);
  assert.equal(rules.fit, null);
  assert.equal(rules.manifest.training.learned, false);
  const data = dataFromHomes(['paper'], 'paper', { days: 3, seed: 1 });
  await assert.rejects(fitPreset(data, { preset: 'sequence', seed: 1 }), /The sequence preset trains on "sequence" rows, not "paper"/);
  await assert.rejects(fitPreset(null, { preset: 'dense', seed: 1 }), /trains on "extended" rows, not none/);
});
