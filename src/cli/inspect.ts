/** `peephole inspect FILE|-`: a capture at a glance, as text or `--json`. */
import { inspectCapture } from '../observe/inspect.js';
import { renderInspectText } from '../report/inspect-text.js';
import { wireJson } from '../core/table-format.js';
import { TextSink } from './output.js';
import { byteProgress } from './progress.js';
import { reportReaderDamage } from './source.js';

export interface InspectCommandOptions {
  json: boolean;
  top: number;
}

export async function inspectCommand(file: string, options: InspectCommandOptions): Promise<void> {
  const progress = byteProgress(file, 'inspect');
  let report;
  try {
    report = await inspectCapture(file, { onProgress: progress.update });
  } finally {
    progress.stop();
  }
  const sink = new TextSink();
  sink.write(options.json ? wireJson(report, 2) + '\n' : renderInspectText(report, options.top));
  await sink.end();
  reportReaderDamage(report.capture);
}
