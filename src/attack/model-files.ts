/**
 * A trained attack model on disk, as a folder:
 *
 * - `model.json` + `weights.bin`: the network in TensorFlow.js' layers format (what tfjs
 *   `model.save('file://…')` writes: `modelTopology`, `weightsManifest`), so Keras and tfjs users can
 *   open it with their own tools (`tf.loadLayersModel`, tensorflowjs_converter);
 * - `peephole-model.json`: the manifest peephole needs to use it on new data: the preset, the feature
 *   set and its columns, the classes, the input normalisation, how it was trained, and a SHA-256 of
 *   each file.
 *
 * Loading checks everything before a prediction is made: a file changed after training (checksum), a
 * manifest or topology that is not JSON or lacks a field, weights of the wrong size, a network whose
 * input or output does not fit the manifest, a feature set this peephole computes differently. Each
 * problem is a {@link ModelFileError} naming the file and what is wrong, never a wrong answer.
 *
 * The `rules` preset has no network: its folder holds the manifest only. A preset's model is written
 * from what fit-preset.ts fitted in memory (`saveFittedModel`) and loaded with the checks of the
 * presets this peephole knows (`loadPresetModel`).
 */
import { createHash } from 'node:crypto';
import { atPlace, BadInputError, errnoText } from '../core/bad-input-error.js';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import '@tensorflow/tfjs-backend-cpu';
import './tfjs-quiet.js';
import { io } from '@tensorflow/tfjs-core';
import { loadLayersModel, type LayersModel, type Sequential } from '@tensorflow/tfjs-layers';
import { FEATURE_SETS } from '../features/feature-set.js';
import { isPresetName, PRESET_NAMES } from './presets.js';
import type { Normalisation } from './scaler.js';
import { denseShapeOf } from '../model/tfjs-dense.js';

export const MANIFEST_FILE = 'peephole-model.json';
export const TOPOLOGY_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.bin';
export const MODEL_FORMAT = 'peephole-model';
export const MODEL_FORMAT_VERSION = 1;

export interface ModelManifest {
  readonly format: typeof MODEL_FORMAT;
  readonly version: number;
  readonly preset: string;
  readonly featureSet: string;
  /** The feature set's columns when trained: a model only runs on rows with the same columns. */
  readonly columns: readonly string[];
  readonly classes: readonly string[];
  readonly normalisation: Normalisation | null;
  /** What the model was trained on and how (free-form facts: data, rows, epochs, seed, backend, accuracy). */
  readonly training: Readonly<Record<string, string | number | boolean | null>>;
  /** SHA-256 (hex) of every other file in the folder. */
  readonly files: Readonly<Record<string, string>>;
}

/** A manifest as a trained model has it in memory: saving adds the format fields and file checksums. */
export type ModelDescription = Omit<ModelManifest, 'format' | 'version' | 'files'>;

/** A model folder that cannot be used: names the file in it and, for the manifest, the field. */
export class ModelFileError extends BadInputError {
  override readonly name: string = 'ModelFileError';
  declare readonly file: string;

  constructor(
    file: string,
    readonly problem: string,
    field?: string,
  ) {
    super(atPlace({ file, field }, problem), { file, field });
  }
}

export interface LoadedModel {
  readonly dir: string;
  readonly manifest: ModelManifest;
  /** The network, or null for a preset without one (rules). */
  readonly network: LayersModel | null;
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Writes `network` (or none) and its manifest into `dir`; returns the manifest written. */
export async function saveModel(
  dir: string,
  network: Sequential | null,
  manifest: ModelDescription,
): Promise<ModelManifest> {
  mkdirSync(dir, { recursive: true });
  const files: Record<string, string> = {};
  if (network !== null) {
    let topology: object | null = null;
    let weights: Uint8Array | null = null;
    await network.save(
      io.withSaveHandler(async (artifacts) => {
        const data = artifacts.weightData === undefined ? new ArrayBuffer(0) : io.CompositeArrayBuffer.join(artifacts.weightData);
        weights = new Uint8Array(data);
        topology = {
          modelTopology: artifacts.modelTopology,
          format: 'layers-model',
          generatedBy: artifacts.generatedBy,
          convertedBy: null,
          weightsManifest: [{ paths: [`./${WEIGHTS_FILE}`], weights: artifacts.weightSpecs ?? [] }],
        };
        return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: 'JSON' } };
      }),
    );
    const topologyBytes = Buffer.from(JSON.stringify(topology) + '\n');
    writeFileSync(join(dir, TOPOLOGY_FILE), topologyBytes);
    writeFileSync(join(dir, WEIGHTS_FILE), weights!);
    files[TOPOLOGY_FILE] = sha256(topologyBytes);
    files[WEIGHTS_FILE] = sha256(weights!);
  }
  const full: ModelManifest = { format: MODEL_FORMAT, version: MODEL_FORMAT_VERSION, ...manifest, files };
  writeFileSync(join(dir, MANIFEST_FILE), JSON.stringify(full, null, 2) + '\n');
  return full;
}

/** Writes a fitted model (fit-preset.ts) as a model folder in `dir`; returns the manifest written. */
export function saveFittedModel(dir: string, model: { readonly network: Sequential | null; readonly manifest: ModelDescription }): Promise<ModelManifest> {
  return saveModel(dir, model.network, model.manifest);
}

function readJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ModelFileError(path, code === 'ENOENT' ? 'no such file (is this a model folder written by `peephole train`?)' : `cannot be read: ${errnoText(err)}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ModelFileError(path, `not valid JSON (${(err as Error).message})`);
  }
}

function isWeightSpec(v: unknown): v is io.WeightsManifestEntry {
  const s = v as Partial<io.WeightsManifestEntry> | null;
  return s !== null && typeof s === 'object' && typeof s.name === 'string' && typeof s.dtype === 'string' && Array.isArray(s.shape) && s.shape.every((d) => Number.isSafeInteger(d) && d >= 0);
}

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((s) => typeof s === 'string');
}

function isNumberArray(v: unknown): v is number[] {
  return Array.isArray(v) && v.every((n) => typeof n === 'number' && Number.isFinite(n));
}

/** Reads and checks the manifest of the model in `dir`. */
export function readManifest(dir: string): ModelManifest {
  const path = join(dir, MANIFEST_FILE);
  const m = readJson(path) as Record<string, unknown>;
  const bad = (field: string, want: string): never => {
    throw new ModelFileError(path, `expected ${want}`, field);
  };
  if (m === null || typeof m !== 'object' || Array.isArray(m)) bad('the file', 'a JSON object');
  if (m.format !== MODEL_FORMAT) bad('format', `"${MODEL_FORMAT}"`);
  if (m.version !== MODEL_FORMAT_VERSION) bad('version', `${MODEL_FORMAT_VERSION} (this peephole reads model format ${MODEL_FORMAT_VERSION} only)`);
  if (typeof m.preset !== 'string' || m.preset === '') bad('preset', 'a preset name');
  if (typeof m.featureSet !== 'string') bad('featureSet', 'a feature set name');
  if (!isStringArray(m.columns) || m.columns.length === 0) bad('columns', 'a list of column names');
  if (!isStringArray(m.classes) || m.classes.length < 2) bad('classes', 'a list of at least 2 class names');
  const norm = m.normalisation as Record<string, unknown> | null;
  if (norm !== null) {
    if (typeof norm !== 'object' || !isNumberArray(norm.mean) || !isNumberArray(norm.scale)) bad('normalisation', 'null or {mean: number[], scale: number[]}');
    const columns = (m.columns as string[]).length;
    if ((norm.mean as number[]).length !== columns || (norm.scale as number[]).length !== columns) bad('normalisation', `${columns} means and scales, one per column`);
    if ((norm.scale as number[]).some((s) => s <= 0)) bad('normalisation.scale', 'positive numbers');
  }
  if (m.training === null || typeof m.training !== 'object' || Array.isArray(m.training)) bad('training', 'an object');
  const files = m.files as Record<string, unknown>;
  if (files === null || typeof files !== 'object' || Array.isArray(files) || !Object.values(files).every((h) => typeof h === 'string' && /^[0-9a-f]{64}$/.test(h))) {
    bad('files', 'an object of file name → SHA-256 hex');
  }
  for (const name of Object.keys(files)) {
    if (name !== TOPOLOGY_FILE && name !== WEIGHTS_FILE) bad(`files.${name}`, `only ${TOPOLOGY_FILE} and ${WEIGHTS_FILE}`);
  }
  return m as unknown as ModelManifest;
}

function readChecked(dir: string, name: string, manifest: ModelManifest): Buffer {
  const path = join(dir, name);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new ModelFileError(path, `listed in ${MANIFEST_FILE} but cannot be read: ${errnoText(err)}`);
  }
  if (sha256(bytes) !== manifest.files[name]) {
    throw new ModelFileError(path, `checksum mismatch: the file was changed after training (SHA-256 ${sha256(bytes).slice(0, 16)}…, manifest ${manifest.files[name].slice(0, 16)}…)`);
  }
  return bytes;
}

/**
 * Loads the model in `dir` after checking it (see the module comment). `expect` is what the caller
 * will feed it: the feature set's current columns; a model trained on other columns is refused.
 */
export async function loadModel(dir: string, expect?: { featureSet: string; columns: readonly string[] }): Promise<LoadedModel> {
  const manifest = readManifest(dir);
  const manifestPath = join(dir, MANIFEST_FILE);
  if (expect !== undefined) {
    if (manifest.featureSet !== expect.featureSet) {
      throw new ModelFileError(manifestPath, `trained on feature set "${manifest.featureSet}", but "${expect.featureSet}" was asked for`);
    }
    const same = manifest.columns.length === expect.columns.length && manifest.columns.every((c, i) => c === expect.columns[i]);
    if (!same) {
      const first = manifest.columns.findIndex((c, i) => c !== expect.columns[i]);
      throw new ModelFileError(
        manifestPath,
        `trained on ${manifest.columns.length} "${manifest.featureSet}" columns that differ from the ${expect.columns.length} this peephole computes ` +
          `(first difference at column ${first + 1}: "${manifest.columns[first] ?? ''}" vs "${expect.columns[first] ?? ''}"); train it again`,
      );
    }
  }
  if (!(TOPOLOGY_FILE in manifest.files)) return { dir, manifest, network: null };
  const topologyPath = join(dir, TOPOLOGY_FILE);
  const topologyBytes = readChecked(dir, TOPOLOGY_FILE, manifest);
  const weights = readChecked(dir, WEIGHTS_FILE, manifest);
  let topology: { modelTopology?: unknown; weightsManifest?: { weights?: unknown }[] } | null;
  try {
    topology = JSON.parse(topologyBytes.toString('utf8'));
  } catch (err) {
    throw new ModelFileError(topologyPath, `not valid JSON (${(err as Error).message})`);
  }
  const list = topology !== null && typeof topology === 'object' ? topology.weightsManifest : undefined;
  const specs = Array.isArray(list) && list[0] !== null && typeof list[0] === 'object' ? list[0].weights : undefined;
  if (topology === null || typeof topology.modelTopology !== 'object' || !Array.isArray(specs)) {
    throw new ModelFileError(topologyPath, 'not a TensorFlow.js layers model (needs modelTopology and weightsManifest)');
  }
  const badSpec = specs.findIndex((s) => !isWeightSpec(s));
  if (badSpec >= 0) throw new ModelFileError(topologyPath, 'expected a name, a shape of whole numbers and a dtype', `weightsManifest[0].weights[${badSpec}]`);
  const entries = specs as io.WeightsManifestEntry[];
  const wantBytes = entries.reduce((n, s) => n + 4 * s.shape.reduce((a, b) => a * b, 1), 0);
  if (entries.some((s) => s.dtype !== 'float32') || wantBytes !== weights.length) {
    throw new ModelFileError(join(dir, WEIGHTS_FILE), `${weights.length} bytes, but ${TOPOLOGY_FILE} describes ${wantBytes} bytes of float32 weights`);
  }
  let network: LayersModel;
  try {
    const data = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.length);
    network = await loadLayersModel(io.fromMemory({ modelTopology: topology.modelTopology as object, weightSpecs: entries, weightData: data }));
  } catch (err) {
    throw new ModelFileError(topologyPath, `TensorFlow.js cannot build this model: ${(err as Error).message}`);
  }
  const shape = denseShapeOf(network);
  if (typeof shape === 'string') throw new ModelFileError(topologyPath, `not a network peephole runs: ${shape}`);
  const inputs = network.inputs[0]?.shape;
  const outputs = network.outputs[0]?.shape;
  if (!inputs || inputs[inputs.length - 1] !== manifest.columns.length) {
    throw new ModelFileError(topologyPath, `the network takes ${inputs?.[inputs.length - 1]} inputs, but ${MANIFEST_FILE} lists ${manifest.columns.length} columns`);
  }
  if (!outputs || outputs[outputs.length - 1] !== manifest.classes.length) {
    throw new ModelFileError(topologyPath, `the network has ${outputs?.[outputs.length - 1]} outputs, but ${MANIFEST_FILE} lists ${manifest.classes.length} classes`);
  }
  return { dir, manifest, network };
}

/**
 * Loads the model folder of a preset after checking that this peephole knows its preset and computes
 * its feature set with the same columns (a model trained on other columns is refused).
 */
export async function loadPresetModel(dir: string): Promise<LoadedModel> {
  const manifest = readManifest(dir);
  let expect: { featureSet: string; columns: readonly string[] } | undefined;
  if (manifest.preset !== 'rules') {
    if (!isPresetName(manifest.preset)) throw new ModelFileError(join(dir, MANIFEST_FILE), `preset "${manifest.preset}" is not one this peephole knows (${PRESET_NAMES.join(', ')})`);
    const known = FEATURE_SETS.find((s) => s.name === manifest.featureSet);
    if (known === undefined) throw new ModelFileError(join(dir, MANIFEST_FILE), `feature set "${manifest.featureSet}" is not one this peephole computes`);
    expect = { featureSet: known.name, columns: known.columns };
  }
  return loadModel(dir, expect);
}
