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
import { defence, DAY_US, MINUTE_US, type Defence, type DefendedDevice, type Strategy, type UseDefence } from '../strategy.js';
import { numberParam, type ParamValues } from '../params.js';
import type { Random } from '../../core/random.js';

export const INJECT: Strategy = {
  name: 'inject',
  family: 'cover',
  summary: "the paper's fake-data injection: every device makes a fake use every `period` minutes, at a fixed phase of its own",
  params: [{ name: 'period', description: 'minutes between two fake uses of a device', unit: 'minutes', default: 60, min: 1, max: 1440 }],
  sweep: { param: 'period', values: [480, 240, 120, 60, 30, 15] },
  create(params: ParamValues): Defence {
    const periodUs = numberParam(params, 'period') * MINUTE_US;
    const uses: UseDefence = {
      open(devices: readonly DefendedDevice[], random: Random) {
        const acting = devices.filter((d) => d.actions.length > 0);
        // Each device's first fake use: a phase within the first period, drawn once.
        const nextUs = acting.map(() => -1);
        return {
          day(dayStartUs, lived) {
            const cover = [];
            const endUs = dayStartUs + DAY_US;
            for (let i = 0; i < acting.length; i++) {
              if (nextUs[i] < 0) nextUs[i] = dayStartUs + Math.floor(random.next() * periodUs);
              for (; nextUs[i] < endUs; nextUs[i] += periodUs) cover.push({ timeUs: Math.round(nextUs[i]), device: acting[i].id, action: random.pick(acting[i].actions) });
            }
            return { timesUs: lived.map((u) => u.timeUs), cover };
          },
        };
      },
    };
    return defence('inject', params, { uses });
  },
};
