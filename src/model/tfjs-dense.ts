/**
 * The tfjs-layers side: builds a Sequential of Dense layers with Keras' defaults (glorot-uniform kernels
 * seeded per layer, zero biases), reads its architecture and weights into {@link DenseBuffers} and
 * writes trained weights back, so the tfjs model predicts what the trainer trained.
 */
import '@tensorflow/tfjs-backend-cpu';
import { tensor1d, tensor2d } from '@tensorflow/tfjs-core';
import { initializers, layers, regularizers, sequential } from '@tensorflow/tfjs-layers';
import type { LayersModel, Sequential } from '@tensorflow/tfjs-layers';
import { isDenseActivation } from './dense-spec.js';
import type { DenseActivation } from './dense-spec.js';
import { createDenseBuffers } from './dense-buffers.js';
import type { DenseBuffers, DenseShape } from './dense-buffers.js';

export interface DenseLayerSpec {
  units: number;
  activation: DenseActivation;
}

export interface DenseNetworkSpec {
  inputs: number;
  layers: readonly DenseLayerSpec[];
  /** Keras l2 kernel regulariser on every layer: loss += l2 · Σ kernel². */
  l2?: number;
}

/** The published network: inputs → 3 × Dense 500 relu → Dense `classes` (linear, trained with MSE). */
export function paperNetworkSpec(inputs: number, classes: number): DenseNetworkSpec {
  const hidden: DenseLayerSpec = { units: 500, activation: 'relu' };
  return { inputs, layers: [hidden, hidden, hidden, { units: classes, activation: 'linear' }] };
}

/** A tfjs Sequential for `spec`, layer l's kernel seeded with seed + l (same seed, same weights). */
export function buildDenseModel(spec: DenseNetworkSpec, seed: number): Sequential {
  const model = sequential();
  spec.layers.forEach((layer, l) => {
    model.add(
      layers.dense({
        units: layer.units,
        activation: layer.activation,
        kernelInitializer: initializers.glorotUniform({ seed: seed + l }),
        biasInitializer: 'zeros',
        ...(spec.l2 ? { kernelRegularizer: regularizers.l2({ l2: spec.l2 }) } : {}),
        ...(l === 0 ? { inputShape: [spec.inputs] } : {}),
      }),
    );
  });
  return model;
}

interface DenseConfig {
  activation?: unknown;
  useBias?: unknown;
  kernelRegularizer?: { className?: string; config?: { l1?: number; l2?: number } } | null;
  biasRegularizer?: unknown;
  activityRegularizer?: unknown;
}

/**
 * The architecture of `model`, or what keeps the trainer from handling it (naming the layer). A
 * network built in code that does not fit is a bug; one read from a file is bad input, which is why
 * the answer is a value here and the caller decides.
 */
export function denseShapeOf(model: LayersModel): DenseShape | string {
  const inputShape = model.inputs[0]?.shape;
  if (!inputShape || inputShape.length !== 2 || typeof inputShape[1] !== 'number') {
    return 'The model must take rows of numbers (input shape [null, features])';
  }
  const units: number[] = [];
  const activations: DenseActivation[] = [];
  const l2s = new Set<number>();
  for (const layer of model.layers) {
    const config = layer.getConfig() as DenseConfig & { units?: number };
    if (layer.getClassName() !== 'Dense') return `Layer ${layer.name}: only Dense layers can be trained`;
    if (config.useBias !== true) return `Layer ${layer.name}: Dense layers need a bias`;
    const activation = String(config.activation);
    if (!isDenseActivation(activation)) return `Layer ${layer.name}: activation ${activation} unsupported`;
    if (config.biasRegularizer || config.activityRegularizer) return `Layer ${layer.name}: only kernel l2 regularisation is supported`;
    const regularizer = config.kernelRegularizer;
    if (regularizer && (regularizer.className !== 'L1L2' || (regularizer.config?.l1 ?? 0) !== 0)) {
      return `Layer ${layer.name}: only kernel l2 regularisation is supported`;
    }
    l2s.add(regularizer?.config?.l2 ?? 0);
    units.push(Number(config.units));
    activations.push(activation);
  }
  if (l2s.size > 1) return 'Every layer needs the same l2 factor';
  return { inputs: inputShape[1], units, activations, l2: [...l2s][0] ?? 0 };
}

/** The architecture of `model`; throws a RangeError naming the layer the trainer cannot handle. */
export function readDenseShape(model: LayersModel): DenseShape {
  const shape = denseShapeOf(model);
  if (typeof shape === 'string') throw new RangeError(shape);
  return shape;
}

/** Fresh buffers holding `model`'s architecture and current weights. */
export function readDenseModel(model: Sequential): DenseBuffers {
  const buffers = createDenseBuffers(readDenseShape(model));
  model.layers.forEach((layer, l) => {
    const [kernel, bias] = layer.getWeights();
    buffers.kernels[l].set(kernel.dataSync() as Float32Array);
    buffers.biases[l].set(bias.dataSync() as Float32Array);
  });
  return buffers;
}

/** Copies the buffers' weights into `model` (same architecture). */
export function writeDenseWeights(model: Sequential, buffers: DenseBuffers): void {
  model.layers.forEach((layer, l) => {
    const inputs = buffers.sizes[l], outputs = buffers.sizes[l + 1];
    const kernel = tensor2d(buffers.kernels[l], [inputs, outputs]);
    const bias = tensor1d(buffers.biases[l]);
    layer.setWeights([kernel, bias]);
    kernel.dispose();
    bias.dispose();
  });
}
