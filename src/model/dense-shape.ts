/**
 * Which networks peephole's dense trainer and forward pass run, decided on a neutral description of
 * the layers: tfjs-dense.ts describes a tfjs-layers model in memory, layers-model-file.ts the JSON of
 * a saved one (model.json), so a network is accepted or refused for the same reasons either way.
 */
import type { DenseShape } from './dense-buffers.js';
import { isDenseActivation, type DenseActivation } from './dense-spec.js';

/** One layer as a tfjs-layers model (or its model.json) describes it. */
export interface LayerDescription {
  readonly name: string;
  readonly className: string;
  readonly units: unknown;
  readonly activation: unknown;
  readonly useBias: unknown;
  /** null when the layer has none. */
  readonly kernelRegularizer: { readonly className: unknown; readonly l1: unknown; readonly l2: unknown } | null;
  readonly biasRegularizer: unknown;
  readonly activityRegularizer: unknown;
}

/**
 * The architecture of a network of `inputs` inputs and these layers, or what keeps peephole from
 * running it (naming the layer). A network built in code that does not fit is a bug; one read from a
 * file is bad input, which is why the answer is a value here and the caller decides.
 */
export function denseShapeOfLayers(inputs: unknown, layers: readonly LayerDescription[]): DenseShape | string {
  if (typeof inputs !== 'number' || !Number.isSafeInteger(inputs) || inputs <= 0) return 'The model must take rows of numbers (input shape [null, features])';
  if (layers.length === 0) return 'The model has no layers';
  const units: number[] = [];
  const activations: DenseActivation[] = [];
  const l2s = new Set<number>();
  for (const layer of layers) {
    if (layer.className !== 'Dense') return `Layer ${layer.name}: only Dense layers can be trained`;
    if (typeof layer.units !== 'number' || !Number.isSafeInteger(layer.units) || layer.units <= 0) return `Layer ${layer.name}: units must be a whole number above 0`;
    if (layer.useBias !== true) return `Layer ${layer.name}: Dense layers need a bias`;
    const activation = String(layer.activation);
    if (!isDenseActivation(activation)) return `Layer ${layer.name}: activation ${activation} unsupported`;
    if (layer.biasRegularizer || layer.activityRegularizer) return `Layer ${layer.name}: only kernel l2 regularisation is supported`;
    const regularizer = layer.kernelRegularizer;
    if (regularizer && (regularizer.className !== 'L1L2' || (regularizer.l1 ?? 0) !== 0)) return `Layer ${layer.name}: only kernel l2 regularisation is supported`;
    const l2 = regularizer?.l2 ?? 0;
    if (typeof l2 !== 'number' || !(l2 >= 0) || !Number.isFinite(l2)) return `Layer ${layer.name}: the l2 factor must be a number of 0 or more`;
    l2s.add(l2);
    units.push(layer.units);
    activations.push(activation);
  }
  if (l2s.size > 1) return 'Every layer needs the same l2 factor';
  return { inputs, units, activations, l2: [...l2s][0] ?? 0 };
}

/** `255 → 256 relu → 128 relu → 6 softmax`: an architecture in a message. */
export function describeDenseShape(shape: { readonly inputs: number; readonly units: readonly number[]; readonly activations: readonly string[] }): string {
  return [String(shape.inputs), ...shape.units.map((u, l) => `${u} ${shape.activations[l]}`)].join(' → ');
}
