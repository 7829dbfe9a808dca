/**
 * A model scored on every labelled source `peephole evaluate` can name, in one call: a simulated
 * home's life or a `peephole simulate` folder (per use and on the timeline), rows of the published
 * CSV format (per row), and the paper's 8 scenarios. evaluate-model.ts scores one source; this runs
 * the ones asked for, in that order, and returns the numbers (report/model-evaluation-text.ts shows them).
 */
import { classificationReport, type ClassificationReport } from '../evaluate/metrics.js';
import type { ScenarioResults } from '../evaluate/scenarios.js';
import { argmaxRows, evaluateLife, evaluateScenarios, lifeOfSimulation, type Evaluation } from './evaluate-model.js';
import type { ModelManifest } from './model-files.js';
import type { ModelPredictor } from './predictor.js';
import { lifeOfHome } from './simulated-life.js';
import { dataFromPaperCsv } from './training-data.js';

export interface EvaluationSources {
  /** A built-in home or a spec file, lived for `days` days from `seed`. */
  readonly home?: string;
  /** A `peephole simulate` folder (used instead of `home` when both are given). */
  readonly sim?: string;
  /** Rows in the published CSV format (a model of the paper feature set only). */
  readonly data?: string;
  /** A `peephole simulate --preset paper` folder: its 8 scenarios. */
  readonly scenarios?: string;
  readonly days: number;
  readonly seed: number;
}

export interface ModelEvaluation {
  readonly model: { readonly dir: string; readonly preset: string; readonly featureSet: string; readonly classes: readonly string[]; readonly sha256: string };
  /** On the life of `home` or `sim`. */
  readonly life?: Evaluation;
  /** On the rows of `data`, one prediction per row. */
  readonly rows?: { readonly source: string; readonly report: ClassificationReport };
  /** On the scenarios of `scenarios`. */
  readonly scenarios?: { readonly source: string; readonly results: ScenarioResults };
}

/** True when the model reads rows of the published CSV format (`sources.data`). */
export function readsPaperRows(model: { readonly predictor: ModelPredictor; readonly manifest: ModelManifest }): boolean {
  return model.manifest.featureSet === 'paper' && model.predictor.rowOutputs !== null;
}

/** Scores the model (loaded from `dir`) on each source given; see the module comment. */
export function evaluateModel(model: { readonly dir: string; readonly predictor: ModelPredictor; readonly manifest: ModelManifest; readonly sha256: string }, sources: EvaluationSources): ModelEvaluation {
  const { predictor, manifest } = model;
  let life: Evaluation | undefined;
  let rows: ModelEvaluation['rows'];
  let scenarios: ModelEvaluation['scenarios'];
  if (sources.home !== undefined || sources.sim !== undefined) {
    life = evaluateLife(predictor, sources.sim !== undefined ? lifeOfSimulation(sources.sim) : lifeOfHome(sources.home!, sources.days, sources.seed));
  }
  if (sources.data !== undefined) {
    if (!readsPaperRows(model)) throw new RangeError(`${sources.data} holds published-format rows; this model reads "${manifest.featureSet}" features`);
    const data = dataFromPaperCsv(sources.data);
    const predicted = argmaxRows(predictor.rowOutputs!(data.values, data.rows), manifest.classes.length);
    rows = { source: sources.data, report: classificationReport(Array.from(data.labels), predicted, manifest.classes) };
  }
  if (sources.scenarios !== undefined) scenarios = { source: sources.scenarios, results: evaluateScenarios(predictor, sources.scenarios) };
  return { model: { dir: model.dir, preset: manifest.preset, featureSet: manifest.featureSet, classes: manifest.classes, sha256: model.sha256 }, life, rows, scenarios };
}
