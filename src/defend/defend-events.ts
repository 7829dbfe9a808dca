/**
 * A defence on device uses given as data (an events CSV, the uses found in a capture): the uses are
 * cut into UTC days, each day (empty ones too, so cover goes on) is given to the defence in order,
 * and the uses come out sorted by time: the real ones where the defence made them, each with the time
 * it was lived, and the cover ones with cause `cover`.
 *
 * An events CSV knows devices by id and kind only, not their actions: cover uses there have the
 * action ''.
 */
import type { DeviceUse } from '../core/device-use.js';
import type { UsageCause } from '../core/activities.js';
import { seamRandom } from '../home/seams.js';
import { DAY_US, type Defence, type DefendedDevice, type UseIn } from './strategy.js';
import { CheckedUseRun, UseLedger } from './use-runner.js';
import { readEventsCsv } from '../attack/events-csv.js';
import { csvCell } from '../core/table-format.js';
import { LineFile } from '../home/line-file.js';
import { timeCells } from '../home/simulate.js';
import { useCost, type DefenceCost } from './cost.js';

/** A use after the defence: where it is now, and (for a real one) when it was lived. */
export interface DefendedUse extends DeviceUse {
  /** When the real use was lived (µs), or null for a cover use. */
  readonly livedUs: number | null;
  readonly action: string;
}

export interface DefendedUses {
  /** Real and cover uses, sorted by time (stable). */
  readonly uses: readonly DefendedUse[];
  readonly ledger: UseLedger;
}

/** The devices of a list of uses: each id once, with the kind of its first use. */
export function devicesOfUses(uses: readonly { readonly device: string; readonly kind: string }[], actions: readonly string[] = ['']): DefendedDevice[] {
  const seen = new Map<string, DefendedDevice>();
  for (const u of uses) if (!seen.has(u.device)) seen.set(u.device, { id: u.device, kind: u.kind, actions });
  return [...seen.values()];
}

/**
 * `uses` (sorted by time) defended by `defence` (its use defence; a defence with none returns them
 * unchanged), drawing from the seed as the simulator's use seam does. `actions` gives a use's action
 * where the source knows it.
 */
export function defendUses(
  uses: readonly DeviceUse[],
  defence: Defence,
  seed: number,
  options: { readonly devices?: readonly DefendedDevice[]; readonly actionOf?: (use: DeviceUse, index: number) => string } = {},
): DefendedUses {
  const ledger = new UseLedger();
  const lived: DefendedUse[] = uses.map((u, i) => ({ ...u, livedUs: u.timeUs, action: options.actionOf?.(u, i) ?? '' }));
  if (defence.uses === null || uses.length === 0) return { uses: lived, ledger };
  const devices = options.devices ?? devicesOfUses(uses);
  const run = new CheckedUseRun(defence, devices, seamRandom('uses', seed), ledger);
  const kindOf = new Map(devices.map((d) => [d.id, d.kind]));
  const out: DefendedUse[] = [];
  const firstDay = Math.floor(uses[0].timeUs / DAY_US) * DAY_US;
  const lastDay = Math.floor(uses[uses.length - 1].timeUs / DAY_US) * DAY_US;
  let i = 0;
  for (let day = firstDay; day <= lastDay; day += DAY_US) {
    const start = i;
    while (i < lived.length && lived[i].timeUs < day + DAY_US) i++;
    const today = lived.slice(start, i);
    const made = run.day(
      day,
      today.map((u): UseIn => ({ timeUs: u.timeUs, device: u.device, kind: u.kind, action: u.action })),
    );
    today.forEach((u, k) => out.push(made.timesUs[k] === u.timeUs ? u : { ...u, timeUs: made.timesUs[k] }));
    for (const c of made.cover) out.push({ timeUs: c.timeUs, device: c.device, kind: kindOf.get(c.device)!, cause: 'cover' as UsageCause, livedUs: null, action: c.action });
  }
  out.sort((a, b) => a.timeUs - b.timeUs);
  return { uses: out, ledger };
}

/** The columns of a defended events CSV: the uses as the devices made them, cover marked, each real one with the time it was lived. */
export const DEFENDED_EVENTS_HEADER = 'time,time_epoch,device,kind,cause,lived_time_epoch';

/** One line of a defended events CSV. */
export function defendedEventLine(u: DefendedUse): string {
  const lived = u.livedUs === null ? '' : (u.livedUs / 1e6).toFixed(6);
  return `${timeCells(u.timeUs)},${csvCell(u.device)},${csvCell(u.kind)},${u.cause ?? ''},${lived}`;
}

export interface DefendedEventsFile {
  readonly input: string;
  readonly out: string;
  readonly uses: DefendedUses;
  readonly cost: DefenceCost;
}

/**
 * An events CSV (`time,device,kind`, optionally `cause`: attack/events-csv.ts) defended and written
 * to `out` ({@link DEFENDED_EVENTS_HEADER}); the cost is that of the uses (there is no traffic).
 */
export function defendEventsFile(input: string, out: string, defence: Defence, seed: number): DefendedEventsFile {
  const csv = readEventsCsv(input);
  const uses = defendUses(csv.events, defence, seed);
  const file = new LineFile(out, DEFENDED_EVENTS_HEADER);
  try {
    for (const u of uses.uses) file.line(defendedEventLine(u));
  } finally {
    file.close();
  }
  const lived = csv.events;
  const days = lived.length < 2 ? 1 : Math.max(1, (lived[lived.length - 1].timeUs - lived[0].timeUs) / DAY_US);
  const made = uses.uses.map((u) => (u.livedUs === null ? { ...u, cause: 'cover' as const } : { ...u, cause: u.cause === 'cover' ? ('cover' as const) : undefined }));
  return { input, out, uses, cost: { days, traffic: null, uses: useCost(lived.map((u) => ({ ...u, cause: u.cause === 'cover' ? ('cover' as const) : undefined })), made), packets: null } };
}
