/**
 * The tfjs-layers side: builds a Sequential of Dense layers with Keras' defaults (glorot-uniform kernels
 * seeded per layer, zero biases), reads its architecture and weights into {@link DenseBuffers} and
 * writes trained weights back, so the tfjs model predicts what the trainer trained.
 */
import '@tensorflow/tfjs-backend-cpu';
import { tensor1d, tensor2d } from '@tensorflow/tfjs-core';
import { initializers, layers, regularizers, sequential } from '@tensorflow/tfjs-layers';
import type { LayersModel, Sequential } from '@tensorflow/tfjs-layers';
import type { DenseLayerSpec, DenseNetworkSpec } from './dense-spec.js';
import { createDenseBuffers } from './dense-buffers.js';
import type { DenseBuffers, DenseShape } from './dense-buffers.js';
import { denseShapeOfLayers } from './dense-shape.js';

export type { DenseLayerSpec, DenseNetworkSpec } from './dense-spec.js';

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
  units?: unknown;
  activation?: unknown;
  useBias?: unknown;
  kernelRegularizer?: { className?: string; config?: { l1?: number; l2?: number } } | null;
  biasRegularizer?: unknown;
  activityRegularizer?: unknown;
}

/**
 * The architecture of `model`, or what keeps the trainer from handling it (naming the layer): the
 * rules of dense-shape.ts, which a model read from its file without tfjs (layers-model-file.ts) meets too.
 */
export function denseShapeOf(model: LayersModel): DenseShape | string {
  const inputShape = model.inputs[0]?.shape;
  if (!inputShape || inputShape.length !== 2) return 'The model must take rows of numbers (input shape [null, features])';
  return denseShapeOfLayers(
    inputShape[1],
    model.layers.map((layer) => {
      const config = layer.getConfig() as DenseConfig;
      const regularizer = config.kernelRegularizer;
      return {
        name: layer.name,
        className: layer.getClassName(),
        units: config.units,
        activation: config.activation,
        useBias: config.useBias,
        kernelRegularizer: regularizer ? { className: regularizer.className, l1: regularizer.config?.l1, l2: regularizer.config?.l2 } : null,
        biasRegularizer: config.biasRegularizer,
        activityRegularizer: config.activityRegularizer,
      };
    }),
  );
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
