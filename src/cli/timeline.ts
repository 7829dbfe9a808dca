/**
 * `peephole timeline FILE|- --plot out.png|out.svg [--csv out.csv|-]`: every device's traffic over
 * time, one row per device, as a plot and/or the same series as CSV.
 */
import { writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { deviceTimeline } from '../observe/timeline.js';
import { vendorRulesOption } from './vendor-rules-option.js';
import { registeredVendorLookup } from '../observe/oui.js';
import { timelineToCsv, TimelineBinsError } from '../observe/timeline-series.js';
import { MAX_WIDTH_PX, MIN_WIDTH_PX, renderTimeline } from '../report/timeline-plot.js';
import { UsageError } from './errors.js';
import { TextSink } from './output.js';
import { byteProgress } from './progress.js';
import { reportReaderDamage } from './source.js';

export interface TimelineCommandOptions {
  plot?: string;
  csv?: string;
  binSeconds?: number;
  width?: number;
  title?: string;
  rules?: string;
  devices: string[];
}

export async function timelineCommand(file: string, options: TimelineCommandOptions): Promise<void> {
  if (!options.plot && !options.csv) throw new UsageError('timeline needs --plot out.png|out.svg and/or --csv out.csv|-');
  const format = options.plot ? extname(options.plot).toLowerCase() : '';
  if (options.plot && format !== '.png' && format !== '.svg') throw new UsageError(`--plot writes .png or .svg, not ${JSON.stringify(options.plot)}`);
  if (options.width !== undefined && (options.width < MIN_WIDTH_PX || options.width > MAX_WIDTH_PX)) {
    throw new UsageError(`--width must be a whole number from ${MIN_WIDTH_PX} to ${MAX_WIDTH_PX}, got ${options.width}`);
  }
  const rules = vendorRulesOption(options.rules);
  const oui = registeredVendorLookup();
  const progress = byteProgress(file, 'timeline');
  let result;
  try {
    result = await deviceTimeline(file, { rules, oui, binSeconds: options.binSeconds, devices: options.devices, onProgress: progress.update });
  } catch (error) {
    // A --bin that makes too many bins over this capture's span: the option does not fit the file.
    if (error instanceof TimelineBinsError && error.tooManyBins) throw new UsageError(`--bin ${options.binSeconds}: ${error.message}`);
    throw error;
  } finally {
    progress.stop();
  }
  if (options.plot) {
    const rendered = await renderTimeline(result.series, { format: format === '.png' ? 'png' : 'svg', width: options.width, title: options.title ?? `Traffic of each device: ${file}` });
    writeFileSync(options.plot, rendered);
  }
  if (options.csv) {
    const csv = timelineToCsv(result.series);
    if (options.csv === '-') {
      const sink = new TextSink();
      sink.write(csv);
      await sink.end();
    } else writeFileSync(options.csv, csv);
  }
  if (options.plot && options.csv !== '-' && process.stderr.isTTY) {
    process.stderr.write(`peephole timeline: ${result.series.rows.length} device(s), bins of ${result.series.binSeconds} s -> ${options.plot}${options.csv ? `, ${options.csv}` : ''}\n`);
  }
  reportReaderDamage(result.capture);
}
