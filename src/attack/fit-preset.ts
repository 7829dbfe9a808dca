/**
 * Training an attack preset, in memory: `fitPreset(data, options)` returns the fitted model (the
 * network with its trained weights, the manifest that describes it, how the fit went) and writes
 * nothing; model-files.ts `saveFittedModel` writes it as a model folder. The rules preset has
 * nothing to learn: its fitted model is its manifest alone; the structured preset learns its priors
 * from labelled lives (`options.lives`), not from rows.
 */
import './tfjs-quiet.js';
import type { Sequential } from '@tensorflow/tfjs-layers';
import { featureSet } from '../features/feature-set.js';
import { DenseTrainer, oneHot, type DenseBackendChoice, type EpochLogs, type FitResult } from '../model/dense-trainer.js';
import type { DenseBuffers } from '../model/dense-buffers.js';
import { buildDenseModel } from '../model/tfjs-dense.js';
import type { ModelDescription } from './model-files.js';
import { NETWORK_PRESETS, RULES_MODEL, STRUCTURED_MODEL, type PresetName } from './presets.js';
import { fitStructure } from './fit-structure.js';
import type { StructureParams } from './structured-day.js';
import type { TimedActivity } from '../evaluate/timeline-match.js';
import { fitNormalisation, normalise } from './scaler.js';
import type { TrainingData } from './training-data.js';
import { atPlace, BadInputError } from '../core/bad-input-error.js';

export interface FitPresetOptions {
  readonly preset: PresetName;
  /** Epochs (default: the preset's). */
  readonly epochs?: number;
  /** Rows per batch (default: the preset's). */
  readonly batchSize?: number;
  /** Seeds the initial weights and the per-epoch shuffle. */
  readonly seed: number;
  readonly backend?: DenseBackendChoice;
  readonly onEpochEnd?: (logs: EpochLogs) => void;
  /** Stop once validation accuracy reaches this (for benchmarks). */
  readonly stopAtValidationAccuracy?: number;
  /** The structured preset learns from labelled lives, not rows: each home's activities (and where they came from). */
  readonly lives?: { readonly source: string; readonly lives: readonly { readonly activities: readonly TimedActivity[] }[] };
}

/** How a network's fit went: the trainer's result and why its backend was chosen. */
export type TrainingRun = FitResult & { readonly backendReason: string };

/** A trained preset in memory: what a model folder holds, before it is written. */
export interface FittedModel {
  /** The manifest without the format fields and file checksums, which saving adds. */
  readonly manifest: ModelDescription;
  /** The network with its trained weights (what saving writes), or null for the rules preset. */
  readonly network: Sequential | null;
  /** The same network as the forward pass reads it (predictor.ts), or null for the rules preset. */
  readonly dense: DenseBuffers | null;
  /** How the fit went, or null for the rules preset. */
  readonly fit: TrainingRun | null;
  /** The structured preset's priors, or null for another preset. */
  readonly structure?: StructureParams | null;
}

/** The rules preset's model: no network, no learning, the manifest says so. */
function rulesModel(): FittedModel {
  return {
    manifest: {
      preset: 'rules',
      featureSet: RULES_MODEL.featureSet,
      columns: RULES_MODEL.columns,
      classes: RULES_MODEL.classes,
      normalisation: null,
      training: { learned: false, note: 'no learning: the rules of attack/rules.ts' },
    },
    network: null,
    dense: null,
    fit: null,
  };
}

/** The structured preset's model: its priors learned from labelled lives (fit-structure.ts), no network. */
function structuredModel(source: string, lives: readonly { readonly activities: readonly TimedActivity[] }[], seed: number): FittedModel {
  const activities = lives.reduce((n, l) => n + l.activities.length, 0);
  if (activities === 0) throw new BadInputError(atPlace({ file: source }, 'no labelled activity to learn the structure from'), { file: source });
  return {
    manifest: {
      preset: 'structured',
      featureSet: STRUCTURED_MODEL.featureSet,
      columns: STRUCTURED_MODEL.columns,
      classes: STRUCTURED_MODEL.classes,
      normalisation: null,
      training: { learned: true, data: source, lives: lives.length, activities, seed, note: 'priors of the structured day (structure.json) from labelled simulated lives' },
    },
    network: null,
    dense: null,
    fit: null,
    structure: fitStructure(lives),
  };
}

/** The share of rows held out for validation, as the published Keras code's `validation_split`. */
const VALIDATION_SPLIT = 0.2;

/**
 * Trains `options.preset` on `data` (null for the rules preset): the inputs are scaled (scaler.ts),
 * the last 20% of rows held out for validation as Keras' `validation_split=0.2` does, and the network
 * fitted by the dense trainer (model/). Too few rows to train on are bad input (a BadInputError naming
 * the data's source); a RangeError says the caller gave rows of another feature set or class count.
 */
export async function fitPreset(data: TrainingData | null, options: FitPresetOptions): Promise<FittedModel> {
  if (options.preset === 'rules') return rulesModel();
  if (options.preset === 'structured') {
    if (options.lives === undefined) throw new RangeError('The structured preset learns from labelled lives (options.lives), not rows');
    return structuredModel(options.lives.source, options.lives.lives, options.seed);
  }
  const preset = NETWORK_PRESETS[options.preset];
  if (data === null || data.featureSet !== preset.featureSet) {
    throw new RangeError(`The ${preset.name} preset trains on "${preset.featureSet}" rows, not ${data === null ? 'none' : `"${data.featureSet}"`}`);
  }
  // Keras' validation_split keeps floor(rows × 0.8) rows to learn from: one row leaves none.
  if (Math.floor(data.rows * (1 - VALIDATION_SPLIT)) === 0) {
    throw new BadInputError(atPlace({ file: data.source }, `${data.rows} labelled row(s): training needs at least 2 (80% to learn from, 20% to validate)`), { file: data.source });
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
  const batchSize = options.batchSize ?? preset.batchSize;
  const fit = trainer.fit(x, y, {
    loss: preset.loss,
    optimizer: preset.optimizer,
    batchSize,
    epochs: options.epochs ?? preset.epochs,
    seed: options.seed,
    validationSplit: VALIDATION_SPLIT,
    onEpochEnd: (logs) => {
      options.onEpochEnd?.(logs);
      if (options.stopAtValidationAccuracy !== undefined && (logs.valAcc ?? 0) >= options.stopAtValidationAccuracy) return 'stop';
      return undefined;
    },
  });
  trainer.writeTo(network);
  const last = fit.history[fit.history.length - 1];
  return {
    manifest: {
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
        batchSize,
        seed: options.seed,
        backend: fit.backend,
        loss: last?.loss ?? null,
        accuracy: last?.acc ?? null,
        validationAccuracy: last?.valAcc ?? null,
        samplesPerSecond: Math.round(fit.samplesPerSecond),
      },
    },
    network,
    dense: trainer.net,
    fit: { ...fit, backendReason: trainer.backendReason },
  };
}
