import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '@tensorflow/tfjs-backend-cpu';
import { io, tensor2d, type Tensor } from '@tensorflow/tfjs-core';
import { loadLayersModel, type Sequential } from '@tensorflow/tfjs-layers';
import { DenseForward } from '../model/dense-predict.js';
import { DenseTrainer } from '../model/dense-trainer.js';
import { buildDenseModel } from '../model/tfjs-dense.js';
import { fitPreset } from './fit-preset.js';
import { folderDigest, loadModel, loadPresetModel, MANIFEST_FILE, ModelFileError, saveFittedModel, saveModel, TOPOLOGY_FILE, WEIGHTS_FILE } from './model-files.js';
import { NETWORK_PRESETS } from './presets.js';
import { loadPredictor } from './predictor.js';
import { dataFromHomes } from './training-data.js';

const COLUMNS = ['a', 'b', 'c', 'd'];
const CLASSES = ['x', 'y', 'z'];

async function savedModel(): Promise<{ dir: string; predict: number[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'peephole-model-'));
  const network = buildDenseModel({ inputs: 4, layers: [{ units: 6, activation: 'relu' }, { units: 3, activation: 'softmax' }] }, 3);
  await saveModel(dir, network, {
    preset: 'test',
    featureSet: 'toy',
    columns: COLUMNS,
    classes: CLASSES,
    normalisation: { mean: [0, 0, 0, 0], scale: [1, 1, 1, 1] },
    training: { rows: 10 },
  });
  const predict = Array.from((network.predict(tensor2d([[1, 2, 3, 4]])) as Tensor).dataSync());
  return { dir, predict };
}

function rehash(dir: string, name: string): void {
  const manifest = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8'));
  manifest.files[name] = createHash('sha256').update(readFileSync(join(dir, name))).digest('hex');
  writeFileSync(join(dir, MANIFEST_FILE), JSON.stringify(manifest));
}

test('saveModel() writes a tfjs layers model that tfjs reads back as it was; loadModel() reads the same weights without tfjs, predicting as tfjs does', async () => {
  const { dir, predict } = await savedModel();
  const topology = JSON.parse(readFileSync(join(dir, TOPOLOGY_FILE), 'utf8'));
  assert.equal(topology.format, 'layers-model');
  assert.deepEqual(topology.weightsManifest[0].paths, ['./weights.bin']);
  const weights = readFileSync(join(dir, WEIGHTS_FILE));
  const data = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.length);
  const byTfjs = await loadLayersModel(io.fromMemory({ modelTopology: topology.modelTopology, weightSpecs: topology.weightsManifest[0].weights, weightData: data }));
  assert.deepEqual(Array.from((byTfjs.predict(tensor2d([[1, 2, 3, 4]])) as Tensor).dataSync()), predict);

  const loaded = await loadModel(dir, { expect: { featureSet: 'toy', columns: COLUMNS } });
  assert.equal(loaded.manifest.preset, 'test');
  const dense = loaded.dense!;
  assert.deepEqual(Array.from(dense.sizes), [4, 6, 3]);
  byTfjs.layers.forEach((layer, l) => {
    const [kernel, bias] = layer.getWeights();
    assert.deepEqual(dense.kernels[l], kernel.dataSync(), `layer ${l} kernel`);
    assert.deepEqual(dense.biases[l], bias.dataSync(), `layer ${l} bias`);
  });
  const x = { data: Float32Array.of(1, 2, 3, 4, -1, 0.5, 2, 0), rows: 2, columns: 4 };
  // The forward pass gives exactly what the trainer gave from the tfjs model (how a loaded model predicted before), and what tfjs gives to float rounding.
  const ours = new DenseForward(dense).predict(x).data;
  assert.deepEqual(ours, DenseTrainer.fromModel(byTfjs as Sequential).predict(x).data);
  const tfjs = (byTfjs.predict(tensor2d(x.data, [2, 4])) as Tensor).dataSync();
  ours.forEach((v, i) => assert.ok(Math.abs(v - tfjs[i]) < 1e-6, `${v} vs ${tfjs[i]}`));
});

test('loadModel() refuses a weights file changed after training, naming it', async () => {
  const { dir } = await savedModel();
  const weights = readFileSync(join(dir, WEIGHTS_FILE));
  weights[7] ^= 0x40;
  writeFileSync(join(dir, WEIGHTS_FILE), weights);
  await assert.rejects(loadModel(dir), (err: unknown) => err instanceof ModelFileError && /weights\.bin: checksum mismatch/.test(err.message));
});

test('loadModel() refuses weights of the wrong size even when the checksum was redone', async () => {
  const { dir } = await savedModel();
  writeFileSync(join(dir, WEIGHTS_FILE), readFileSync(join(dir, WEIGHTS_FILE)).subarray(4));
  rehash(dir, WEIGHTS_FILE);
  await assert.rejects(loadModel(dir), /weights\.bin: \d+ bytes, but model\.json describes \d+ bytes/);
});

test('loadModel() refuses a topology whose shape does not fit the manifest', async () => {
  const { dir } = await savedModel();
  const manifest = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8'));
  manifest.classes = ['x', 'y'];
  writeFileSync(join(dir, MANIFEST_FILE), JSON.stringify(manifest));
  await assert.rejects(loadModel(dir), /model\.json: the network has 3 outputs, but peephole-model\.json lists 2 classes/);
});

test('loadModel() refuses a manifest that is not JSON, has no format, or lacks a field', async () => {
  const { dir } = await savedModel();
  const path = join(dir, MANIFEST_FILE);
  const good = readFileSync(path, 'utf8');
  writeFileSync(path, good.slice(0, 40));
  await assert.rejects(loadModel(dir), /peephole-model\.json: not valid JSON/);
  writeFileSync(path, JSON.stringify({ ...JSON.parse(good), format: 'keras' }));
  await assert.rejects(loadModel(dir), /peephole-model\.json: format: expected "peephole-model"/);
  const noClasses = JSON.parse(good);
  delete noClasses.classes;
  writeFileSync(path, JSON.stringify(noClasses));
  await assert.rejects(loadModel(dir), /classes: expected a list/);
  await assert.rejects(loadModel(join(dir, 'nowhere')), /no such file/);
});

test('loadModel() refuses a normalisation of the wrong length, with a value that is not finite, or a scale the scaler never writes, naming the field', async () => {
  const { dir } = await savedModel();
  const path = join(dir, MANIFEST_FILE);
  const good = JSON.parse(readFileSync(path, 'utf8'));
  const refused = async (normalisation: unknown, field: string, message: RegExp): Promise<void> => {
    writeFileSync(path, JSON.stringify({ ...good, normalisation }).replace('"HUGE"', '1e999'));
    await assert.rejects(loadModel(dir), (err: unknown) => err instanceof ModelFileError && err.field === field && message.test(err.message), field);
  };
  await refused({ mean: [0, 0, 0], scale: [1, 1, 1, 1] }, 'normalisation.mean', /expected 4 numbers, one per column \(it holds 3\)/);
  await refused({ mean: [0, 0, 0, 0], scale: [1, 1, 1, 1, 1] }, 'normalisation.scale', /it holds 5/);
  await refused({ mean: [0, 'HUGE', 0, 0], scale: [1, 1, 1, 1] }, 'normalisation.mean[1]', /a finite number \(column "b"\)/);
  await refused({ mean: [0, null, 0, 0], scale: [1, 1, 1, 1] }, 'normalisation.mean[1]', /a finite number/);
  await refused({ mean: [0, 0, 0, 0], scale: [1, 1, 0, 1] }, 'normalisation.scale[2]', /a scale above 0\.000001, as the scaler writes \(a constant column gets 1\), not 0 \(column "c"\)/);
  await refused({ mean: [0, 0, 0, 0], scale: [1, -2, 1, 1] }, 'normalisation.scale[1]', /not -2/);
  await refused({ mean: [0, 0, 0, 0], scale: [1, 1, 1, 1e-9] }, 'normalisation.scale[3]', /not 1e-9/);
});

test('loadModel() refuses a topology it cannot read or run, naming the file and the field, even when the checksum was redone', async () => {
  const { dir } = await savedModel();
  const path = join(dir, TOPOLOGY_FILE);
  const good = readFileSync(path, 'utf8');
  type Topology = { modelTopology: { class_name: string; config: { layers: { class_name: string; config: Record<string, unknown> }[] } }; weightsManifest: { paths: string[]; weights: { name: string; shape: unknown }[] }[] };
  const edit = (change: (t: Topology) => unknown): void => {
    const topology = JSON.parse(good);
    const replaced = change(topology);
    writeFileSync(path, JSON.stringify(replaced === undefined ? topology : replaced));
    rehash(dir, TOPOLOGY_FILE);
  };
  const refused = (field: string | undefined, message: RegExp) => (err: unknown) => err instanceof ModelFileError && err.field === field && message.test(err.message);
  edit(() => null);
  await assert.rejects(loadModel(dir), refused(undefined, /model\.json: not a TensorFlow\.js layers model/));
  edit((t) => void (t.weightsManifest[0].weights[0] = { name: 'k', shape: 'big' }));
  await assert.rejects(loadModel(dir), refused('weightsManifest[0].weights[0]', /model\.json: weightsManifest\[0\]\.weights\[0\]: expected a name, a shape/));
  edit((t) => void (t.modelTopology.config.layers[0].config.bias_regularizer = { class_name: 'L1L2', config: { l1: 0, l2: 0.1 } }));
  await assert.rejects(loadModel(dir), refused(undefined, /model\.json: not a network peephole runs: Layer .*: only kernel l2 regularisation/));
  edit((t) => void (t.modelTopology.config.layers[1].class_name = 'Conv2D'));
  await assert.rejects(loadModel(dir), refused(undefined, /model\.json: not a network peephole runs: Layer .*: only Dense layers/));
  edit((t) => void (t.modelTopology.class_name = 'Model'));
  await assert.rejects(loadModel(dir), refused('modelTopology', /expected a Sequential model of Dense layers/));
  edit((t) => void (t.weightsManifest[0].paths = ['../elsewhere.bin']));
  await assert.rejects(loadModel(dir), refused('weightsManifest[0].paths', /expected \["\.\/weights\.bin"\]/));
  // The weights are found by name, with their shapes, and none is left over.
  edit((t) => void (t.weightsManifest[0].weights[1].name = 'dense_Dense9/bias'));
  await assert.rejects(loadModel(dir), refused('weightsManifest[0].weights', /no weight "dense_Dense\d+\/bias"/));
  edit((t) => void Object.assign(t.weightsManifest[0].weights[2], { quantization: { dtype: 'uint8', scale: 0.1, min: 0 } }));
  await assert.rejects(loadModel(dir), refused('weightsManifest[0].weights[2].quantization', /quantized weights are not supported/));
  edit((t) => void (t.weightsManifest[0].weights[0].shape = [6, 4]));
  await assert.rejects(loadModel(dir), refused('weightsManifest[0].weights[0].shape', /is \[6, 4\], but its layer needs \[4, 6\]/));
});

test('loadModel() refuses a model trained on other columns or another feature set', async () => {
  const { dir } = await savedModel();
  await assert.rejects(loadModel(dir, { expect: { featureSet: 'toy', columns: ['a', 'b', 'x', 'd'] } }), /first difference at column 3: "c" vs "x"/);
  await assert.rejects(loadModel(dir, { expect: { featureSet: 'other', columns: COLUMNS } }), /trained on feature set "toy"/);
});

test('a model without a network (the rules preset) is a manifest alone', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'peephole-model-'));
  await saveModel(dir, null, { preset: 'rules', featureSet: 'events', columns: ['time'], classes: CLASSES, normalisation: null, training: {} });
  const loaded = await loadModel(dir);
  assert.equal(loaded.dense, null);
  assert.deepEqual(loaded.manifest.files, {});
});

// A folder that lies: its manifest says one thing, its model another. Each was used with exit 0
// before the manifest was checked against the model; each is refused now, naming the file and field.

/** A paper-preset model folder (one epoch on three days of the paper home) and a copy to lie with. */
async function paperFolder(): Promise<{ dir: string; lie: (name: string, change: (m: Record<string, unknown>) => void) => string }> {
  const root = mkdtempSync(join(tmpdir(), 'peephole-lies-'));
  const dir = join(root, 'paper');
  await saveFittedModel(dir, await fitPreset(dataFromHomes(['paper'], 'paper', { days: 3, seed: 1 }), { preset: 'paper', seed: 1, epochs: 1, backend: 'js' }));
  const lie = (name: string, change: (m: Record<string, unknown>) => void): string => {
    const copy = join(root, name);
    cpSync(dir, copy, { recursive: true });
    const manifest = JSON.parse(readFileSync(join(copy, MANIFEST_FILE), 'utf8'));
    change(manifest);
    writeFileSync(join(copy, MANIFEST_FILE), JSON.stringify(manifest, null, 2));
    return copy;
  };
  return { dir, lie };
}

const refusedAt = (field: string, message: RegExp) => (err: unknown) =>
  err instanceof ModelFileError && err.file.endsWith(MANIFEST_FILE) && err.field === field && message.test(err.message);

test('a lie: a network preset whose manifest lists no files is refused (it ran the rules, still labelled with the preset)', async () => {
  const { lie } = await paperFolder();
  const empty = lie('no-files', (m) => void (m.files = {}));
  await assert.rejects(loadPredictor(empty), refusedAt('files', /the paper preset's network is model\.json, weights\.bin, but model\.json and weights\.bin are not listed \(listed: none\)/));
  const half = lie('half-files', (m) => void delete (m.files as Record<string, string>)[WEIGHTS_FILE]);
  await assert.rejects(loadPredictor(half), refusedAt('files', /both model\.json and weights\.bin \(a network\), or neither/));
});

test('a lie: a network preset\'s normalisation dropped, or a scale the scaler never writes, is refused; a shifted mean changes the digest, refused when pinned', async () => {
  const { dir, lie } = await paperFolder();
  const none = lie('no-normalisation', (m) => void (m.normalisation = null));
  await assert.rejects(loadPredictor(none), refusedAt('normalisation', /the paper preset's network takes normalised inputs: expected \{mean, scale\}/));
  const tiny = lie('tiny-scale', (m) => void ((m.normalisation as { scale: number[] }).scale[4] = 1e-12));
  await assert.rejects(loadPredictor(tiny), refusedAt('normalisation.scale[4]', /a scale above 0\.000001/));
  // Means shifted to other finite numbers: nothing in the folder can tell, its digest can.
  const shifted = lie('shifted-mean', (m) => {
    const norm = m.normalisation as { mean: number[] };
    norm.mean = norm.mean.map((v) => v + 1);
  });
  const trusted = (await loadPredictor(dir)).sha256;
  assert.notEqual((await loadPredictor(shifted)).sha256, trusted);
  await assert.rejects(
    loadPredictor(shifted, { sha256: trusted }),
    (err: unknown) => err instanceof ModelFileError && err.file === shifted && err.message === `${shifted}: the model folder's SHA-256 is ${folderDigestOf(shifted)}, not the expected ${trusted}: this is not the model that was pinned`,
  );
  assert.equal((await loadPredictor(dir, { sha256: trusted.toUpperCase() })).sha256, trusted);
});

test('a lie: a preset relabelled is refused (the paper network ran as "sequence", or as the rules)', async () => {
  const { lie } = await paperFolder();
  const sequence = lie('as-sequence', (m) => void (m.preset = 'sequence'));
  await assert.rejects(loadPredictor(sequence), refusedAt('preset', /the sequence preset reads the "sequence" features, but featureSet says "paper"/));
  const rules = lie('as-rules', (m) => {
    m.preset = 'rules';
    m.featureSet = 'events';
    m.columns = ['time', 'device', 'kind'];
    m.classes = [...(m.classes as string[]), 'none'];
    m.normalisation = null;
  });
  await assert.rejects(loadPredictor(rules), refusedAt('files', /the rules preset has no network, but model\.json, weights\.bin are listed \(a network preset relabelled rules\?\)/));
  const classes = lie('other-classes', (m) => void (m.classes = [...(m.classes as string[])].reverse()));
  await assert.rejects(loadPredictor(classes), refusedAt('classes', /the paper preset's classes are wake_up, leave_home/));
});

test('a lie: a network of another architecture under a preset\'s name is refused, naming both architectures', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'peephole-lies-'));
  const fitted = await fitPreset(dataFromHomes(['paper'], 'paper', { days: 3, seed: 1 }), { preset: 'paper', seed: 1, epochs: 1, backend: 'js' });
  // The published features and classes, but two hidden layers of 64 instead of three of 500.
  const spec = { inputs: 10, layers: [{ units: 64, activation: 'relu' as const }, { units: 64, activation: 'relu' as const }, { units: 5, activation: 'linear' as const }] };
  await saveModel(dir, buildDenseModel(spec, 1), fitted.manifest);
  assert.equal(NETWORK_PRESETS.paper.network(10, 5).layers.length, 4);
  await assert.rejects(loadPredictor(dir), refusedAt('preset', /the paper preset's network is 10 → 500 relu → 500 relu → 500 relu → 5 linear, but model\.json holds 10 → 64 relu → 64 relu → 5 linear/));
});

/** The digest as coreutils computes it: `sha256sum` of the listed files, sorted, piped into `sha256sum`. */
function folderDigestOf(dir: string): string {
  const manifest = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as { files: Record<string, string> };
  const names = [MANIFEST_FILE, ...Object.keys(manifest.files)].sort();
  const r = spawnSync('sh', ['-c', `sha256sum ${names.join(' ')} | sha256sum`], { cwd: dir, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split(' ')[0];
}

test('the folder digest is sha256sum of the manifest and its files, sorted, piped into sha256sum; a file the manifest does not list is not in it', async () => {
  const { dir } = await paperFolder();
  const loaded = await loadPresetModel(dir);
  assert.match(loaded.sha256, /^[0-9a-f]{64}$/);
  assert.equal(loaded.sha256, folderDigestOf(dir));
  const rules = join(dir, '..', 'rules');
  await saveFittedModel(rules, await fitPreset(null, { preset: 'rules', seed: 1 }));
  assert.equal((await loadPresetModel(rules)).sha256, folderDigestOf(rules));
  writeFileSync(join(dir, 'notes.txt'), 'trained on a Tuesday\n');
  assert.equal((await loadPresetModel(dir)).sha256, loaded.sha256);
});
