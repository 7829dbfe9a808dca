/**
 * The vocabulary of the dense-network trainer: activations, losses, optimisers, and the numeric codes
 * the native addon (native/dense.h) and the JavaScript backend share.
 */

export type DenseActivation = 'linear' | 'relu' | 'sigmoid' | 'softmax';
export type DenseLoss = 'meanSquaredError' | 'categoricalCrossentropy';

export interface DenseLayerSpec {
  units: number;
  activation: DenseActivation;
}

/** A network to build: inputs, then Dense layers in order. */
export interface DenseNetworkSpec {
  inputs: number;
  layers: readonly DenseLayerSpec[];
  /** Keras l2 kernel regulariser on every layer: loss += l2 · Σ kernel². */
  l2?: number;
}

/** Plain SGD (tfjs `train.sgd`) or SGD with momentum (tfjs `train.momentum`, not Nesterov). */
export interface SgdOptimizer {
  type: 'sgd';
  learningRate: number;
  momentum?: number;
}

/** Adam as tfjs `train.adam` (defaults: beta1 0.9, beta2 0.999, epsilon 1e-7 as tfjs-layers' 'adam'). */
export interface AdamOptimizer {
  type: 'adam';
  learningRate: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

export type DenseOptimizer = SgdOptimizer | AdamOptimizer;

/** A row-major float matrix: `data.length === rows * columns`. */
export interface Matrix {
  data: Float32Array;
  rows: number;
  columns: number;
}

/** Codes shared with native/dense.h: keep in step. */
export const ACTIVATION_CODES: Readonly<Record<DenseActivation, number>> = {
  linear: 0,
  relu: 1,
  sigmoid: 2,
  softmax: 3,
};
/** The activation of each code (ACTIVATION_CODES backwards). */
export const ACTIVATION_NAMES: readonly DenseActivation[] = (Object.keys(ACTIVATION_CODES) as DenseActivation[]).sort((a, b) => ACTIVATION_CODES[a] - ACTIVATION_CODES[b]);
export const LOSS_CODES: Readonly<Record<DenseLoss, number>> = {
  meanSquaredError: 0,
  categoricalCrossentropy: 1,
};
export const OPTIMIZER_SGD = 0;
export const OPTIMIZER_MOMENTUM = 1;
export const OPTIMIZER_ADAM = 2;

/** tfjs-layers' `epsilon()`: Adam's default epsilon and the crossentropy probability clip. */
export const TFJS_EPSILON = 1e-7;
export const ADAM_DEFAULT_BETA1 = 0.9;
export const ADAM_DEFAULT_BETA2 = 0.999;

export function isDenseActivation(name: string): name is DenseActivation {
  return Object.hasOwn(ACTIVATION_CODES, name);
}

/** A matrix view over `data` with a check that the sizes agree. */
export function matrix(data: Float32Array, rows: number, columns: number): Matrix {
  if (data.length !== rows * columns) {
    throw new RangeError(`Matrix of ${rows}x${columns} needs ${rows * columns} floats, got ${data.length}`);
  }
  return { data, rows, columns };
}
