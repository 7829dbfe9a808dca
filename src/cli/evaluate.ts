/**
 * `peephole evaluate --model DIR`: scores a trained model (or the rules preset) on labelled data: a
 * simulated home (`--home`), a `peephole simulate` folder (`--sim`), the published CSV (`--data`),
 * and/or the paper's 8 scenarios (`--scenarios`, a `peephole simulate --preset paper` folder). Prints
 * a text report; with `--out DIR` also writes the confusion matrices (CSV, SVG, PNG, raw and
 * normalised), the scenario chart (the paper's Figure 6) and the report as JSON.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from './errors.js';
import { TextSink } from './output.js';

export interface EvaluateCommandOptions {
  model: string;
  home?: string;
  sim?: string;
  data?: string;
  scenarios?: string;
  days: number;
  seed: number;
  out?: string;
  json: boolean;
}

export async function evaluateCommand(options: EvaluateCommandOptions): Promise<void> {
  const given = [options.home, options.sim, options.data, options.scenarios].filter((v) => v !== undefined).length;
  if (given === 0) throw new UsageError('say what to evaluate on: --home NAME, --sim DIR, --data rows.csv and/or --scenarios DIR');
  const { loadPredictor } = await import('../attack/predictor.js');
  const { dataFromPaperCsv } = await import('../attack/training-data.js');
  const { argmaxRows, evaluateLife, evaluateScenarios, lifeOfSimulation } = await import('../attack/evaluate-model.js');
  const { lifeOfHome } = await import('../attack/simulated-life.js');
  const { classificationReport, confusionCsv } = await import('../evaluate/metrics.js');
  const { renderEvaluationText } = await import('../report/evaluation-text.js');
  const { predictor, manifest } = await loadPredictor(options.model);
  const sink = new TextSink();
  const json: Record<string, unknown> = { model: { dir: options.model, preset: manifest.preset, featureSet: manifest.featureSet } };
  const figures: { name: string; report: import('../evaluate/metrics.js').ClassificationReport; title: string }[] = [];
  const text: string[] = [];

  if (options.home !== undefined || options.sim !== undefined) {
    const life = options.sim !== undefined ? lifeOfSimulation(options.sim) : lifeOfHome(options.home!, options.days, options.seed);
    const result = evaluateLife(predictor, life);
    json.life = { source: result.source, perUse: result.perUse, timeline: { ...result.timeline, pairs: result.timeline.pairs.length } };
    text.push(renderEvaluationText({ title: `${manifest.preset} on ${result.source}`, report: result.perUse, timeline: result.timeline }));
    figures.push({ name: 'uses', report: result.perUse, title: `${manifest.preset}: per use, ${result.source}` });
  }
  if (options.data !== undefined) {
    if (manifest.featureSet !== 'paper' || predictor.rowOutputs === null) throw new UsageError(`--data holds published-format rows; this model reads "${manifest.featureSet}" features`);
    const rows = dataFromPaperCsv(options.data);
    const predicted = argmaxRows(predictor.rowOutputs(rows.values, rows.rows), manifest.classes.length);
    const report = classificationReport(Array.from(rows.labels), predicted, manifest.classes);
    json.rows = { source: options.data, report };
    text.push(renderEvaluationText({ title: `${manifest.preset} on ${options.data}`, report }));
    figures.push({ name: 'rows', report, title: `${manifest.preset}: per row, ${options.data}` });
  }
  if (options.scenarios !== undefined) {
    const scenarios = evaluateScenarios(predictor, options.scenarios);
    json.scenarios = scenarios;
    text.push(renderEvaluationText({ title: `${manifest.preset} on the paper's 8 scenarios (${options.scenarios})`, report: scenarios.report, scenarios: scenarios.scenarios }));
    figures.push({ name: 'scenarios', report: scenarios.report, title: `${manifest.preset}: the 8 test scenarios` });
    if (options.out !== undefined) {
      const { renderPredictionChart } = await import('../report/prediction-chart.js');
      const items = scenarios.scenarios.map((s) => ({ label: s.label, expected: s.expected, predicted: s.predicted }));
      const title = `${manifest.preset}: predicted vs expected, 8 test scenarios`;
      mkdirSync(options.out, { recursive: true });
      writeFileSync(join(options.out, 'scenarios-predicted-vs-expected.svg'), await renderPredictionChart(items, { format: 'svg', title, classes: manifest.classes.slice(0, 5) }));
      writeFileSync(join(options.out, 'scenarios-predicted-vs-expected.png'), await renderPredictionChart(items, { format: 'png', title, classes: manifest.classes.slice(0, 5) }));
    }
  }
  if (options.out !== undefined) {
    const { renderConfusion } = await import('../report/confusion-plot.js');
    mkdirSync(options.out, { recursive: true });
    for (const f of figures) {
      for (const normalised of [false, true]) {
        const base = join(options.out, `confusion-${f.name}${normalised ? '-normalised' : ''}`);
        writeFileSync(`${base}.csv`, confusionCsv(f.report, normalised));
        writeFileSync(`${base}.svg`, await renderConfusion(f.report, { format: 'svg', normalised, title: f.title }));
        writeFileSync(`${base}.png`, await renderConfusion(f.report, { format: 'png', normalised, title: f.title }));
      }
    }
    writeFileSync(join(options.out, 'evaluation.json'), JSON.stringify(json, null, 2) + '\n');
    writeFileSync(join(options.out, 'evaluation.txt'), text.join('\n'));
  }
  sink.write(options.json ? JSON.stringify(json, null, 2) + '\n' : text.join('\n') + (options.out ? `\nfigures and CSV written to ${options.out}\n` : ''));
  await sink.end();
}
