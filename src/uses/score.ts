/**
 * How well usage detection found the uses a simulated home really had (its events.csv): detected
 * events are matched to true uses of the same network device (a sensor's uses belong to the hub or
 * alarm it reports through, as the observer sees them) and counted per attack kind of that device.
 *
 * Counting: a detected event's window runs from {@link DEFAULT_TOLERANCE_US} before its first data
 * packet to that long after its last packet. Events and true uses are paired one to one, nearest
 * (event time to use time) first, a use only with an event whose window holds it: each pair is a
 * true positive. An event left without a use is a false positive. A use left without an event but
 * inside some event's window fell into the same burst as another use: it is `merged` (uses that
 * merge count once: neither found nor missed). Any other use is a false negative.
 * Precision = tp / (tp + fp); recall = tp / (tp + fn).
 */
import { attackKind, ATTACK_KINDS, type AttackKind } from '../core/kinds.js';
import type { HomeSpec } from '../home/spec.js';
import type { DetectedUse } from './detected-use.js';
import type { DeviceUse } from '../core/device-use.js';

export interface DetectionCounts {
  tp: number;
  fp: number;
  fn: number;
  merged: number;
  precision: number;
  recall: number;
}

export interface UsageScore {
  /** Per attack kind of the network device, only kinds with a true use or a detected event. */
  readonly byKind: Partial<Record<AttackKind, DetectionCounts>>;
  readonly overall: DetectionCounts;
}

export const DEFAULT_TOLERANCE_US = 5e6;

function zero(): DetectionCounts {
  return { tp: 0, fp: 0, fn: 0, merged: 0, precision: 0, recall: 0 };
}

function finish(c: DetectionCounts): DetectionCounts {
  c.precision = c.tp + c.fp > 0 ? c.tp / (c.tp + c.fp) : 1;
  c.recall = c.tp + c.fn > 0 ? c.tp / (c.tp + c.fn) : 1;
  return c;
}

/** The MAC (lower case) and attack kind each spec device's uses are seen on: its own, or its hub's. */
export function observedDevices(spec: HomeSpec): Map<string, { mac: string; kind: AttackKind }> {
  const byId = new Map(spec.devices.map((d) => [d.id, d]));
  const out = new Map<string, { mac: string; kind: AttackKind }>();
  for (const d of spec.devices) {
    const carrier = d.mac !== undefined ? d : d.via !== undefined ? byId.get(d.via) : undefined;
    if (carrier?.mac === undefined) continue;
    out.set(d.id, { mac: carrier.mac.toLowerCase(), kind: attackKind(carrier.kind) });
  }
  return out;
}

/**
 * Matches one device's events (sorted by time) to its true use times (sorted): nearest pairs first
 * (each event and each use at most once, a use within the event's window), then uses left inside
 * some event's window are merged, the rest missed; events left unmatched are false positives.
 */
export function matchUses(events: readonly DetectedUse[], times: readonly number[], toleranceUs: number): { tp: number; fp: number; fn: number; merged: number } {
  const pairs: { distance: number; event: number; use: number }[] = [];
  const covered = new Uint8Array(times.length);
  let first = 0;
  events.forEach((e, i) => {
    const from = e.timeUs - toleranceUs;
    const to = Math.max(e.endUs, e.timeUs) + toleranceUs;
    while (first < times.length && times[first] < from) first++;
    for (let j = first; j < times.length && times[j] <= to; j++) {
      covered[j] = 1;
      pairs.push({ distance: Math.abs(times[j] - e.timeUs), event: i, use: j });
    }
  });
  pairs.sort((a, b) => a.distance - b.distance || a.event - b.event || a.use - b.use);
  const eventTaken = new Uint8Array(events.length);
  const useTaken = new Uint8Array(times.length);
  let tp = 0;
  for (const p of pairs) {
    if (eventTaken[p.event] === 1 || useTaken[p.use] === 1) continue;
    eventTaken[p.event] = 1;
    useTaken[p.use] = 1;
    tp++;
  }
  let merged = 0;
  let fn = 0;
  for (let j = 0; j < times.length; j++) {
    if (useTaken[j] === 1) continue;
    if (covered[j] === 1) merged++;
    else fn++;
  }
  return { tp, fp: events.length - tp, fn, merged };
}

/** Scores detected events against the true uses of a simulated home; see the module comment. */
export function scoreUsageDetection(
  detected: readonly DetectedUse[],
  truth: ReadonlyArray<Pick<DeviceUse, 'timeUs' | 'device'>>,
  spec: HomeSpec,
  options: { toleranceUs?: number } = {},
): UsageScore {
  const tolerance = options.toleranceUs ?? DEFAULT_TOLERANCE_US;
  const carriers = observedDevices(spec);
  const kindOfMac = new Map([...carriers.values()].map((c) => [c.mac, c.kind]));
  const truthByMac = new Map<string, number[]>();
  for (const t of truth) {
    const c = carriers.get(t.device);
    if (c === undefined) throw new RangeError(`True use of ${JSON.stringify(t.device)}: not a device of the spec ${spec.name}`);
    let list = truthByMac.get(c.mac);
    if (list === undefined) truthByMac.set(c.mac, (list = []));
    list.push(t.timeUs);
  }
  const detectedByMac = new Map<string, DetectedUse[]>();
  for (const e of detected) {
    const mac = e.device.toLowerCase();
    let list = detectedByMac.get(mac);
    if (list === undefined) detectedByMac.set(mac, (list = []));
    list.push(e);
  }
  const byKind = new Map<AttackKind, DetectionCounts>();
  const counts = (kind: AttackKind): DetectionCounts => {
    let c = byKind.get(kind);
    if (c === undefined) byKind.set(kind, (c = zero()));
    return c;
  };
  for (const mac of new Set([...truthByMac.keys(), ...detectedByMac.keys()])) {
    const times = (truthByMac.get(mac) ?? []).sort((a, b) => a - b);
    const events = (detectedByMac.get(mac) ?? []).slice().sort((a, b) => a.timeUs - b.timeUs);
    const c = counts(kindOfMac.get(mac) ?? events[0].kind);
    const m = matchUses(events, times, tolerance);
    c.tp += m.tp;
    c.fp += m.fp;
    c.fn += m.fn;
    c.merged += m.merged;
  }
  const overall = zero();
  const out: Partial<Record<AttackKind, DetectionCounts>> = {};
  for (const kind of ATTACK_KINDS) {
    const c = byKind.get(kind);
    if (c === undefined) continue;
    out[kind] = finish(c);
    overall.tp += c.tp;
    overall.fp += c.fp;
    overall.fn += c.fn;
    overall.merged += c.merged;
  }
  return { byKind: out, overall: finish(overall) };
}
