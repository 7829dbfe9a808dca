/**
 * `peephole attack INPUT`: the residents' day as an observer infers it, from a capture (its device
 * uses are found by uses/) or from an events CSV (`time,device,kind`), with a trained model
 * (`--model`, or the bundled one).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from './errors.js';
import { TextSink } from './output.js';
import { bundledModelDir } from './train.js';
import { visibleControls } from '../core/table-format.js';
import type { CaptureSummary } from '../capture/reader.js';
import { reportReaderDamage } from './source.js';

export interface AttackCommandOptions {
  model?: string;
  /** The digest the model folder must have (64 hex digits, lower case). */
  modelSha256?: string;
  /** What the user knows of the devices (as `peephole devices --known`): sets a device's kind. */
  known?: string;
  json: boolean;
}

/** True when the input is an events CSV rather than a capture (by name; '-' is a capture on stdin). */
export function isEventsCsv(input: string): boolean {
  return /\.csv$/i.test(input);
}

export async function attackCommand(input: string, options: AttackCommandOptions): Promise<void> {
  const modelDir = options.model ?? bundledModelDir();
  if (options.model === undefined && !existsSync(join(modelDir, 'peephole-model.json'))) {
    throw new InputError(`no model given and the bundled model is not built (${modelDir}); build it once with: peephole train --bundled`);
  }
  const { inferredDay, loadPredictor } = await import('../attack/predictor.js');
  const { inferredDayJson, inferredDayText } = await import('../report/inferred-day.js');
  const { predictor, manifest, sha256 } = await loadPredictor(modelDir, { sha256: options.modelSha256 });
  let events: readonly { timeUs: number; device: string; kind: string }[];
  let what: string;
  let capture: CaptureSummary | null = null;
  if (isEventsCsv(input)) {
    const { readEventsCsv } = await import('../attack/events-csv.js');
    const csv = readEventsCsv(input);
    events = csv.events;
    const unknown = [...csv.unknownKinds].map(([k, n]) => `${visibleControls(k)} ×${n}`).join(', ');
    what = `${events.length} uses from ${input}${unknown ? ` (kinds read as other: ${unknown})` : ''}`;
  } else {
    const { detectUsage } = await import('../uses/index.js');
    const { defaultVendorRules } = await import('../observe/vendor-rules.js');
    const { registeredVendorLookup } = await import('../observe/oui.js');
    const { knownDevicesOption } = await import('./known-devices-option.js');
    const known = knownDevicesOption(options.known);
    const detected = await detectUsage(input, { rules: defaultVendorRules(), oui: registeredVendorLookup(), known, task: 'attack' });
    events = detected.events;
    capture = detected.capture;
    what = `${events.length} uses found in ${input === '-' ? 'stdin' : input} (${detected.devices.length} devices)`;
  }
  // Only when, which device and what kind reach the model: labels a CSV may carry are not given to it.
  const uses = events.map((e) => ({ timeUs: e.timeUs, device: e.device, kind: e.kind }));
  const timeline = inferredDay(predictor, uses);
  const sink = new TextSink();
  if (options.json) {
    const model = { dir: modelDir, preset: manifest.preset, featureSet: manifest.featureSet, sha256 };
    sink.write(JSON.stringify({ input, model, uses: events.length, activities: inferredDayJson(timeline) }, null, 2) + '\n');
  } else {
    sink.write(`peephole attack: ${what}; model ${manifest.preset} (${modelDir}, sha256 ${sha256})\n\n${inferredDayText(timeline, { timeWidth: 17 })}`);
  }
  await sink.end();
  // A capture cut short or damaged: the day from what could be read is printed, then the damage (exit 1).
  if (capture !== null) reportReaderDamage(capture);
}
