/**
 * The attack presets, each one way to turn device uses into activities, all behind ActivityPredictor:
 *
 * | preset | reads | network | trained with |
 * | --- | --- | --- | --- |
 * | `paper` | the published features (10 columns) | the published network exactly: Dense 500-500-500 relu, Dense 5 linear | SGD (learning rate 0.01, Keras' default), mean squared error against one-hot labels, batch 128, inputs normalised, the last 20% of rows held out for validation (Keras `validation_split=0.2`) |
 * | `dense` | the extended features (features/extended.ts) | Dense 128-64 relu, Dense 6 softmax (the five activities and `none`) | Adam (0.001), categorical cross-entropy, L2 1e-4 on every kernel, batch 128 |
 * | `sequence` | the window of the 8 uses before and after each use (features/sequence-window.ts), flattened | Dense 256-128 relu, Dense 6 softmax | as `dense` |
 * | `rules` | the uses themselves | none: the rules of attack/rules.ts | nothing to learn: the floor every learned preset must beat |
 * | `structured` | the uses themselves | none: the home's day as a hidden semi-Markov model (structured-day.ts), each home's device rates learned as it is read | its priors (durations, hours of waking and bed, where an awake home goes) from the labelled lives of simulated homes (fit-structure.ts) |
 *
 * The paper's network ends in a linear layer trained by mean squared error, so its outputs are scores,
 * not probabilities: they are clipped to [0, 1] and divided by their sum to give each row a
 * distribution (a row of all zeros becomes uniform).
 */
import { ACTIVITIES } from '../core/activities.js';
import { ATTACK_CLASSES, featureSet, type FeatureSetName } from '../features/feature-set.js';
import type { DenseLoss, DenseOptimizer } from '../model/dense-spec.js';
import type { DenseNetworkSpec } from '../model/dense-spec.js';

export const PRESET_NAMES = ['paper', 'dense', 'sequence', 'rules', 'structured'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];
/** The presets with a network (model.json and weights.bin in their folder). */
export type NetworkPresetName = Exclude<PresetName, 'rules' | 'structured'>;

export interface NetworkPreset {
  readonly name: NetworkPresetName;
  readonly featureSet: FeatureSetName;
  readonly classes: readonly string[];
  readonly network: (inputs: number, classes: number) => DenseNetworkSpec;
  readonly loss: DenseLoss;
  readonly optimizer: DenseOptimizer;
  readonly batchSize: number;
  readonly epochs: number;
  /** Whether outputs are probabilities (softmax) or scores to clip and normalise. */
  readonly outputsProbabilities: boolean;
  readonly description: string;
}

const HIDDEN_RELU = (units: number): { units: number; activation: 'relu' } => ({ units, activation: 'relu' });

export const NETWORK_PRESETS: Readonly<Record<NetworkPreset['name'], NetworkPreset>> = {
  paper: {
    name: 'paper',
    featureSet: 'paper',
    classes: ACTIVITIES,
    network: (inputs, classes) => ({ inputs, layers: [HIDDEN_RELU(500), HIDDEN_RELU(500), HIDDEN_RELU(500), { units: classes, activation: 'linear' }] }),
    loss: 'meanSquaredError',
    optimizer: { type: 'sgd', learningRate: 0.01 },
    batchSize: 128,
    epochs: 40,
    outputsProbabilities: false,
    description: 'the published network exactly: published features, Dense 500-500-500 relu + Dense 5, SGD, mean squared error',
  },
  dense: {
    name: 'dense',
    featureSet: 'extended',
    classes: ATTACK_CLASSES,
    network: (inputs, classes) => ({ inputs, layers: [HIDDEN_RELU(128), HIDDEN_RELU(64), { units: classes, activation: 'softmax' }], l2: 1e-4 }),
    loss: 'categoricalCrossentropy',
    optimizer: { type: 'adam', learningRate: 1e-3 },
    batchSize: 128,
    epochs: 30,
    outputsProbabilities: true,
    description: 'extended features, Dense 128-64 relu + softmax over the five activities and none, Adam, cross-entropy, L2',
  },
  sequence: {
    name: 'sequence',
    featureSet: 'sequence',
    classes: ATTACK_CLASSES,
    network: (inputs, classes) => ({ inputs, layers: [HIDDEN_RELU(256), HIDDEN_RELU(128), { units: classes, activation: 'softmax' }], l2: 1e-4 }),
    loss: 'categoricalCrossentropy',
    optimizer: { type: 'adam', learningRate: 1e-3 },
    batchSize: 128,
    epochs: 30,
    outputsProbabilities: true,
    description: 'the window of the 8 uses before and after each use, Dense 256-128 relu + softmax over the five activities and none, Adam, cross-entropy, L2',
  },
};

/**
 * What the rules preset's model says of it: it reads the uses themselves (time, device, kind), has no
 * network and no normalisation, and gives the classes of attack/rules.ts (the five activities and none).
 */
export const RULES_MODEL = { featureSet: 'events', columns: ['time', 'device', 'kind'], classes: ATTACK_CLASSES } as const;
/** The structured preset reads what the rules read: the uses themselves. */
export const STRUCTURED_MODEL = RULES_MODEL;

/** True for a preset with a network. */
export function isNetworkPreset(name: string): name is NetworkPresetName {
  return name in NETWORK_PRESETS;
}

export function isPresetName(name: string): name is PresetName {
  return (PRESET_NAMES as readonly string[]).includes(name);
}

/** The columns a network preset's rows have (its feature set's). */
export function presetColumns(preset: NetworkPreset): readonly string[] {
  return featureSet(preset.featureSet).columns;
}

/** Turns a network's outputs into per-row distributions in place (see the module comment) and returns them. */
export function toProbabilities(outputs: Float32Array, classes: number, alreadyProbabilities: boolean): Float32Array {
  if (alreadyProbabilities) return outputs;
  for (let r = 0; r < outputs.length; r += classes) {
    let sum = 0;
    for (let c = 0; c < classes; c++) {
      const v = Math.min(1, Math.max(0, outputs[r + c]));
      outputs[r + c] = v;
      sum += v;
    }
    for (let c = 0; c < classes; c++) outputs[r + c] = sum > 0 ? outputs[r + c] / sum : 1 / classes;
  }
  return outputs;
}
