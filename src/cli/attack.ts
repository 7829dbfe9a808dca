/**
 * `peephole attack INPUT`: the residents' day as an observer infers it, from a capture (its device
 * uses are found by uses/) or from an events CSV (`time,device,kind`), with a trained model
 * (`--model`, or the bundled one). The uses are predicted and the day written a block at a time, so
 * memory does not follow the number of uses (attack/use-stream.ts); an events CSV is read a piece
 * at a time, twice (once to check and count it: the first line says how many uses it has).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from './errors.js';
import { TextSink } from './output.js';
import { bundledModelDir } from './train.js';
import { visibleControls } from '../core/table-format.js';
import type { CaptureSummary } from '../capture/reader.js';
import type { DeviceUse } from '../core/device-use.js';
import { reportReaderDamage } from './source.js';
import { BadInputError } from '../core/bad-input-error.js';
import type { OutOfTimePackets } from '../uses/detect-usage.js';
import type { ResidentEstimate } from '../attack/resident-estimate.js';
import type { TimelineEntry } from '../attack/episodes.js';

/** The number of residents a structured day is read with, and why: given, or estimated and from what. */
interface ResidentsRead {
  residents: number;
  basis: string;
  probabilities?: readonly number[];
}

export interface AttackCommandOptions {
  model?: string;
  /** What the user knows of the devices (as `peephole devices --known`): sets a device's kind. */
  known?: string;
  /** The digest the model folder must have (64 hex digits, lower case). */
  modelSha256?: string;
  /**
   * How many residents the home has (the structured preset reads each), or 'auto' (the default):
   * estimated from the uses (attack/resident-estimate.ts), on the first block of days read.
   */
  residents?: number | 'auto';
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
  const { loadPredictor } = await import('../attack/predictor.js');
  const { inferDay } = await import('../attack/use-stream.js');
  const { InferredDayJsonText, inferredDayHeader, inferredDayRow, NO_ACTIVITY_LINE } = await import('../report/inferred-day.js');
  const loaded = await loadPredictor(modelDir, { sha256: options.modelSha256 });
  const { manifest, sha256 } = loaded;
  let predictor: typeof loaded.predictor = loaded.predictor;
  const residents = options.residents ?? 'auto';
  const { StructuredPreset } = await import('../attack/structured-preset.js');
  const { estimateBasis } = await import('../attack/resident-estimate.js');
  /** What the day is read with, in words (structured preset only), known once the first block is decoded. */
  let residentsRead: ResidentsRead | null = null;
  if (predictor instanceof StructuredPreset) {
    if (residents !== 'auto') residentsRead = { residents, basis: `given (--residents ${residents})` };
    // A folder built before the count decoder reads several residents by more-residents.ts, the weaker reading: say so.
    if (predictor.params.residentRates === undefined && residents !== 1) {
      process.stderr.write(`peephole attack: warning: ${modelDir} was built before residents were counted (no residentRates in its structure.json): several residents are read by the older, weaker layer; rebuild it with: peephole train --bundled\n`);
    }
    const onEstimate = (e: ResidentEstimate): void => {
      residentsRead = { residents: e.residents, basis: `estimated from the uses: ${estimateBasis(e)}`, ...(e.probabilities.length > 0 ? { probabilities: e.probabilities } : {}) };
    };
    predictor = Object.assign(new StructuredPreset(predictor.params, residents, { hold: true, onEstimate }), { rowOutputs: null });
  } else if (residents !== 'auto' && residents > 1) {
    throw new InputError(`--residents ${residents}: only the structured preset reads several residents, and ${modelDir} holds the ${manifest.preset} preset`);
  }
  let uses: Iterable<DeviceUse>;
  let count: number;
  let what: string;
  let capture: CaptureSummary | null = null;
  let outOfTime: OutOfTimePackets | null = null;
  if (isEventsCsv(input)) {
    // Read twice, a piece at a time: once to check it and count, then for the uses.
    const { eventsCsvUses, scanEventsCsv } = await import('../attack/events-csv.js');
    const scan = scanEventsCsv(input);
    uses = eventsCsvUses(scan);
    count = scan.uses;
    const unknown = [...scan.unknownKinds].map(([k, n]) => `${visibleControls(k)} ×${n}`).join(', ');
    what = `${count} uses from ${input}${unknown ? ` (kinds read as other: ${unknown})` : ''}`;
  } else {
    const { detectUsage } = await import('../uses/index.js');
    const { defaultVendorRules } = await import('../observe/vendor-rules.js');
    const { registeredVendorLookup } = await import('../observe/oui.js');
    const { knownDevicesOption } = await import('./known-devices-option.js');
    const known = knownDevicesOption(options.known);
    const detected = await detectUsage(input, { rules: defaultVendorRules(), oui: registeredVendorLookup(), known, task: 'attack' });
    uses = detected.events;
    outOfTime = detected.outOfTime;
    count = detected.events.length;
    capture = detected.capture;
    what = `${count} uses found in ${input === '-' ? 'stdin' : input} (${detected.devices.length} devices)`;
  }
  // Only when, which device and what kind reach the model: labels a CSV may carry are not given to it.
  const bare = mapUses(uses, (e) => ({ timeUs: e.timeUs, device: e.device, kind: e.kind }));
  const sink = new TextSink();
  // The day is written as its activities are inferred, a block of uses at a time (attack/use-stream.ts).
  // The first block is decoded before anything is written: the number of residents read is known then.
  const blocks = inferDay(predictor, bare)[Symbol.iterator]();
  const first = blocks.next();
  const days = function* (): Generator<TimelineEntry[]> {
    if (first.done !== true) yield first.value;
    for (let next = blocks.next(); next.done !== true; next = blocks.next()) yield next.value;
  };
  // Set by onEstimate while the first block was decoded: the compiler cannot see that through the callback.
  const read = residentsRead as ResidentsRead | null;
  if (options.json) {
    const model = { dir: modelDir, preset: manifest.preset, featureSet: manifest.featureSet, sha256 };
    const json = new InferredDayJsonText({ input, model, uses: count, ...(read !== null ? { residents: read } : {}) });
    await sink.write(json.open());
    for (const activities of days()) for (const a of activities) await sink.write(json.item(a));
    await sink.write(json.close());
  } else {
    const textOptions = { timeWidth: 17 };
    const residentsLine = read === null ? '' : `residents: ${read.residents}, ${read.basis}\n`;
    await sink.write(`peephole attack: ${visibleControls(what)}; model ${manifest.preset} (${visibleControls(modelDir)}, sha256 ${sha256})\n${residentsLine}\n${inferredDayHeader(textOptions)}\n`);
    let any = false;
    for (const activities of days()) {
      for (const a of activities) {
        any = true;
        await sink.write(`${inferredDayRow(a, textOptions)}\n`);
      }
    }
    if (!any) await sink.write(`${NO_ACTIVITY_LINE}\n`);
  }
  await sink.end();
  // A capture cut short or damaged: the day from what could be read is printed, then the damage (exit 1).
  if (capture !== null) reportReaderDamage(capture);
  if (outOfTime !== null && outOfTime.first !== null) {
    const { first } = outOfTime;
    const file = input === '-' ? 'stdin' : input;
    throw new BadInputError(
      `${visibleControls(file)}: ${outOfTime.packets} packet(s) with a time the attack cannot place (before 1970 or after 2112-09-17) left out of the uses; the first, packet ${first.frame} at offset ${first.offset}, at ${first.time.toFixed(0)} s since the epoch`,
      { file, offset: first.offset },
    );
  }
}

function* mapUses<T, U>(items: Iterable<T>, f: (item: T) => U): Generator<U> {
  for (const item of items) yield f(item);
}
