/**
 * A device's baseline, learnt from its own bursts (nothing is known of its maker): the shapes it
 * repeats at a period (keep-alives: bursts of one exact shape, see burst.ts, whose times pass
 * {@link detectPeriod}; then, among the other bursts, rough shapes that repeat at a period:
 * keep-alives whose sizes vary, see {@link RoughHeartbeat}), how much data its connection setups carry, and how big
 * its background bursts usually are. One pass over the device's burst summaries; no packets needed.
 *
 * ```ts
 * const baseline = learnBaseline(bursts);
 * baseline.heartbeats[0].periodUs; // 300e6 for a lock's five-minute keep-alive
 * ```
 */
import { emptyBurst, hasRole, shapeKey, type BurstSummary } from './burst.js';
import { BurstCursor, type BurstLog } from './burst-log.js';
import { DEFAULT_MIN_BEATS, detectPeriod, medianInPlace, type PeriodOptions, type Periodicity } from './period.js';
import { PacketRole } from './packet-role.js';

/** A shape the device sends at a period: background. */
export interface HeartbeatShape {
  readonly key: number;
  readonly shape: number;
  readonly dataPackets: number;
  readonly dataBytesUp: number;
  readonly dataBytesDown: number;
  readonly periodUs: number;
  readonly jitterUs: number;
  /** Bursts of this shape, and the share of their gaps that are whole periods. */
  readonly beats: number;
  readonly onBeatShare: number;
}

/**
 * A rough shape: bursts with as many data packets each way, whose data bytes lie in one band (sizes
 * sorted, a band ends where the next size is more than {@link ROUGH_LINK_BYTES} and
 * {@link ROUGH_LINK_SHARE} above the last), and that repeat at a period.
 */
export interface RoughHeartbeat {
  readonly dataPacketsUp: number;
  readonly dataPacketsDown: number;
  readonly minDataBytes: number;
  readonly maxDataBytes: number;
  readonly periodUs: number;
  readonly jitterUs: number;
  readonly beats: number;
}

/** Sizes in one band of a rough shape are at most this many bytes ... */
export const ROUGH_LINK_BYTES = 8;
/** ... or this share apart (whichever is larger) from the next smaller size. */
export const ROUGH_LINK_SHARE = 0.03;

export interface DeviceBaseline {
  readonly bursts: number;
  /** Periodic shapes, most beats first. */
  readonly heartbeats: readonly HeartbeatShape[];
  /** Rough shapes that are periodic among the bursts whose exact shape is not: keep-alives whose sizes vary. */
  readonly roughHeartbeats: readonly RoughHeartbeat[];
  /** Bursts that set a connection up (SYN, TLS handshake), and the median data bytes they carry. */
  readonly setupBursts: number;
  readonly setupDataBytes: number;
  /** Median data bytes of a heartbeat burst, or {@link DEFAULT_BACKGROUND_BYTES} when none was found. */
  readonly backgroundDataBytes: number;
}

export type BaselineOptions = PeriodOptions;

/** Data bytes of a background burst assumed when a device shows no keep-alive: a small TLS record each way. */
export const DEFAULT_BACKGROUND_BYTES = 100;

export function dataBytes(b: Pick<BurstSummary, 'dataBytesUp' | 'dataBytesDown'>): number {
  return b.dataBytesUp + b.dataBytesDown;
}

export function isSetupBurst(b: BurstSummary): boolean {
  return hasRole(b, PacketRole.Setup);
}

function median(values: number[]): number {
  return values.length === 0 ? 0 : medianInPlace(Float64Array.from(values), values.length);
}

/** Slots of learnBaseline()'s cache of shapes (a power of two). */
const SHAPE_SLOTS = 256;

/** The fields of a burst a heartbeat shape reports. */
type ShapeSample = Pick<BurstSummary, 'shape' | 'dataPackets' | 'dataPacketsUp' | 'dataBytesUp' | 'dataBytesDown'>;

/**
 * The bursts of one exact shape (see burst.ts): the first one's fields, where it came among all the
 * bursts, and each one's first data time. The shape is a hash, so two bursts of one shape may still
 * differ (a collision): a member whose packets sent or data bytes are not the first one's is listed
 * in `odd`, with its own, so that the rough shapes are learnt from each burst's own fields.
 */
interface ShapeMembers {
  readonly sample: ShapeSample;
  readonly first: number;
  readonly times: number[];
  odd: { member: number; index: number; dataPacketsUp: number; dataBytes: number }[] | null;
}

/**
 * Learns a device's baseline from all its bursts (in time order), in one pass over them. The bursts
 * may come through one object refilled for each (as a burst log gives them, burst-log.ts): none is
 * kept.
 */
export function learnBaseline(bursts: Iterable<BurstSummary>, options: BaselineOptions = {}): DeviceBaseline {
  const byShape = new Map<number, ShapeMembers>();
  const slotKey = new Float64Array(SHAPE_SLOTS).fill(-1);
  const slotMembers: (ShapeMembers | undefined)[] = new Array<ShapeMembers | undefined>(SHAPE_SLOTS).fill(undefined);
  const setupBytes: number[] = [];
  let count = 0;
  for (const b of bursts) {
    const index = count++;
    if (isSetupBurst(b)) {
      setupBytes.push(dataBytes(b));
      continue;
    }
    if (b.dataPackets === 0) continue;
    const key = shapeKey(b.shape, b.dataPackets);
    // A cache by the shape's low bits (it is a hash) in front of the map, whose keys are numbers
    // above 2^32 (hashed as heap numbers): learnBaseline() of the family home's 30 days, best of 25
    // runs, 78-97 ms with it, 102-103 ms without.
    const slot = b.shape & (SHAPE_SLOTS - 1);
    let c = slotKey[slot] === key ? slotMembers[slot] : byShape.get(key);
    if (c === undefined) {
      const sample = { shape: b.shape, dataPackets: b.dataPackets, dataPacketsUp: b.dataPacketsUp, dataBytesUp: b.dataBytesUp, dataBytesDown: b.dataBytesDown };
      byShape.set(key, (c = { sample, first: index, times: [], odd: null }));
    } else if (b.dataPacketsUp !== c.sample.dataPacketsUp || dataBytes(b) !== dataBytes(c.sample)) {
      (c.odd ??= []).push({ member: c.times.length, index, dataPacketsUp: b.dataPacketsUp, dataBytes: dataBytes(b) });
    }
    c.times.push(b.firstDataUs);
    slotKey[slot] = key;
    slotMembers[slot] = c;
  }
  return baselineOf(count, byShape, setupBytes, options);
}

/**
 * What {@link learnBaselineOfLogs} keeps of the bursts of one tuple of a log (burst-log.ts): the
 * same for each of them. A setup burst's data bytes; else its shape's members and whether it is odd
 * among them (that depends only on its fields and on the shape's first burst, both fixed).
 */
interface TupleRole {
  readonly setup: boolean;
  readonly dataBytes: number;
  readonly dataPacketsUp: number;
  readonly members: ShapeMembers | null;
  readonly odd: boolean;
}

/**
 * {@link learnBaseline} of the kept bursts of `logs`, in order (the same baseline), read with a
 * {@link BurstCursor}: a burst of a tuple already met in its log is placed by what was worked out for
 * that tuple (a device's routine bursts repeat a few tuples), with its times alone read: no copy of
 * its fields, no look-up of its shape. With judgeBursts' verdicts by tuple (device-judge.ts), judging
 * the family home's month (370 k kept bursts, 10 devices; DeviceJudge.finish() of each, timed in a
 * new process after the capture was read, as `peephole attack` judges them) took 136-159 ms of CPU
 * instead of 181-243 (4 runs each).
 */
export function learnBaselineOfLogs(logs: readonly BurstLog[], options: BaselineOptions = {}): DeviceBaseline {
  const byShape = new Map<number, ShapeMembers>();
  const setupBytes: number[] = [];
  const cursor = new BurstCursor(logs);
  const b = emptyBurst(0);
  let roles: (TupleRole | undefined)[] = [];
  let log = -1;
  let count = 0;
  while (cursor.next()) {
    const index = count++;
    if (cursor.log !== log) {
      log = cursor.log;
      roles = [];
    }
    let r = cursor.tuple >= 0 ? roles[cursor.tuple] : undefined;
    if (r === undefined) {
      cursor.fill(b);
      r = tupleRole(b, index, byShape);
      if (cursor.tuple >= 0) roles[cursor.tuple] = r;
    }
    if (r.setup) {
      setupBytes.push(r.dataBytes);
      continue;
    }
    const c = r.members;
    if (c === null) continue; // no data (a log keeps none such: burst-log.ts)
    if (r.odd) (c.odd ??= []).push({ member: c.times.length, index, dataPacketsUp: r.dataPacketsUp, dataBytes: r.dataBytes });
    c.times.push(cursor.firstDataUs);
  }
  return baselineOf(count, byShape, setupBytes, options);
}

/** The {@link TupleRole} of burst `b` (number `index` of the bursts), its shape added to `byShape` when new. */
function tupleRole(b: BurstSummary, index: number, byShape: Map<number, ShapeMembers>): TupleRole {
  const bytes = dataBytes(b);
  if (isSetupBurst(b)) return { setup: true, dataBytes: bytes, dataPacketsUp: b.dataPacketsUp, members: null, odd: false };
  if (b.dataPackets === 0) return { setup: false, dataBytes: bytes, dataPacketsUp: b.dataPacketsUp, members: null, odd: false };
  const key = shapeKey(b.shape, b.dataPackets);
  let c = byShape.get(key);
  let odd = false;
  if (c === undefined) {
    const sample = { shape: b.shape, dataPackets: b.dataPackets, dataPacketsUp: b.dataPacketsUp, dataBytesUp: b.dataBytesUp, dataBytesDown: b.dataBytesDown };
    byShape.set(key, (c = { sample, first: index, times: [], odd: null }));
  } else odd = b.dataPacketsUp !== c.sample.dataPacketsUp || bytes !== dataBytes(c.sample);
  return { setup: false, dataBytes: bytes, dataPacketsUp: b.dataPacketsUp, members: c, odd };
}

/**
 * The baseline of the shapes of a device's `count` bursts and its setups' data bytes. A function of
 * its own, as {@link periodicShapes} is: the arrays it fills (empty, whole numbers, halves) changed
 * map from device to device, and learnBaseline()'s compiled loop was thrown away at each change.
 */
function baselineOf(count: number, byShape: ReadonlyMap<number, ShapeMembers>, setupBytes: number[], options: BaselineOptions): DeviceBaseline {
  const heartbeats = periodicShapes(byShape, options);
  heartbeats.sort((a, b) => b.beats - a.beats || a.key - b.key);
  const periodicKeys = new Set(heartbeats.map((h) => h.key));
  const roughHeartbeats = learnRough(byShape, periodicKeys, options);
  const hbBytes: number[] = [];
  for (const h of heartbeats) for (let i = 0; i < Math.min(h.beats, 1000); i++) hbBytes.push(h.dataBytesUp + h.dataBytesDown);
  for (const h of roughHeartbeats) for (let i = 0; i < Math.min(h.beats, 1000); i++) hbBytes.push((h.minDataBytes + h.maxDataBytes) / 2);
  return deviceBaseline(count, heartbeats, roughHeartbeats, setupBytes.length, median(setupBytes), hbBytes.length > 0 ? median(hbBytes) : DEFAULT_BACKGROUND_BYTES);
}

/**
 * The shapes whose bursts' times are periodic. A function of its own: the array it fills changed map
 * from device to device (empty, or holding objects), which threw away learnBaseline()'s compiled loop
 * at each change when it was filled there (7 times in `peephole attack` on 30 days of the family
 * home, node --trace-deopt).
 */
function periodicShapes(byShape: ReadonlyMap<number, ShapeMembers>, options: BaselineOptions): HeartbeatShape[] {
  const heartbeats: HeartbeatShape[] = [];
  for (const [key, { sample, times }] of byShape) {
    const p = detectPeriod(times, options);
    if (p === null) continue;
    heartbeats.push(heartbeatShape(key, sample, p));
  }
  return heartbeats;
}

/** `baseline` with `bursts` bursts (the quiet ones a burst log only counts included). */
export function withBursts(baseline: DeviceBaseline, bursts: number): DeviceBaseline {
  const b = baseline;
  return deviceBaseline(bursts, b.heartbeats, b.roughHeartbeats, b.setupBursts, b.setupDataBytes, b.backgroundDataBytes);
}

/*
 * The objects of a baseline are each made at one place (the functions below), first with a double in
 * every number, as the module loads. V8 gives the fields of the objects made at one place the
 * representation of the first values stored (a small integer or a double); a double where the first
 * had a small integer (a median of 96.5 bytes, a period of 300,000,012.5 µs, a shape above 2^30)
 * changed the map of all of them, and the compiled code that reads them (learnBaseline, judgeBursts,
 * the classifier) was thrown away and compiled again: `peephole attack` on 30 days of the family
 * home (node --trace-deopt) deoptimised learnBaseline 5 times at the heartbeats' object, and
 * judgeBursts and the classifier at the baseline's.
 */
function deviceBaseline(
  bursts: number,
  heartbeats: readonly HeartbeatShape[],
  roughHeartbeats: readonly RoughHeartbeat[],
  setupBursts: number,
  setupDataBytes: number,
  backgroundDataBytes: number,
): DeviceBaseline {
  return { bursts, heartbeats, roughHeartbeats, setupBursts, setupDataBytes, backgroundDataBytes };
}

function heartbeatShape(key: number, sample: ShapeSample, p: Periodicity): HeartbeatShape {
  return {
    key,
    shape: sample.shape,
    dataPackets: sample.dataPackets,
    dataBytesUp: sample.dataBytesUp,
    dataBytesDown: sample.dataBytesDown,
    periodUs: p.periodUs,
    jitterUs: p.jitterUs,
    beats: p.beats,
    onBeatShare: p.onBeatShare,
  };
}

function roughHeartbeat(dataPacketsUp: number, dataPacketsDown: number, minDataBytes: number, maxDataBytes: number, p: Periodicity): RoughHeartbeat {
  return { dataPacketsUp, dataPacketsDown, minDataBytes, maxDataBytes, periodUs: p.periodUs, jitterUs: p.jitterUs, beats: p.beats };
}

{
  const half = 0.5;
  const p: Periodicity = { periodUs: half, jitterUs: half, beats: half, onBeatShare: half, coverage: half };
  const hb = heartbeatShape(half, { shape: half, dataPackets: half, dataPacketsUp: half, dataBytesUp: half, dataBytesDown: half }, p);
  deviceBaseline(half, [hb], [roughHeartbeat(half, half, half, half, p)], half, half, half);
}

/** The index of the rough heartbeat whose packets and size band a burst fits, or -1. */
export function roughFit(b: BurstSummary, rough: readonly RoughHeartbeat[]): number {
  const bytes = dataBytes(b);
  const down = b.dataPackets - b.dataPacketsUp;
  for (let i = 0; i < rough.length; i++) {
    const r = rough[i];
    if (r.dataPacketsUp === b.dataPacketsUp && r.dataPacketsDown === down && bytes >= r.minDataBytes && bytes <= r.maxDataBytes) return i;
  }
  return -1;
}

/**
 * Rough shapes among the bursts of no periodic exact shape: grouped by packets each way, cut into
 * size bands, each band tried for a period. The groups are taken in the order of their first burst,
 * and a band is cut by sizes alone, so the bursts' order within a group does not matter.
 */
function learnRough(byShape: ReadonlyMap<number, ShapeMembers>, periodicKeys: ReadonlySet<number>, options: BaselineOptions): RoughHeartbeat[] {
  const minBeats = options.minBeats ?? DEFAULT_MIN_BEATS;
  const groups = new Map<string, { up: number; down: number; first: number; members: { bytes: number; timeUs: number }[] }>();
  const group = (up: number, dataPackets: number, index: number): { bytes: number; timeUs: number }[] => {
    const down = dataPackets - up;
    const key = `${up}/${down}`;
    let g = groups.get(key);
    if (g === undefined) groups.set(key, (g = { up, down, first: index, members: [] }));
    else if (index < g.first) g.first = index;
    return g.members;
  };
  for (const [key, c] of byShape) {
    if (periodicKeys.has(key)) continue;
    const { sample, times, odd } = c;
    const bytes = dataBytes(sample);
    // The first member is the sample itself: its group holds every member that is not odd.
    const members = group(sample.dataPacketsUp, sample.dataPackets, c.first);
    let next = 0;
    for (let m = 0; m < times.length; m++) {
      if (odd !== null && next < odd.length && odd[next].member === m) {
        const o = odd[next++];
        group(o.dataPacketsUp, sample.dataPackets, o.index).push({ bytes: o.dataBytes, timeUs: times[m] });
      } else {
        members.push({ bytes, timeUs: times[m] });
      }
    }
  }
  const out: RoughHeartbeat[] = [];
  for (const g of [...groups.values()].sort((a, b) => a.first - b.first)) {
    if (g.members.length < minBeats) continue;
    g.members.sort((a, b) => a.bytes - b.bytes);
    let start = 0;
    for (let i = 1; i <= g.members.length; i++) {
      const last = g.members[i - 1].bytes;
      const cut = i === g.members.length || g.members[i].bytes - last > Math.max(ROUGH_LINK_BYTES, ROUGH_LINK_SHARE * last);
      if (!cut) continue;
      if (i - start >= minBeats) {
        const band = g.members.slice(start, i);
        const times = band.map((m) => m.timeUs).sort((a, b) => a - b);
        const p = detectPeriod(times, options);
        if (p !== null) {
          out.push(roughHeartbeat(g.up, g.down, band[0].bytes, last, p));
        }
      }
      start = i;
    }
  }
  return out.sort((a, b) => b.beats - a.beats || a.minDataBytes - b.minDataBytes);
}
