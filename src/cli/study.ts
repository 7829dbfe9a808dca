/**
 * `peephole study`: the main job, end to end on built-in simulated data (study/run-study.ts says
 * what it does). Writes study.txt beside what the study wrote and prints it; on a terminal, says on
 * stderr as each stage ends how long it took.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderStudyText } from '../report/study-text.js';
import { runStudy } from '../study/run-study.js';
import { STUDY_STAGES, type StudyStage } from '../study/settings.js';
import { TextSink } from './output.js';

export interface StudyCommandOptions {
  out: string;
  seed: number;
  days: number;
  quick: boolean;
}

export async function studyCommand(options: StudyCommandOptions): Promise<void> {
  const onStage = process.stderr.isTTY
    ? (stage: StudyStage, seconds: number): void => {
        const does = STUDY_STAGES.find((s) => s.name === stage)?.does ?? stage;
        process.stderr.write(`study: ${does} took ${seconds.toFixed(1)} s\n`);
      }
    : undefined;
  const result = await runStudy({ ...options, onStage });
  const text = renderStudyText(result);
  writeFileSync(join(options.out, 'study.txt'), text);
  const sink = new TextSink();
  sink.write(text);
  await sink.end();
}
