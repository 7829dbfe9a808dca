/**
 * `peephole study`: the main job, end to end on built-in simulated data (study/run-study.ts says
 * what it does), or with `--capture` the observer's half on a user's own capture
 * (study/run-capture-study.ts). The library writes every file, report.html among them; this prints
 * study.txt (or, for a capture, summary.md) and says on stderr how each stage went: on a terminal a
 * live line for the running stage, then one line per stage with its time (also when not a terminal).
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, UsageError } from './errors.js';
import { TextSink } from './output.js';

export interface StudyCommandOptions {
  out: string;
  seed: number;
  days: number;
  quick: boolean;
  labelled: string[];
  from?: string;
  capture?: string;
  model?: string;
  known?: string;
  /** True when `--out` was given (a capture's report goes elsewhere by default). */
  outGiven: boolean;
  /** True when `--labelled` was given (else the development homes beside peephole, when there). */
  labelledGiven?: boolean;
  /** The options given that only the simulated study takes (refused with `--capture`). */
  studyOnly: string[];
}

/** Where `--capture` writes when no `--out` is given: not over a study's report. */
export const CAPTURE_DEFAULT_OUT = 'out/study-capture';

/** Stage lines on stderr: a live one on a terminal while a stage runs, one line per stage as each ends. */
function stageLines(stages: readonly { readonly name: string; readonly does: string }[]): {
  onStageStart: (stage: string, index: number, total: number) => void;
  onStage: (stage: string, seconds: number, kept: boolean) => void;
  stop: () => void;
} {
  const tty = process.stderr.isTTY === true;
  const does = (stage: string): string => stages.find((s) => s.name === stage)?.does ?? stage;
  let timer: NodeJS.Timeout | undefined;
  const stop = (): void => {
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
  };
  return {
    onStageStart: (stage, index, total) => {
      if (!tty) return;
      const start = Date.now();
      const draw = (): void => {
        process.stderr.write(`\r\x1b[2Kstudy [${index}/${total}] ${does(stage)}… ${Math.floor((Date.now() - start) / 1000)} s`);
      };
      stop();
      draw();
      timer = setInterval(draw, 1000);
      timer.unref();
    },
    onStage: (stage, seconds, kept) => {
      stop();
      if (tty) process.stderr.write('\r\x1b[2K');
      process.stderr.write(kept ? `study: ${does(stage)}: kept from an earlier run (took ${seconds.toFixed(1)} s then)\n` : `study: ${does(stage)} took ${seconds.toFixed(1)} s\n`);
    },
    stop,
  };
}

function kilobytes(path: string): string {
  return `${Math.round(statSync(path).size / 1000)} kB`;
}

export async function studyCommand(options: StudyCommandOptions): Promise<void> {
  if (options.capture !== undefined) return captureCommand(options.capture, options);
  if (options.model !== undefined || options.known !== undefined) throw new UsageError('--model and --known go with --capture FILE');
  const { runStudy } = await import('../study/run-study.js');
  const { STUDY_STAGES } = await import('../study/settings.js');
  const { renderStudyText } = await import('../report/study-text.js');
  const names = STUDY_STAGES.map((s) => s.name);
  const from = options.from;
  if (from !== undefined && !(names as string[]).includes(from)) throw new UsageError(`--from: no stage ${from}; the stages are ${names.join(', ')}`);
  const { developmentHomes } = await import('../study/settings.js');
  const labelled = !options.labelledGiven ? developmentHomes() : options.labelled.filter((d) => d !== 'none');
  if (options.labelledGiven && options.labelled.includes('none') && labelled.length > 0) throw new UsageError('--labelled none: not with other --labelled folders');
  const { loadNativeAddon } = await import('../model/native-addon.js');
  const native = loadNativeAddon();
  if (!native.ok) {
    // `time npm run study` on 2 cores at load 12-14: 19 min 32 s (6 min 2 s of CPU) on WebAssembly, 3 min 47 s (81 s of CPU) on OpenBLAS.
    // The published network alone: 1,344 samples a second on WebAssembly, 10,887 on OpenBLAS.
    process.stderr.write(`study: the fast trainer (OpenBLAS) is not here (${native.reason}): the networks train on WebAssembly, several times slower; bash scripts/setup.sh sets the fast one up\n`);
  }
  const lines = stageLines(STUDY_STAGES);
  let result;
  try {
    result = await runStudy({ out: options.out, seed: options.seed, days: options.days, quick: options.quick, labelled, from: from as (typeof names)[number] | undefined, ...lines });
  } finally {
    lines.stop();
  }
  const report = join(options.out, 'report.html');
  process.stderr.write(`study: wrote ${report} (${kilobytes(report)}), report.json and summary.md\n`);
  const sink = new TextSink();
  sink.write(renderStudyText(result));
  await sink.end();
}

async function captureCommand(capture: string, options: StudyCommandOptions): Promise<void> {
  if (options.studyOnly.length > 0) throw new UsageError(`${options.studyOnly.map((o) => `--${o}`).join(', ')}: not with --capture (they set the simulated study)`);
  const { runCaptureStudy } = await import('../study/run-capture-study.js');
  const { CAPTURE_STAGES } = await import('../study/settings.js');
  const { knownDevicesOption } = await import('./known-devices-option.js');
  const { bundledModelDir } = await import('./train.js');
  const { renderCaptureMarkdown } = await import('../report/study-markdown.js');
  const names = CAPTURE_STAGES.map((s) => s.name);
  const from = options.from;
  if (from !== undefined && !(names as string[]).includes(from)) throw new UsageError(`--from: no stage ${from} with --capture; its stages are ${names.join(', ')}`);
  const model = options.model ?? bundledModelDir();
  if (options.model === undefined && !existsSync(join(model, 'peephole-model.json'))) {
    throw new InputError(`no --model given and the bundled model is not built (${model}); build it once with: peephole train --bundled`);
  }
  const out = options.outGiven ? options.out : CAPTURE_DEFAULT_OUT;
  const known = knownDevicesOption(options.known);
  const lines = stageLines(CAPTURE_STAGES);
  let result;
  try {
    result = await runCaptureStudy({ capture, model, known, knownFile: options.known ?? null, out, from: from as (typeof names)[number] | undefined, ...lines });
  } finally {
    lines.stop();
  }
  const report = join(out, 'report.html');
  process.stderr.write(`study: wrote ${report} (${kilobytes(report)}), report.json and summary.md\n`);
  const sink = new TextSink();
  sink.write(renderCaptureMarkdown(result, statSync(report).size));
  await sink.end();
}
