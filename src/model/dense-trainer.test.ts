import { test } from 'node:test';
import assert from 'node:assert/strict';
import '@tensorflow/tfjs-backend-cpu';
import { setBackend, tensor2d, train } from '@tensorflow/tfjs-core';
import type { Optimizer, Tensor } from '@tensorflow/tfjs-core';
import type { Sequential } from '@tensorflow/tfjs-layers';
import { Random } from '../core/random.js';
import { DenseTrainer, oneHot, trainDense } from './dense-trainer.js';
import type { DenseLoss, DenseOptimizer, Matrix } from './dense-spec.js';
import { buildDenseModel } from './tfjs-dense.js';
import type { DenseNetworkSpec } from './tfjs-dense.js';
import { activateTfjsFor, assertClose, BACKENDS, NATIVE_SKIP, randomMatrix, randomTargets } from './test-support.js';

await setBackend('cpu');

const STEP_TOLERANCE = 1e-5;
/** Adam divides by sqrt(v): for near-zero gradients float rounding moves a weight by up to ~lr·1e-3. */
const ADAM_STEP_TOLERANCE = 1e-4;

const SPEC: DenseNetworkSpec = {
  inputs: 6,
  layers: [
    { units: 8, activation: 'relu' },
    { units: 8, activation: 'relu' },
    { units: 5, activation: 'softmax' },
  ],
};

function weightsOf(model: Sequential): Float32Array[] {
  return model.getWeights().map((w) => w.dataSync() as Float32Array);
}

function tfjsOptimizer(optimizer: DenseOptimizer): Optimizer {
  if (optimizer.type === 'adam') return train.adam(optimizer.learningRate, 0.9, 0.999, 1e-7);
  return optimizer.momentum ? train.momentum(optimizer.learningRate, optimizer.momentum) : train.sgd(optimizer.learningRate);
}

const STEP_CASES: { name: string; loss: DenseLoss; optimizer: DenseOptimizer; steps: number; l2: number }[] = [
  { name: 'one SGD step (meanSquaredError)', loss: 'meanSquaredError', optimizer: { type: 'sgd', learningRate: 0.1 }, steps: 1, l2: 0 },
  { name: 'one SGD step with l2 (categoricalCrossentropy)', loss: 'categoricalCrossentropy', optimizer: { type: 'sgd', learningRate: 0.1 }, steps: 1, l2: 0.01 },
  { name: 'three momentum steps', loss: 'meanSquaredError', optimizer: { type: 'sgd', learningRate: 0.1, momentum: 0.9 }, steps: 3, l2: 0 },
  { name: 'one Adam step', loss: 'categoricalCrossentropy', optimizer: { type: 'adam', learningRate: 0.01 }, steps: 1, l2: 0 },
  { name: 'three Adam steps with l2', loss: 'meanSquaredError', optimizer: { type: 'adam', learningRate: 0.01 }, steps: 3, l2: 0.01 },
];

for (const backend of BACKENDS) {
  for (const c of STEP_CASES) {
    test(`the ${backend.name} backend gives tfjs-layers' trainOnBatch weights after ${c.name}`, { skip: backend.skip }, async () => {
      await activateTfjsFor('js');
      const spec = { ...SPEC, l2: c.l2 };
      const x = randomMatrix(32, 6, 3);
      const y = randomTargets(32, 5, 4, true);
      const reference = buildDenseModel(spec, 5);
      reference.compile({ optimizer: tfjsOptimizer(c.optimizer), loss: c.loss });
      const xs = tensor2d(x.data, [32, 6]);
      const ys = tensor2d(y.data, [32, 5]);
      for (let i = 0; i < c.steps; i++) await reference.trainOnBatch(xs, ys);

      const model = buildDenseModel(spec, 5);
      await activateTfjsFor(backend.name);
      const trainer = DenseTrainer.fromModel(model, { backend: backend.name });
      trainer.fit(x, y, { loss: c.loss, optimizer: c.optimizer, batchSize: 32, epochs: c.steps, seed: 1, shuffle: false });
      trainer.writeTo(model);
      const expected = weightsOf(reference);
      const tolerance = c.optimizer.type === 'adam' ? ADAM_STEP_TOLERANCE : STEP_TOLERANCE;
      weightsOf(model).forEach((w, i) => assertClose(w, expected[i], tolerance, `weight ${i}`));
    });
  }
}

test('DenseTrainer.writeTo() makes the tfjs model predict what the trainer predicts', async () => {
  await activateTfjsFor('js');
  const model = buildDenseModel(SPEC, 9);
  const x = randomMatrix(64, 6, 5);
  const trainer = DenseTrainer.fromModel(model);
  trainer.fit(x, randomTargets(64, 5, 6, true), { loss: 'categoricalCrossentropy', optimizer: { type: 'adam', learningRate: 0.01 }, batchSize: 16, epochs: 3, seed: 2 });
  const before = (model.predict(tensor2d(x.data, [64, 6])) as Tensor).dataSync();
  trainer.writeTo(model);
  const after = (model.predict(tensor2d(x.data, [64, 6])) as Tensor).dataSync();
  const ours = trainer.predict(x).data;
  assertClose(ours, after, 1e-5, 'predictions');
  assert.ok(Math.max(...before.map((v, i) => Math.abs(v - after[i]))) > 1e-3, 'training changed the predictions');
});

test('the js backend trains to the same weights as the native backend', { skip: NATIVE_SKIP }, async () => {
  const x = randomMatrix(300, 6, 7);
  const y = randomTargets(300, 5, 8, true);
  const options = { loss: 'meanSquaredError' as const, optimizer: { type: 'sgd' as const, learningRate: 0.05 }, batchSize: 32, epochs: 3, seed: 4, validationSplit: 0.2 };
  const nativeModel = buildDenseModel(SPEC, 3);
  const jsModel = buildDenseModel(SPEC, 3);
  const nativeResult = await trainDense(nativeModel, x, y, { ...options, backend: 'native' });
  const jsResult = await trainDense(jsModel, x, y, { ...options, backend: 'js' });
  assert.equal(nativeResult.backend, 'native');
  assert.equal(jsResult.backend, 'js');
  const expected = weightsOf(nativeModel);
  weightsOf(jsModel).forEach((w, i) => assertClose(w, expected[i], 1e-4, `weight ${i}`));
  assert.ok(Math.abs(jsResult.history[2].loss - nativeResult.history[2].loss) < 1e-5);
  assert.equal(jsResult.history[2].valAcc, nativeResult.history[2].valAcc);
});

test('the native backend trains to the same weights with 1, 2 or 3 threads, split or inside OpenBLAS', { skip: NATIVE_SKIP }, () => {
  const x = randomMatrix(200, 6, 11);
  const y = randomTargets(200, 5, 12, true);
  // A batch of 32 over 200 rows leaves a last batch of 8 rows; with 3 threads shares are 10/11/11 rows.
  const options = { loss: 'categoricalCrossentropy' as const, optimizer: { type: 'adam' as const, learningRate: 0.01 }, batchSize: 32, epochs: 2, seed: 4 };
  const runs = ([[1, 'split'], [2, 'split'], [3, 'split'], [2, 'blas']] as const).map(([threads, threadMode]) => {
    const model = buildDenseModel(SPEC, 3);
    const trainer = DenseTrainer.fromModel(model, { backend: 'native', threads, threadMode });
    trainer.fit(x, y, options);
    trainer.writeTo(model);
    assert.match(trainer.backendReason, new RegExp(`${threads} thread\\(s\\), ${threadMode} mode`));
    return weightsOf(model);
  });
  DenseTrainer.fromModel(buildDenseModel(SPEC, 3), { threads: 2, threadMode: 'split' });
  for (const run of runs.slice(1)) run.forEach((w, i) => assertClose(w, runs[0][i], 1e-5, `weight ${i}`));
});

test('fit() holds out the last rows as Keras validation_split does (taken before shuffling)', () => {
  const x = randomMatrix(100, 6, 9);
  const y = randomTargets(100, 5, 10, true);
  const options = { loss: 'meanSquaredError' as const, optimizer: { type: 'sgd' as const, learningRate: 0.05 }, batchSize: 16, epochs: 2, seed: 6 };
  const split = DenseTrainer.fromModel(buildDenseModel(SPEC, 1), { backend: 'js' });
  const result = split.fit(x, y, { ...options, validationSplit: 0.25 });
  assert.equal(result.trainRows, 75);
  assert.equal(result.validationRows, 25);
  const firstRows = DenseTrainer.fromModel(buildDenseModel(SPEC, 1), { backend: 'js' });
  const head = (m: Matrix, rows: number): Matrix => ({ data: m.data.slice(0, rows * m.columns), rows, columns: m.columns });
  firstRows.fit(head(x, 75), head(y, 75), options);
  split.net.kernels.forEach((k, l) => assert.deepEqual(k, firstRows.net.kernels[l]));
  const tail = (m: Matrix): Matrix => ({ data: m.data.slice(75 * m.columns), rows: 25, columns: m.columns });
  const predicted = split.predict(tail(x)).data;
  const truth = tail(y).data;
  let correct = 0;
  for (let r = 0; r < 25; r++) {
    const row = (v: Float32Array): number => v.subarray(r * 5, r * 5 + 5).indexOf(Math.max(...v.subarray(r * 5, r * 5 + 5)));
    if (row(predicted) === row(truth)) correct++;
  }
  assert.equal(result.history[1].valAcc, correct / 25);
});

test('fit() with the same seed gives the same weights; a different seed another shuffle', () => {
  const x = randomMatrix(120, 6, 1);
  const y = randomTargets(120, 5, 2, true);
  const run = (seed: number): Float32Array => {
    const trainer = DenseTrainer.fromModel(buildDenseModel(SPEC, 1), { backend: 'js' });
    trainer.fit(x, y, { loss: 'meanSquaredError', optimizer: { type: 'sgd', learningRate: 0.05 }, batchSize: 16, epochs: 2, seed });
    return trainer.net.kernels[0];
  };
  assert.deepEqual(run(5), run(5));
  assert.notDeepEqual(run(5), run(6));
});

function blobs(rows: number, seed: number): { x: Matrix; y: Matrix } {
  const random = new Random(seed);
  const centres = [[2, 0], [-2, 2], [-2, -2]];
  const x = new Float32Array(rows * 6);
  const labels: number[] = [];
  for (let r = 0; r < rows; r++) {
    const label = random.int(0, 2);
    labels.push(label);
    for (let j = 0; j < 6; j++) x[r * 6 + j] = (j < 2 ? centres[label][j] : 0) + random.normal(0, 0.5);
  }
  const y = oneHot(labels, 5);
  return { x: { data: x, rows, columns: 6 }, y };
}

for (const backend of BACKENDS) {
  test(`the ${backend.name} backend learns separable classes to over 97% validation accuracy, reporting every epoch`, { skip: backend.skip }, async () => {
    await activateTfjsFor(backend.name);
    const { x, y } = blobs(2000, 3);
    const epochs: number[] = [];
    const result = await trainDense(buildDenseModel(SPEC, 2), x, y, {
      loss: 'categoricalCrossentropy', optimizer: { type: 'adam', learningRate: 0.01 }, batchSize: 32, epochs: 5, seed: 1,
      validationSplit: 0.2, backend: backend.name, onEpochEnd: (logs) => void epochs.push(logs.epoch),
    });
    assert.deepEqual(epochs, [0, 1, 2, 3, 4]);
    const last = result.history[4];
    assert.ok(last.valAcc !== null && last.valAcc > 0.97, `validation accuracy ${last.valAcc}`);
    assert.ok(last.loss < result.history[0].loss);
  });
}

test('onEpochEnd returning stop ends the fit early', async () => {
  await activateTfjsFor('js');
  const { x, y } = blobs(200, 4);
  const result = await trainDense(buildDenseModel(SPEC, 2), x, y, {
    loss: 'meanSquaredError', optimizer: { type: 'sgd', learningRate: 0.1 }, batchSize: 32, epochs: 10, seed: 1, backend: 'js',
    onEpochEnd: (logs) => (logs.epoch === 1 ? 'stop' : undefined),
  });
  assert.equal(result.history.length, 2);
});

test('DenseTrainer.fromModel() picks native when the addon loads, else wasm if tfjs wasm is active, else js, and says why', async () => {
  await activateTfjsFor('js');
  const trainer = DenseTrainer.fromModel(buildDenseModel(SPEC, 1));
  if (NATIVE_SKIP === false) {
    assert.equal(trainer.backend, 'native');
    assert.match(trainer.backendReason, /OpenBLAS addon, \d+ thread\(s\), (split|blas) mode/);
  } else {
    assert.equal(trainer.backend, 'js');
    assert.match(trainer.backendReason, /native addon.*tfjs wasm not active/);
    assert.throws(() => DenseTrainer.fromModel(buildDenseModel(SPEC, 1), { backend: 'native' }), /native backend is unavailable/);
    const created = await DenseTrainer.create(buildDenseModel(SPEC, 1));
    assert.equal(created.backend, 'wasm');
    await activateTfjsFor('js');
  }
  assert.throws(() => DenseTrainer.fromModel(buildDenseModel(SPEC, 1), { backend: 'wasm' }), /wasm backend needs tfjs' wasm backend active/);
});

test('fit() rejects data whose columns do not match the model', () => {
  const trainer = DenseTrainer.fromModel(buildDenseModel(SPEC, 1), { backend: 'js' });
  assert.throws(
    () => trainer.fit(randomMatrix(10, 5, 1), randomTargets(10, 5, 1, true), { loss: 'meanSquaredError', optimizer: { type: 'sgd', learningRate: 0.1 }, batchSize: 4, epochs: 1, seed: 1 }),
    /x must be rows x 6/,
  );
});
