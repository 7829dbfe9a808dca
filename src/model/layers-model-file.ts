/**
 * A saved TensorFlow.js layers model read straight into {@link DenseBuffers}, without TensorFlow.js:
 * the topology (model.json's `modelTopology`: a Sequential of Dense layers, in the JSON tfjs and Keras
 * write, snake_case keys) and its weights (`weightsManifest`: one group naming each weight, its shape
 * and dtype, the weights file holding them back to back as little-endian float32). Each layer's
 * `<name>/kernel` ([inputs, units], row-major) and `<name>/bias` ([units]) are found by name, as
 * tfjs' `loadLayersModel` does, and copied unchanged: the forward pass then computes what tfjs
 * computes from the same file.
 *
 * Loading a model for prediction this way costs no import of tfjs-core and tfjs-layers (about 0.3 s
 * of a `peephole attack` run, measured on the bench:ingest family capture); writing one stays with
 * tfjs (attack/model-files.ts `saveModel`), so the file is exactly what tfjs writes and reads.
 *
 * A file that does not describe a network peephole runs is an answer, not an exception: the caller
 * knows the file's name and words the error (a {@link LayersFileProblem} says which of the two files
 * and, in model.json, which field).
 */
import { createDenseBuffers, type DenseBuffers } from './dense-buffers.js';
import { denseShapeOfLayers, type LayerDescription } from './dense-shape.js';

/** What is wrong with a saved model: in its topology file (`field` inside it) or in its weights file. */
export interface LayersFileProblem {
  readonly problem: string;
  readonly in: 'topology' | 'weights';
  readonly field?: string;
}

/** One weight as the weights manifest lists it. */
export interface WeightEntry {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: string;
}

const FLOAT32_BYTES = 4;

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function isWeightEntry(v: unknown): v is WeightEntry {
  return isObject(v) && typeof v.name === 'string' && typeof v.dtype === 'string' && Array.isArray(v.shape) && v.shape.every((d) => Number.isSafeInteger(d) && d >= 0);
}

/** The layers of a Sequential topology and the input width its first layer (or InputLayer) declares. */
function sequentialLayers(topology: unknown): { inputs: unknown; layers: LayerDescription[] } | LayersFileProblem {
  const notSequential: LayersFileProblem = { in: 'topology', field: 'modelTopology', problem: 'expected a Sequential model of Dense layers ({class_name: "Sequential", config: {layers: [...]}})' };
  if (!isObject(topology) || topology.class_name !== 'Sequential') return notSequential;
  const config = topology.config;
  const list = Array.isArray(config) ? config : isObject(config) ? config.layers : undefined;
  if (!Array.isArray(list)) return notSequential;
  let inputs: unknown;
  const layers: LayerDescription[] = [];
  for (let i = 0; i < list.length; i++) {
    const layer: unknown = list[i];
    const field = `modelTopology.config.layers[${i}]`;
    if (!isObject(layer) || typeof layer.class_name !== 'string' || !isObject(layer.config)) return { in: 'topology', field, problem: 'expected {class_name, config}' };
    const c = layer.config;
    const batchShape = c.batch_input_shape ?? c.batch_shape;
    if (i === 0) {
      if (!Array.isArray(batchShape) || batchShape.length !== 2) return { in: 'topology', field: `${field}.config.batch_input_shape`, problem: 'expected [null, features]: the model must take rows of numbers' };
      inputs = batchShape[1];
      if (layer.class_name === 'InputLayer') continue;
    }
    const regularizer = c.kernel_regularizer;
    if (regularizer !== null && regularizer !== undefined && !isObject(regularizer)) return { in: 'topology', field: `${field}.config.kernel_regularizer`, problem: 'expected null or {class_name, config}' };
    const regularizerConfig = isObject(regularizer?.config) ? regularizer.config : {};
    layers.push({
      name: typeof c.name === 'string' ? c.name : '',
      className: layer.class_name,
      units: c.units,
      activation: c.activation,
      useBias: c.use_bias,
      kernelRegularizer: regularizer ? { className: regularizer.class_name, l1: regularizerConfig.l1, l2: regularizerConfig.l2 } : null,
      biasRegularizer: c.bias_regularizer,
      activityRegularizer: c.activity_regularizer,
    });
    if (layers.at(-1)!.name === '') return { in: 'topology', field: `${field}.config.name`, problem: 'expected the layer\'s name (its weights are found by it)' };
  }
  return { inputs, layers };
}

/**
 * The weights manifest's entries (model.json's `weightsManifest`: one group, the weights file
 * `weightsFile`), or what is wrong with it.
 */
export function layersWeightEntries(model: unknown, weightsFile: string): WeightEntry[] | LayersFileProblem {
  if (!isObject(model) || !isObject(model.modelTopology) || !Array.isArray(model.weightsManifest)) {
    return { in: 'topology', problem: 'not a TensorFlow.js layers model (needs modelTopology and weightsManifest)' };
  }
  const groups = model.weightsManifest;
  const group: unknown = groups[0];
  if (groups.length !== 1 || !isObject(group) || !Array.isArray(group.weights)) {
    return { in: 'topology', field: 'weightsManifest', problem: `expected one group of weights, in ${weightsFile}` };
  }
  const paths = group.paths;
  if (!Array.isArray(paths) || paths.length !== 1 || (paths[0] !== weightsFile && paths[0] !== `./${weightsFile}`)) {
    return { in: 'topology', field: 'weightsManifest[0].paths', problem: `expected ["./${weightsFile}"]` };
  }
  const bad = group.weights.findIndex((w) => !isWeightEntry(w));
  if (bad >= 0) return { in: 'topology', field: `weightsManifest[0].weights[${bad}]`, problem: 'expected a name, a shape of whole numbers and a dtype' };
  const quantized = group.weights.findIndex((w) => (w as Json).quantization != null);
  if (quantized >= 0) return { in: 'topology', field: `weightsManifest[0].weights[${quantized}].quantization`, problem: 'quantized weights are not supported (float32 only)' };
  return group.weights as WeightEntry[];
}

/**
 * The network of a saved tfjs layers model: `model` is model.json parsed, `weights` the bytes of the
 * weights file it names (`files` name both, for the messages). Checks, in order: the weights manifest, the size of the
 * weights (float32 only), the topology (dense-shape.ts), then that every layer's kernel and bias are
 * there by name with their shapes and that no other weight is listed.
 */
export function readLayersModel(model: unknown, weights: Uint8Array, files: { readonly topology: string; readonly weights: string }): DenseBuffers | LayersFileProblem {
  const entries = layersWeightEntries(model, files.weights);
  if (!Array.isArray(entries)) return entries;
  const floats = entries.map((e) => e.shape.reduce((a, b) => a * b, 1));
  const wantBytes = FLOAT32_BYTES * floats.reduce((a, b) => a + b, 0);
  if (entries.some((e) => e.dtype !== 'float32') || wantBytes !== weights.length) {
    return { in: 'weights', problem: `${weights.length} bytes, but ${files.topology} describes ${wantBytes} bytes of float32 weights` };
  }
  const read = sequentialLayers((model as Json).modelTopology);
  if (!('layers' in read)) return read;
  const shape = denseShapeOfLayers(read.inputs, read.layers);
  if (typeof shape === 'string') return { in: 'topology', problem: `not a network peephole runs: ${shape}` };
  const buffers = createDenseBuffers(shape);
  const offsets = new Map<string, { index: number; offset: number }>();
  let offset = 0;
  for (let index = 0; index < entries.length; index++) {
    const name = entries[index].name;
    if (offsets.has(name)) return { in: 'topology', field: `weightsManifest[0].weights[${index}]`, problem: `"${name}" is listed twice` };
    offsets.set(name, { index, offset });
    offset += floats[index] * FLOAT32_BYTES;
  }
  // A copy of the bytes (a fresh buffer), so the floats are aligned wherever the bytes were.
  const data = new Float32Array(new Uint8Array(weights).buffer);
  const used = new Set<string>();
  const take = (name: string, want: readonly number[], into: Float32Array): LayersFileProblem | null => {
    const at = offsets.get(name);
    if (at === undefined) return { in: 'topology', field: 'weightsManifest[0].weights', problem: `no weight "${name}" (layer weights are found by name)` };
    const got = entries[at.index].shape;
    if (got.length !== want.length || got.some((d, i) => d !== want[i])) {
      return { in: 'topology', field: `weightsManifest[0].weights[${at.index}].shape`, problem: `"${name}" is [${got.join(', ')}], but its layer needs [${want.join(', ')}]` };
    }
    into.set(data.subarray(at.offset / FLOAT32_BYTES, at.offset / FLOAT32_BYTES + into.length));
    used.add(name);
    return null;
  };
  for (let l = 0; l < read.layers.length; l++) {
    const name = read.layers[l].name;
    const problem = take(`${name}/kernel`, [buffers.sizes[l], buffers.sizes[l + 1]], buffers.kernels[l]) ?? take(`${name}/bias`, [buffers.sizes[l + 1]], buffers.biases[l]);
    if (problem !== null) return problem;
  }
  const extra = entries.findIndex((e) => !used.has(e.name));
  if (extra >= 0) return { in: 'topology', field: `weightsManifest[0].weights[${extra}]`, problem: `"${entries[extra].name}" belongs to no layer of the model` };
  return buffers;
}
