/**
 * The JavaScript fallback backend: the same algorithm as native/dense.cc (same buffers, same order of
 * operations, tfjs' formulas) over js-gemm.ts, for machines without the OpenBLAS addon.
 */
import { ACTIVATION_CODES, LOSS_CODES, OPTIMIZER_ADAM, OPTIMIZER_MOMENTUM, OPTIMIZER_SGD, TFJS_EPSILON } from './dense-spec.js';
import { gemmNN, gemmNT, gemmTN } from './js-gemm.js';
import type { DenseBackend } from './dense-backend.js';
import type { DenseBuffers } from './dense-buffers.js';

const { relu: RELU, sigmoid: SIGMOID, softmax: SOFTMAX } = ACTIVATION_CODES;

interface Scratch {
  rows: number;
  activations: Float32Array[];
  delta: Float32Array;
  deltaPrevious: Float32Array;
  batchX: Float32Array;
  batchY: Float32Array;
}

function biasActivation(z: Float32Array, bias: Float32Array, rows: number, n: number, activation: number): void {
  for (let r = 0; r < rows; r++) {
    const o = r * n;
    if (activation === RELU) {
      for (let j = 0; j < n; j++) {
        const v = z[o + j] + bias[j];
        z[o + j] = v > 0 ? v : 0;
      }
    } else if (activation === SIGMOID) {
      for (let j = 0; j < n; j++) z[o + j] = 1 / (1 + Math.exp(-(z[o + j] + bias[j])));
    } else if (activation === SOFTMAX) {
      let top = -Infinity;
      for (let j = 0; j < n; j++) {
        z[o + j] += bias[j];
        if (z[o + j] > top) top = z[o + j];
      }
      let sum = 0;
      for (let j = 0; j < n; j++) {
        z[o + j] = Math.exp(z[o + j] - top);
        sum += z[o + j];
      }
      for (let j = 0; j < n; j++) z[o + j] /= sum;
    } else {
      for (let j = 0; j < n; j++) z[o + j] += bias[j];
    }
  }
}

function activationBackward(g: Float32Array, a: Float32Array, rows: number, n: number, activation: number): void {
  const count = rows * n;
  if (activation === RELU) {
    for (let i = 0; i < count; i++) if (!(a[i] > 0)) g[i] = 0;
  } else if (activation === SIGMOID) {
    for (let i = 0; i < count; i++) g[i] *= a[i] * (1 - a[i]);
  } else if (activation === SOFTMAX) {
    for (let r = 0; r < rows; r++) {
      const o = r * n;
      let dot = 0;
      for (let j = 0; j < n; j++) dot += g[o + j] * a[o + j];
      for (let j = 0; j < n; j++) g[o + j] = a[o + j] * (g[o + j] - dot);
    }
  }
}

function argmax(v: Float32Array, offset: number, n: number): number {
  let best = 0;
  for (let j = 1; j < n; j++) if (v[offset + j] > v[offset + best]) best = j;
  return best;
}

/** Adds the summed per-row loss and the correct rows of predictions `out` against `y` to stats. */
export function scoreRows(loss: number, out: Float32Array, y: Float32Array, rows: number, n: number, stats: Float64Array): void {
  let lossSum = 0;
  let correct = 0;
  for (let r = 0; r < rows; r++) {
    const o = r * n;
    let rowLoss = 0;
    if (loss === LOSS_CODES.categoricalCrossentropy) {
      for (let j = 0; j < n; j++) {
        const p = Math.min(Math.max(out[o + j], TFJS_EPSILON), 1 - TFJS_EPSILON);
        rowLoss -= y[o + j] * Math.log(p);
      }
    } else {
      for (let j = 0; j < n; j++) rowLoss += (out[o + j] - y[o + j]) ** 2;
      rowLoss /= n;
    }
    lossSum += rowLoss;
    if (argmax(out, o, n) === argmax(y, o, n)) correct++;
  }
  stats[0] += lossSum;
  stats[1] += correct;
}

function outputGradient(net: DenseBuffers, a: Float32Array, y: Float32Array, rows: number, g: Float32Array): void {
  const n = net.sizes[net.sizes.length - 1];
  if (net.loss === LOSS_CODES.categoricalCrossentropy) {
    for (let r = 0; r < rows; r++) {
      const o = r * n;
      let total = 0;
      for (let j = 0; j < n; j++) total += y[o + j];
      for (let j = 0; j < n; j++) g[o + j] = (a[o + j] * total - y[o + j]) / rows;
    }
    return;
  }
  const scale = 2 / (n * rows);
  for (let i = 0; i < rows * n; i++) g[i] = (a[i] - y[i]) * scale;
  activationBackward(g, a, rows, n, net.activations[net.activations.length - 1]);
}

function columnSums(g: Float32Array, rows: number, n: number, out: Float32Array): void {
  out.fill(0);
  for (let r = 0; r < rows; r++) for (let j = 0; j < n; j++) out[j] += g[r * n + j];
}

function applyMomentum(w: Float32Array, g: Float32Array, acc: Float32Array, lr: number, momentum: number): void {
  for (let i = 0; i < w.length; i++) {
    acc[i] = momentum * acc[i] + g[i];
    w[i] -= lr * acc[i];
  }
}

function applyAdam(net: DenseBuffers, w: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, c1: number, c2: number): void {
  const { beta1, beta2, learningRate, epsilon } = net;
  for (let i = 0; i < w.length; i++) {
    m[i] = beta1 * m[i] + (1 - beta1) * g[i];
    v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
    w[i] += -learningRate * ((m[i] / c1) / (Math.sqrt(v[i] / c2) + epsilon));
  }
}

export class JsDenseBackend implements DenseBackend {
  /** Grown to the largest batch seen for the current architecture, then reused. */
  private scratch: Scratch | null = null;
  private scratchKey = '';

  private scratchFor(net: DenseBuffers, rows: number): Scratch {
    const key = net.sizes.join(',');
    if (this.scratch && this.scratchKey === key && this.scratch.rows >= rows) return this.scratch;
    const units = Array.from(net.sizes.subarray(1));
    const widest = Math.max(...units);
    this.scratch = {
      rows,
      activations: units.map((u) => new Float32Array(rows * u)),
      delta: new Float32Array(rows * widest),
      deltaPrevious: new Float32Array(rows * widest),
      batchX: new Float32Array(rows * net.sizes[0]),
      batchY: new Float32Array(rows * units[units.length - 1]),
    };
    this.scratchKey = key;
    return this.scratch;
  }

  private forward(net: DenseBuffers, x: Float32Array, rows: number, s: Scratch): Float32Array {
    let input = x;
    for (let l = 0; l < net.kernels.length; l++) {
      const inputs = net.sizes[l], outputs = net.sizes[l + 1];
      const z = s.activations[l];
      gemmNN(rows, outputs, inputs, 1, input, net.kernels[l], 0, z);
      biasActivation(z, net.biases[l], rows, outputs, net.activations[l]);
      input = z;
    }
    return input;
  }

  private step(net: DenseBuffers, x: Float32Array, y: Float32Array, rows: number, s: Scratch, update: boolean, stats: Float64Array): void {
    const layers = net.kernels.length;
    const output = this.forward(net, x, rows, s);
    scoreRows(net.loss, output, y, rows, net.sizes[layers], stats);
    let g = s.delta, gPrevious = s.deltaPrevious;
    outputGradient(net, output, y, rows, g);
    const fusedSgd = update && net.optimizer === OPTIMIZER_SGD;
    let c1 = 1, c2 = 1;
    if (update && net.optimizer === OPTIMIZER_ADAM) {
      net.adamPowers[0] *= net.beta1;
      net.adamPowers[1] *= net.beta2;
      c1 = 1 - net.adamPowers[0];
      c2 = 1 - net.adamPowers[1];
    }
    const lr = net.learningRate;
    for (let l = layers - 1; l >= 0; l--) {
      const inputs = net.sizes[l], outputs = net.sizes[l + 1];
      const input = l === 0 ? x : s.activations[l - 1];
      const w = net.kernels[l], b = net.biases[l];
      if (l > 0) {
        gemmNT(rows, inputs, outputs, 1, g, w, 0, gPrevious);
        activationBackward(gPrevious, input, rows, inputs, net.activations[l - 1]);
      }
      const gb = net.gradBiases[l];
      columnSums(g, rows, outputs, gb);
      if (fusedSgd) {
        gemmTN(inputs, outputs, rows, -lr, input, g, 1 - 2 * lr * net.l2, w);
        for (let j = 0; j < outputs; j++) b[j] -= lr * gb[j];
      } else {
        const gw = net.gradKernels[l];
        if (net.l2 !== 0) for (let i = 0; i < gw.length; i++) gw[i] = 2 * net.l2 * w[i];
        gemmTN(inputs, outputs, rows, 1, input, g, net.l2 !== 0 ? 1 : 0, gw);
        if (update && net.optimizer === OPTIMIZER_MOMENTUM) {
          applyMomentum(w, gw, net.slot1Kernels[l], lr, net.momentum);
          applyMomentum(b, gb, net.slot1Biases[l], lr, net.momentum);
        } else if (update && net.optimizer === OPTIMIZER_ADAM) {
          applyAdam(net, w, gw, net.slot1Kernels[l], net.slot2Kernels[l], c1, c2);
          applyAdam(net, b, gb, net.slot1Biases[l], net.slot2Biases[l], c1, c2);
        }
      }
      const t = g;
      g = gPrevious;
      gPrevious = t;
    }
  }

  trainEpoch(net: DenseBuffers, x: Float32Array, y: Float32Array, order: Int32Array, from: number, to: number, batchSize: number, stats: Float64Array): void {
    const inputs = net.sizes[0], outputs = net.sizes[net.sizes.length - 1];
    for (let start = from; start < to; start += batchSize) {
      const rows = Math.min(batchSize, to - start);
      const s = this.scratchFor(net, rows);
      for (let r = 0; r < rows; r++) {
        const row = order[start + r];
        s.batchX.set(x.subarray(row * inputs, (row + 1) * inputs), r * inputs);
        s.batchY.set(y.subarray(row * outputs, (row + 1) * outputs), r * outputs);
      }
      this.step(net, s.batchX, s.batchY, rows, s, true, stats);
    }
  }

  computeGradients(net: DenseBuffers, x: Float32Array, y: Float32Array, rows: number, stats: Float64Array): void {
    this.step(net, x, y, rows, this.scratchFor(net, rows), false, stats);
  }

  predict(net: DenseBuffers, x: Float32Array, rows: number, out: Float32Array, chunkRows: number): void {
    const inputs = net.sizes[0], outputs = net.sizes[net.sizes.length - 1];
    for (let start = 0; start < rows; start += chunkRows) {
      const n = Math.min(chunkRows, rows - start);
      const s = this.scratchFor(net, n);
      const result = this.forward(net, x.subarray(start * inputs, (start + n) * inputs), n, s);
      out.set(result.subarray(0, n * outputs), start * outputs);
    }
  }
}
