/**
 * What a defence costs, measured on what is written: the defended capture against the undefended one
 * (the same home, seed and vantage, or the capture a real one was made from), frame by frame as a
 * capture reader reads them back, and the defended events against the lived ones.
 *
 * - extra packets and bytes (bytes on the wire: each frame's original length), per day, per second,
 *   as a percentage of the undefended traffic, and as extra MB a month (30.44 days, 10^6 bytes), the
 *   proxy a user understands;
 * - the delay added to real uses: each real use's time in the defended events against its lived time
 *   (mean, p95 and most, over every real use, those left in place counting 0);
 * - the cover uses made.
 */
import { readCapture } from '../capture/reader.js';
import type { UsageCause } from '../core/activities.js';

/** A capture's frames as read back. */
export interface CaptureTotals {
  readonly frames: number;
  /** Sum of the frames' lengths on the wire. */
  readonly bytes: number;
  /** First and last frame, µs since the epoch (NaN for an empty capture). */
  readonly firstUs: number;
  readonly lastUs: number;
}

/** Reads a capture back and adds its frames up. */
export async function captureTotals(path: string): Promise<CaptureTotals> {
  let frames = 0;
  let bytes = 0;
  let firstUs = NaN;
  let lastUs = NaN;
  await readCapture(path, (rec) => {
    frames++;
    bytes += rec.origLen;
    const t = rec.tsSec * 1e6 + Math.floor(rec.tsNsec / 1000);
    if (!(t >= firstUs)) firstUs = Number.isNaN(firstUs) ? t : Math.min(firstUs, t);
    if (!(t <= lastUs)) lastUs = Number.isNaN(lastUs) ? t : Math.max(lastUs, t);
  });
  return { frames, bytes, firstUs, lastUs };
}

/** Days in a month, for the MB-a-month proxy (365.25 / 12). */
export const DAYS_PER_MONTH = 30.4375;

export interface TrafficCost {
  /** The undefended and the defended traffic, as read back. */
  readonly undefended: CaptureTotals;
  readonly defended: CaptureTotals;
  readonly extraPackets: number;
  readonly extraBytes: number;
  readonly extraPacketsPerDay: number;
  readonly extraBytesPerDay: number;
  readonly extraBytesPerSecond: number;
  /** Extra bytes as a percentage of the undefended bytes. */
  readonly extraPercent: number;
  readonly extraMbPerMonth: number;
}

export interface UseCost {
  /** Real uses in the lived events, and how many the defended events moved later. */
  readonly real: number;
  readonly moved: number;
  readonly cover: number;
  /** Delay added to real uses, seconds. */
  readonly delayMeanS: number;
  readonly delayP95S: number;
  readonly delayMaxS: number;
}

/** How long real packets waited (a shaping tunnel's queue). */
export interface PacketDelayCost {
  readonly packets: number;
  readonly delayMeanS: number;
  readonly delayP95S: number;
  readonly delayMaxS: number;
}

export interface DefenceCost {
  /** The days the traffic spans (a simulation's days, or a capture's span in days). */
  readonly days: number;
  readonly traffic: TrafficCost | null;
  readonly uses: UseCost | null;
  /** Null when the defence holds no packet back. */
  readonly packets: PacketDelayCost | null;
}

/** The delay cost of packets that waited `delaysUs` (null when none did). */
export function packetDelayCost(delaysUs: readonly number[]): PacketDelayCost | null {
  return delaysUs.length === 0 ? null : { packets: delaysUs.length, ...delayStats(delaysUs) };
}

/** The traffic cost of `defended` against `undefended` over `days` days. */
export function trafficCost(undefended: CaptureTotals, defended: CaptureTotals, days: number): TrafficCost {
  const extraPackets = defended.frames - undefended.frames;
  const extraBytes = defended.bytes - undefended.bytes;
  const perDay = days > 0 ? 1 / days : NaN;
  return {
    undefended,
    defended,
    extraPackets,
    extraBytes,
    extraPacketsPerDay: extraPackets * perDay,
    extraBytesPerDay: extraBytes * perDay,
    extraBytesPerSecond: (extraBytes * perDay) / 86_400,
    extraPercent: undefended.bytes > 0 ? (100 * extraBytes) / undefended.bytes : NaN,
    extraMbPerMonth: (extraBytes * perDay * DAYS_PER_MONTH) / 1e6,
  };
}

/** A use as the cost compares them: when, which device, and why. */
export interface CostedUse {
  readonly timeUs: number;
  readonly device: string;
  readonly cause?: UsageCause | '';
}

/**
 * The use cost of `defended` against `lived` (both sorted by time): real uses (every cause but
 * `cover`) are paired device by device in order, the k-th real use of a device lived with its k-th
 * made (a defence keeps each device's uses in order). A RangeError when a device's real uses differ
 * in number: the defence lost or made up a real use.
 */
export function useCost(lived: readonly CostedUse[], defended: readonly CostedUse[]): UseCost {
  const byDevice = (uses: readonly CostedUse[]): Map<string, number[]> => {
    const m = new Map<string, number[]>();
    for (const u of uses) {
      if (u.cause === 'cover') continue;
      let list = m.get(u.device);
      if (list === undefined) m.set(u.device, (list = []));
      list.push(u.timeUs);
    }
    return m;
  };
  const before = byDevice(lived);
  const after = byDevice(defended);
  const delays: number[] = [];
  for (const [device, times] of before) {
    const made = after.get(device) ?? [];
    if (made.length !== times.length) throw new RangeError(`${device}: ${times.length} real uses lived, ${made.length} made`);
    times.forEach((t, k) => delays.push(made[k] - t));
  }
  for (const device of after.keys()) if (!before.has(device)) throw new RangeError(`${device}: real uses made, none lived`);
  const cover = defended.filter((u) => u.cause === 'cover').length;
  return { real: delays.length, moved: delays.filter((d) => d > 0).length, cover, ...delayStats(delays) };
}

/** Mean, 95th percentile (nearest rank) and most of delays in µs, as seconds. */
export function delayStats(delaysUs: readonly number[]): { delayMeanS: number; delayP95S: number; delayMaxS: number } {
  if (delaysUs.length === 0) return { delayMeanS: 0, delayP95S: 0, delayMaxS: 0 };
  const sorted = [...delaysUs].sort((a, b) => a - b);
  const mean = sorted.reduce((s, d) => s + d, 0) / sorted.length;
  const p95 = sorted[Math.max(0, Math.ceil(0.95 * sorted.length) - 1)];
  return { delayMeanS: mean / 1e6, delayP95S: p95 / 1e6, delayMaxS: sorted[sorted.length - 1] / 1e6 };
}
