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
