/**
 * The one interface every attack preset has, learned or not: per-use class probabilities from
 * time-sorted device uses. Presets differ in what they read (the rules preset reads the uses, a
 * learned model reads a feature set's rows), never in how they are called. A model, fitted in memory
 * (fit-preset.ts) or loaded from its folder (model-files.ts), becomes one with `predictorFor`: its
 * network runs on the forward pass of model/dense-predict.ts, which imports no TensorFlow.js (a
 * command that only predicts never loads it).
 */
import type { DeviceUse } from '../core/device-use.js';
import { featureSet, type UseContext } from '../features/feature-set.js';
import type { DenseBuffers } from '../model/dense-buffers.js';
import { DenseForward } from '../model/dense-predict.js';
import { loadPresetModel, type ModelDescription, type ModelManifest } from './model-files.js';
import { NETWORK_PRESETS, toProbabilities, type NetworkPresetName } from './presets.js';
import type { StructureParams } from './structured-day.js';
import { StructuredPreset } from './structured-preset.js';
import { activityTimeline, type TimelineEntry } from './episodes.js';
import { RulesPreset } from './rules.js';
import { normalise } from './scaler.js';

export interface ActivityPredictor {
  /** The preset's name (`rules`, `paper`, …). */
  readonly name: string;
  /** The class names, one per probability column: the five activities, and `none` when the preset has it. */
  readonly classes: readonly string[];
  /**
   * What the probabilities of one use read besides the use (features/feature-set.ts): a use's row is
   * the same over any stretch of the uses that holds its context, so uses can be predicted a stretch
   * at a time (attack/use-stream.ts).
   */
  readonly context: UseContext;
  /**
   * One row of probabilities per use of `events[from, to)` (all of them by default), in their order
   * (`events` must be sorted by time), as rows × classes.length, row-major; each row sums to 1. The
   * uses outside the range are read as the context of those in it, and get no row.
   */
  predict(events: readonly DeviceUse[], from?: number, to?: number): Float32Array;
  /**
   * The residents' day, for a preset that decodes it whole (structured); the others' day is their
   * per-use probabilities grouped into episodes (episodes.ts). Use {@link inferredDay} to get either.
   */
  day?(events: readonly DeviceUse[]): TimelineEntry[];
}

/** The residents' day as `predictor` infers it from time-sorted uses. */
export function inferredDay(predictor: ActivityPredictor, events: readonly DeviceUse[]): TimelineEntry[] {
  return predictor.day !== undefined ? predictor.day(events) : activityTimeline(events, predictor.predict(events));
}

/**
 * A model's predictor. A network preset also gives its raw outputs for rows of its feature set
 * (`rowOutputs`: normalised inside, rows × classes), for data that is already rows (the published CSV).
 */
export interface ModelPredictor extends ActivityPredictor {
  readonly rowOutputs: ((values: Float32Array, rows: number) => Float32Array) | null;
}

/** The predictor of a model: a loaded model folder, or a model fitted in memory (`dense`: its network, null for the rules preset). */
export function predictorFor(model: { readonly manifest: ModelDescription; readonly dense: DenseBuffers | null; readonly structure?: StructureParams | null }): ModelPredictor {
  const { manifest, dense } = model;
  if (manifest.preset === 'structured') return Object.assign(new StructuredPreset(model.structure ?? undefined), { rowOutputs: null });
  if (manifest.preset === 'rules' || dense === null) return Object.assign(new RulesPreset(), { rowOutputs: null });
  const preset = NETWORK_PRESETS[manifest.preset as NetworkPresetName];
  const fs = featureSet(manifest.featureSet);
  const classes = manifest.classes.length;
  const width = fs.columns.length;
  const norm = manifest.normalisation ?? { mean: new Array<number>(width).fill(0), scale: new Array<number>(width).fill(1) };
  const network = new DenseForward(dense);
  const rowOutputs = (values: Float32Array, rows: number): Float32Array => network.predict({ data: normalise(values, width, norm), rows, columns: width }).data;
  return {
    name: manifest.preset,
    classes: manifest.classes,
    context: fs.context,
    rowOutputs,
    predict(events: readonly DeviceUse[], from = 0, to = events.length): Float32Array {
      // Causes are dropped so every use gets a row (the paper set leaves labelled noise out).
      const unlabelled = events.map((e) => ({ timeUs: e.timeUs, device: e.device, kind: e.kind }));
      const rows = fs.rows(unlabelled);
      // The network reads the rows of [from, to) only, in one call: rows in the order of the uses.
      let first = 0;
      while (first < rows.eventIndex.length && rows.eventIndex[first] < from) first++;
      let end = first;
      while (end < rows.eventIndex.length && rows.eventIndex[end] < to) end++;
      const outputs = rowOutputs(rows.values.subarray(first * width, end * width), end - first);
      const probabilities = toProbabilities(outputs, classes, preset?.outputsProbabilities ?? true);
      // One row per use, in the order of the uses.
      const out = new Float32Array((to - from) * classes).fill(1 / classes);
      for (let r = first; r < end; r++) out.set(probabilities.subarray((r - first) * classes, (r - first + 1) * classes), (rows.eventIndex[r] - from) * classes);
      return out;
    },
  };
}

/**
 * The predictor of the model folder in `dir`, checked as model-files.ts `loadPresetModel` does, with
 * the folder's digest (`sha256`); `options.sha256` is the digest the folder must have.
 */
export async function loadPredictor(dir: string, options: { readonly sha256?: string } = {}): Promise<{ predictor: ModelPredictor; manifest: ModelManifest; sha256: string }> {
  const model = await loadPresetModel(dir, options);
  return { predictor: predictorFor(model), manifest: model.manifest, sha256: model.sha256 };
}
