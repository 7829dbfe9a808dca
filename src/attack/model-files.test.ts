import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '@tensorflow/tfjs-backend-cpu';
import { io, tensor2d, type Tensor } from '@tensorflow/tfjs-core';
import { loadLayersModel, type Sequential } from '@tensorflow/tfjs-layers';
import { DenseForward } from '../model/dense-predict.js';
import { DenseTrainer } from '../model/dense-trainer.js';
import { buildDenseModel } from '../model/tfjs-dense.js';
import { loadModel, MANIFEST_FILE, ModelFileError, saveModel, TOPOLOGY_FILE, WEIGHTS_FILE } from './model-files.js';

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
