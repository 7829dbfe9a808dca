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
 * Loading checks the folder as a whole before a prediction is made, and refuses one that does not add
 * up with a {@link ModelFileError} naming the file and, in a JSON file, the field:
 * - the manifest alone: JSON, every field there and of its type; the normalisation one finite mean
 *   and scale per column, each scale above the scaler's floor (scaler.ts `MIN_SCALE`: a constant
 *   column gets scale 1, so no scale the scaler writes is 0, negative or tiny);
 * - the manifest against its preset (`loadPresetModel`): a preset this peephole knows, its feature set
 *   with the columns this peephole computes, its classes, the files it needs ({@link PRESET_FILES}:
 *   a network preset both network files, the rules preset none, so neither a network preset emptied
 *   of its network nor one relabelled `rules` runs as the rules), a normalisation exactly when the
 *   preset has a network, and the network's architecture in model.json (inputs, layers, units,
 *   activations as presets.ts defines the preset);
 * - the files against the manifest: each one's checksum (a file changed after training), weights of
 *   the size the topology describes, a network whose input and output fit the columns and classes.
 *
 * What no check can see (a mean shifted to another finite value, a network retrained and rehashed) is
 * what the folder's digest is for: {@link LoadedModel.sha256}, SHA-256 over the manifest and every file
 * it lists ({@link folderDigest} defines it), printed by the commands that load a model; given the
 * digest of a folder the user trusts (`--model-sha256`), loading refuses any other before reading on.
 */
import { createHash } from 'node:crypto';
import { atPlace, BadInputError, errnoText } from '../core/bad-input-error.js';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { io } from '@tensorflow/tfjs-core';
import type { Sequential } from '@tensorflow/tfjs-layers';
import { FEATURE_SETS } from '../features/feature-set.js';
import type { DenseBuffers } from '../model/dense-buffers.js';
import { describeDenseShape } from '../model/dense-shape.js';
import { ACTIVATION_NAMES } from '../model/dense-spec.js';
import { readLayersModel } from '../model/layers-model-file.js';
import { isNetworkPreset, isPresetName, NETWORK_PRESETS, PRESET_NAMES, RULES_MODEL, STRUCTURED_MODEL, type PresetName } from './presets.js';
import { MIN_SCALE, type Normalisation } from './scaler.js';
import type { StructureParams } from './structured-day.js';
import { parseStructure, STRUCTURE_FILE, StructureFileError, structureJson } from './structured-preset.js';

export const MANIFEST_FILE = 'peephole-model.json';
export const TOPOLOGY_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.bin';
export const MODEL_FORMAT = 'peephole-model';
export const MODEL_FORMAT_VERSION = 1;

/** The files besides the manifest each preset's folder holds: a network preset its network, the rules preset none. */
export const PRESET_FILES: Readonly<Record<PresetName, readonly string[]>> = {
  paper: [TOPOLOGY_FILE, WEIGHTS_FILE],
  dense: [TOPOLOGY_FILE, WEIGHTS_FILE],
  sequence: [TOPOLOGY_FILE, WEIGHTS_FILE],
  rules: [],
  structured: [STRUCTURE_FILE],
};

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

/** A model folder that cannot be used: names the file in it (or the folder) and, for a JSON file, the field. */
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
  /** The folder's digest ({@link folderDigest}): what `--model-sha256` pins. */
  readonly sha256: string;
  /** The structured preset's priors (structure.json), or null for another preset. */
  readonly structure: StructureParams | null;
}

export interface LoadModelOptions {
  /** What the caller will feed the model: the feature set and its current columns; a model trained on other columns is refused. */
  readonly expect?: { readonly featureSet: string; readonly columns: readonly string[] };
  /** The digest the folder must have (64 hex digits): any other folder is refused before its contents are checked. */
  readonly sha256?: string;
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * The digest of a model folder: SHA-256 of the lines `<SHA-256 of the file, hex>  <name>\n` of the
 * manifest and of every file it lists, sorted by name (byte order): exactly what
 * `sha256sum model.json peephole-model.json weights.bin | sha256sum` prints in the folder (for the
 * rules preset, `sha256sum peephole-model.json | sha256sum`). Files the manifest does not list are
 * not read by the loader and not in the digest. `files` maps each name to its bytes.
 */
export function folderDigest(files: ReadonlyMap<string, Uint8Array>): string {
  const names = [...files.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return sha256(Buffer.from(names.map((name) => `${sha256(files.get(name)!)}  ${name}\n`).join('')));
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
  structure: StructureParams | null = null,
): Promise<ModelManifest> {
  mkdirSync(dir, { recursive: true });
  const files: Record<string, string> = {};
  if (structure !== null) {
    const bytes = Buffer.from(JSON.stringify(structureJson(structure), null, 2) + '\n');
    writeFileSync(join(dir, STRUCTURE_FILE), bytes);
    files[STRUCTURE_FILE] = sha256(bytes);
  }
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
export function saveFittedModel(dir: string, model: { readonly network: Sequential | null; readonly manifest: ModelDescription; readonly structure?: StructureParams | null }): Promise<ModelManifest> {
  return saveModel(dir, model.network, model.manifest, model.structure ?? null);
}

/** The structured preset's priors from its folder's structure.json (checksummed already), or null when the folder has none. */
function readStructure(dir: string, folder: FolderRead): StructureParams | null {
  const bytes = folder.files.get(STRUCTURE_FILE);
  if (bytes === undefined) return null;
  const path = join(dir, STRUCTURE_FILE);
  try {
    return parseStructure(parseJson(path, bytes));
  } catch (err) {
    if (err instanceof StructureFileError) throw new ModelFileError(path, err.problem, err.field);
    throw err;
  }
}

function readBytes(path: string, listed: boolean): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (listed) throw new ModelFileError(path, `listed in ${MANIFEST_FILE} but cannot be read: ${errnoText(err)}`);
    throw new ModelFileError(path, code === 'ENOENT' ? 'no such file (is this a model folder written by `peephole train`?)' : `cannot be read: ${errnoText(err)}`);
  }
}

function parseJson(path: string, bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw new ModelFileError(path, `not valid JSON (${(err as Error).message})`);
  }
}

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((s) => typeof s === 'string');
}

/** The manifest's own checks (see the module comment), on the parsed JSON of `path`. */
function checkManifest(path: string, m: Record<string, unknown>): ModelManifest {
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
    if (typeof norm !== 'object' || !Array.isArray(norm.mean) || !Array.isArray(norm.scale)) bad('normalisation', 'null or {mean: number[], scale: number[]}');
    const columns = (m.columns as string[]).length;
    for (const part of ['mean', 'scale'] as const) {
      const values = norm[part] as unknown[];
      if (values.length !== columns) bad(`normalisation.${part}`, `${columns} numbers, one per column (it holds ${values.length})`);
      values.forEach((v, i) => {
        if (typeof v !== 'number' || !Number.isFinite(v)) bad(`normalisation.${part}[${i}]`, `a finite number (column "${(m.columns as string[])[i]}")`);
        if (part === 'scale' && (v as number) <= MIN_SCALE) {
          bad(`normalisation.scale[${i}]`, `a scale above ${MIN_SCALE}, as the scaler writes (a constant column gets 1), not ${v} (column "${(m.columns as string[])[i]}")`);
        }
      });
    }
  }
  if (m.training === null || typeof m.training !== 'object' || Array.isArray(m.training)) bad('training', 'an object');
  const files = m.files as Record<string, unknown>;
  if (files === null || typeof files !== 'object' || Array.isArray(files) || !Object.values(files).every((h) => typeof h === 'string' && /^[0-9a-f]{64}$/.test(h))) {
    bad('files', 'an object of file name → SHA-256 hex');
  }
  for (const name of Object.keys(files)) {
    if (name !== TOPOLOGY_FILE && name !== WEIGHTS_FILE && name !== STRUCTURE_FILE) bad(`files.${name}`, `only ${TOPOLOGY_FILE}, ${WEIGHTS_FILE} and ${STRUCTURE_FILE}`);
  }
  if ((TOPOLOGY_FILE in files) !== (WEIGHTS_FILE in files)) bad('files', `both ${TOPOLOGY_FILE} and ${WEIGHTS_FILE} (a network), or neither`);
  return m as unknown as ModelManifest;
}

/** Reads and checks the manifest of the model in `dir` (its own checks only: see the module comment). */
export function readManifest(dir: string): ModelManifest {
  const path = join(dir, MANIFEST_FILE);
  return checkManifest(path, parseJson(path, readBytes(path, false)) as Record<string, unknown>);
}

/** A model folder as read: the manifest, the bytes of each file it lists, and the folder's digest. */
interface FolderRead {
  readonly manifest: ModelManifest;
  readonly files: ReadonlyMap<string, Buffer>;
  readonly sha256: string;
}

/** Reads the manifest and every file it lists (each once: what is checked is what is used), refusing a folder whose digest is not `pin`. */
function readFolder(dir: string, pin: string | undefined): FolderRead {
  const path = join(dir, MANIFEST_FILE);
  const manifestBytes = readBytes(path, false);
  const manifest = checkManifest(path, parseJson(path, manifestBytes) as Record<string, unknown>);
  const files = new Map<string, Buffer>();
  for (const name of Object.keys(manifest.files)) files.set(name, readBytes(join(dir, name), true));
  const digest = folderDigest(new Map([...files, [MANIFEST_FILE, manifestBytes]]));
  if (pin !== undefined && digest !== pin.toLowerCase()) {
    throw new ModelFileError(dir, `the model folder's SHA-256 is ${digest}, not the expected ${pin.toLowerCase()}: this is not the model that was pinned`);
  }
  return { manifest, files, sha256: digest };
}

/** The manifest against what the caller feeds the model: the same feature set, with the same columns. */
function checkExpected(path: string, manifest: ModelManifest, expect: { readonly featureSet: string; readonly columns: readonly string[] }): void {
  if (manifest.featureSet !== expect.featureSet) {
    throw new ModelFileError(path, `trained on feature set "${manifest.featureSet}", but "${expect.featureSet}" was asked for`);
  }
  const same = manifest.columns.length === expect.columns.length && manifest.columns.every((c, i) => c === expect.columns[i]);
  if (!same) {
    const first = manifest.columns.findIndex((c, i) => c !== expect.columns[i]);
    throw new ModelFileError(
      path,
      `trained on ${manifest.columns.length} "${manifest.featureSet}" columns that differ from the ${expect.columns.length} this peephole computes ` +
        `(first difference at column ${first + 1}: "${manifest.columns[first] ?? ''}" vs "${expect.columns[first] ?? ''}"); train it again`,
    );
  }
}

/** The network of a folder read: checksums, then model.json and weights.bin into the forward pass's buffers, fitting the manifest. */
function readNetwork(dir: string, folder: FolderRead): DenseBuffers | null {
  const { manifest, files } = folder;
  for (const [name, bytes] of files) {
    const actual = sha256(bytes);
    if (actual !== manifest.files[name]) {
      throw new ModelFileError(join(dir, name), `checksum mismatch: the file was changed after training (SHA-256 ${actual.slice(0, 16)}…, manifest ${manifest.files[name].slice(0, 16)}…)`);
    }
  }
  const topologyBytes = files.get(TOPOLOGY_FILE);
  if (topologyBytes === undefined) return null;
  const topologyPath = join(dir, TOPOLOGY_FILE);
  const topology = parseJson(topologyPath, topologyBytes);
  const dense = readLayersModel(topology, files.get(WEIGHTS_FILE)!, { topology: TOPOLOGY_FILE, weights: WEIGHTS_FILE });
  if (!('sizes' in dense)) throw new ModelFileError(dense.in === 'topology' ? topologyPath : join(dir, WEIGHTS_FILE), dense.problem, dense.field);
  const inputs = dense.sizes[0], outputs = dense.sizes[dense.sizes.length - 1];
  if (inputs !== manifest.columns.length) throw new ModelFileError(topologyPath, `the network takes ${inputs} inputs, but ${MANIFEST_FILE} lists ${manifest.columns.length} columns`);
  if (outputs !== manifest.classes.length) throw new ModelFileError(topologyPath, `the network has ${outputs} outputs, but ${MANIFEST_FILE} lists ${manifest.classes.length} classes`);
  return dense;
}

/**
 * Loads the model in `dir` after the checks of its manifest and files (see the module comment; the
 * preset's are {@link loadPresetModel}'s). `options.expect` is what the caller will feed it: the
 * feature set's current columns; `options.sha256` the digest the folder must have.
 */
export async function loadModel(dir: string, options: LoadModelOptions = {}): Promise<LoadedModel> {
  const folder = readFolder(dir, options.sha256);
  if (options.expect !== undefined) checkExpected(join(dir, MANIFEST_FILE), folder.manifest, options.expect);
  return { dir, manifest: folder.manifest, dense: readNetwork(dir, folder), sha256: folder.sha256, structure: readStructure(dir, folder) };
}

const listed = (names: readonly string[]): string => (names.length === 0 ? 'none' : names.join(', '));

/** The manifest against its preset, before any file is opened: the preset's feature set and columns, classes, files and normalisation. */
function checkAgainstPreset(path: string, manifest: ModelManifest): PresetName {
  const preset = manifest.preset;
  if (!isPresetName(preset)) throw new ModelFileError(path, `"${preset}" is not a preset this peephole knows (${PRESET_NAMES.join(', ')})`, 'preset');
  const want = preset === 'rules' ? RULES_MODEL : preset === 'structured' ? STRUCTURED_MODEL : NETWORK_PRESETS[preset];
  if (manifest.featureSet !== want.featureSet) {
    throw new ModelFileError(path, `the ${preset} preset reads the "${want.featureSet}" features, but featureSet says "${manifest.featureSet}"`, 'preset');
  }
  if (isNetworkPreset(preset)) {
    const known = FEATURE_SETS.find((s) => s.name === manifest.featureSet);
    if (known === undefined) throw new ModelFileError(path, `feature set "${manifest.featureSet}" is not one this peephole computes`, 'featureSet');
    checkExpected(path, manifest, { featureSet: known.name, columns: known.columns });
  } else {
    const columns: readonly string[] = (preset === 'rules' ? RULES_MODEL : STRUCTURED_MODEL).columns;
    if (manifest.columns.length !== columns.length || manifest.columns.some((c, i) => c !== columns[i])) {
      throw new ModelFileError(path, `the ${preset} preset reads the uses' ${columns.join(', ')}, not ${manifest.columns.join(', ')}`, 'columns');
    }
  }
  if (manifest.classes.length !== want.classes.length || manifest.classes.some((c, i) => c !== want.classes[i])) {
    throw new ModelFileError(path, `the ${preset} preset's classes are ${want.classes.join(', ')}, not ${manifest.classes.join(', ')}`, 'classes');
  }
  const need = PRESET_FILES[preset];
  const have = Object.keys(manifest.files);
  const missing = need.filter((f) => !have.includes(f));
  if (missing.length > 0) {
    throw new ModelFileError(path, `the ${preset} preset's ${isNetworkPreset(preset) ? 'network' : 'model'} is ${listed(need)}, but ${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} not listed (listed: ${listed(have)})`, 'files');
  }
  const extra = have.filter((f) => !need.includes(f));
  if (need.length === 0 && extra.length > 0) {
    throw new ModelFileError(path, `the ${preset} preset has no network, but ${listed(extra)} ${extra.length === 1 ? 'is' : 'are'} listed (a network preset relabelled ${preset}?)`, 'files');
  }
  if (extra.length > 0) {
    throw new ModelFileError(path, `the ${preset} preset's model is ${listed(need)}, but ${listed(extra)} ${extra.length === 1 ? 'is' : 'are'} listed too (another preset relabelled ${preset}?)`, 'files');
  }
  if (isNetworkPreset(preset) && manifest.normalisation === null) {
    throw new ModelFileError(path, `the ${preset} preset's network takes normalised inputs: expected {mean, scale}, one per column`, 'normalisation');
  }
  if (!isNetworkPreset(preset) && manifest.normalisation !== null) {
    throw new ModelFileError(path, `the ${preset} preset has no inputs to normalise: expected null`, 'normalisation');
  }
  return preset;
}

/**
 * Loads the model folder of a preset after every check of the module comment: the manifest against
 * the preset this peephole knows by its name (its feature set computed with the same columns, its
 * classes, files, normalisation and network), then the files against the manifest. `options.sha256`
 * is the digest the folder must have.
 */
export async function loadPresetModel(dir: string, options: { readonly sha256?: string } = {}): Promise<LoadedModel> {
  const path = join(dir, MANIFEST_FILE);
  const folder = readFolder(dir, options.sha256);
  const preset = checkAgainstPreset(path, folder.manifest);
  const dense = readNetwork(dir, folder);
  if (isNetworkPreset(preset) && dense !== null) {
    const m = folder.manifest;
    const spec = NETWORK_PRESETS[preset].network(m.columns.length, m.classes.length);
    const want = { inputs: spec.inputs, units: spec.layers.map((l) => l.units), activations: spec.layers.map((l) => l.activation) };
    const got = { inputs: dense.sizes[0], units: Array.from(dense.sizes.subarray(1)), activations: [...dense.activations].map((code) => ACTIVATION_NAMES[code]) };
    if (describeDenseShape(want) !== describeDenseShape(got)) {
      throw new ModelFileError(path, `the ${preset} preset's network is ${describeDenseShape(want)}, but ${TOPOLOGY_FILE} holds ${describeDenseShape(got)}`, 'preset');
    }
  }
  return { dir, manifest: folder.manifest, dense, sha256: folder.sha256, structure: readStructure(dir, folder) };
}
