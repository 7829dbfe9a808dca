/**
 * Uses that keep a clock, not a person: a device that sends at the same minute of the day (or of the
 * half day) on most days is running a schedule (a DHCP lease renewed every 12 h, an automation, a
 * nightly sync), and no resident's activity is behind it. People are not that punctual: a routine
 * wanders by more than two minutes from one day to the next.
 *
 * Where the observer reads names (a LAN capture), the use detector already tells such traffic by
 * what it is (DHCP, DNS, NTP). Where it does not (a Wi-Fi sniffer: every frame's body is encrypted),
 * a renewal is a burst like any other. On 14 days of the built-in paper home seen by a Wi-Fi sniffer
 * (`peephole simulate --home paper --days 14 --seed 7 --vantage wifi`), 85 of the 264 uses found
 * were its three devices' lease renewals at 00:00 and 12:00, every day, and the day decoded from them
 * put a going to bed at midnight and a leave at noon.
 */
import type { DeviceUse } from '../core/device-use.js';

const MINUTE_US = 60e6;
const HOUR_US = 60 * MINUTE_US;

export interface ScheduleOptions {
  /** The clock periods a schedule repeats on. */
  readonly periodsUs: readonly number[];
  /** How wide a schedule's slot is: uses this close to the same time of the period are one slot. */
  readonly slotUs: number;
  /** The share of the periods a device was seen over that a slot must hold a use in. */
  readonly minShare: number;
  /** And at least this many periods. */
  readonly minPeriods: number;
  /** And this many times as many as the slots around it hold on average, */
  readonly contrast: number;
  /** counting this many slots either side. */
  readonly contrastSlots: number;
}

/**
 * A day and a half day (the two periods leases and timers run on); a 2-min slot; on at least 3 in 5
 * periods, and at least 4 of them, and 4 times as often as the half hour either side. On the real development homes (../shared/activities/kasteren_b
 * and kasteren_c, read as events CSVs) it finds no schedule: their sensors answer people.
 */
export const DEFAULT_SCHEDULES: ScheduleOptions = {
  periodsUs: [24 * HOUR_US, 12 * HOUR_US],
  slotUs: 2 * MINUTE_US,
  minShare: 0.6,
  minPeriods: 4,
  contrast: 4,
  contrastSlots: 15,
};

/**
 * The uses that fall in a device's schedule: per device and period, the uses are placed by their time
 * within the period in slots of `slotUs` (and the slot after, so a schedule at a slot's edge is not
 * split); a pair of slots holding uses in at least `minShare` of the periods the device was seen over
 * is a schedule. Returns the indices of `uses` that are scheduled.
 */
export function scheduledUses(uses: readonly DeviceUse[], options: ScheduleOptions = DEFAULT_SCHEDULES): Set<number> {
  const byDevice = new Map<string, number[]>();
  for (let i = 0; i < uses.length; i++) {
    const list = byDevice.get(uses[i].device);
    if (list === undefined) byDevice.set(uses[i].device, [i]);
    else list.push(i);
  }
  const scheduled = new Set<number>();
  for (const indices of byDevice.values()) {
    let first = Infinity;
    let last = -Infinity;
    for (const i of indices) {
      first = Math.min(first, uses[i].timeUs);
      last = Math.max(last, uses[i].timeUs);
    }
    for (const period of options.periodsUs) {
      const slots = Math.ceil(period / options.slotUs);
      const periodsSeen = Math.floor(last / period) - Math.floor(first / period) + 1;
      const needed = Math.max(options.minPeriods, Math.ceil(options.minShare * periodsSeen));
      if (indices.length < needed) continue;
      // Per slot, the distinct periods it holds a use in.
      const periodsIn = new Map<number, Set<number>>();
      const slotOf = (t: number): number => Math.floor((((t % period) + period) % period) / options.slotUs);
      for (const i of indices) {
        const slot = slotOf(uses[i].timeUs);
        let set = periodsIn.get(slot);
        if (set === undefined) periodsIn.set(slot, (set = new Set()));
        set.add(Math.floor(uses[i].timeUs / period));
      }
      const held = (slot: number): number => periodsIn.get(((slot % slots) + slots) % slots)?.size ?? 0;
      const busy = new Set<number>();
      for (const [slot, set] of periodsIn) {
        const next = periodsIn.get((slot + 1) % slots);
        let count = set.size;
        if (next !== undefined) for (const p of next) if (!set.has(p)) count++;
        if (count < needed) continue;
        // A spike, not a plateau: a bed sensor busy all night, or a device that fires every minute,
        // holds uses in the same slot most days too, and in the slots around it as well.
        let around = 0;
        for (let d = 2; d <= options.contrastSlots + 1; d++) around += held(slot - d + 1) + held(slot + d);
        // (around sums 2 × contrastSlots single slots: a pair of them holds twice one's average.)
        if (count < options.contrast * (around / options.contrastSlots)) continue;
        busy.add(slot);
        busy.add((slot + 1) % slots);
      }
      if (busy.size === 0) continue;
      for (const i of indices) if (busy.has(slotOf(uses[i].timeUs))) scheduled.add(i);
    }
  }
  return scheduled;
}

/** `uses` without the scheduled ones (the same array when there are none). */
export function withoutSchedules<T extends DeviceUse>(uses: readonly T[], options: ScheduleOptions = DEFAULT_SCHEDULES): readonly T[] {
  const scheduled = scheduledUses(uses, options);
  return scheduled.size === 0 ? uses : uses.filter((_, i) => !scheduled.has(i));
}
