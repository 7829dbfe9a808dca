/**
 * `random-cover`: fake traffic at random periods (the paper's future work): each device makes fake
 * uses as a Poisson process, `perDay` a day on average, at any time of day, each with one of its own
 * actions (the burst has the shape of a real one). Nothing about it follows the residents: an
 * observer who learns when people use a device can still tell a fake use at 03:00 from a real one.
 */
import { defence, DAY_US, type CoverUse, type Defence, type DefendedDevice, type Strategy, type UseDefence } from '../strategy.js';
import { numberParam, type ParamValues } from '../params.js';
import type { Random } from '../../core/random.js';

export const RANDOM_COVER: Strategy = {
  name: 'random-cover',
  family: 'cover',
  summary: 'fake uses of every device at random times (a Poisson process of `perDay` a day each)',
  params: [{ name: 'perDay', description: 'mean fake uses a day of each device', unit: 'per day', default: 4, min: 0, max: 1000 }],
  sweep: { param: 'perDay', values: [1, 2, 4, 8, 16, 32] },
  create(params: ParamValues): Defence {
    const perDay = numberParam(params, 'perDay');
    const uses: UseDefence = {
      open(devices: readonly DefendedDevice[], random: Random) {
        const acting = devices.filter((d) => d.actions.length > 0);
        const meanGapUs = perDay > 0 ? DAY_US / perDay : Infinity;
        const nextUs = acting.map(() => NaN);
        return {
          day(dayStartUs, lived) {
            const cover: CoverUse[] = [];
            if (perDay === 0) return { timesUs: lived.map((u) => u.timeUs), cover };
            const endUs = dayStartUs + DAY_US;
            acting.forEach((d, i) => {
              if (Number.isNaN(nextUs[i])) nextUs[i] = dayStartUs + random.exponential(meanGapUs);
              for (; nextUs[i] < endUs; nextUs[i] += random.exponential(meanGapUs)) cover.push({ timeUs: Math.round(nextUs[i]), device: d.id, action: random.pick(d.actions) });
            });
            return { timesUs: lived.map((u) => u.timeUs), cover };
          },
        };
      },
    };
    return defence('random-cover', params, { uses });
  },
};
