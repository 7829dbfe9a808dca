/**
 * What `peephole evaluate` shows of a model evaluation (attack/model-evaluation.ts), from the result
 * alone: the text report (one section per source), the JSON object, and the figures: a confusion
 * matrix per source (CSV, SVG, PNG; raw and normalised) and, for the paper's scenarios, the
 * predicted-vs-expected chart (the paper's Figure 6).
 */
import type { ModelEvaluation } from '../attack/model-evaluation.js';
import { confusionCsv, type ClassificationReport } from '../evaluate/metrics.js';
import { renderConfusion } from './confusion-plot.js';
import { renderEvaluationText } from './evaluation-text.js';
import { renderPredictionChart } from './prediction-chart.js';
import { visibleStrings } from '../core/table-format.js';

/** A figure file: its name in the output folder and its contents. */
export interface FigureFile {
  readonly name: string;
  readonly content: string | Uint8Array;
}

/** The text report: the model (its folder and digest), then one section per source, in the order life, rows, scenarios. */
export function modelEvaluationText(result: ModelEvaluation): string {
  const preset = result.model.preset;
  const text: string[] = [`model ${preset} (${result.model.dir}, sha256 ${result.model.sha256})\n`];
  if (result.life !== undefined) text.push(renderEvaluationText({ title: `${preset} on ${result.life.source}`, report: result.life.perUse, timeline: result.life.timeline }));
  if (result.rows !== undefined) text.push(renderEvaluationText({ title: `${preset} on ${result.rows.source}`, report: result.rows.report }));
  if (result.scenarios !== undefined) {
    const s = result.scenarios;
    text.push(renderEvaluationText({ title: `${preset} on the paper's 8 scenarios (${s.source})`, report: s.results.report, scenarios: s.results.scenarios }));
  }
  return text.join('\n');
}

/**
 * The JSON object: the model, then each source's numbers (a timeline's matched pairs as their count),
 * every string with its control characters made visible (class, scenario and resident names came from
 * files).
 */
export function modelEvaluationJson(result: ModelEvaluation): Record<string, unknown> {
  const { dir, preset, featureSet, sha256 } = result.model;
  const json: Record<string, unknown> = { model: { dir, preset, featureSet, sha256 } };
  if (result.life !== undefined) {
    const { source, perUse, timeline } = result.life;
    json.life = { source, perUse, timeline: { ...timeline, pairs: timeline.pairs.length } };
  }
  if (result.rows !== undefined) json.rows = result.rows;
  if (result.scenarios !== undefined) json.scenarios = result.scenarios.results;
  return visibleStrings(json);
}

/** Every figure of the evaluation, with the file name each is written under. */
export async function modelEvaluationFigures(result: ModelEvaluation): Promise<FigureFile[]> {
  const preset = result.model.preset;
  const files: FigureFile[] = [];
  const confusions: { name: string; report: ClassificationReport; title: string }[] = [];
  if (result.life !== undefined) confusions.push({ name: 'uses', report: result.life.perUse, title: `${preset}: per use, ${result.life.source}` });
  if (result.rows !== undefined) confusions.push({ name: 'rows', report: result.rows.report, title: `${preset}: per row, ${result.rows.source}` });
  if (result.scenarios !== undefined) {
    confusions.push({ name: 'scenarios', report: result.scenarios.results.report, title: `${preset}: the 8 test scenarios` });
    const items = result.scenarios.results.scenarios.map((s) => ({ label: s.label, expected: s.expected, predicted: s.predicted }));
    const chart = { title: `${preset}: predicted vs expected, 8 test scenarios`, classes: result.model.classes.slice(0, 5) };
    files.push({ name: 'scenarios-predicted-vs-expected.svg', content: await renderPredictionChart(items, { format: 'svg', ...chart }) });
    files.push({ name: 'scenarios-predicted-vs-expected.png', content: await renderPredictionChart(items, { format: 'png', ...chart }) });
  }
  for (const f of confusions) {
    for (const normalised of [false, true]) {
      const base = `confusion-${f.name}${normalised ? '-normalised' : ''}`;
      files.push({ name: `${base}.csv`, content: confusionCsv(f.report, normalised) });
      files.push({ name: `${base}.svg`, content: await renderConfusion(f.report, { format: 'svg', normalised, title: f.title }) });
      files.push({ name: `${base}.png`, content: await renderConfusion(f.report, { format: 'png', normalised, title: f.title }) });
    }
  }
  return files;
}
