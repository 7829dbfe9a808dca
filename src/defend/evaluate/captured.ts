/**
 * A home's life as an observer of its written traffic sees it: the home is simulated with the defence
 * at the simulator's seams (home/seams.ts: the use seam and the packet seam), written at the LAN
 * vantage, the defence's frame side applied to the capture (a tunnel, shaping, encrypted DNS), and the
 * capture read by the real use detection (uses/detect-usage.ts) with the device identification it
 * runs. What comes out is what `peephole attack` would read from that capture: uses on the devices it
 * told apart (MACs), of the kinds it named them, each with the burst's packets and bytes.
 *
 * For training and for the defence-aware observer, each detected use is labelled with the truth of the
 * simulation (the defended events.csv): the cause of the nearest use the devices made within
 * {@link LABEL_MATCH_US} of it, whatever device (a tunnel's box carries every device's uses), or
 * `noise` when there is none (a burst of background the detector took for a use).
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { readEventsCsv } from '../../attack/events-csv.js';
import { activityId } from '../../core/activities.js';
import type { DeviceUse } from '../../core/device-use.js';
import type { TimedActivity } from '../../evaluate/timeline-match.js';
import { simulateLife } from '../../home/life.js';
import { simulateHome } from '../../home/simulate.js';
import type { HomeSpec } from '../../home/spec.js';
import { observeDevices } from '../../observe/devices.js';
import { registeredVendorLookup } from '../../observe/oui.js';
import { defaultVendorRules } from '../../observe/vendor-rules.js';
import { detectUsage, type DetectedUse, type DeviceUsage } from '../../uses/index.js';
import { defendSimulatedFrames } from '../defend-home.js';
import { primerDays, simulatorSeams } from '../simulator-seams.js';
import type { Defence } from '../strategy.js';
import { UseLedger } from '../use-runner.js';

/**
 * True when a device is named by what it said: a DNS question or a TLS server name that weighs in
 * its identification. A name that names no maker (encrypted DNS's resolver, ECH's public name, a
 * hosting network) does not count.
 */
export function namedBySaying(d: { readonly evidence: readonly { readonly kind: string; readonly weight: number }[] }): boolean {
  return d.evidence.some((e) => (e.kind === 'dns_query' || e.kind === 'tls_server_name') && e.weight > 0);
}

/** A detected use is labelled with the truth use starting this close to it (the detector dates a burst by its first data packet, the simulator a use by its first packet: they agree within a second on the family home). */
export const LABEL_MATCH_US = 5e6;


/** A detected use with its size, as the observer of the capture has it. */
export interface CapturedUse extends DeviceUse {
  readonly packets: number;
  readonly bytes: number;
  readonly durationUs: number;
  readonly direction: DetectedUse['direction'];
}

export interface CapturedLife {
  /** The detected uses, time-sorted, labelled with the truth (see the module comment). */
  readonly events: readonly CapturedUse[];
  readonly activities: readonly TimedActivity[];
  /** The devices the detection told apart, as identified (vendor, category, kind). */
  readonly devices: readonly DeviceUsage[];
  /** Frames in the capture the detector read. */
  readonly frames: number;
  /** Devices the identification named by what they said (DNS questions, TLS server names); null unless asked (`identify`). */
  readonly namedByNames: number | null;
}

export interface CapturedLifeOptions {
  readonly spec: HomeSpec;
  readonly source: string;
  readonly days: number;
  readonly seed: number;
  /** Null: the home as lived. */
  readonly defence: Defence | null;
  /** A folder the capture is written into (removed after). */
  readonly work: string;
  /** Also count the devices named by what they said (a second read of the capture). */
  readonly identify?: boolean;
}

/** `days` of the home (`seed`), written with `defence` and read back by the use detection; see the module comment. */
export async function capturedLife(options: CapturedLifeOptions): Promise<CapturedLife> {
  const { spec, days, seed, defence } = options;
  const dir = options.work;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  try {
    const seams = defence === null ? undefined : simulatorSeams(defence, new UseLedger(), primerDays(spec, defence.warmupDays, seed));
    const sim = simulateHome({ spec, source: options.source, days, seed, vantage: 'lan', format: 'pcapng', out: dir, ...(seams ? { seams } : {}) });
    const capture = sim.files.capture!;
    const ledger = defence === null ? null : await defendSimulatedFrames(capture, defence, spec.name, seed, 'lan');
    const frames = sim.packets + (ledger?.frames ?? 0);
    const report = await detectUsage(capture, { rules: defaultVendorRules(), oui: registeredVendorLookup(), task: 'the observer of a defended capture' });
    const truth = readEventsCsv(sim.files.events).events;
    const activities: TimedActivity[] = [];
    for (const day of simulateLife(spec, { days, seed })) for (const a of day.activities) activities.push({ timeUs: a.timeUs, activity: activityId(a.activity), resident: a.resident });
    activities.sort((a, b) => a.timeUs - b.timeUs);
    let namedByNames: number | null = null;
    if (options.identify) {
      const seen = await observeDevices(capture, { rules: defaultVendorRules(), oui: registeredVendorLookup() });
      namedByNames = seen.devices.filter((d) => d.category !== 'router' && namedBySaying(d)).length;
    }
    return { events: labelDetected(report.events, truth), activities, devices: report.devices, frames, namedByNames };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Each detected use with the cause of the nearest truth use within {@link LABEL_MATCH_US} (any device), `noise` without one. */
export function labelDetected(detected: readonly DetectedUse[], truth: readonly DeviceUse[]): CapturedUse[] {
  const times = truth.map((t) => t.timeUs);
  const out: CapturedUse[] = [];
  let j = 0;
  for (const d of detected) {
    while (j < times.length && times[j] < d.timeUs - LABEL_MATCH_US) j++;
    let best = -1;
    for (let k = j; k < times.length && times[k] <= d.timeUs + LABEL_MATCH_US; k++) {
      if (best < 0 || Math.abs(times[k] - d.timeUs) < Math.abs(times[best] - d.timeUs)) best = k;
    }
    out.push({
      timeUs: d.timeUs,
      device: d.device,
      kind: d.kind,
      cause: best >= 0 ? (truth[best].cause ?? 'noise') : 'noise',
      packets: d.packets,
      bytes: d.bytes,
      durationUs: d.endUs - d.timeUs,
      direction: d.direction,
    });
  }
  return out;
}
