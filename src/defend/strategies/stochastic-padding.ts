/**
 * `stp`: stochastic traffic padding (Apthorpe et al., PoPETs 2019): cover traffic shaped like the
 * residents' own activity, injected at random times, adding no delay. Each device imitates its own
 * past uses: from the uses it made over the last `historyDays` days (what a device or the home's
 * gateway can know; never the future), it draws `ratio` fake uses for each real use a day on average
 * (a Poisson count), each a copy of one past use chosen at random: the same action (so the same burst
 * shape and size) at the same time of day, moved by a normal jitter of `jitter` minutes. A device
 * with no past use yet makes no cover (there is nothing to imitate). Fake uses therefore follow the
 * hours at which the device is really used, which is what an observer who learns timing would look at.
 */
import { defence, DAY_US, MINUTE_US, type CoverUse, type Defence, type DefendedDevice, type Strategy, type UseDefence, type UseIn } from '../strategy.js';
import { numberParam, type ParamValues } from '../params.js';
import type { Random } from '../../core/random.js';

interface PastUse {
  readonly dayStartUs: number;
  /** µs since its midnight. */
  readonly ofDayUs: number;
  readonly action: string;
}

export const STOCHASTIC_PADDING: Strategy = {
  name: 'stp',
  family: 'cover',
  summary: "stochastic traffic padding: each device imitates its own past uses (action, time of day), `ratio` fake uses per real one",
  params: [
    { name: 'ratio', description: 'fake uses per real use of the same device (the mean over its history)', unit: '', default: 1, min: 0, max: 100 },
    { name: 'jitter', description: 'standard deviation of the time-of-day jitter', unit: 'minutes', default: 30, min: 0, max: 720 },
    { name: 'historyDays', description: 'days of past uses imitated', unit: 'days', default: 14, min: 1, max: 365, integer: true },
  ],
  sweep: { param: 'ratio', values: [0.25, 0.5, 1, 2, 4, 8] },
  create(params: ParamValues): Defence {
    const ratio = numberParam(params, 'ratio');
    const jitterUs = numberParam(params, 'jitter') * MINUTE_US;
    const historyUs = numberParam(params, 'historyDays') * DAY_US;
    const uses: UseDefence = {
      open(devices: readonly DefendedDevice[], random: Random) {
        const history = new Map<string, PastUse[]>(devices.filter((d) => d.actions.length > 0).map((d) => [d.id, []]));
        return {
          day(dayStartUs: number, lived: readonly UseIn[]) {
            const cover: CoverUse[] = [];
            for (const [device, past] of history) {
              // Forget what is older than the history window.
              let drop = 0;
              while (drop < past.length && past[drop].dayStartUs < dayStartUs - historyUs) drop++;
              if (drop > 0) past.splice(0, drop);
              if (past.length === 0) continue;
              const days = Math.max(1, Math.round((dayStartUs - past[0].dayStartUs) / DAY_US));
              const count = poisson(random, (ratio * past.length) / days);
              for (let k = 0; k < count; k++) {
                const model = past[Math.floor(random.next() * past.length)];
                const ofDay = mod(model.ofDayUs + random.normal(0, 1) * jitterUs, DAY_US);
                cover.push({ timeUs: Math.round(dayStartUs + ofDay), device, action: model.action });
              }
            }
            // Today's uses are history from tomorrow on.
            for (const u of lived) history.get(u.device)?.push({ dayStartUs, ofDayUs: mod(u.timeUs - dayStartUs, DAY_US), action: u.action });
            return { timesUs: lived.map((u) => u.timeUs), cover };
          },
        };
      },
    };
    return defence('stp', params, { uses, warmupDays: numberParam(params, 'historyDays') });
  },
};

function mod(x: number, m: number): number {
  return ((x % m) + m) % m;
}

/** A Poisson deviate (Knuth's product of uniforms; means here are a few tens at most). */
export function poisson(random: Random, mean: number): number {
  if (!(mean > 0)) return 0;
  if (mean > 500) return Math.max(0, Math.round(random.normal(mean, Math.sqrt(mean))));
  const limit = Math.exp(-mean);
  let k = 0;
  let p = random.next();
  while (p > limit) {
    k++;
    p *= random.next();
  }
  return k;
}
