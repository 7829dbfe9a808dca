/**
 * The wasm fallback backend: the algorithm of native/dense.cc written with TensorFlow.js ops on the
 * tfjs wasm backend (XNNPACK matrix products), for machines without the OpenBLAS addon. tfjs' wasm
 * matMul is slow with transposed operands, so transposes are explicit and every product is A·B.
 * Needs tfjs' active backend to be 'wasm' (see {@link activateWasm}); weights live in tfjs variables
 * during a call and are copied back into the {@link DenseBuffers} at its end.
 */
import {
  add, fused, getBackend, matMul, mul, ready, setBackend, sigmoid, softmax, sqrt, square, step, sub, sum, tensor1d,
  tensor2d, tidy, transpose, variable, div, scalar,
} from '@tensorflow/tfjs-core';
import type { Rank, Tensor, Tensor1D, Tensor2D, Variable } from '@tensorflow/tfjs-core';
import { ACTIVATION_CODES, LOSS_CODES, OPTIMIZER_ADAM, OPTIMIZER_MOMENTUM, OPTIMIZER_SGD } from './dense-spec.js';
import type { DenseBackend } from './dense-backend.js';
import type { DenseBuffers } from './dense-buffers.js';
import { scoreRows } from './js-backend.js';

/**
 * Makes tfjs' wasm backend the active one (process-wide). The backend is imported here, not at the
 * top: importing it registers 'wasm' above 'cpu' in tfjs' priorities, and an uninitialised default
 * backend would break every synchronous tfjs call made before an `await tf.ready()`.
 */
export async function activateWasm(): Promise<void> {
  await import('@tensorflow/tfjs-backend-wasm');
  if (!(await setBackend('wasm'))) throw new Error('tfjs wasm backend failed to initialise');
  await ready();
}

interface LayerVariables {
  kernel: Variable<Rank.R2>;
  bias: Variable<Rank.R1>;
  slots: Variable[];
}

function toVariables(net: DenseBuffers, withSlots: boolean): LayerVariables[] {
  return net.kernels.map((kernel, l) => {
    const shape: [number, number] = [net.sizes[l], net.sizes[l + 1]];
    const slots: Variable[] = [];
    if (withSlots && net.optimizer !== OPTIMIZER_SGD) {
      slots.push(variable(tensor2d(net.slot1Kernels[l], shape)), variable(tensor1d(net.slot1Biases[l])));
      if (net.optimizer === OPTIMIZER_ADAM) {
        slots.push(variable(tensor2d(net.slot2Kernels[l], shape)), variable(tensor1d(net.slot2Biases[l])));
      }
    }
    return { kernel: variable(tensor2d(kernel, shape)), bias: variable(tensor1d(net.biases[l])), slots };
  });
}

function fromVariables(net: DenseBuffers, layers: LayerVariables[]): void {
  layers.forEach((layer, l) => {
    net.kernels[l].set(layer.kernel.dataSync());
    net.biases[l].set(layer.bias.dataSync());
    const targets = [net.slot1Kernels[l], net.slot1Biases[l], net.slot2Kernels[l], net.slot2Biases[l]];
    layer.slots.forEach((slot, i) => targets[i].set(slot.dataSync()));
    for (const v of [layer.kernel, layer.bias, ...layer.slots]) v.dispose();
  });
}

function forward(net: DenseBuffers, layers: LayerVariables[], x: Tensor2D): Tensor2D[] {
  const activations: Tensor2D[] = [];
  let input = x;
  layers.forEach((layer, l) => {
    const code = net.activations[l];
    let z = fused.matMul({ a: input, b: layer.kernel, bias: layer.bias, activation: code === ACTIVATION_CODES.relu ? 'relu' : 'linear' }) as Tensor2D;
    if (code === ACTIVATION_CODES.sigmoid) z = sigmoid(z) as Tensor2D;
    else if (code === ACTIVATION_CODES.softmax) z = softmax(z) as Tensor2D;
    activations.push(z);
    input = z;
  });
  return activations;
}

/** dL/dZ from dL/dA for activations a. */
function activationBackward(g: Tensor2D, a: Tensor2D, code: number): Tensor2D {
  if (code === ACTIVATION_CODES.relu) return mul(g, step(a));
  if (code === ACTIVATION_CODES.sigmoid) return mul(g, mul(a, sub(1, a)));
  if (code === ACTIVATION_CODES.softmax) return mul(a, sub(g, sum(mul(g, a), 1, true)));
  return g;
}

function applyUpdate(net: DenseBuffers, target: Variable<Rank.R2> | Variable<Rank.R1>, gradient: Tensor, slots: Variable[], corrections: [number, number]): void {
  const lr = net.learningRate;
  if (net.optimizer === OPTIMIZER_MOMENTUM) {
    slots[0].assign(add(mul(net.momentum, slots[0]), gradient));
    target.assign(sub(target, mul(lr, slots[0])) as never);
  } else if (net.optimizer === OPTIMIZER_ADAM) {
    slots[0].assign(add(mul(net.beta1, slots[0]), mul(1 - net.beta1, gradient)));
    slots[1].assign(add(mul(net.beta2, slots[1]), mul(1 - net.beta2, square(gradient))));
    const mHat = div(slots[0], scalar(corrections[0]));
    const vHat = div(slots[1], scalar(corrections[1]));
    target.assign(sub(target, mul(lr, div(mHat, add(sqrt(vHat), net.epsilon)))) as never);
  } else {
    target.assign(sub(target, mul(lr, gradient)) as never);
  }
}

/** One batch; returns the output rows (for scoring) and writes gradients when `gradients` is given. */
function step1(
  net: DenseBuffers, layers: LayerVariables[], xs: Tensor2D, ys: Tensor2D, rows: number, update: boolean,
  corrections: [number, number], gradients: { kernels: Float32Array[]; biases: Float32Array[] } | null,
): Float32Array {
  return tidy(() => {
    const activations = forward(net, layers, xs);
    const last = layers.length - 1;
    const output = activations[last];
    const outputs = net.sizes[last + 1];
    let g: Tensor2D;
    if (net.loss === LOSS_CODES.categoricalCrossentropy) {
      g = div(sub(mul(output, sum(ys, 1, true)), ys), rows);
    } else {
      g = activationBackward(mul(sub(output, ys), 2 / (outputs * rows)), output, net.activations[last]);
    }
    for (let l = last; l >= 0; l--) {
      const layer = layers[l];
      const input = l === 0 ? xs : activations[l - 1];
      const gPrevious = l > 0 ? activationBackward(matMul(g, transpose(layer.kernel)), input, net.activations[l - 1]) : null;
      let gw: Tensor2D = matMul(transpose(input), g);
      if (net.l2 !== 0) gw = add(gw, mul(2 * net.l2, layer.kernel));
      const gb: Tensor1D = sum(g, 0);
      if (gradients) {
        gradients.kernels[l].set(gw.dataSync());
        gradients.biases[l].set(gb.dataSync());
      }
      if (update) {
        applyUpdate(net, layer.kernel, gw, layer.slots.slice(0, 1).concat(layer.slots.slice(2, 3)), corrections);
        applyUpdate(net, layer.bias, gb, layer.slots.slice(1, 2).concat(layer.slots.slice(3, 4)), corrections);
      }
      if (gPrevious) g = gPrevious;
    }
    return output.dataSync() as Float32Array;
  });
}

function assertWasm(): void {
  if (getBackend() !== 'wasm') throw new Error(`The wasm backend needs tfjs' wasm backend active (it is ${getBackend()}): await activateWasm()`);
}

export class WasmDenseBackend implements DenseBackend {
  constructor() {
    assertWasm();
  }

  trainEpoch(net: DenseBuffers, x: Float32Array, y: Float32Array, order: Int32Array, from: number, to: number, batchSize: number, stats: Float64Array): void {
    assertWasm();
    const inputs = net.sizes[0], outputs = net.sizes[net.sizes.length - 1];
    const layers = toVariables(net, true);
    const batchX = new Float32Array(batchSize * inputs);
    const batchY = new Float32Array(batchSize * outputs);
    for (let start = from; start < to; start += batchSize) {
      const rows = Math.min(batchSize, to - start);
      for (let r = 0; r < rows; r++) {
        const row = order[start + r];
        batchX.set(x.subarray(row * inputs, (row + 1) * inputs), r * inputs);
        batchY.set(y.subarray(row * outputs, (row + 1) * outputs), r * outputs);
      }
      let corrections: [number, number] = [1, 1];
      if (net.optimizer === OPTIMIZER_ADAM) {
        net.adamPowers[0] *= net.beta1;
        net.adamPowers[1] *= net.beta2;
        corrections = [1 - net.adamPowers[0], 1 - net.adamPowers[1]];
      }
      const xs = tensor2d(batchX.subarray(0, rows * inputs), [rows, inputs]);
      const ys = tensor2d(batchY.subarray(0, rows * outputs), [rows, outputs]);
      const out = step1(net, layers, xs, ys, rows, true, corrections, null);
      scoreRows(net.loss, out, batchY, rows, outputs, stats);
      xs.dispose();
      ys.dispose();
    }
    fromVariables(net, layers);
  }

  computeGradients(net: DenseBuffers, x: Float32Array, y: Float32Array, rows: number, stats: Float64Array): void {
    assertWasm();
    const inputs = net.sizes[0], outputs = net.sizes[net.sizes.length - 1];
    const layers = toVariables(net, false);
    const xs = tensor2d(x.subarray(0, rows * inputs), [rows, inputs]);
    const ys = tensor2d(y.subarray(0, rows * outputs), [rows, outputs]);
    const out = step1(net, layers, xs, ys, rows, false, [1, 1], { kernels: net.gradKernels, biases: net.gradBiases });
    scoreRows(net.loss, out, y, rows, outputs, stats);
    xs.dispose();
    ys.dispose();
    fromVariables(net, layers);
  }

  predict(net: DenseBuffers, x: Float32Array, rows: number, out: Float32Array, chunkRows: number): void {
    assertWasm();
    const inputs = net.sizes[0], outputs = net.sizes[net.sizes.length - 1];
    const layers = toVariables(net, false);
    for (let start = 0; start < rows; start += chunkRows) {
      const n = Math.min(chunkRows, rows - start);
      const result = tidy(() => {
        const activations = forward(net, layers, tensor2d(x.subarray(start * inputs, (start + n) * inputs), [n, inputs]));
        return activations[activations.length - 1].dataSync();
      });
      out.set(result, start * outputs);
    }
    for (const layer of layers) for (const v of [layer.kernel, layer.bias]) v.dispose();
  }
}
