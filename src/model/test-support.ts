/**
 * Shared by the model tests: which backends to run, small seeded data sets and a tolerance check.
 * When the native addon is absent its tests are skipped with the reason (node:test prints it); the
 * native-addon test fails instead under CI=true, where libopenblas-dev is installed.
 */
import assert from 'node:assert/strict';
import '@tensorflow/tfjs-backend-cpu';
import { setBackend } from '@tensorflow/tfjs-core';
import { Random } from '../core/random.js';
import { activateWasm } from './wasm-backend.js';
import type { DenseBackendName } from './dense-backend.js';
import type { Matrix } from './dense-spec.js';
import { loadNativeAddon } from './native-addon.js';

const native = loadNativeAddon();

/** false when the native addon loaded, else the reason to print as the skip message. */
export const NATIVE_SKIP: false | string = native.ok ? false : `native addon unavailable: ${native.reason}`;

/** Every backend, with the skip option for node:test. */
export const BACKENDS: readonly { name: DenseBackendName; skip: false | string }[] = [
  { name: 'js', skip: false },
  { name: 'wasm', skip: false },
  { name: 'native', skip: NATIVE_SKIP },
];

/** Makes tfjs' active backend the one `backend` needs: wasm for the wasm backend, cpu otherwise. */
export async function activateTfjsFor(backend: DenseBackendName): Promise<void> {
  if (backend === 'wasm') await activateWasm();
  else await setBackend('cpu');
}

/** rows x columns uniform in [-1, 1). */
export function randomMatrix(rows: number, columns: number, seed: number): Matrix {
  const random = new Random(seed);
  const data = new Float32Array(rows * columns);
  for (let i = 0; i < data.length; i++) data[i] = random.next() * 2 - 1;
  return { data, rows, columns };
}

/** Rows of random class probabilities (softmax-like targets summing to 1) or one-hot rows. */
export function randomTargets(rows: number, classes: number, seed: number, oneHotRows: boolean): Matrix {
  const random = new Random(seed);
  const data = new Float32Array(rows * classes);
  for (let r = 0; r < rows; r++) {
    if (oneHotRows) {
      data[r * classes + random.int(0, classes - 1)] = 1;
      continue;
    }
    let sum = 0;
    for (let j = 0; j < classes; j++) sum += data[r * classes + j] = random.next() + 0.05;
    for (let j = 0; j < classes; j++) data[r * classes + j] /= sum;
  }
  return { data, rows, columns: classes };
}

/** max |actual - expected| <= relative * max |expected| (plus a floor for all-zero tensors). */
export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, relative: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  let scale = 0;
  let worst = 0;
  let worstAt = -1;
  for (let i = 0; i < expected.length; i++) {
    scale = Math.max(scale, Math.abs(expected[i]));
    const d = Math.abs(actual[i] - expected[i]);
    if (d > worst) {
      worst = d;
      worstAt = i;
    }
  }
  const limit = relative * Math.max(scale, 1e-6);
  assert.ok(
    worst <= limit,
    `${what}: differs by ${worst} at ${worstAt} (${actual[worstAt]} vs ${expected[worstAt]}), limit ${limit}`,
  );
}
