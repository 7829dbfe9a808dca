/**
 * A defence at the simulator's seams (home/seams.ts): its use defence as the {@link UseTransform} (the
 * lived uses in, the uses the devices make out: real ones moved as the defence says, cover ones with
 * cause `cover`), and its packet transform as it is.
 *
 * ```ts
 * const ledger = new UseLedger();
 * simulateHome({ spec, source: 'family', days: 7, seed: 1, out, vantage: 'lan', format: 'pcapng', seams: simulatorSeams(defence, ledger) });
 * ledger.cover; // cover uses made
 * ```
 *
 * A new generator from the simulator starts a new run of the defence: `simulateHome()` gives one for
 * the whole home, `writePaperPreset()` one per scenario (each scenario is then defended on its own).
 */
import type { Random } from '../core/random.js';
import { DEVICE_ACTIONS } from '../core/kinds.js';
import type { HomeSpec } from '../home/spec.js';
import type { Seams, UseTransform } from '../home/seams.js';
import type { DayOfLife, SimulatedUse } from '../home/types.js';
import { simulateLife } from '../home/life.js';
import { DAY_US, type Defence, type DefendedDevice } from './strategy.js';
import { CheckedUseRun, UseLedger } from './use-runner.js';

/** The devices of a spec as a use defence sees them: each with its kind's actions (a hub has none). */
export function specDevices(spec: HomeSpec): DefendedDevice[] {
  return spec.devices.map((d) => ({ id: d.id, kind: d.kind, actions: DEVICE_ACTIONS[d.kind] }));
}

/** Salts the primer's life apart from the home's own. */
const PRIMER_SALT = 0x9e1d_0c0a;

/**
 * `days` days of a home's life just before its start (lived with another seed, dated back), for a
 * defence that learns from the past to have seen them ({@link Defence.warmupDays}).
 */
export function primerDays(spec: HomeSpec, days: number, seed: number): DayOfLife[] {
  if (days <= 0) return [];
  const shift = days * DAY_US;
  const out: DayOfLife[] = [];
  for (const day of simulateLife(spec, { days, seed: (seed ^ PRIMER_SALT) >>> 0 })) {
    out.push({
      dayStartUs: day.dayStartUs - shift,
      activities: day.activities.map((a) => ({ ...a, timeUs: a.timeUs - shift })),
      events: day.events.map((e) => ({ ...e, timeUs: e.timeUs - shift })),
    });
  }
  return out;
}

/**
 * The use transform that applies `defence`'s use defence, recording into `ledger`. Each run is first
 * given `primer` (days before the home's start: what the defence saw before; their uses are not made
 * and not counted).
 */
export function defenceUseTransform(defence: Defence, ledger: UseLedger = new UseLedger(), primer: readonly DayOfLife[] = []): UseTransform {
  let run: CheckedUseRun | null = null;
  let runRandom: Random | null = null;
  return {
    transformDay(day: DayOfLife, random: Random, home: HomeSpec): readonly SimulatedUse[] {
      if (run === null || random !== runRandom) {
        run = new CheckedUseRun(defence, specDevices(home), random, new UseLedger());
        for (const past of primer) run.day(past.dayStartUs, past.events);
        run = new CheckedUseRun(defence, specDevices(home), random, ledger, run);
        runRandom = random;
      }
      const made = run.day(day.dayStartUs, day.events);
      const kinds = new Map(home.devices.map((d) => [d.id, d.kind]));
      const out: SimulatedUse[] = day.events.map((e, i) => (made.timesUs[i] === e.timeUs ? e : { ...e, timeUs: made.timesUs[i] }));
      for (const c of made.cover) out.push({ timeUs: c.timeUs, device: c.device, kind: kinds.get(c.device)!, action: c.action, cause: 'cover', resident: '' });
      return out;
    },
  };
}

/** Both seams of a defence (either may be absent), its uses recorded into `ledger`, its runs primed with `primer`. */
export function simulatorSeams(defence: Defence, ledger: UseLedger = new UseLedger(), primer: readonly DayOfLife[] = []): Seams {
  return {
    ...(defence.uses !== null ? { uses: defenceUseTransform(defence, ledger, primer) } : {}),
    ...(defence.packets !== null ? { packets: defence.packets } : {}),
  };
}
