/**
 * The observers on defended captures (captured.ts): what `peephole attack` would make of the capture a
 * defended home writes, rather than of a model of it. Used where the uses-level shortcut is not
 * faithful (a shaping tunnel, a tunnel, padding, delaying: what use detection still finds, on which
 * device and of which kind, is decided by the bytes), and for the size-aware observer of every
 * strategy that adds cover.
 *
 * A record of many days is written in chunks of at most a week (the frame defences hold a capture in
 * memory; a shaping tunnel at a high rate writes millions of frames a day): chunk k is the home's life
 * under seed `seed + k`, moved k weeks later, so that the chunks follow one another with their weekdays
 * kept.
 *
 * The size-aware observer (Engelberg and Wool, arXiv 2110.11188: an observer who knows the defence
 * tells cover-only windows from real activity from packet-size distributions) first learns, from
 * defended days labelled with the truth, which detected uses no resident caused (cover, or background
 * the detector took for a use) from the timing and context the aware observer reads (the extended
 * features) and from each burst's sizes: its bytes, packets, mean packet size, length and direction.
 * It sets those aside (with both sides weighed equally: see `fitSizeFilter`) and the naive observer
 * reads what is left.
 */
import { fitPreset, type ActivityPredictor, type TrainingData } from '../../attack/index.js';
import { normalise } from '../../attack/scaler.js';
import { isActivity } from '../../core/activities.js';
import type { DeviceUse } from '../../core/device-use.js';
import type { TimedActivity } from '../../evaluate/timeline-match.js';
import { featureSet, NONE_CLASS } from '../../features/feature-set.js';
import type { HomeSpec } from '../../home/spec.js';
import { DenseForward } from '../../model/dense-predict.js';
import type { DeviceUsage } from '../../uses/index.js';
import { DAY_US, type Defence } from '../strategy.js';
import { capturedLife, type CapturedUse } from './captured.js';
import { fitObserver, MAX_OBSERVER_ROWS, thinRows, timelineF1, type ObserverSettings } from './observers.js';

const WEEK_US = 7 * DAY_US;

/** Days written in one capture at most. */
export const CHUNK_DAYS = 7;

/** A record of days written and read back (captured.ts), chunks one after the other. */
export interface CapturedRecord {
  readonly events: readonly CapturedUse[];
  readonly activities: readonly TimedActivity[];
  /** The devices the detection told apart in the first chunk. */
  readonly devices: readonly DeviceUsage[];
  /** Of those, the ones its identification named by what they said (DNS questions, TLS server names). */
  readonly namedByNames: number;
  readonly frames: number;
  readonly days: number;
}

export interface CapturedRecordOptions {
  readonly spec: HomeSpec;
  readonly source: string;
  readonly days: number;
  readonly seed: number;
  /** A new defence for each chunk (null: as lived). */
  readonly defence: () => Defence | null;
  readonly work: string;
  /** Days a capture holds at most (default {@link CHUNK_DAYS}; fewer for a shaping tunnel at a high rate). */
  readonly chunkDays?: number;
}

export async function capturedRecord(options: CapturedRecordOptions): Promise<CapturedRecord> {
  const chunk = Math.max(1, Math.min(CHUNK_DAYS, options.chunkDays ?? CHUNK_DAYS));
  const events: CapturedUse[] = [];
  const activities: TimedActivity[] = [];
  let devices: readonly DeviceUsage[] = [];
  let namedByNames = 0;
  let frames = 0;
  for (let k = 0, done = 0; done < options.days; k++, done += chunk) {
    const days = Math.min(chunk, options.days - done);
    const life = await capturedLife({ spec: options.spec, source: options.source, days, seed: options.seed + k, defence: options.defence(), work: options.work, identify: k === 0 });
    const shift = k * WEEK_US;
    for (const e of life.events) events.push(shift === 0 ? e : { ...e, timeUs: e.timeUs + shift });
    for (const a of life.activities) activities.push(shift === 0 ? a : { ...a, timeUs: a.timeUs + shift });
    if (k === 0) {
      devices = life.devices;
      namedByNames = life.namedByNames ?? 0;
    }
    frames += life.frames;
  }
  // A chunk's last uses may spill past its last midnight, over the next chunk's first.
  events.sort((a, b) => a.timeUs - b.timeUs);
  activities.sort((a, b) => a.timeUs - b.timeUs);
  return { events, activities, devices, namedByNames, frames, days: options.days };
}

/** The size columns the size-aware observer adds to the extended features of a use. */
export const SIZE_COLUMNS = ['log_bytes', 'log_packets', 'log_mean_packet', 'log_duration_ms', 'up', 'down'] as const;

function sizeValues(u: CapturedUse): number[] {
  return [Math.log1p(u.bytes), Math.log1p(u.packets), Math.log1p(u.bytes / Math.max(1, u.packets)), Math.log1p(u.durationUs / 1e3), u.direction === 'up' ? 1 : 0, u.direction === 'down' ? 1 : 0];
}

/** The extended features of each use with its sizes after them, and the row each use has (-1: none). */
function sizedRows(events: readonly CapturedUse[]): { values: Float32Array; width: number; rowOf: Int32Array } {
  const fs = featureSet('extended');
  const rows = fs.rows(events.map((e) => ({ timeUs: e.timeUs, device: e.device, kind: e.kind })));
  const width = rows.width + SIZE_COLUMNS.length;
  const n = rows.eventIndex.length;
  const values = new Float32Array(n * width);
  const rowOf = new Int32Array(events.length).fill(-1);
  for (let r = 0; r < n; r++) {
    values.set(rows.values.subarray(r * rows.width, (r + 1) * rows.width), r * width);
    values.set(sizeValues(events[rows.eventIndex[r]]), r * width + rows.width);
    rowOf[rows.eventIndex[r]] = r;
  }
  return { values, width, rowOf };
}

/** A use no resident caused: cover, or background. */
function unlived(u: DeviceUse): boolean {
  return u.cause === undefined || !isActivity(u.cause);
}

/** The size-aware observer's first stage. */
export interface SizeFilter {
  /** p(no resident caused it) for each use. */
  pUnlived(events: readonly CapturedUse[]): Float32Array;
  /** The share of its training uses no resident caused: a use is set aside when p(unlived) is above it. */
  readonly threshold: number;
  /** The uses it takes for real, in order. */
  keep(events: readonly CapturedUse[]): CapturedUse[];
}

/** The size filter learnt from defended, labelled captured uses; null when they hold only one side to learn. */
export async function fitSizeFilter(defended: readonly CapturedUse[], settings: ObserverSettings): Promise<SizeFilter | null> {
  const lived = defended.filter((u) => !unlived(u)).length;
  if (lived === 0 || lived === defended.length || defended.length < 5) return null;
  const { values, width, rowOf } = sizedRows(defended);
  const rows = values.length / width;
  const labels = new Int32Array(rows);
  defended.forEach((u, i) => {
    if (rowOf[i] >= 0) labels[rowOf[i]] = unlived(u) ? NONE_CLASS : 0;
  });
  // The dense preset's network, on the extended columns and the sizes (its six classes, two used).
  const data: TrainingData = { featureSet: 'extended', values, width, labels, rows, source: 'defended captured uses, lived or not' };
  const model = await fitPreset(thinRows(data, settings.maxRows ?? MAX_OBSERVER_ROWS), { preset: 'dense', epochs: settings.epochs, seed: settings.seed });
  const norm = model.manifest.normalisation!;
  const network = new DenseForward(model.dense!);
  const classes = model.manifest.classes.length;
  const pUnlived = (events: readonly CapturedUse[]): Float32Array => {
    const r = sizedRows(events);
    const n = r.values.length / r.width;
    const out = network.predict({ data: normalise(r.values, r.width, norm), rows: n, columns: r.width }).data;
    const p = new Float32Array(events.length).fill(0.5);
    for (let i = 0; i < events.length; i++) if (r.rowOf[i] >= 0) p[i] = out[r.rowOf[i] * classes + NONE_CLASS];
    return p;
  };
  // The decision with both sides given equal weight: the network's p(unlived) carries the training
  // share of unlived uses as its prior, and where cover outnumbers real uses twenty to one (inject
  // every 15 min) a cut at 0.5 set every use aside (macro-F1 0.000 on the family home).
  const threshold = 1 - lived / defended.length;
  return {
    pUnlived,
    threshold,
    keep(events) {
      const p = pUnlived(events);
      return events.filter((_, i) => p[i] <= threshold);
    },
  };
}

/**
 * How well a size filter tells cover from real on `events`: the balanced accuracy (the mean of the
 * share of cover it sets aside and the share of activity uses it keeps) over the uses that are one or
 * the other; null without both.
 */
export function coverToldApart(filter: SizeFilter, events: readonly CapturedUse[]): number | null {
  const p = filter.pUnlived(events);
  let cover = 0;
  let coverCaught = 0;
  let real = 0;
  let realKept = 0;
  events.forEach((u, i) => {
    if (u.cause === 'cover') {
      cover++;
      if (p[i] > filter.threshold) coverCaught++;
    } else if (u.cause !== undefined && isActivity(u.cause)) {
      real++;
      if (p[i] <= filter.threshold) realKept++;
    }
  });
  if (cover === 0 || real === 0) return null;
  return (coverCaught / cover + realKept / real) / 2;
}

/** The naive observer of captures: the preset fitted on the home's undefended record, read back. */
export async function fitCapturedObserver(record: CapturedRecord, settings: ObserverSettings, source: string): Promise<ActivityPredictor | null> {
  return record.events.length >= 2 ? fitObserver(record.events, settings, source) : null;
}

/** Timeline macro-F1 of `predictor` on a record (0 without a predictor or without uses). */
export function recordF1(predictor: ActivityPredictor | null, events: readonly DeviceUse[], record: Pick<CapturedRecord, 'activities'>, toleranceUs: number): number {
  return predictor === null || events.length === 0 ? 0 : timelineF1(predictor, events, record.activities, toleranceUs);
}
