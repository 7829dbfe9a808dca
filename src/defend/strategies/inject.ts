/**
 * `inject`: the published mitigation (Al Ameedee & Lee, SECURWARE 2018): the devices send fake
 * encrypted data, so that an observer cannot tell a real use from a fake one. The paper does not say
 * when its fake data was sent, and its future work asks for fake traffic "at random periods"; its own
 * injection is read here as periodic: every device of the home makes a fake use every `period`
 * minutes, at a phase of its own drawn once, with one of its own actions (so each fake burst has the
 * shape of a real one). Against the published features this saturates the context bits (the same
 * device within 5 h, the lock within 30 min to 3 h are then always set); a periodic pattern is also
 * what an observer who knows the defence removes first (see `random-cover` for the random periods).
 */
import { defence, MINUTE_US, type Defence, type Strategy } from '../strategy.js';
import { numberParam, type ParamValues } from '../params.js';
import { scheduledCover } from './scheduled-cover.js';

export const INJECT: Strategy = {
  name: 'inject',
  family: 'cover',
  summary: "the paper's fake-data injection: every device makes a fake use every `period` minutes, at a fixed phase of its own",
  params: [{ name: 'period', description: 'minutes between two fake uses of a device', unit: 'minutes', default: 60, min: 1, max: 1440 }],
  sweep: { param: 'period', values: [480, 240, 120, 60, 30, 15] },
  create(params: ParamValues): Defence {
    const periodUs = numberParam(params, 'period') * MINUTE_US;
    // Each device's first fake use: a phase within the first period, drawn once.
    const uses = scheduledCover({ first: (dayStartUs, random) => dayStartUs + Math.floor(random.next() * periodUs), gap: () => periodUs });
    return defence('inject', params, { uses });
  },
};
