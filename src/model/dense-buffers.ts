/**
 * The buffers of a dense network (weights, gradients, optimiser slots) as one object of fixed shape,
 * read as-is by both backends: the native addon (native/addon.cc readNet) and the JavaScript one.
 */
import {
  ACTIVATION_CODES,
  ADAM_DEFAULT_BETA1,
  ADAM_DEFAULT_BETA2,
  LOSS_CODES,
  OPTIMIZER_ADAM,
  OPTIMIZER_MOMENTUM,
  OPTIMIZER_SGD,
  TFJS_EPSILON,
} from './dense-spec.js';
import type { DenseActivation, DenseLoss, DenseOptimizer } from './dense-spec.js';

export interface DenseBuffers {
  /** sizes[0] = inputs, sizes[l + 1] = units of layer l. */
  sizes: Int32Array;
  activations: Int32Array;
  loss: number;
  optimizer: number;
  learningRate: number;
  momentum: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  l2: number;
  /** [in, out] row-major per layer, as tfjs stores a Dense kernel. */
  kernels: Float32Array[];
  biases: Float32Array[];
  gradKernels: Float32Array[];
  gradBiases: Float32Array[];
  slot1Kernels: Float32Array[];
  slot1Biases: Float32Array[];
  slot2Kernels: Float32Array[];
  slot2Biases: Float32Array[];
  /** beta1^t and beta2^t after t Adam steps. */
  adamPowers: Float64Array;
}

/** The architecture a network is built from. */
export interface DenseShape {
  inputs: number;
  units: readonly number[];
  activations: readonly DenseActivation[];
  l2: number;
}

function perLayer(shape: DenseShape, kernels: boolean): Float32Array[] {
  return shape.units.map((units, l) => {
    const inputs = l === 0 ? shape.inputs : shape.units[l - 1];
    return new Float32Array(kernels ? inputs * units : units);
  });
}

/** Zeroed buffers for `shape` (weights are copied in by the caller). */
export function createDenseBuffers(shape: DenseShape): DenseBuffers {
  if (shape.units.length === 0) throw new RangeError('A dense network needs at least one layer');
  return {
    sizes: Int32Array.from([shape.inputs, ...shape.units]),
    activations: Int32Array.from(shape.activations.map((a) => ACTIVATION_CODES[a])),
    loss: LOSS_CODES.meanSquaredError,
    optimizer: OPTIMIZER_SGD,
    learningRate: 0.01,
    momentum: 0,
    beta1: ADAM_DEFAULT_BETA1,
    beta2: ADAM_DEFAULT_BETA2,
    epsilon: TFJS_EPSILON,
    l2: shape.l2,
    kernels: perLayer(shape, true),
    biases: perLayer(shape, false),
    gradKernels: perLayer(shape, true),
    gradBiases: perLayer(shape, false),
    slot1Kernels: perLayer(shape, true),
    slot1Biases: perLayer(shape, false),
    slot2Kernels: perLayer(shape, true),
    slot2Biases: perLayer(shape, false),
    adamPowers: Float64Array.of(1, 1),
  };
}

/** Sets the loss and optimiser and clears the optimiser's state (a fresh fit). */
export function configureTraining(buffers: DenseBuffers, loss: DenseLoss, optimizer: DenseOptimizer): void {
  const lastActivation = buffers.activations[buffers.activations.length - 1];
  if (loss === 'categoricalCrossentropy' && lastActivation !== ACTIVATION_CODES.softmax) {
    throw new RangeError('categoricalCrossentropy needs a softmax output layer');
  }
  buffers.loss = LOSS_CODES[loss];
  buffers.learningRate = optimizer.learningRate;
  if (optimizer.type === 'adam') {
    buffers.optimizer = OPTIMIZER_ADAM;
    buffers.beta1 = optimizer.beta1 ?? ADAM_DEFAULT_BETA1;
    buffers.beta2 = optimizer.beta2 ?? ADAM_DEFAULT_BETA2;
    buffers.epsilon = optimizer.epsilon ?? TFJS_EPSILON;
  } else {
    buffers.momentum = optimizer.momentum ?? 0;
    buffers.optimizer = buffers.momentum === 0 ? OPTIMIZER_SGD : OPTIMIZER_MOMENTUM;
  }
  for (const list of [buffers.slot1Kernels, buffers.slot1Biases, buffers.slot2Kernels, buffers.slot2Biases]) {
    for (const array of list) array.fill(0);
  }
  buffers.adamPowers.fill(1);
}
