/**
 * The use defence of the cover strategies that follow a clock of their own (`inject`, `random-cover`):
 * every device that can act makes cover uses on its own schedule, each with one of its own actions
 * (the burst has the shape of a real one), and the real uses stay where they were lived.
 */
import type { Random } from '../../core/random.js';
import { DAY_US, type CoverUse, type DefendedDevice, type UseDefence } from '../strategy.js';

export interface CoverSchedule {
  /** A device's first cover use, drawn on the first day of the run (Infinity: none). */
  first(dayStartUs: number, random: Random): number;
  /** The time from one cover use of a device to its next. */
  gap(random: Random): number;
}

export function scheduledCover(schedule: CoverSchedule): UseDefence {
  return {
    open(devices: readonly DefendedDevice[], random: Random) {
      const acting = devices.filter((d) => d.actions.length > 0);
      const nextUs = acting.map(() => NaN);
      return {
        day(dayStartUs, lived) {
          const cover: CoverUse[] = [];
          const endUs = dayStartUs + DAY_US;
          acting.forEach((d, i) => {
            if (Number.isNaN(nextUs[i])) nextUs[i] = schedule.first(dayStartUs, random);
            for (; nextUs[i] < endUs; nextUs[i] += schedule.gap(random)) cover.push({ timeUs: Math.round(nextUs[i]), device: d.id, action: random.pick(d.actions) });
          });
          return { timesUs: lived.map((u) => u.timeUs), cover };
        },
      };
    },
  };
}
