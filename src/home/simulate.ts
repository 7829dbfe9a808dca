/**
 * `peephole simulate` as a library: lives a home's days from its spec and writes, streaming, one day
 * at a time (a year stays in bounded memory):
 *
 * - `activities.csv`: `time,time_epoch,resident,activity,activity_id`, the ground truth (class ids 0..4
 *   as published);
 * - `events.csv`: `time,time_epoch,device,kind,action,cause,resident`, every device use, `cause` the
 *   activity behind it, `noise`, or `cover` (a use a defence's use transform made);
 * - `capture.pcapng` or `capture.pcap`: the home's traffic as seen from the chosen vantage.
 *
 * The chain: life → the use transform (a day's uses) → each device's traffic → the packet transform
 * (each device packet) → the vantage → the capture (seams.ts; by default neither transform is there).
 *
 * Same spec and seed give byte-identical files: the pcapng section header carries no host details.
 */
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { PcapWriter } from '../capture/pcap-writer.js';
import { PcapngWriter } from '../capture/pcapng-writer.js';
import type { CaptureWriter } from '../capture/capture-writer.js';
import { csvCell } from '../core/table-format.js';
import { LineFile } from './line-file.js';
import { simulateLife } from './life.js';
import type { HomeSpec } from './spec.js';
import { HomeTrafficWriter, linkTypeFor } from './traffic/index.js';
import { activityId } from '../core/activities.js';
import { activeUseTransform, UseSeam, type Seams } from './seams.js';
import { type ActivityRecord, type DayOfLife, type SimulatedUse } from './types.js';
import type { Vantage, CaptureFormat } from '../core/vantage.js';

export interface SimulateOptions {
  readonly spec: HomeSpec;
  /** Where the spec came from (a path or a built-in name), for error messages. */
  readonly source: string;
  readonly days: number;
  readonly seed: number;
  readonly out: string;
  readonly vantage: Vantage;
  /** The capture's format, or null for no capture (the CSV files only). */
  readonly format: CaptureFormat | null;
  /** Called after each day (for progress). */
  readonly onDay?: (daysDone: number) => void;
  /** What a defence changes (seams.ts): the uses, day by day, and the device packets. Default: nothing. */
  readonly seams?: Seams;
}

export interface SimulateResult {
  readonly days: number;
  readonly activities: number;
  readonly events: number;
  readonly packets: number;
  readonly captureBytes: number;
  readonly files: { readonly activities: string; readonly events: string; readonly capture: string | null };
}

export const ACTIVITIES_CSV_HEADER = 'time,time_epoch,resident,activity,activity_id';
export const EVENTS_CSV_HEADER = 'time,time_epoch,device,kind,action,cause,resident';

/** The ISO 8601 UTC time (millisecond precision) and the epoch seconds (microseconds) of a time in µs. */
export function timeCells(timeUs: number): string {
  return `${new Date(Math.floor(timeUs / 1000)).toISOString()},${(timeUs / 1e6).toFixed(6)}`;
}

export function activityCsvLine(a: ActivityRecord): string {
  return `${timeCells(a.timeUs)},${csvCell(a.resident)},${a.activity},${activityId(a.activity)}`;
}

export function eventCsvLine(e: SimulatedUse): string {
  return `${timeCells(e.timeUs)},${csvCell(e.device)},${e.kind},${csvCell(e.action)},${e.cause},${csvCell(e.resident)}`;
}

/** Simulates `days` days of the home and writes the files; see the module comment. */
export function simulateHome(options: SimulateOptions): SimulateResult {
  mkdirSync(options.out, { recursive: true });
  const activitiesPath = join(options.out, 'activities.csv');
  const eventsPath = join(options.out, 'events.csv');
  const capturePath = options.format === null ? null : join(options.out, `capture.${options.format}`);
  const activities = new LineFile(activitiesPath, ACTIVITIES_CSV_HEADER);
  const events = new LineFile(eventsPath, EVENTS_CSV_HEADER);
  let writer: CaptureWriter | null = null;
  let traffic: HomeTrafficWriter | null = null;
  let days = 0;
  const useTransform = activeUseTransform(options.seams);
  const uses = useTransform === null ? null : new UseSeam(useTransform, options.spec, options.seed);
  try {
    for (const lived of simulateLife(options.spec, { days: options.days, seed: options.seed })) {
      const day = uses === null ? lived : uses.day(lived);
      if (capturePath !== null && traffic === null) {
        writer = openCapture(capturePath, options.format!, options.vantage, options.spec.name);
        traffic = new HomeTrafficWriter({
          source: options.source,
          devices: options.spec.devices,
          network: options.spec.network,
          vantage: options.vantage,
          seed: options.seed,
          sink: writer,
          startUs: day.dayStartUs,
          packets: options.seams?.packets,
        });
      }
      writeDay(day, activities, events);
      traffic?.writeDay(day);
      days++;
      options.onDay?.(days);
    }
    traffic?.finish();
  } finally {
    activities.close();
    events.close();
    writer?.close();
  }
  return {
    days,
    activities: activities.lines,
    events: events.lines,
    packets: writer?.packetsWritten ?? 0,
    captureBytes: writer?.bytesWritten ?? 0,
    files: { activities: activitiesPath, events: eventsPath, capture: capturePath },
  };
}

function writeDay(day: DayOfLife, activities: LineFile, events: LineFile): void {
  for (const a of day.activities) activities.line(activityCsvLine(a));
  for (const e of day.events) events.line(eventCsvLine(e));
}

/** A capture writer for the vantage's link type; the interface is named after the observer's place. */
export function openCapture(path: string, format: CaptureFormat, vantage: Vantage, home: string): CaptureWriter {
  const linkType = linkTypeFor(vantage);
  if (format === 'pcap') return new PcapWriter({ to: path, linkType });
  const name = { lan: 'home-router-lan', wan: 'isp-side-wan', wifi: 'wifi-monitor' }[vantage];
  return new PcapngWriter({ to: path, interfaces: [{ linkType, name, description: `peephole simulated home "${home}", ${vantage} vantage` }] });
}
