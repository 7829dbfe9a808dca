/**
 * The paper's Figure 5 and Figure 6 (bottom) regenerated beside their undefended counterparts (its
 * Figure 4 and Figure 6 top): the published network, trained on the regenerated training set, scores
 * the 8 test scenarios as lived, then the same scenarios with the fake-data injection (`inject`) on
 * each one's 24 hours (attack/paper-dataset.ts takes a defence's seams for its scenarios; the training
 * set stays the undefended home's: what the attacker learnt before the defence was there).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataFromPaperCsv, fitPreset, predictorFor } from '../../attack/index.js';
import { evaluateScenarios } from '../../attack/evaluate-model.js';
import { writePaperPreset } from '../../attack/paper-dataset.js';
import { confusionCsv } from '../../evaluate/metrics.js';
import type { ScenarioResults } from '../../evaluate/scenarios.js';
import { renderConfusion } from '../../report/confusion-plot.js';
import { renderPredictionChart } from '../../report/prediction-chart.js';
import { createDefence } from '../registry.js';
import { simulatorSeams } from '../simulator-seams.js';

export interface PaperFiguresOptions {
  readonly out: string;
  readonly seed: number;
  /** Epochs of the published network (the study's default is 10). */
  readonly epochs: number;
  /** The injection's period, minutes. */
  readonly period: number;
  /** Train on the first this many records only (default: all 135,668): for a quick look. */
  readonly trainingRows?: number;
}

export interface PaperFigures {
  readonly before: ScenarioResults;
  readonly after: ScenarioResults;
  readonly files: readonly string[];
}

export async function paperFigures(options: PaperFiguresOptions): Promise<PaperFigures> {
  const data = join(options.out, 'data');
  const lived = writePaperPreset({ out: join(data, 'as-lived'), seed: options.seed, vantage: 'lan', format: 'pcapng' });
  const defence = createDefence('inject', { period: options.period });
  writePaperPreset({ out: join(data, 'injected'), seed: options.seed, vantage: 'lan', format: 'pcapng', seams: simulatorSeams(defence) });
  const all = dataFromPaperCsv(lived.training.path);
  const rows = Math.min(all.rows, options.trainingRows ?? all.rows);
  const training = rows === all.rows ? all : { ...all, rows, values: all.values.subarray(0, rows * all.width), labels: all.labels.subarray(0, rows), source: `${all.source} (first ${rows} records)` };
  const model = await fitPreset(training, { preset: 'paper', seed: options.seed, epochs: options.epochs });
  const predictor = predictorFor(model);
  const before = evaluateScenarios(predictor, join(data, 'as-lived'));
  const after = evaluateScenarios(predictor, join(data, 'injected'));
  const figures = join(options.out, 'figures');
  mkdirSync(figures, { recursive: true });
  const files: string[] = [];
  const write = (name: string, content: string | Uint8Array): void => {
    const path = join(figures, name);
    writeFileSync(path, content);
    files.push(path);
  };
  const sets = [
    { figure: 'figure4', results: before, title: 'The published network on the 8 test scenarios, as lived' },
    { figure: 'figure5', results: after, title: `The same scenarios with fake data injected (every device every ${options.period} min)` },
  ];
  for (const { figure, results, title } of sets) {
    for (const normalised of [false, true]) {
      const name = `${figure}-confusion${normalised ? '-normalised' : ''}`;
      write(`${name}.png`, await renderConfusion(results.report, { format: 'png', normalised, title }));
      write(`${name}.svg`, await renderConfusion(results.report, { format: 'svg', normalised, title }));
      write(`${name}.csv`, confusionCsv(results.report, normalised));
    }
  }
  for (const [part, results, title] of [
    ['top', before, 'Predicted vs expected, as lived (Figure 6 top)'],
    ['bottom', after, 'Predicted vs expected, with fake data injected (Figure 6 bottom)'],
  ] as const) {
    const items = results.scenarios.map((s) => ({ label: s.label, expected: s.expected, predicted: s.predicted }));
    write(`figure6-${part}-predicted-vs-expected.png`, await renderPredictionChart(items, { format: 'png', title, classes: predictor.classes }));
    write(`figure6-${part}-predicted-vs-expected.svg`, await renderPredictionChart(items, { format: 'svg', title, classes: predictor.classes }));
  }
  return { before, after, files };
}
