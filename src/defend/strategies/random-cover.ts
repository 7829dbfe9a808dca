/**
 * `random-cover`: fake traffic at random periods (the paper's future work): each device makes fake
 * uses as a Poisson process, `perDay` a day on average, at any time of day, each with one of its own
 * actions (the burst has the shape of a real one). Nothing about it follows the residents: an
 * observer who learns when people use a device can still tell a fake use at 03:00 from a real one.
 */
import { defence, DAY_US, type Defence, type Strategy } from '../strategy.js';
import { numberParam, type ParamValues } from '../params.js';
import { scheduledCover } from './scheduled-cover.js';

export const RANDOM_COVER: Strategy = {
  name: 'random-cover',
  family: 'cover',
  summary: 'fake uses of every device at random times (a Poisson process of `perDay` a day each)',
  params: [{ name: 'perDay', description: 'mean fake uses a day of each device', unit: 'per day', default: 4, min: 0, max: 1000 }],
  sweep: { param: 'perDay', values: [1, 2, 4, 8, 16, 32] },
  create(params: ParamValues): Defence {
    const perDay = numberParam(params, 'perDay');
    const meanGapUs = perDay > 0 ? DAY_US / perDay : Infinity;
    const uses = scheduledCover({ first: (dayStartUs, random) => (perDay > 0 ? dayStartUs + random.exponential(meanGapUs) : Infinity), gap: (random) => random.exponential(meanGapUs) });
    return defence('random-cover', params, { uses });
  },
};
