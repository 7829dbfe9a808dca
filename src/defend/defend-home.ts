/**
 * A simulated home with a defence, and what it costs: the home is simulated twice on the same seed,
 * as lived (`undefended/`) and with the defence at the simulator's seams (`defended/`), each writing
 * activities.csv, events.csv and the capture of the chosen vantage; the cost is measured on the files
 * written (cost.ts). A defence's frame side (a tunnel, encrypted DNS, shaping) then rewrites the
 * defended capture in place (LAN and WAN vantages: it rewrites Ethernet frames).
 *
 * ```ts
 * const r = await defendHome({ spec, source: 'family', days: 2, seed: 1, vantage: 'lan', format: 'pcapng', out: 'out/d', defence: createDefence('stp') });
 * r.cost.traffic?.extraMbPerMonth;
 * ```
 */
import { join } from 'node:path';
import { readEventsCsv } from '../attack/events-csv.js';
import type { CaptureFormat, Vantage } from '../core/vantage.js';
import { simulateHome, type SimulateResult } from '../home/simulate.js';
import type { HomeSpec } from '../home/spec.js';
import { captureTotals, packetDelayCost, trafficCost, useCost, type DefenceCost } from './cost.js';
import { seamRandom } from '../home/seams.js';
import { applyFrameDefence, FrameLedger } from './frames/frame-defence.js';
import { readHeldCapture, writeHeldCapture } from './frames/held-capture.js';
import { primerDays, simulatorSeams } from './simulator-seams.js';
import type { Defence } from './strategy.js';
import { UseLedger } from './use-runner.js';

export interface DefendHomeOptions {
  readonly spec: HomeSpec;
  /** Where the spec came from, for messages. */
  readonly source: string;
  readonly days: number;
  readonly seed: number;
  readonly vantage: Vantage;
  /** The captures' format, or null for the CSV files only (then the cost has no traffic part). */
  readonly format: CaptureFormat | null;
  /** `undefended/` and `defended/` are written here. */
  readonly out: string;
  readonly defence: Defence;
  /** An undefended simulation of the same spec, days, seed, vantage and format already written (a sweep reuses it). */
  readonly undefended?: SimulateResult;
}

export interface DefendedHome {
  readonly undefended: SimulateResult;
  readonly defended: SimulateResult;
  readonly ledger: UseLedger;
  /** What the frame defence added and removed, when the defence has one. */
  readonly frames: FrameLedger | null;
  readonly cost: DefenceCost;
}

/** Simulates the home as lived (unless given) and defended, and measures the cost; see the module comment. */
export async function defendHome(options: DefendHomeOptions): Promise<DefendedHome> {
  const { spec, source, days, seed, vantage, format } = options;
  const undefended = options.undefended ?? simulateHome({ spec, source, days, seed, vantage, format, out: join(options.out, 'undefended') });
  const ledger = new UseLedger();
  // A defence that learns from the past has seen `warmupDays` days of the home before these.
  const primer = primerDays(spec, options.defence.warmupDays, seed);
  const defended = simulateHome({ spec, source, days, seed, vantage, format, out: join(options.out, 'defended'), seams: simulatorSeams(options.defence, ledger, primer) });
  const frames = defended.files.capture === null ? null : await defendSimulatedFrames(defended.files.capture, options.defence, spec.name, seed, vantage);
  const cost = await homeCost(undefended, defended, days, frames);
  return { undefended, defended, ledger, frames, cost };
}

/** Salts the frame defences' generator apart from the packet seam's. */
const FRAME_SALT = 0x5eed_f4a3;

/**
 * What only frames allow, on the capture the simulator's seams made (`defence.frames`): read it,
 * defend it, write it in its place. Returns what was added and removed, or null for a defence
 * without a frame side (the capture is left as it is).
 */
export async function defendSimulatedFrames(capture: string, defence: Defence, home: string, seed: number, vantage: Vantage): Promise<FrameLedger | null> {
  if (defence.frames === null) return null;
  const held = await readHeldCapture(capture, `${defence.strategy} on a simulated home`);
  const ledger = new FrameLedger();
  const context = { random: seamRandom('packets', seed ^ FRAME_SALT), ledger, vantage: vantage === 'wan' ? ('wan' as const) : ('lan' as const), file: capture };
  const out = applyFrameDefence(defence.frames, defence.strategy, held.frames, context);
  writeHeldCapture(capture, held, out, `peephole simulated home "${home}", ${vantage} vantage, defended by ${defence.strategy}`);
  return ledger;
}

/** The cost of a defended simulation against the undefended one, read from their files. */
export async function homeCost(undefended: SimulateResult, defended: SimulateResult, days: number, frames: FrameLedger | null = null): Promise<DefenceCost> {
  const lived = readEventsCsv(undefended.files.events).events;
  const made = readEventsCsv(defended.files.events).events;
  const uses = useCost(lived, made);
  let traffic = null;
  if (undefended.files.capture !== null && defended.files.capture !== null) {
    traffic = trafficCost(await captureTotals(undefended.files.capture), await captureTotals(defended.files.capture), days);
  }
  return { days, traffic, uses, packets: packetDelayCost(frames?.packetDelaysUs ?? []) };
}
