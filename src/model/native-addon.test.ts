import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadNativeAddon } from './native-addon.js';
import { NATIVE_SKIP } from './test-support.js';

const IN_CI = process.env.CI === 'true';

test('loadNativeAddon() loads the OpenBLAS addon, or under CI=true fails because it must be built there', () => {
  const status = loadNativeAddon();
  if (!status.ok) {
    assert.ok(!IN_CI, `CI installs libopenblas-dev and builds the addon, yet: ${status.reason}`);
    assert.match(status.reason, /native addon/);
    process.stdout.write(`# native addon absent, its tests are skipped: ${status.reason}\n`);
    return;
  }
  assert.match(status.addon.config(), /OpenBLAS/);
});

test('the native addon sets and reports its thread count and mode', { skip: NATIVE_SKIP }, () => {
  const status = loadNativeAddon();
  assert.ok(status.ok);
  const before = status.addon.getThreads();
  const mode = status.addon.getThreadMode();
  status.addon.setThreads(1, 'blas');
  assert.equal(status.addon.getThreads(), 1);
  assert.equal(status.addon.getThreadMode(), 'blas');
  status.addon.setThreads(3, 'split');
  assert.equal(status.addon.getThreads(), 3);
  assert.equal(status.addon.getThreadMode(), 'split');
  status.addon.setThreads(2);
  assert.equal(status.addon.getThreadMode(), 'split', 'without a mode the mode stays');
  status.addon.setThreads(before, mode);
  assert.throws(() => status.addon.setThreads(0), /threads must be at least 1/);
  assert.throws(() => status.addon.setThreads(2, 'many' as 'blas'), /mode must be 'split' or 'blas'/);
});

test('the native addon rejects buffers shorter than the layer sizes', { skip: NATIVE_SKIP }, () => {
  const status = loadNativeAddon();
  assert.ok(status.ok);
  const net = {
    sizes: Int32Array.of(3, 2),
    activations: Int32Array.of(0),
    loss: 0, optimizer: 0, learningRate: 0.1, momentum: 0, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, l2: 0,
    kernels: [new Float32Array(5)],
    biases: [new Float32Array(2)],
    gradKernels: [new Float32Array(6)],
    gradBiases: [new Float32Array(2)],
    slot1Kernels: [], slot1Biases: [], slot2Kernels: [], slot2Biases: [],
    adamPowers: Float64Array.of(1, 1),
  };
  const x = new Float32Array(3), out = new Float32Array(2);
  assert.throws(() => status.addon.predict(net, x, 1, out, 16), /kernels is too short: 5 < 6/);
});
