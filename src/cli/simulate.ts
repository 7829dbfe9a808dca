/**
 * `peephole simulate`: labelled smart-home life as CSV files and a capture (see home/simulate.ts),
 * or, with `--preset paper`, the published training set and test scenarios (home/paper-preset.ts).
 * A random home (`--home random:SEED`, home/random-home.ts) is written beside them as `home.yaml`,
 * so that what was drawn can be read (and lived again with `--home FILE`).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadHomeSpec, randomHomeSeed } from '../home/spec.js';
import { randomHomeYaml } from '../home/random-home.js';
import { simulateHome } from '../home/simulate.js';
import type { CaptureFormat, Vantage } from '../core/vantage.js';
import { dayProgress } from './progress.js';
import { TextSink } from './output.js';

export interface SimulateCommandOptions {
  home: string;
  preset?: 'paper';
  days: number;
  seed: number;
  out: string;
  format: CaptureFormat | 'none';
  vantage: Vantage;
  json: boolean;
}

export async function simulateCommand(options: SimulateCommandOptions): Promise<void> {
  const sink = new TextSink();
  if (options.preset === 'paper') {
    const { writePaperPreset } = await import('../attack/paper-dataset.js');
    const result = writePaperPreset({ out: options.out, seed: options.seed, vantage: options.vantage, format: options.format === 'none' ? 'pcapng' : options.format });
    sink.write(options.json ? JSON.stringify(result, null, 2) + '\n' : renderPreset(result));
    await sink.end();
    return;
  }
  const spec = loadHomeSpec(options.home);
  const progress = dayProgress(options.days, `simulating ${spec.name}`);
  let result;
  try {
    result = simulateHome({
      spec,
      source: options.home,
      days: options.days,
      seed: options.seed,
      out: options.out,
      vantage: options.vantage,
      format: options.format === 'none' ? null : options.format,
      onDay: (n) => progress.update(n),
    });
  } finally {
    progress.stop();
  }
  const homeSeed = randomHomeSeed(options.home);
  let specFile: string | null = null;
  if (homeSeed !== null) {
    specFile = join(options.out, 'home.yaml');
    writeFileSync(specFile, randomHomeYaml(homeSeed));
  }
  if (options.json) {
    sink.write(JSON.stringify({ home: spec.name, seed: options.seed, vantage: options.vantage, ...result, ...(specFile === null ? {} : { spec: specFile }) }, null, 2) + '\n');
  } else {
    sink.write(
      `peephole simulate: ${result.days} day(s) of home "${spec.name}" (seed ${options.seed}, ${options.vantage} vantage)\n` +
        (specFile === null ? '' : `  home        ${specFile} (${spec.description})\n`) +
        `  activities  ${result.files.activities} (${result.activities} rows)\n` +
        `  events      ${result.files.events} (${result.events} rows)\n` +
        (result.files.capture === null
          ? '  capture     none (--format none)\n'
          : `  capture     ${result.files.capture} (${result.packets} packets, ${(result.captureBytes / 1e6).toFixed(1)} MB)\n`),
    );
  }
  await sink.end();
}

function renderPreset(result: import('../attack/paper-dataset.js').PaperPresetResult): string {
  const lines = [
    `peephole simulate --preset paper (seed ${result.seed})`,
    `  training set  ${result.training.path} (${result.training.records} records, published columns + user_activity)`,
    `  scenarios     ${result.scenarios.index} (${result.scenarios.items.length} scenarios, each with events, feature rows and a capture)`,
    ...result.scenarios.items.map((s) => `    ${s.id.padEnd(24)} ${s.activity.padEnd(18)} ${s.time}  ${s.dir}`),
    `  choices       data/paper-choices.md says what the paper leaves open and what was chosen`,
  ];
  return lines.join('\n') + '\n';
}
