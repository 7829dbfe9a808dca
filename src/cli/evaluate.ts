/**
 * `peephole evaluate --model DIR`: scores a trained model (or the rules preset) on labelled data: a
 * simulated home (`--home`), a `peephole simulate` folder (`--sim`), the published CSV (`--data`),
 * and/or the paper's 8 scenarios (`--scenarios`, a `peephole simulate --preset paper` folder). Prints
 * a text report; with `--out DIR` also writes the confusion matrices (CSV, SVG, PNG, raw and
 * normalised), the scenario chart (the paper's Figure 6) and the report as JSON.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import type { ModelManifest } from '../attack/model-files.js';
import type { ModelPredictor } from '../attack/predictor.js';
import { InputError, UsageError } from './errors.js';
import { TextSink } from './output.js';
import { bundledModelDir } from './train.js';

export interface EvaluateCommandOptions {
  /** The model folder; the bundled model when not given. */
  model?: string;
  /** A labelled home: its events CSV and its labels CSV (both or neither). */
  events?: string;
  labels?: string;
  /** Minutes; the labelled home is scored at 15 and 30 when not given. */
  tolerance?: number;
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
  const labelled = options.events !== undefined || options.labels !== undefined;
  if (labelled && (options.events === undefined || options.labels === undefined)) throw new UsageError('--events and --labels go together: the uses of a labelled home and its true activities');
  if (labelled && given > 0) throw new UsageError('--events/--labels score a labelled home on their own; evaluate --home, --sim, --data or --scenarios in another run');
  if (!labelled && options.tolerance !== undefined) throw new UsageError('--tolerance applies to a labelled home (--events with --labels)');
  if (!labelled && given === 0) throw new UsageError('say what to evaluate on: --events with --labels, --home NAME, --sim DIR, --data rows.csv and/or --scenarios DIR');
  const dir = options.model ?? bundledModelDir();
  if (options.model === undefined && !existsSync(join(dir, 'peephole-model.json'))) {
    throw new InputError(`no model given and the bundled model is not built (${dir}); build it once with: peephole train --bundled`);
  }
  const { loadPredictor } = await import('../attack/predictor.js');
  const model = { dir, ...(await loadPredictor(dir, { sha256: options.modelSha256 })) };
  if (labelled) return evaluateLabelled(model, options.events!, options.labels!, options);
  const { evaluateModel, readsPaperRows } = await import('../attack/model-evaluation.js');
  const { modelEvaluationFigures, modelEvaluationJson, modelEvaluationText } = await import('../report/model-evaluation-text.js');
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

/** `--events E --labels L`: the labelled home scored on the timeline, its confusion and both days side by side. */
async function evaluateLabelled(
  model: { readonly dir: string; readonly predictor: ModelPredictor; readonly manifest: ModelManifest; readonly sha256: string },
  events: string,
  labels: string,
  options: EvaluateCommandOptions,
): Promise<void> {
  const { readLabelledHome } = await import('../attack/labelled-home.js');
  const { DEFAULT_LABELLED_TOLERANCES_US, evaluateLabelledHome } = await import('../attack/evaluate-labelled.js');
  const { labelledEvaluationJson, labelledEvaluationText, confusionCsv } = await import('../report/labelled-evaluation-text.js');
  const tolerances = options.tolerance === undefined ? DEFAULT_LABELLED_TOLERANCES_US : [options.tolerance * 60e6];
  const result = evaluateLabelledHome(model.predictor, readLabelledHome(events, labels), tolerances);
  const described = { dir: model.dir, preset: model.manifest.preset, featureSet: model.manifest.featureSet, sha256: model.sha256 };
  const text = labelledEvaluationText(result, described);
  const json = labelledEvaluationJson(result, described);
  if (options.out !== undefined) {
    mkdirSync(options.out, { recursive: true });
    writeFileSync(join(options.out, 'evaluation.txt'), text);
    writeFileSync(join(options.out, 'evaluation.json'), JSON.stringify(json, null, 2) + '\n');
    for (const s of result.scores) writeFileSync(join(options.out, `confusion-timeline-${s.match.toleranceUs / 60e6}min.csv`), confusionCsv(s.confusion));
  }
  const sink = new TextSink();
  sink.write(options.json ? JSON.stringify(json, null, 2) + '\n' : text + (options.out ? `\nreport and confusion CSVs written to ${options.out}\n` : ''));
  await sink.end();
}
