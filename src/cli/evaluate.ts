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
  /** The digest the model folder must have (64 hex digits, lower case). */
  modelSha256?: string;
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
  const { evaluateModel, readsPaperRows } = await import('../attack/model-evaluation.js');
  const { modelEvaluationFigures, modelEvaluationJson, modelEvaluationText } = await import('../report/model-evaluation-text.js');
  const model = { dir: options.model, ...(await loadPredictor(options.model, { sha256: options.modelSha256 })) };
  if (options.data !== undefined && !readsPaperRows(model)) throw new UsageError(`--data holds published-format rows; this model reads "${model.manifest.featureSet}" features`);
  const result = evaluateModel(model, options);
  const json = modelEvaluationJson(result);
  const text = modelEvaluationText(result);
  if (options.out !== undefined) {
    mkdirSync(options.out, { recursive: true });
    for (const f of await modelEvaluationFigures(result)) writeFileSync(join(options.out, f.name), f.content);
    writeFileSync(join(options.out, 'evaluation.json'), JSON.stringify(json, null, 2) + '\n');
    writeFileSync(join(options.out, 'evaluation.txt'), text);
  }
  const sink = new TextSink();
  sink.write(options.json ? JSON.stringify(json, null, 2) + '\n' : text + (options.out ? `\nfigures and CSV written to ${options.out}\n` : ''));
  await sink.end();
}
