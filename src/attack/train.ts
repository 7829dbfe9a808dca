/**
 * Training an attack preset end to end: rows from the published CSV or from simulated homes, input
 * normalisation, the fast dense trainer (model/), and the model folder (model-files.ts).
 */
import './tfjs-quiet.js';
import type { Sequential } from '@tensorflow/tfjs-layers';
import { featureSet, ATTACK_CLASSES, FEATURE_SETS, type FeatureSetName } from '../features/feature-set.js';
import { readPaperCsv } from '../features/paper-csv.js';
import { PAPER_FEATURE_COLUMNS } from '../features/paper-features.js';
import { DenseTrainer, oneHot, type DenseBackendChoice, type EpochLogs, type FitResult } from '../model/dense-trainer.js';
import { buildDenseModel } from '../model/tfjs-dense.js';
import { join } from 'node:path';
import { loadModel, MANIFEST_FILE, ModelFileError, readManifest, saveModel, type LoadedModel, type ModelManifest, type Normalisation } from './model-files.js';
import { isPresetName, NETWORK_PRESETS, PRESET_NAMES, toProbabilities, type PresetName } from './presets.js';
import type { ActivityPredictor } from './predictor.js';
import { RulesPreset } from './rules.js';
import { lifeOfHome } from './simulated-life.js';
import type { DeviceUse } from '../core/device-use.js';

/** Labelled rows of one feature set. */
export interface TrainingData {
  readonly featureSet: FeatureSetName;
  readonly values: Float32Array;
  readonly width: number;
  readonly labels: Int32Array;
  readonly rows: number;
  /** Where the rows came from, for the manifest. */
  readonly source: string;
}

/** Rows of the published CSV format (the paper feature set). */
export function dataFromPaperCsv(path: string): TrainingData {
  const csv = readPaperCsv(path);
  return { featureSet: 'paper', values: csv.values, width: PAPER_FEATURE_COLUMNS.length, labels: csv.labels, rows: csv.rows, source: path };
}

/**
 * Rows of `set` from `days` days of each home: features are computed per home (each home is its own
 * timeline), then the rows of all homes are merged in time order, so that Keras-style validation on
 * the last 20% of rows holds out the last days of every home rather than one whole home.
 */
export function dataFromHomes(homes: readonly string[], set: FeatureSetName, options: { days: number; seed: number }): TrainingData {
  const fs = featureSet(set);
  const width = fs.columns.length;
  const picked: { timeUs: number; home: number; part: number }[] = [];
  const parts = homes.map((home, h) => {
    const { events } = lifeOfHome(home, options.days, options.seed + h);
    const rows = fs.rows(events);
    for (let i = 0; i < rows.labels.length; i++) if (rows.labels[i] >= 0) picked.push({ timeUs: events[rows.eventIndex[i]].timeUs, home: h, part: i });
    return rows;
  });
  picked.sort((a, b) => a.timeUs - b.timeUs || a.home - b.home || a.part - b.part);
  const values = new Float32Array(picked.length * width);
  const labels = new Int32Array(picked.length);
  picked.forEach((p, r) => {
    const rows = parts[p.home];
    values.set(rows.values.subarray(p.part * width, (p.part + 1) * width), r * width);
    labels[r] = rows.labels[p.part];
  });
  return { featureSet: set, values, width, labels, rows: picked.length, source: `simulated homes ${homes.join(', ')} (${options.days} days each, seed ${options.seed})` };
}

/** Per-column mean and standard deviation of the rows (a constant column gets scale 1). */
export function fitNormalisation(values: Float32Array, width: number): Normalisation {
  const rows = values.length / width;
  const mean = new Float64Array(width);
  const sq = new Float64Array(width);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < width; c++) {
      const v = values[r * width + c];
      mean[c] += v;
      sq[c] += v * v;
    }
  }
  const m: number[] = [];
  const s: number[] = [];
  for (let c = 0; c < width; c++) {
    const mu = rows > 0 ? mean[c] / rows : 0;
    const variance = rows > 0 ? Math.max(0, sq[c] / rows - mu * mu) : 0;
    const sd = Math.sqrt(variance);
    m.push(mu);
    s.push(sd > 1e-6 ? sd : 1);
  }
  return { mean: m, scale: s };
}

/** A normalised copy of the rows. */
export function normalise(values: Float32Array, width: number, norm: Normalisation): Float32Array {
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const c = i % width;
    out[i] = (values[i] - norm.mean[c]) / norm.scale[c];
  }
  return out;
}

export interface TrainOptions {
  readonly preset: PresetName;
  readonly out: string;
  readonly epochs?: number;
  readonly batchSize?: number;
  readonly seed: number;
  readonly backend?: DenseBackendChoice;
  readonly onEpochEnd?: (logs: EpochLogs) => void;
  /** Stop once validation accuracy reaches this (for benchmarks). */
  readonly stopAtValidationAccuracy?: number;
}

export interface TrainResult {
  readonly manifest: ModelManifest;
  readonly fit: (FitResult & { backendReason: string }) | null;
}

/** Trains `options.preset` on `data` (null for the rules preset) and writes the model folder. */
export async function trainPreset(data: TrainingData | null, options: TrainOptions): Promise<TrainResult> {
  if (options.preset === 'rules') {
    const manifest = await saveModel(options.out, null, {
      preset: 'rules',
      featureSet: 'events',
      columns: ['time', 'device', 'kind'],
      classes: ATTACK_CLASSES,
      normalisation: null,
      training: { learned: false, note: 'no learning: the rules of attack/rules.ts' },
    });
    return { manifest, fit: null };
  }
  const preset = NETWORK_PRESETS[options.preset];
  if (data === null || data.featureSet !== preset.featureSet) {
    throw new RangeError(`The ${preset.name} preset trains on "${preset.featureSet}" rows, not ${data === null ? 'none' : `"${data.featureSet}"`}`);
  }
  const classes = preset.classes.length;
  for (let i = 0; i < data.rows; i++) {
    if (data.labels[i] >= classes) throw new RangeError(`Row ${i} has class ${data.labels[i]}, but the ${preset.name} preset has ${classes} classes`);
  }
  const norm = fitNormalisation(data.values, data.width);
  const x = { data: normalise(data.values, data.width, norm), rows: data.rows, columns: data.width };
  const y = oneHot(data.labels, classes);
  const network = buildDenseModel(preset.network(data.width, classes), options.seed);
  const trainer = await DenseTrainer.create(network, { backend: options.backend ?? 'auto' });
  const fit = trainer.fit(x, y, {
    loss: preset.loss,
    optimizer: preset.optimizer,
    batchSize: options.batchSize ?? preset.batchSize,
    epochs: options.epochs ?? preset.epochs,
    seed: options.seed,
    validationSplit: 0.2,
    onEpochEnd: (logs) => {
      options.onEpochEnd?.(logs);
      if (options.stopAtValidationAccuracy !== undefined && (logs.valAcc ?? 0) >= options.stopAtValidationAccuracy) return 'stop';
      return undefined;
    },
  });
  trainer.writeTo(network);
  const last = fit.history[fit.history.length - 1];
  const manifest = await saveModel(options.out, network, {
    preset: preset.name,
    featureSet: preset.featureSet,
    columns: featureSet(preset.featureSet).columns,
    classes: preset.classes,
    normalisation: norm,
    training: {
      data: data.source,
      rows: data.rows,
      trainRows: fit.trainRows,
      validationRows: fit.validationRows,
      epochs: fit.history.length,
      batchSize: options.batchSize ?? preset.batchSize,
      seed: options.seed,
      backend: fit.backend,
      loss: last?.loss ?? null,
      accuracy: last?.acc ?? null,
      validationAccuracy: last?.valAcc ?? null,
      samplesPerSecond: Math.round(fit.samplesPerSecond),
    },
  });
  return { manifest, fit: { ...fit, backendReason: trainer.backendReason } };
}

/**
 * A model folder's predictor. A network preset also gives its raw outputs for rows of its feature set
 * (`rowOutputs`: normalised inside, rows × classes), for data that is already rows (the published CSV).
 */
export interface ModelPredictor extends ActivityPredictor {
  readonly rowOutputs: ((values: Float32Array, rows: number) => Float32Array) | null;
}

/** The predictor of a loaded model folder. */
export function predictorFor(model: LoadedModel): ModelPredictor {
  const { manifest, network } = model;
  if (manifest.preset === 'rules' || network === null) return Object.assign(new RulesPreset(), { rowOutputs: null });
  const preset = NETWORK_PRESETS[manifest.preset as Exclude<PresetName, 'rules'>];
  const fs = featureSet(manifest.featureSet);
  const classes = manifest.classes.length;
  const width = fs.columns.length;
  const norm = manifest.normalisation ?? { mean: new Array<number>(width).fill(0), scale: new Array<number>(width).fill(1) };
  const trainer = DenseTrainer.fromModel(network as Sequential, { backend: 'auto' });
  const rowOutputs = (values: Float32Array, rows: number): Float32Array => trainer.predict({ data: normalise(values, width, norm), rows, columns: width }).data;
  return {
    name: manifest.preset,
    classes: manifest.classes,
    rowOutputs,
    predict(events: readonly DeviceUse[]): Float32Array {
      // Causes are dropped so every use gets a row (the paper set leaves labelled noise out).
      const unlabelled = events.map((e) => ({ timeUs: e.timeUs, device: e.device, kind: e.kind }));
      const rows = fs.rows(unlabelled);
      const probabilities = toProbabilities(rowOutputs(rows.values, rows.labels.length), classes, preset?.outputsProbabilities ?? true);
      // One row per use, in the order of the uses.
      const out = new Float32Array(events.length * classes).fill(1 / classes);
      for (let r = 0; r < rows.eventIndex.length; r++) out.set(probabilities.subarray(r * classes, (r + 1) * classes), rows.eventIndex[r] * classes);
      return out;
    },
  };
}

/** Loads a model folder and checks it fits its preset's feature set as this peephole computes it. */
export async function loadPredictor(dir: string): Promise<{ predictor: ModelPredictor; manifest: ModelManifest }> {
  const manifest = readManifest(dir);
  let expect: { featureSet: string; columns: readonly string[] } | undefined;
  if (manifest.preset !== 'rules') {
    if (!isPresetName(manifest.preset)) throw new ModelFileError(join(dir, MANIFEST_FILE), `preset "${manifest.preset}" is not one this peephole knows (${PRESET_NAMES.join(', ')})`);
    const known = FEATURE_SETS.find((s) => s.name === manifest.featureSet);
    if (known === undefined) throw new ModelFileError(join(dir, MANIFEST_FILE), `feature set "${manifest.featureSet}" is not one this peephole computes`);
    expect = { featureSet: known.name, columns: known.columns };
  }
  const model = await loadModel(dir, expect);
  return { predictor: predictorFor(model), manifest };
}
