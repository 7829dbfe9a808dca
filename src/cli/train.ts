/**
 * `peephole train`: trains an attack preset on the published CSV (`--data`), on simulated homes
 * (`--home`), or builds the bundled model (`--bundled`), and writes the model folder.
 */
import { join } from 'node:path';
import { BUNDLED_MODEL } from '../attack/training-homes.js';
import { packageRoot } from '../core/data-file.js';
import { UsageError } from './errors.js';
import { TextSink } from './output.js';
import { countProgress } from './progress.js';

export interface TrainCommandOptions {
  data?: string;
  home: string[];
  bundled: boolean;
  preset?: string;
  days: number;
  epochs?: number;
  batchSize?: number;
  seed: number;
  backend: 'auto' | 'native' | 'wasm' | 'js';
  out?: string;
  json: boolean;
}

/** Where the bundled model is: `models/bundled` in the package, or $PEEPHOLE_BUNDLED_MODEL when set. */
export function bundledModelDir(): string {
  return process.env.PEEPHOLE_BUNDLED_MODEL || join(packageRoot(), 'models', 'bundled');
}

export async function trainCommand(options: TrainCommandOptions): Promise<void> {
  const { isNetworkPreset, isPresetName, NETWORK_PRESETS, PRESET_NAMES } = await import('../attack/presets.js');
  const { dataFromHomes, dataFromPaperCsv } = await import('../attack/training-data.js');
  const { fitPreset } = await import('../attack/fit-preset.js');
  const { saveFittedModel } = await import('../attack/model-files.js');
  const { renderTrainText } = await import('../report/train-text.js');
  const sources = [options.data !== undefined, options.home.length > 0, options.bundled].filter(Boolean).length;
  if (sources > 1) throw new UsageError('give one of --data, --home and --bundled');
  const presetName = options.preset ?? (options.bundled ? BUNDLED_MODEL.preset : options.data !== undefined ? 'paper' : 'dense');
  if (!isPresetName(presetName)) throw new UsageError(`--preset must be one of ${PRESET_NAMES.join(', ')}, got ${JSON.stringify(presetName)}`);
  if (sources === 0 && presetName !== 'rules') throw new UsageError('say what to train on: --data rows.csv, --home NAME or --bundled');
  const out = options.out ?? (options.bundled ? bundledModelDir() : undefined);
  if (out === undefined) throw new UsageError('--out DIR is needed (where to write the model)');
  const homes = options.bundled ? [...BUNDLED_MODEL.homes] : options.home.flatMap((h) => h.split(',')).filter((h) => h !== '');
  const days = options.bundled ? BUNDLED_MODEL.days : options.days;
  let data = null;
  let lives;
  if (presetName === 'structured') {
    if (options.data !== undefined) throw new UsageError('--data holds rows of the published format; the structured preset learns from homes: use --home or --bundled');
    const { lifeOfHome, randomHomesActivities } = await import('../attack/simulated-life.js');
    const random = BUNDLED_MODEL.randomHomes;
    lives = options.bundled
      ? randomHomesActivities(random.count, random.days, random.firstSeed)
      : { source: `homes ${homes.join(', ')}, ${days} days, seed ${options.seed}`, lives: homes.map((h) => lifeOfHome(h, days, options.seed)) };
  } else if (presetName !== 'rules') {
    const preset = NETWORK_PRESETS[presetName];
    if (options.data !== undefined) {
      if (preset.featureSet !== 'paper') throw new UsageError(`--data reads the published format, which only the paper preset uses (not ${presetName}); use --home for ${presetName}`);
      data = dataFromPaperCsv(options.data);
    } else {
      data = dataFromHomes(homes, preset.featureSet, { days, seed: options.seed });
    }
  }
  if (options.backend === 'native' && isNetworkPreset(presetName)) {
    const { loadNativeAddon } = await import('../model/native-addon.js');
    const native = loadNativeAddon();
    if (!native.ok) throw new UsageError(`--backend native: the OpenBLAS addon is not available here (${native.reason}); use --backend auto`);
  }
  const epochs = options.epochs ?? (isNetworkPreset(presetName) ? NETWORK_PRESETS[presetName].epochs : 0);
  const progress = countProgress(epochs, `training ${presetName}`, 'epochs');
  const tty = process.stderr.isTTY === true;
  let model;
  try {
    model = await fitPreset(data, {
      preset: presetName,
      epochs: options.epochs,
      batchSize: options.batchSize,
      seed: options.seed,
      backend: options.backend,
      lives,
      onEpochEnd: (l) => {
        progress.update(l.epoch + 1);
        if (tty) {
          const val = l.valAcc === null ? '' : `  val_loss ${l.valLoss!.toFixed(4)}  val_acc ${l.valAcc.toFixed(4)}`;
          process.stderr.write(`\repoch ${String(l.epoch + 1).padStart(3)}/${epochs}  loss ${l.loss.toFixed(4)}  acc ${l.acc.toFixed(4)}${val}\x1b[K\n`);
        }
      },
    });
  } finally {
    progress.stop();
  }
  const manifest = await saveFittedModel(out, model);
  const sink = new TextSink();
  sink.write(options.json ? JSON.stringify({ out, manifest, history: model.fit?.history ?? [] }, null, 2) + '\n' : renderTrainText({ out, manifest, fit: model.fit }));
  await sink.end();
}
