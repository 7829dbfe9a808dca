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
 * Saving goes through tfjs (the network's own `save`); loading reads the two files straight into the
 * buffers of the forward pass (model/layers-model-file.ts) and imports no TensorFlow.js.
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
import type { io } from '@tensorflow/tfjs-core';
import type { Sequential } from '@tensorflow/tfjs-layers';
import { FEATURE_SETS } from '../features/feature-set.js';
import type { DenseBuffers } from '../model/dense-buffers.js';
import { readLayersModel } from '../model/layers-model-file.js';
import { isPresetName, PRESET_NAMES } from './presets.js';
import type { Normalisation } from './scaler.js';

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
  /** The network as the forward pass reads it (model/dense-predict.ts), or null for a preset without one (rules). */
  readonly dense: DenseBuffers | null;
}

export interface LoadModelOptions {
  /** What the caller will feed the model: the feature set and its current columns; a model trained on other columns is refused. */
  readonly expect?: { readonly featureSet: string; readonly columns: readonly string[] };
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The weights tfjs hands to a save handler, as one buffer. */
function joinWeights(data: ArrayBuffer | ArrayBuffer[] | undefined): Uint8Array {
  if (data === undefined) return new Uint8Array(0);
  if (!Array.isArray(data)) return new Uint8Array(data);
  const out = new Uint8Array(data.reduce((n, b) => n + b.byteLength, 0));
  let at = 0;
  for (const b of data) {
    out.set(new Uint8Array(b), at);
    at += b.byteLength;
  }
  return out;
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
    // The network's own save, through a handler that keeps what tfjs would write to file://.
    const handler: io.IOHandler = {
      save: async (artifacts) => {
        weights = joinWeights(artifacts.weightData);
        topology = {
          modelTopology: artifacts.modelTopology,
          format: 'layers-model',
          generatedBy: artifacts.generatedBy,
          convertedBy: null,
          weightsManifest: [{ paths: [`./${WEIGHTS_FILE}`], weights: artifacts.weightSpecs ?? [] }],
        };
        return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: 'JSON' } };
      },
    };
    await network.save(handler);
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
 * Loads the model in `dir` after checking it (see the module comment). `options.expect` is what the
 * caller will feed it: the feature set's current columns; a model trained on other columns is refused.
 */
export async function loadModel(dir: string, options: LoadModelOptions = {}): Promise<LoadedModel> {
  const manifest = readManifest(dir);
  const manifestPath = join(dir, MANIFEST_FILE);
  const expect = options.expect;
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
  if (!(TOPOLOGY_FILE in manifest.files)) return { dir, manifest, dense: null };
  const topologyPath = join(dir, TOPOLOGY_FILE);
  const topologyBytes = readChecked(dir, TOPOLOGY_FILE, manifest);
  const weights = readChecked(dir, WEIGHTS_FILE, manifest);
  let topology: unknown;
  try {
    topology = JSON.parse(topologyBytes.toString('utf8'));
  } catch (err) {
    throw new ModelFileError(topologyPath, `not valid JSON (${(err as Error).message})`);
  }
  const dense = readLayersModel(topology, weights, { topology: TOPOLOGY_FILE, weights: WEIGHTS_FILE });
  if (!('sizes' in dense)) throw new ModelFileError(dense.in === 'topology' ? topologyPath : join(dir, WEIGHTS_FILE), dense.problem, dense.field);
  const inputs = dense.sizes[0], outputs = dense.sizes[dense.sizes.length - 1];
  if (inputs !== manifest.columns.length) throw new ModelFileError(topologyPath, `the network takes ${inputs} inputs, but ${MANIFEST_FILE} lists ${manifest.columns.length} columns`);
  if (outputs !== manifest.classes.length) throw new ModelFileError(topologyPath, `the network has ${outputs} outputs, but ${MANIFEST_FILE} lists ${manifest.classes.length} classes`);
  return { dir, manifest, dense };
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
  return loadModel(dir, { expect });
}
