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
import { hasRole, shapeKey, type BurstSummary } from './burst.js';
import { DEFAULT_MIN_BEATS, detectPeriod, medianInPlace, type PeriodOptions } from './period.js';
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
  const heartbeats: HeartbeatShape[] = [];
  for (const [key, { sample, times }] of byShape) {
    const p = detectPeriod(times, options);
    if (p === null) continue;
    heartbeats.push({
      key,
      shape: sample.shape,
      dataPackets: sample.dataPackets,
      dataBytesUp: sample.dataBytesUp,
      dataBytesDown: sample.dataBytesDown,
      periodUs: p.periodUs,
      jitterUs: p.jitterUs,
      beats: p.beats,
      onBeatShare: p.onBeatShare,
    });
  }
  heartbeats.sort((a, b) => b.beats - a.beats || a.key - b.key);
  const periodicKeys = new Set(heartbeats.map((h) => h.key));
  const roughHeartbeats = learnRough(byShape, periodicKeys, options);
  const hbBytes: number[] = [];
  for (const h of heartbeats) for (let i = 0; i < Math.min(h.beats, 1000); i++) hbBytes.push(h.dataBytesUp + h.dataBytesDown);
  for (const h of roughHeartbeats) for (let i = 0; i < Math.min(h.beats, 1000); i++) hbBytes.push((h.minDataBytes + h.maxDataBytes) / 2);
  return {
    bursts: count,
    heartbeats,
    roughHeartbeats,
    setupBursts: setupBytes.length,
    setupDataBytes: median(setupBytes),
    backgroundDataBytes: hbBytes.length > 0 ? median(hbBytes) : DEFAULT_BACKGROUND_BYTES,
  };
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
          out.push({ dataPacketsUp: g.up, dataPacketsDown: g.down, minDataBytes: band[0].bytes, maxDataBytes: last, periodUs: p.periodUs, jitterUs: p.jitterUs, beats: p.beats });
        }
      }
      start = i;
    }
  }
  return out.sort((a, b) => b.beats - a.beats || a.minDataBytes - b.minDataBytes);
}
