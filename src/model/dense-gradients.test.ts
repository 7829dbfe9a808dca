import { test } from 'node:test';
import assert from 'node:assert/strict';
import '@tensorflow/tfjs-backend-cpu';
import { add, mean, mul, setBackend, square, sum, tensor2d, variableGrads } from '@tensorflow/tfjs-core';
import type { Scalar, Tensor, Variable } from '@tensorflow/tfjs-core';
import { metrics } from '@tensorflow/tfjs-layers';
import type { Sequential } from '@tensorflow/tfjs-layers';
import { DenseTrainer } from './dense-trainer.js';
import type { DenseLoss, Matrix } from './dense-spec.js';
import { buildDenseModel } from './tfjs-dense.js';
import type { DenseNetworkSpec } from './tfjs-dense.js';
import { activateTfjsFor, assertClose, BACKENDS, randomMatrix, randomTargets } from './test-support.js';

await setBackend('cpu');

const GRADIENT_TOLERANCE = 1e-4;
const BATCH_ROWS = 16;

function smallSpec(output: 'linear' | 'softmax' | 'sigmoid', l2 = 0): DenseNetworkSpec {
  return {
    inputs: 6,
    layers: [
      { units: 8, activation: 'relu' },
      { units: 8, activation: 'relu' },
      { units: 5, activation: output },
    ],
    l2,
  };
}

/** tfjs' own gradients of the tfjs-layers loss (mean over rows, plus l2 · Σ kernel²). */
function tfjsGradients(model: Sequential, x: Matrix, y: Matrix, loss: DenseLoss, l2: number): { grads: Float32Array[]; value: number } {
  const xs = tensor2d(x.data, [x.rows, x.columns]);
  const ys = tensor2d(y.data, [y.rows, y.columns]);
  const variables = model.trainableWeights.map((w) => w.read() as Variable);
  const lossFn = loss === 'meanSquaredError' ? metrics.meanSquaredError : metrics.categoricalCrossentropy;
  const { value, grads } = variableGrads(() => {
    let total = mean(lossFn(ys, model.apply(xs) as Tensor)) as Scalar;
    for (const layer of model.layers) total = add(total, mul(l2, sum(square(layer.getWeights()[0])))) as Scalar;
    return total;
  }, variables);
  const ordered = variables.map((v) => grads[v.name].dataSync() as Float32Array);
  return { grads: ordered, value: value.dataSync()[0] };
}

const CASES: { name: string; output: 'linear' | 'softmax' | 'sigmoid'; loss: DenseLoss; l2: number }[] = [
  { name: 'meanSquaredError, linear output', output: 'linear', loss: 'meanSquaredError', l2: 0 },
  { name: 'meanSquaredError, sigmoid output, l2', output: 'sigmoid', loss: 'meanSquaredError', l2: 0.01 },
  { name: 'meanSquaredError, softmax output', output: 'softmax', loss: 'meanSquaredError', l2: 0 },
  { name: 'categoricalCrossentropy, softmax output', output: 'softmax', loss: 'categoricalCrossentropy', l2: 0 },
  { name: 'categoricalCrossentropy, softmax output, l2', output: 'softmax', loss: 'categoricalCrossentropy', l2: 0.003 },
];

for (const backend of BACKENDS) {
  for (const c of CASES) {
    test(`the ${backend.name} backend's gradients equal tfjs' within 1e-4 (${c.name})`, { skip: backend.skip }, async () => {
      await activateTfjsFor('js');
      const model = buildDenseModel(smallSpec(c.output, c.l2), 7);
      const x = randomMatrix(BATCH_ROWS, 6, 11);
      const y = randomTargets(BATCH_ROWS, 5, 12, c.loss === 'categoricalCrossentropy');
      const expected = tfjsGradients(model, x, y, c.loss, c.l2);
      await activateTfjsFor(backend.name);
      const trainer = DenseTrainer.fromModel(model, { backend: backend.name });
      const actual = trainer.gradients(x, y, c.loss);
      assert.ok(Math.abs(actual.loss - expected.value) <= 1e-5 * Math.abs(expected.value), `loss ${actual.loss} vs ${expected.value}`);
      actual.kernels.forEach((kernel, l) => {
        assertClose(kernel, expected.grads[2 * l], GRADIENT_TOLERANCE, `kernel ${l}`);
        assertClose(actual.biases[l], expected.grads[2 * l + 1], GRADIENT_TOLERANCE, `bias ${l}`);
      });
    });
  }
}

test('DenseTrainer.gradients() refuses categoricalCrossentropy without a softmax output', async () => {
  await activateTfjsFor('js');
  const trainer = DenseTrainer.fromModel(buildDenseModel(smallSpec('linear'), 1), { backend: 'js' });
  assert.throws(
    () => trainer.gradients(randomMatrix(4, 6, 1), randomTargets(4, 5, 2, true), 'categoricalCrossentropy'),
    /needs a softmax output layer/,
  );
});
