/**
 * `runCaptureStudy()`: the observer's half of the study on a user's own capture (a LAN capture: the
 * home's router, one MAC per device). The devices found and named, each one's traffic over time, the
 * device uses found in the encrypted traffic, and the residents' day a trained model (`--model`, or
 * the bundled one) infers from them, each with the observer's own confidence. Nobody told it what
 * happened in that home, so nothing is scored: the report claims no accuracy.
 *
 * Writes under `out`: devices.json, timeline.csv, uses.csv, inferred-day.txt, then report.html,
 * report.json and summary.md; each stage's result is kept in `stages/` so `from` can resume.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TimelineEntry } from '../attack/episodes.js';
import { readManifest } from '../attack/model-files.js';
import { inferredDay, loadPredictor } from '../attack/predictor.js';
import { wireJson } from '../core/table-format.js';
import type { KnownDevice } from '../observe/known-devices.js';
import { registeredVendorLookup } from '../observe/oui.js';
import { deviceTimeline } from '../observe/timeline.js';
import { timelineToCsv } from '../observe/timeline-series.js';
import { defaultVendorRules } from '../observe/vendor-rules.js';
import { inferredDayText } from '../report/inferred-day.js';
import { renderCaptureReport } from '../report/study-html.js';
import { renderReportJson } from '../report/study-json.js';
import { renderCaptureMarkdown } from '../report/study-markdown.js';
import type { CaptureDeviceUses } from '../report/study-report-input.js';
import { namedUse, studyUseLabel } from '../report/study-text.js';
import type { DetectedUse } from '../uses/detected-use.js';
import { detectUsage, writeUsageCsv } from '../uses/index.js';
import { madeNow, methodHref } from './made.js';
import type { CaptureStudyResult } from './result.js';
import { CAPTURE_STAGES, type CaptureStage } from './settings.js';
import { StageRunner, type StageEvents } from './stage-runner.js';

export interface CaptureStudyOptions extends StageEvents<CaptureStage> {
  /** The capture file (pcap or pcapng, optionally gzip-compressed). */
  readonly capture: string;
  /** The model folder that infers the residents' day. */
  readonly model: string;
  /** What the user knows of the devices (`--known`), and the file it came from (null: none). */
  readonly known: readonly KnownDevice[];
  readonly knownFile: string | null;
  readonly out: string;
  /** The first stage to run; the earlier ones are read back from `out/stages/`. */
  readonly from?: CaptureStage;
}

/** Runs the observer's half on `options.capture` (see the module comment). */
export async function runCaptureStudy(options: CaptureStudyOptions): Promise<CaptureStudyResult> {
  const { out, capture, model } = options;
  mkdirSync(out, { recursive: true });
  const made = madeNow(options.from ?? null);
  const runner = new StageRunner<CaptureStage>(out, CAPTURE_STAGES, { capture, model, known: options.knownFile }, options.from ?? null, options);
  const rules = defaultVendorRules();
  const oui = registeredVendorLookup();
  const manifest = readManifest(model);

  const found = await runner.run('capture-devices', async () => {
    const timeline = await deviceTimeline(capture, { rules, oui, known: options.known, task: 'study --capture' });
    runner.write('report', join(out, 'devices.json'), wireJson({ ...timeline.report, capture: timeline.capture }, 2) + '\n');
    runner.write('figure-data', join(out, 'timeline.csv'), timelineToCsv(timeline.series));
    const c = timeline.capture;
    const devices = timeline.report.devices;
    return {
      capture: {
        file: capture,
        format: c.format,
        linkTypes: c.linkTypes,
        records: c.records,
        bytes: c.bytesRead,
        first: devices.length === 0 ? null : Math.min(...devices.map((d) => d.first)),
        last: devices.length === 0 ? null : Math.max(...devices.map((d) => d.last)),
        vantage: timeline.report.vantage,
        vantageDetected: timeline.report.vantageDetected,
        damagedRecords: c.damaged.records,
      },
      devices,
      devicesNotKept: timeline.report.devicesNotKept,
      traffic: timeline.series,
    };
  });
  const usage = await runner.run('capture-uses', async () => {
    const usage = await detectUsage(capture, { rules, oui, known: options.known, task: 'study --capture' });
    writeUsageCsv(runner.wrote('table', join(out, 'uses.csv')), usage.events);
    const events: DetectedUse[] = usage.events;
    const devices: CaptureDeviceUses[] = usage.devices.map((d) => {
      const own = usage.events.filter((e) => e.device === d.id);
      return {
        id: d.id,
        name: studyUseLabel(d),
        kind: d.kind,
        uses: own.length,
        meanConfidence: own.length === 0 ? null : own.reduce((a, e) => a + e.confidence, 0) / own.length,
      };
    });
    return { events, devices, packetsOutOfTime: usage.outOfTime.packets };
  });
  const day = await runner.run('capture-day', async (): Promise<TimelineEntry[]> => {
    const { predictor } = await loadPredictor(model);
    // Only when, which device and what kind reach the model.
    const uses = usage.events.map((e) => ({ timeUs: e.timeUs, device: e.device, kind: e.kind }));
    const inferred = inferredDay(predictor, uses);
    runner.write('report', join(out, 'inferred-day.txt'), inferredDayText(inferred, { useLabel: namedUse(usage.devices) }));
    return inferred;
  });

  const result: CaptureStudyResult = {
    settings: { out, capture, model, known: options.knownFile },
    made,
    capture: found.capture,
    devices: found.devices,
    devicesNotKept: found.devicesNotKept,
    knownEntries: options.known.length,
    traffic: found.traffic,
    uses: { found: usage.events.length, devices: usage.devices, confidences: usage.events.map((e) => e.confidence), packetsOutOfTime: usage.packetsOutOfTime },
    model: {
      dir: model,
      preset: manifest.preset,
      featureSet: manifest.featureSet,
      classes: manifest.classes,
      trainedOn:
        typeof manifest.training.data === 'string' ? manifest.training.data : manifest.training.learned === false ? 'nothing (fixed rules, no learning)' : 'data its manifest does not name',
    },
    inferred: day,
    deviceNames: usage.devices.map((d) => ({ id: d.id, name: d.name })),
    defences: null,
    files: runner.files,
    stages: runner.stages,
  };
  await runner.run('report', async () => {
    const paths = { html: join(out, 'report.html'), json: join(out, 'report.json'), summary: join(out, 'summary.md') };
    for (const path of Object.values(paths)) runner.wrote('report', path);
    const rendered = await renderCaptureReport(result, { methodHref: methodHref(out) });
    writeFileSync(paths.html, rendered.html);
    writeFileSync(paths.json, renderReportJson('capture', result, rendered.figures));
    writeFileSync(paths.summary, renderCaptureMarkdown(result, Buffer.byteLength(rendered.html)));
  });
  return result;
}
